//! What the harness knows of each primitive, from the specifications rather than from the crate:
//! lengths (FIPS 203 section 8, RFC 7748 section 5, SEC 1 section 2.3.3), the curve constants
//! (SEC 2 section 2.4.2 and 2.5.1, RFC 7748 section 4.1), and how to build the malformed values
//! a fuzzer rarely finds by flipping bits: a coefficient of exactly q, the low-order X25519
//! points, a coordinate of p or above, compressed, hybrid and identity encodings.

use p256::elliptic_curve::point::{AffineCoordinates, DecompressPoint};
use p256::elliptic_curve::subtle::Choice;

/// An ML-KEM parameter set, by its module rank k (FIPS 203 section 8, table 2).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MlKem {
    /// ML-KEM-512, k = 2.
    K512,
    /// ML-KEM-768, k = 3.
    K768,
    /// ML-KEM-1024, k = 4.
    K1024,
}

impl MlKem {
    /// The rank k.
    pub const fn rank(self) -> usize {
        match self {
            Self::K512 => 2,
            Self::K768 => 3,
            Self::K1024 => 4,
        }
    }

    /// Bytes of `ek`: k 12-bit-encoded polynomials and the 32-byte seed ρ.
    pub const fn ek_len(self) -> usize {
        384 * self.rank() + 32
    }

    /// Bytes of the ciphertext: k polynomials of d_u bits and one of d_v bits.
    pub const fn ct_len(self) -> usize {
        match self {
            Self::K512 => 768,
            Self::K768 => 1088,
            Self::K1024 => 1568,
        }
    }
}

/// A NIST curve.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Curve {
    /// secp256r1.
    P256,
    /// secp384r1.
    P384,
}

impl Curve {
    /// Bytes of a coordinate and of a scalar.
    pub const fn coordinate_len(self) -> usize {
        match self {
            Self::P256 => 32,
            Self::P384 => 48,
        }
    }

    /// The field prime p, big-endian (SEC 2 sections 2.4.2 and 2.5.1).
    pub fn p(self) -> &'static [u8] {
        match self {
            Self::P256 => &P256_P,
            Self::P384 => &P384_P,
        }
    }

    /// The group order n, big-endian (SEC 2 sections 2.4.2 and 2.5.1).
    pub fn n(self) -> &'static [u8] {
        match self {
            Self::P256 => &P256_N,
            Self::P384 => &P384_N,
        }
    }

    /// The y-coordinate of the curve point with x-coordinate `x` (big-endian, reduced) and the
    /// given parity, if there is one: building inputs only.
    fn y_for(self, x: &[u8], odd: bool) -> Option<Vec<u8>> {
        let odd = Choice::from(u8::from(odd));
        match self {
            Self::P256 => {
                let x = p256::FieldBytes::try_from(x).ok()?;
                let point =
                    Option::<p256::AffinePoint>::from(p256::AffinePoint::decompress(&x, odd))?;
                Some(point.y().to_vec())
            }
            Self::P384 => {
                let x = p384::FieldBytes::try_from(x).ok()?;
                let point =
                    Option::<p384::AffinePoint>::from(p384::AffinePoint::decompress(&x, odd))?;
                Some(point.y().to_vec())
            }
        }
    }
}

const P256_P: [u8; 32] = hex32("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
const P256_N: [u8; 32] = hex32("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const P384_P: [u8; 48] = hex48(
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
);
const P384_N: [u8; 48] = hex48(
    "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
);

/// 2^255 - 19, little-endian (RFC 7748 section 4.1).
const X25519_P: [u8; 32] = {
    let mut p = [0xff; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    p
};

/// The canonical u-coordinates of the points of order 1, 2, 4 and 8 on Curve25519 (and their
/// twist's), little-endian: 0, 1, the two points of order 8, and p - 1. RFC 7748 section 6.1
/// and the list libsodium refuses.
const X25519_LOW_ORDER: [[u8; 32]; 5] = [
    [0; 32],
    {
        let mut one = [0; 32];
        one[0] = 1;
        one
    },
    hex32("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    hex32("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    {
        let mut p_minus_one = X25519_P;
        p_minus_one[0] = 0xec;
        p_minus_one
    },
];

/// One of the primitives a group is made of.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Prim {
    /// ML-KEM.
    MlKem(MlKem),
    /// X25519.
    X25519,
    /// ECDH on a NIST curve.
    Nist(Curve),
}

/// Whose share or seed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    /// The client's (key generation; its share is `ek` or a public key).
    Client,
    /// The server's (encapsulation; its share is a ciphertext or a public key).
    Server,
}

impl Prim {
    /// From the name FIPS 203, RFC 7748 and SEC 2 give it (the crate's `PARTS` names).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "ML-KEM-512" => Self::MlKem(MlKem::K512),
            "ML-KEM-768" => Self::MlKem(MlKem::K768),
            "ML-KEM-1024" => Self::MlKem(MlKem::K1024),
            "X25519" => Self::X25519,
            "P-256" => Self::Nist(Curve::P256),
            "P-384" => Self::Nist(Curve::P384),
            _ => return None,
        })
    }

    /// Bytes of `side`'s share.
    pub const fn share_len(self, side: Side) -> usize {
        match (self, side) {
            (Self::MlKem(k), Side::Client) => k.ek_len(),
            (Self::MlKem(k), Side::Server) => k.ct_len(),
            (Self::X25519, _) => 32,
            (Self::Nist(c), _) => 1 + 2 * c.coordinate_len(),
        }
    }

    /// Bytes of `side`'s seed: ML-KEM `d ‖ z` or `m`, a scalar otherwise.
    pub const fn seed_len(self, side: Side) -> usize {
        match (self, side) {
            (Self::MlKem(_), Side::Client) => 64,
            (Self::MlKem(_), Side::Server) => 32,
            (Self::X25519, _) => 32,
            (Self::Nist(c), _) => c.coordinate_len(),
        }
    }

    /// Sets coefficient `index` (modulo their number) of an encapsulation key to `value`
    /// (FIPS 203 ByteEncode_12: two coefficients in three bytes, little-endian). Elsewhere (a
    /// ciphertext, another primitive's share) it flips the low byte of `value` in at `index`.
    pub fn set_coefficient(self, side: Side, share: &mut [u8], index: u16, value: u16) {
        let index = usize::from(index);
        match (self, side) {
            (Self::MlKem(k), Side::Client) if share.len() == k.ek_len() => {
                let i = index % (256 * k.rank());
                let at = 3 * (i / 2);
                let [low, high] = value.to_le_bytes();
                if i % 2 == 0 {
                    share[at] = low;
                    share[at + 1] = (share[at + 1] & 0xf0) | (high & 0x0f);
                } else {
                    share[at + 1] = (share[at + 1] & 0x0f) | (low << 4);
                    share[at + 2] = ((value >> 4) & 0xff) as u8;
                }
            }
            _ if !share.is_empty() => {
                let at = index % share.len();
                share[at] ^= value.to_le_bytes()[0];
            }
            _ => {}
        }
    }

    /// A share of kind `kind` (modulo the kinds this primitive has) with parameter `param`,
    /// built from `own` (the implementation's real share for `side`): the hostile values a
    /// fuzzer reaches only by chance.
    pub fn craft(self, side: Side, kind: u8, param: u16, own: &[u8]) -> Vec<u8> {
        match self {
            Self::MlKem(_) => craft_mlkem(kind, param, own),
            Self::X25519 => craft_x25519(kind, param, own),
            Self::Nist(curve) if own.len() == self.share_len(side) => {
                craft_nist(curve, kind, param, own)
            }
            Self::Nist(_) => own.to_vec(),
        }
    }
}

/// ML-KEM: all zeros (a valid key of zero polynomials; a ciphertext that decapsulates by
/// implicit rejection), all ones (every coefficient 4095), every coefficient `param`.
fn craft_mlkem(kind: u8, param: u16, own: &[u8]) -> Vec<u8> {
    match kind % 3 {
        0 => vec![0; own.len()],
        1 => vec![0xff; own.len()],
        _ => {
            let value = param % 4096;
            let [low, high] = value.to_le_bytes();
            let pattern = [low, (high & 0x0f) | (low << 4), ((value >> 4) & 0xff) as u8];
            own.iter()
                .enumerate()
                .map(|(i, _)| pattern[i % 3])
                .collect()
        }
    }
}

/// X25519: a low-order u (canonical, or with the unused top bit set), a non-canonical u
/// (p + 0 to p + 18, the only ones below 2^255), a small u, the real share with the top bit set.
fn craft_x25519(kind: u8, param: u16, own: &[u8]) -> Vec<u8> {
    let [low, high] = param.to_le_bytes();
    match kind % 4 {
        0 => {
            let mut u = X25519_LOW_ORDER[usize::from(low) % X25519_LOW_ORDER.len()];
            u[31] |= high & 0x80;
            u.to_vec()
        }
        1 => {
            let mut u = X25519_P;
            u[0] += low % 19;
            u.to_vec()
        }
        2 => {
            let mut u = [0; 32];
            u[..2].copy_from_slice(&param.to_le_bytes());
            u.to_vec()
        }
        _ => {
            let mut u = own.to_vec();
            if let Some(top) = u.last_mut() {
                *top |= 0x80;
            }
            u
        }
    }
}

/// A NIST point: the identity `04 ‖ 0…0`; the compressed form `02/03 ‖ x`; the hybrid form
/// `06/07 ‖ x ‖ y` (parity right or wrong); the real point with another leading byte; a point
/// with the small x-coordinate `param` (valid), or with p added to that x, or to its y where the
/// sum fits; x = p or y = p; both coordinates all ones; the real point with y + 1 (off the curve).
fn craft_nist(curve: Curve, kind: u8, param: u16, own: &[u8]) -> Vec<u8> {
    let len = curve.coordinate_len();
    let (x, y) = own[1..].split_at(len);
    let y_odd = y[len - 1] & 1 == 1;
    let [low, _] = param.to_le_bytes();
    match kind % 9 {
        0 => [&[4][..], &vec![0; 2 * len]].concat(),
        1 => [&[2 | u8::from(y_odd)][..], x].concat(),
        2 => [&[6 | (u8::from(y_odd) ^ (low & 1))][..], x, y].concat(),
        3 => [&[low][..], x, y].concat(),
        4..=6 => {
            let mut small_x = vec![0; len];
            small_x[len - 2..].copy_from_slice(&param.to_be_bytes());
            let Some(small_y) = curve.y_for(&small_x, low & 1 == 1) else {
                return [&[4][..], &small_x, y].concat();
            };
            match kind % 9 {
                4 => [&[4][..], &small_x, &small_y].concat(),
                5 => [&[4][..], &add(&small_x, curve.p()).0, &small_y].concat(),
                _ => match checked_add(&small_y, curve.p()) {
                    Some(y_plus_p) => [&[4][..], &small_x, &y_plus_p].concat(),
                    None => [&[4][..], &small_x, &vec![0xff; len]].concat(),
                },
            }
        }
        7 => match low % 3 {
            0 => [&[4][..], curve.p(), y].concat(),
            1 => [&[4][..], x, curve.p()].concat(),
            _ => [&[4][..], &vec![0xff; 2 * len]].concat(),
        },
        _ => [&[4][..], x, &offset(y, 1, false)].concat(),
    }
}

/// `a + b` of equal-length big-endian numbers modulo 2^(8·len), and whether it wrapped.
fn add(a: &[u8], b: &[u8]) -> (Vec<u8>, bool) {
    let mut sum = vec![0; a.len()];
    let mut carry = 0u16;
    for i in (0..a.len()).rev() {
        let s = u16::from(a[i]) + u16::from(b[i]) + carry;
        sum[i] = (s & 0xff) as u8;
        carry = s >> 8;
    }
    (sum, carry != 0)
}

/// `a + b`, if it fits in their length.
fn checked_add(a: &[u8], b: &[u8]) -> Option<Vec<u8>> {
    let (sum, wrapped) = add(a, b);
    (!wrapped).then_some(sum)
}

/// A big-endian number `n - v` or `n + v` (wrapping) of the length of `n`.
pub fn offset(n: &[u8], v: u8, below: bool) -> Vec<u8> {
    let mut out = n.to_vec();
    let mut borrow_or_carry = u16::from(v);
    for byte in out.iter_mut().rev() {
        if borrow_or_carry == 0 {
            break;
        }
        if below {
            let (d, under) = byte.overflowing_sub((borrow_or_carry & 0xff) as u8);
            *byte = d;
            borrow_or_carry = (borrow_or_carry >> 8) + u16::from(under);
        } else {
            let s = u16::from(*byte) + borrow_or_carry;
            *byte = (s & 0xff) as u8;
            borrow_or_carry = s >> 8;
        }
    }
    out
}

/// A 32-byte constant from hexadecimal, at compile time.
const fn hex32(text: &str) -> [u8; 32] {
    let mut out = [0; 32];
    unhex_into(text.as_bytes(), &mut out);
    out
}

/// A 48-byte constant from hexadecimal, at compile time.
const fn hex48(text: &str) -> [u8; 48] {
    let mut out = [0; 48];
    unhex_into(text.as_bytes(), &mut out);
    out
}

const fn unhex_into(text: &[u8], out: &mut [u8]) {
    assert!(text.len() == 2 * out.len());
    let mut i = 0;
    while i < out.len() {
        out[i] = nibble(text[2 * i]) << 4 | nibble(text[2 * i + 1]);
        i += 1;
    }
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not hexadecimal"),
    }
}
