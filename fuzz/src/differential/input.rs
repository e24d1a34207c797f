//! The fuzz input of a differential target, decoded into a [`Case`]: the client's and the
//! server's seeds, and how the fuzzed client and server shares are made (the implementation's
//! own share edited, or raw bytes of any length). [`Case::encode`] writes the bytes
//! [`Case::decode`] reads, for hand-made inputs (seed corpus, tests).
//!
//! Layout: per component in wire order the client seed, then per component the server seed
//! (a NIST scalar is preceded by a byte that may turn it into n - v, n + v or a small v), then
//! the client share, then the server share, each a tag byte followed by up to 15 five-byte
//! edits or by raw bytes (exactly the share's length, or a 16-bit length first). Missing bytes
//! read as zeros, so every input decodes.

use super::primitive::{Curve, Prim, Side, offset};

/// Reads an input front to back; past its end every byte is zero.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let byte = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte
    }

    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.byte(), self.byte()])
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }
}

/// One component's seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeedSpec {
    /// These bytes (the component's seed length).
    Raw(Vec<u8>),
    /// A NIST scalar n - v (v = 0 is n itself, out of range).
    BelowOrder(u8),
    /// A NIST scalar n + v, out of range.
    AboveOrder(u8),
    /// A NIST scalar v (v = 0 is out of range).
    Small(u8),
}

impl SeedSpec {
    fn read(prim: Prim, side: Side, r: &mut Reader<'_>) -> Self {
        let len = prim.seed_len(side);
        if !matches!(prim, Prim::Nist(_)) {
            return Self::Raw(r.bytes(len));
        }
        match r.byte() % 8 {
            5 => Self::BelowOrder(r.byte()),
            6 => Self::AboveOrder(r.byte()),
            7 => Self::Small(r.byte()),
            _ => Self::Raw(r.bytes(len)),
        }
    }

    fn write(&self, prim: Prim, out: &mut Vec<u8>) {
        let nist = matches!(prim, Prim::Nist(_));
        match self {
            Self::Raw(bytes) => {
                if nist {
                    out.push(0);
                }
                out.extend_from_slice(bytes);
            }
            Self::BelowOrder(v) => out.extend_from_slice(&[5, *v]),
            Self::AboveOrder(v) => out.extend_from_slice(&[6, *v]),
            Self::Small(v) => out.extend_from_slice(&[7, *v]),
        }
    }

    /// The seed bytes.
    fn bytes(&self, prim: Prim, side: Side) -> Vec<u8> {
        let curve = match prim {
            Prim::Nist(curve) => curve,
            _ => Curve::P256,
        };
        let mut out = match self {
            Self::Raw(bytes) => bytes.clone(),
            Self::BelowOrder(v) => offset(curve.n(), *v, true),
            Self::AboveOrder(v) => offset(curve.n(), *v, false),
            Self::Small(v) => {
                let mut small = vec![0; curve.coordinate_len()];
                small[curve.coordinate_len() - 1] = *v;
                small
            }
        };
        out.resize(prim.seed_len(side), 0);
        out
    }
}

/// The smallest coefficient an edit sets near q: q - 128 (FIPS 203: q = 3329).
const NEAR_Q: u16 = 3329 - 128;

/// One change to a share; `part` picks the component (modulo their number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// XOR `mask` into byte `at` (modulo the part's length).
    Xor { part: u8, at: u16, mask: u8 },
    /// Coefficient `index` of an encapsulation key set to `value`, one of q - 128 to q + 127
    /// (3201 to 3456, so exactly q = 3329 too) or 3840 to 4095; elsewhere a byte flip.
    Coefficient { part: u8, index: u16, value: u16 },
    /// The part replaced by a crafted value ([`Prim::craft`]).
    Craft { part: u8, kind: u8, param: u16 },
    /// The whole share shortened by 1 to 64 bytes.
    Truncate(u8),
    /// 1 to 64 bytes of `byte` appended to the whole share.
    Append { count: u8, byte: u8 },
}

impl Edit {
    fn read(r: &mut Reader<'_>) -> Self {
        let [op, part, a, b, c] = [r.byte(), r.byte(), r.byte(), r.byte(), r.byte()];
        let word = u16::from_be_bytes([a, b]);
        match op % 6 {
            0 => Self::Xor {
                part,
                at: word,
                mask: c,
            },
            1 => Self::Coefficient {
                part,
                index: word,
                value: NEAR_Q + u16::from(c),
            },
            2 => Self::Coefficient {
                part,
                index: word,
                value: 4095 - u16::from(c),
            },
            3 => Self::Craft {
                part,
                kind: a,
                param: u16::from_be_bytes([b, c]),
            },
            4 => Self::Truncate(a),
            _ => Self::Append { count: a, byte: b },
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        let record = match *self {
            Self::Xor { part, at, mask } => [0, part, (at >> 8) as u8, at as u8, mask],
            Self::Coefficient { part, index, value } => {
                let [op, c] = match value {
                    NEAR_Q..=3456 => [1, (value - NEAR_Q) as u8],
                    3840..=4095 => [2, (4095 - value) as u8],
                    _ => panic!("coefficient {value} cannot be written"),
                };
                [op, part, (index >> 8) as u8, index as u8, c]
            }
            Self::Craft { part, kind, param } => [3, part, kind, (param >> 8) as u8, param as u8],
            Self::Truncate(n) => [4, 0, n, 0, 0],
            Self::Append { count, byte } => [5, 0, count, byte, 0],
        };
        out.extend_from_slice(&record);
    }
}

/// How a fuzzed share is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareSpec {
    /// The implementation's own share with these edits (none: the share itself).
    Edited(Vec<Edit>),
    /// These bytes, whatever the implementation's share.
    Raw(Vec<u8>),
}

impl ShareSpec {
    fn read(expected: usize, r: &mut Reader<'_>) -> Self {
        let tag = r.byte();
        if tag & 1 == 0 {
            let count = (tag >> 1) % 16;
            return Self::Edited((0..count).map(|_| Edit::read(r)).collect());
        }
        let len = if tag & 2 == 0 {
            expected
        } else {
            usize::from(r.u16() % 4096)
        };
        Self::Raw(r.bytes(len))
    }

    fn write(&self, expected: usize, out: &mut Vec<u8>) {
        match self {
            Self::Edited(edits) => {
                assert!(edits.len() < 16, "at most 15 edits");
                out.push((edits.len() as u8) << 1);
                edits.iter().for_each(|edit| edit.write(out));
            }
            Self::Raw(bytes) if bytes.len() == expected => {
                out.push(1);
                out.extend_from_slice(bytes);
            }
            Self::Raw(bytes) => {
                assert!(bytes.len() < 4096, "raw shares are shorter than 4096 bytes");
                out.push(3);
                out.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
                out.extend_from_slice(bytes);
            }
        }
    }

    /// The share this spec makes from `own` (`side`'s real share, the parts concatenated in
    /// wire order), or `None` when it needs `own` and there is none (the step that makes it was
    /// refused).
    pub fn apply(&self, parts: &[Prim], side: Side, own: Option<&[u8]>) -> Option<Vec<u8>> {
        let edits = match self {
            Self::Raw(bytes) => return Some(bytes.clone()),
            Self::Edited(edits) => edits,
        };
        let own = own?;
        let mut pieces = Vec::with_capacity(parts.len());
        let mut rest = own;
        for prim in parts {
            let (piece, tail) = rest.split_at(prim.share_len(side).min(rest.len()));
            pieces.push(piece.to_vec());
            rest = tail;
        }
        let (mut shorten, mut append) = (0usize, Vec::new());
        for edit in edits {
            let pick = |part: u8| usize::from(part) % parts.len();
            match *edit {
                Edit::Xor { part, at, mask } => {
                    let piece = &mut pieces[pick(part)];
                    if !piece.is_empty() {
                        let at = usize::from(at) % piece.len();
                        piece[at] ^= mask;
                    }
                }
                Edit::Coefficient { part, index, value } => {
                    parts[pick(part)].set_coefficient(side, &mut pieces[pick(part)], index, value);
                }
                Edit::Craft { part, kind, param } => {
                    let i = pick(part);
                    pieces[i] = parts[i].craft(side, kind, param, &pieces[i]);
                }
                Edit::Truncate(n) => shorten += usize::from(n % 64) + 1,
                Edit::Append { count, byte } => {
                    append.extend(std::iter::repeat_n(byte, usize::from(count % 64) + 1));
                }
            }
        }
        let mut share = pieces.concat();
        share.truncate(share.len().saturating_sub(shorten));
        share.extend_from_slice(&append);
        Some(share)
    }
}

/// A decoded input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// Each component's client seed, in wire order.
    pub client_seeds: Vec<SeedSpec>,
    /// Each component's server seed, in wire order.
    pub server_seeds: Vec<SeedSpec>,
    /// The client share the server step sees.
    pub client_share: ShareSpec,
    /// The server share the client completes with.
    pub server_share: ShareSpec,
}

impl Case {
    /// The case of `data` for a key exchange made of `parts` (wire order).
    pub fn decode(parts: &[Prim], data: &[u8]) -> Self {
        let r = &mut Reader { data, at: 0 };
        let client_seeds = parts
            .iter()
            .map(|&p| SeedSpec::read(p, Side::Client, r))
            .collect();
        let server_seeds = parts
            .iter()
            .map(|&p| SeedSpec::read(p, Side::Server, r))
            .collect();
        let client_share = ShareSpec::read(share_len(parts, Side::Client), r);
        let server_share = ShareSpec::read(share_len(parts, Side::Server), r);
        Self {
            client_seeds,
            server_seeds,
            client_share,
            server_share,
        }
    }

    /// The input [`Case::decode`] reads as this case.
    pub fn encode(&self, parts: &[Prim]) -> Vec<u8> {
        let mut out = Vec::new();
        for (seeds, _side) in [
            (&self.client_seeds, Side::Client),
            (&self.server_seeds, Side::Server),
        ] {
            for (spec, &prim) in seeds.iter().zip(parts) {
                spec.write(prim, &mut out);
            }
        }
        self.client_share
            .write(share_len(parts, Side::Client), &mut out);
        self.server_share
            .write(share_len(parts, Side::Server), &mut out);
        out
    }

    /// `side`'s seed: the components' seeds concatenated in wire order.
    pub fn seed(&self, parts: &[Prim], side: Side) -> Vec<u8> {
        let specs = match side {
            Side::Client => &self.client_seeds,
            Side::Server => &self.server_seeds,
        };
        specs
            .iter()
            .zip(parts)
            .flat_map(|(spec, &prim)| spec.bytes(prim, side))
            .collect()
    }
}

/// Bytes of `side`'s share of the key exchange made of `parts`.
pub fn share_len(parts: &[Prim], side: Side) -> usize {
    parts.iter().map(|p| p.share_len(side)).sum()
}
