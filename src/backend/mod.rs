//! Which implementation runs each primitive, and the one place that chooses it.
//!
//! Every component has a portable implementation on the RustCrypto crates (`ml-kem`,
//! `x25519-dalek`, `p256`, `p384`), which is the fallback and the reference of the differential
//! tests, and may have accelerated ones behind features, split the way libcrux-ml-kem splits its
//! portable code from each platform's:
//!
//! | component | [`Backend::Graviola`] (`backend-graviola`) | [`Backend::Libcrux`] (`backend-libcrux`) | [`Backend::AwsLc`] (`backend-aws-lc`) | [`Backend::Portable`] |
//! |---|---|---|---|---|
//! | ML-KEM-512 | - | yes (2nd) | yes (1st) | `ml-kem` |
//! | ML-KEM-768 | yes (1st) | yes (3rd) | yes (2nd) | `ml-kem` |
//! | ML-KEM-1024 | - | yes (2nd) | yes (1st) | `ml-kem` |
//! | X25519 | yes (1st) | - | yes (2nd) | `x25519-dalek` |
//! | P-256 | yes (2nd) | - | yes (1st) | `p256` |
//! | P-384 | yes (2nd) | - | yes (1st) | `p384` |
//!
//! Each component runs the first backend of its preference order (in brackets; the portable
//! reference last) that is compiled in and that this CPU runs ([`selected`] tells which). The
//! order is measured: docs/benchmarks.md gives the figures and the CPU. graviola is x86_64
//! assembly that requires AES-NI, PCLMULQDQ, BMI1, ADX, AVX and AVX2 and panics without them;
//! its code is reachable only with the proof token that the one CPU check of this module hands
//! out (the design of graviola's own `low::x86_64::cpu`). Whatever runs, callers see the same
//! bytes and errors.
//!
//! aws-lc-rs's safe API takes no seed for ML-KEM: key generation draws `d ‖ z` and
//! encapsulation draws `m` from AWS-LC's own DRBG. So it runs ML-KEM key generation and
//! encapsulation only where the randomness is the operating system's (`generate_key_share()`,
//! `encapsulate()`, the rustls adapters, the key-share pool); a seed (`_from_seed`, a caller's
//! generator, the known-answer tests) runs them on the next backend, and
//! `components::Primitive::seeded_backend` says which. Decapsulation, expanded-key import and
//! the EC and X25519 operations from a fixed scalar run on it whatever the randomness. Where
//! the operating system's randomness would do, it draws its EC and X25519 keys itself too.
//! When the build links AWS-LC's FIPS module in FIPS mode ([`Backend::is_fips_module`]), it
//! goes first for every primitive.
//!
//! Layout: [`code`](self) is the contract between a component and one backend's implementation
//! of it; `portable/`, `libcrux/`, `graviola/` and `aws_lc/` hold the implementations, one file
//! per primitive.

#[cfg(backend_aws_lc)]
pub(crate) mod aws_lc;
pub(crate) mod code;
#[cfg(backend_graviola)]
pub(crate) mod graviola;
#[cfg(backend_libcrux)]
pub(crate) mod libcrux;
pub(crate) mod portable;

use core::fmt;
use core::sync::atomic::{AtomicU8, Ordering};

/// An implementation family of the components.
///
/// `#[non_exhaustive]`: a new backend is a new variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// The RustCrypto crates: portable, `no_std`, always compiled; the fallback and the
    /// reference.
    Portable,
    /// `libcrux-ml-kem` (feature `backend-libcrux`): formally verified Rust (hax/F*), with AVX2
    /// (x86_64) or NEON (aarch64) code chosen at run time by libcrux itself. ML-KEM only.
    Libcrux,
    /// `graviola` (feature `backend-graviola`): formally verified assembly (s2n-bignum,
    /// mlkem-native) on x86_64 with the CPU features above. ML-KEM-768, X25519, P-256, P-384.
    Graviola,
    /// `aws-lc-rs` (feature `backend-aws-lc`): AWS-LC, C and assembly (s2n-bignum's verified
    /// P-256, P-384 and X25519, mlkem-native's ML-KEM), AWS-LC's FIPS module when the final
    /// build turns on `aws-lc-rs/fips`. Every primitive; ML-KEM key generation and
    /// encapsulation only with the operating system's randomness (see the module docs).
    AwsLc,
}

impl Backend {
    /// Every backend this crate knows, compiled in or not.
    pub const ALL: &'static [Self] = &[Self::Portable, Self::Libcrux, Self::Graviola, Self::AwsLc];

    /// The backend's short name (`portable`, `libcrux`, `graviola`, `aws-lc`), as the
    /// command-line tool takes and prints it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Portable => "portable",
            Self::Libcrux => "libcrux",
            Self::Graviola => "graviola",
            Self::AwsLc => "aws-lc",
        }
    }

    /// The backend named `name` (ASCII case-insensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|backend| backend.name().eq_ignore_ascii_case(name))
    }

    /// Whether this backend was compiled in: its feature is on (graviola also needs x86_64).
    pub const fn is_compiled(self) -> bool {
        match self {
            Self::Portable => true,
            Self::Libcrux => cfg!(backend_libcrux),
            Self::Graviola => cfg!(backend_graviola),
            Self::AwsLc => cfg!(backend_aws_lc),
        }
    }

    /// Whether this backend is compiled in and this CPU can run it.
    pub fn is_usable(self) -> bool {
        match self {
            Self::Portable => true,
            #[cfg(backend_libcrux)]
            Self::Libcrux => libcrux::cpu().is_some(),
            #[cfg(backend_graviola)]
            Self::Graviola => graviola::cpu().is_some(),
            #[cfg(backend_aws_lc)]
            Self::AwsLc => aws_lc::cpu().is_some(),
            #[allow(unreachable_patterns)] // every backend compiled in
            _ => false,
        }
    }

    /// Whether this backend runs a FIPS 140-3 validated module in FIPS mode: only
    /// [`Backend::AwsLc`], when the final build turned on `aws-lc-rs/fips` (so aws-lc-rs links
    /// AWS-LC's FIPS module instead of AWS-LC) and `aws_lc_rs::try_fips_mode()` succeeds,
    /// asked once per process. Such a backend goes first for every primitive it has. What is
    /// and is not validated: SECURITY.md, "FIPS status".
    pub fn is_fips_module(self) -> bool {
        match self {
            #[cfg(backend_aws_lc)]
            Self::AwsLc => aws_lc::fips_mode(),
            _ => false,
        }
    }

    /// The CPU features this backend checks for before it runs (x86 feature names as
    /// `is_x86_feature_detected!` spells them); empty where it runs everywhere (libcrux picks
    /// its AVX2 or NEON code itself and falls back to its portable code, AWS-LC picks its
    /// assembly with its own CPU detection).
    pub const fn cpu_features(self) -> &'static [&'static str] {
        match self {
            // graviola 0.4's `low::x86_64::cpu::is_cpu_supported`.
            Self::Graviola => &["aes", "pclmulqdq", "bmi1", "adx", "avx", "avx2"],
            Self::Portable | Self::Libcrux | Self::AwsLc => &[],
        }
    }

    /// Why this backend does not run here, or `None` if it does: for reports that must say
    /// what they skipped.
    pub fn unusable_reason(self) -> Option<&'static str> {
        if self.is_usable() {
            None
        } else if !self.is_compiled() {
            Some("not compiled in (its feature is off, or the target is not supported)")
        } else {
            Some("this CPU lacks the instructions it needs")
        }
    }
}

/// A yes-or-no fact about this process that cannot change while it runs (a backend's CPU check,
/// the FIPS mode of a linked module): `check` runs on the first call, later calls read `cell`
/// (a race runs `check` twice, with the same answer).
#[allow(dead_code)] // used by the optional backends only
pub(crate) fn checked_once(cell: &AtomicU8, check: impl FnOnce() -> bool) -> bool {
    // 0: not checked yet.
    const NO: u8 = 1;
    const YES: u8 = 2;
    match cell.load(Ordering::Relaxed) {
        NO => false,
        YES => true,
        _ => {
            let yes = check();
            cell.store(if yes { YES } else { NO }, Ordering::Relaxed);
            yes
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The backend each primitive runs on here, in the order of the component table
/// (`ML-KEM-512`, `ML-KEM-768`, `ML-KEM-1024`, `X25519`, `P-256`, `P-384`): what the
/// command-line tool and the known-answer report print, so that every figure says what ran.
pub fn selected() -> impl Iterator<Item = (&'static str, Backend)> {
    use crate::components::{Primitive, PrimitiveVisitor, table};
    /// The name and the backend of one primitive.
    #[derive(Clone)]
    struct Selected;
    impl PrimitiveVisitor for Selected {
        type Output = (&'static str, Backend);
        fn visit<P: Primitive>(self) -> Self::Output {
            (P::NAME, P::backend())
        }
    }
    table::for_each(Selected)
}
