//! Typed errors and the TLS alert each one must cause.
//!
//! RFC 10024 (was draft-ietf-tls-ecdhe-mlkem) section 5 and draft-ietf-tls-mlkem section 3 say
//! which alert a failed check must raise; RFC 8446 section 6 defines the alert codes. Keeping the
//! mapping in one place means every TLS stack that adapts this crate sends the same alert for the
//! same failure.

use core::fmt;

/// A TLS alert description (RFC 8446 section 6), limited to the two that key exchange can raise.
///
/// A TLS stack turns an [`Error`] into the alert the peer must see with [`Error::alert`].
/// `#[non_exhaustive]`: a future failure class may need another alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Alert {
    /// `illegal_parameter` (47): the peer sent a syntactically correct but invalid key share
    /// (RFC 8446 section 6.2; RFC 10024 section 5 for the ML-KEM checks).
    IllegalParameter,
    /// `internal_error` (80): a failure unrelated to the peer's input, such as a failed
    /// decapsulation or an unavailable random source (RFC 10024 section 5).
    InternalError,
}

impl Alert {
    /// The alert's wire value, `AlertDescription` in RFC 8446 section 6.
    pub const fn code(self) -> u8 {
        match self {
            Self::IllegalParameter => 47,
            Self::InternalError => 80,
        }
    }

    /// The alert's name as RFC 8446 section 6 spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::IllegalParameter => "illegal_parameter",
            Self::InternalError => "internal_error",
        }
    }
}

impl fmt::Display for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

/// Which side's key share a length error refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShareKind {
    /// The client's `KeyShareEntry.key_exchange` in the ClientHello (RFC 8446 section 4.2.8).
    Client,
    /// The server's `KeyShareEntry.key_exchange` in the ServerHello (RFC 8446 section 4.2.8).
    Server,
}

/// Every way a key exchange can fail, one variant per failure class.
///
/// Each variant maps to exactly one TLS alert through [`Error::alert`]. None of them carries secret
/// data, so the `Debug` and `Display` output is safe to log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// A key share does not have the exact length of the negotiated group: checked before anything
    /// else (RFC 10024 section 4.1; draft-ietf-tls-mlkem section 3). For an ML-KEM ciphertext this
    /// is the client's ciphertext length check, which RFC 10024 section 5 says MUST abort with
    /// `illegal_parameter`.
    KeyShareLength {
        /// Whose share was wrong.
        share: ShareKind,
        /// The length the group requires.
        expected: usize,
        /// The length received.
        actual: usize,
    },
    /// The ML-KEM encapsulation key failed the FIPS 203 section 7.2 modulus check (a coefficient is
    /// not below q = 3329). RFC 10024 section 5: the server MUST abort with `illegal_parameter`.
    EncapsulationKeyModulus,
    /// The X25519 shared secret is all zeros: the peer sent a low-order point. RFC 8446 section
    /// 7.4.2 and RFC 7748 section 6.1: the implementation MUST abort.
    X25519ZeroSharedSecret,
    /// An EC public key is not in the uncompressed SEC1 form `0x04 ‖ x ‖ y` that RFC 8446 section
    /// 4.2.8.2 requires (compressed, hybrid or identity encodings).
    EcPointNotUncompressed,
    /// An uncompressed EC public key is not a point on the curve (or a coordinate is not reduced):
    /// RFC 8446 section 4.2.8.2 requires the SP 800-56A full public-key validation.
    EcPointNotOnCurve,
    /// ML-KEM decapsulation failed for a reason other than the checks above. RFC 10024 section 5:
    /// `internal_error`. (FIPS 203 decapsulation itself never fails on a well-sized ciphertext;
    /// this exists for backends that can report errors.)
    Decapsulation,
    /// An ML-KEM decapsulation key in the FIPS 203 expanded form failed the section 7.3 input
    /// check (wrong length, or `H(ek)` does not match the hash it stores, or its `ek` fails the
    /// modulus check). Only the `hazmat` import of an expanded key can produce it.
    DecapsulationKeyCheck,
    /// A deterministic private scalar is outside `[1, n-1]` for its curve (SEC 1 section 3.2.1).
    /// Only the known-answer entry points can produce it.
    InvalidPrivateScalar,
    /// A seed passed to a `_from_seed` entry point of [`crate::NamedGroup`] does not have the
    /// group's seed length (the typed [`crate::Group`] API makes this impossible).
    SeedLength {
        /// The length the group requires.
        expected: usize,
        /// The length received.
        actual: usize,
    },
    /// The operating system's random source failed.
    RandomSource,
    /// A [`crate::Backend`] was requested explicitly that is not compiled in or that this CPU
    /// cannot run. Only the `_on` entry points that name a backend can produce it; the default
    /// entry points always run on a usable backend.
    BackendUnavailable,
    /// An internal length invariant did not hold. Unreachable through the public API (every
    /// length is fixed by the group's types); reported as an error instead of a panic.
    Internal,
}

impl Error {
    /// The TLS alert this failure must cause, per RFC 10024 section 5 and RFC 8446 section 6.2.
    pub const fn alert(&self) -> Alert {
        match self {
            Self::KeyShareLength { .. }
            | Self::EncapsulationKeyModulus
            | Self::X25519ZeroSharedSecret
            | Self::EcPointNotUncompressed
            | Self::EcPointNotOnCurve => Alert::IllegalParameter,
            Self::Decapsulation
            | Self::DecapsulationKeyCheck
            | Self::InvalidPrivateScalar
            | Self::SeedLength { .. }
            | Self::RandomSource
            | Self::BackendUnavailable
            | Self::Internal => Alert::InternalError,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KeyShareLength {
                share,
                expected,
                actual,
            } => {
                let who = match share {
                    ShareKind::Client => "client",
                    ShareKind::Server => "server",
                };
                write!(
                    f,
                    "{who} key share is {actual} bytes, the group requires {expected}"
                )
            }
            Self::EncapsulationKeyModulus => {
                f.write_str("ML-KEM encapsulation key fails the FIPS 203 modulus check")
            }
            Self::X25519ZeroSharedSecret => f.write_str("X25519 shared secret is all zeros"),
            Self::EcPointNotUncompressed => f.write_str("EC point is not in uncompressed form"),
            Self::EcPointNotOnCurve => f.write_str("EC point is not on the curve"),
            Self::Decapsulation => f.write_str("ML-KEM decapsulation failed"),
            Self::DecapsulationKeyCheck => {
                f.write_str("ML-KEM decapsulation key fails the FIPS 203 input check")
            }
            Self::InvalidPrivateScalar => f.write_str("private scalar is out of range"),
            Self::SeedLength { expected, actual } => {
                write!(f, "seed is {actual} bytes, the group requires {expected}")
            }
            Self::RandomSource => f.write_str("random source failed"),
            Self::BackendUnavailable => {
                f.write_str("the requested backend is not compiled in or not supported by this CPU")
            }
            Self::Internal => f.write_str("internal length invariant failed"),
        }?;
        write!(f, " (alert {})", self.alert())
    }
}

/// In `core` (Rust 1.81), so `no_std` code and the `kem` traits (`TryDecapsulate::Error`) take it.
impl core::error::Error for Error {}
