//! What one implementation made of one step of a case: the output's digest, this crate's error,
//! the reference's reasons for refusing, or "not run". A case's steps in order are its
//! transcript; transcripts are what the differential targets compare, and the reference's are
//! what `fuzz/reference/` records (one line per corpus input, see [`Transcript::encode`]).

use std::fmt;

use hybrid_kx::Error;
use sha2::{Digest as _, Sha256};

/// The first 16 bytes of SHA-256 over an output's parts, each preceded by its length: equal
/// outputs have equal digests, and a recorded transcript stays one short line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Digest(pub [u8; 16]);

impl Digest {
    /// The digest of `parts`, in order (lengths included, so `ab ‖ c` differs from `a ‖ bc`).
    pub fn of(parts: &[&[u8]]) -> Self {
        let mut hash = Sha256::new();
        for part in parts {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        let mut digest = [0; 16];
        digest.copy_from_slice(&hash.finalize()[..16]);
        Self(digest)
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

/// Why a share or a seed is refused, in terms every implementation can be judged by: the
/// classes of failure the specifications name (FIPS 203 section 7.2, RFC 7748 section 6.1,
/// RFC 8446 section 4.2.8.2, SP 800-56A section 5.6.2.3.4, SEC 1 section 3.2.1).
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub enum Reason {
    /// Not the length the group or primitive requires.
    Length,
    /// An ML-KEM encapsulation key with a coefficient that is not below q (FIPS 203 7.2).
    Modulus,
    /// An EC point of the right length that is not in the uncompressed `0x04` form.
    NotUncompressed,
    /// An uncompressed EC point that is not on the curve, or has a coordinate not below p.
    NotOnCurve,
    /// An X25519 result of all zeros: the peer's u is of low order (RFC 7748 section 6.1).
    ZeroSecret,
    /// An EC private scalar outside `[1, n-1]`.
    Scalar,
}

impl Reason {
    /// Every reason, in the order of the bit set.
    pub const ALL: [Self; 6] = [
        Self::Length,
        Self::Modulus,
        Self::NotUncompressed,
        Self::NotOnCurve,
        Self::ZeroSecret,
        Self::Scalar,
    ];

    /// Its name in a recorded transcript.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Length => "length",
            Self::Modulus => "modulus",
            Self::NotUncompressed => "not-uncompressed",
            Self::NotOnCurve => "not-on-curve",
            Self::ZeroSecret => "zero-secret",
            Self::Scalar => "scalar",
        }
    }

    /// The class of one of this crate's errors, or `None` for an error no reference can
    /// cause (a backend failure, an unavailable backend). `Error::Internal` is what a
    /// component answers to a slice of the wrong length (its contract, `components::Component`);
    /// at the group layer the same share is a `KeyShareLength`.
    pub fn of(error: &Error) -> Option<Self> {
        Some(match error {
            Error::KeyShareLength { .. } | Error::Internal => Self::Length,
            Error::EncapsulationKeyModulus => Self::Modulus,
            Error::EcPointNotUncompressed => Self::NotUncompressed,
            Error::EcPointNotOnCurve => Self::NotOnCurve,
            Error::X25519ZeroSharedSecret => Self::ZeroSecret,
            Error::InvalidPrivateScalar => Self::Scalar,
            _ => return None,
        })
    }

    /// The alert a TLS stack must send for a refusal of this class at the group layer: the
    /// peer's malformed share is `illegal_parameter` (47; RFC 8446 section 6.2, RFC 10024
    /// section 5), a bad scalar of our own seed is not the peer's fault, `internal_error` (80).
    pub const fn alert_code(self) -> u8 {
        match self {
            Self::Scalar => 80,
            _ => 47,
        }
    }
}

/// A set of [`Reason`]s: every reason the reference finds for refusing one step.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Reasons(u8);

impl Reasons {
    /// The empty set: refused for no reason the harness knows (an unexpected OpenSSL failure),
    /// which no crate error matches.
    pub const NONE: Self = Self(0);

    /// The set of one reason.
    pub const fn one(reason: Reason) -> Self {
        Self(1 << reason as u8)
    }

    /// This set and `reason`.
    pub const fn with(self, reason: Reason) -> Self {
        Self(self.0 | 1 << reason as u8)
    }

    /// Both sets.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether `reason` is in the set.
    pub const fn contains(self, reason: Reason) -> bool {
        self.0 & 1 << reason as u8 != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Debug for Reasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<_> = Reason::ALL
            .into_iter()
            .filter(|&r| self.contains(r))
            .map(Reason::name)
            .collect();
        f.write_str(&names.join("+"))
    }
}

/// One step's result.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
    /// Accepted, with the digest of its output.
    Accepted(Digest),
    /// Refused by this crate with this error.
    Error(Error),
    /// Refused by the reference, for these reasons (all that apply).
    Refused(Reasons),
    /// Not run: its input would have come from an earlier step that was refused.
    Skipped,
}

/// The steps of a case, in the order they run (see `differential::kx`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
    /// Client key generation from the client seed: the share (and an ML-KEM key's expanded
    /// form).
    Keygen,
    /// The server step on the client's own share: the server share and the secret.
    Respond,
    /// The server step on the fuzzed client share (skipped when it equals the client's own).
    RespondFuzzed,
    /// Client completion with the server's own share: the secret.
    CompleteHonest,
    /// Client completion with the fuzzed server share.
    Complete,
}

impl Step {
    const ALL: [Self; 5] = [
        Self::Keygen,
        Self::Respond,
        Self::RespondFuzzed,
        Self::CompleteHonest,
        Self::Complete,
    ];

    /// Its name in a recorded transcript.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Keygen => "keygen",
            Self::Respond => "respond",
            Self::RespondFuzzed => "respond-fuzzed",
            Self::CompleteHonest => "complete-honest",
            Self::Complete => "complete",
        }
    }
}

/// The steps of one case on one implementation, in order.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Transcript(pub Vec<(Step, Verdict)>);

impl Transcript {
    /// The reference's transcript as one line (`keygen=ok:<digest> respond=no:modulus ...`);
    /// `None` if it holds one of this crate's errors, which a recorded reference never does.
    pub fn encode(&self) -> Option<String> {
        let mut steps = Vec::with_capacity(self.0.len());
        for (step, verdict) in &self.0 {
            let value = match verdict {
                Verdict::Accepted(digest) => format!("ok:{digest:?}"),
                Verdict::Refused(reasons) => format!("no:{reasons:?}"),
                Verdict::Skipped => "skip".to_owned(),
                Verdict::Error(_) => return None,
            };
            steps.push(format!("{}={value}", step.name()));
        }
        Some(steps.join(" "))
    }

    /// The transcript of a line [`Transcript::encode`] wrote; `None` if it is malformed.
    pub fn decode(line: &str) -> Option<Self> {
        let mut steps = Vec::new();
        for item in line.split_whitespace() {
            let (name, value) = item.split_once('=')?;
            let step = Step::ALL.into_iter().find(|s| s.name() == name)?;
            let verdict = if value == "skip" {
                Verdict::Skipped
            } else if let Some(digest) = value.strip_prefix("ok:") {
                Verdict::Accepted(Digest(unhex(digest)?.try_into().ok()?))
            } else {
                let mut reasons = Reasons::NONE;
                for name in value
                    .strip_prefix("no:")?
                    .split('+')
                    .filter(|n| !n.is_empty())
                {
                    reasons = reasons.with(Reason::ALL.into_iter().find(|r| r.name() == name)?);
                }
                Verdict::Refused(reasons)
            };
            steps.push((step, verdict));
        }
        Some(Self(steps))
    }
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of lower-case hexadecimal; `None` if it is not.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
