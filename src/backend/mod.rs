//! Which implementation runs each primitive, and the one place that chooses it.
//!
//! Every component has a portable implementation on the RustCrypto crates (`ml-kem`,
//! `x25519-dalek`, `p256`, `p384`), which is the fallback and the reference of the differential
//! tests, and may have accelerated ones behind features, split the way libcrux-ml-kem splits its
//! portable code from each platform's:
//!
//! | component | [`Backend::Graviola`] (`backend-graviola`) | [`Backend::Libcrux`] (`backend-libcrux`) | [`Backend::Portable`] |
//! |---|---|---|---|
//! | ML-KEM-512 | - | yes | `ml-kem` |
//! | ML-KEM-768 | yes | yes | `ml-kem` |
//! | ML-KEM-1024 | - | yes | `ml-kem` |
//! | X25519 | yes | - | `x25519-dalek` |
//! | P-256 | yes | - | `p256` |
//! | P-384 | yes | - | `p384` |
//!
//! Each component runs the first backend of its preference order that is compiled in and that
//! this CPU runs ([`selected`] tells which). graviola is x86_64 assembly that requires AES-NI,
//! PCLMULQDQ, BMI1, ADX, AVX and AVX2 and panics without them; its code is reachable only with
//! the proof token that the one CPU check of this module hands out (the design of graviola's own
//! `low::x86_64::cpu`). Whatever runs, callers see the same bytes and errors.
//!
//! Layout: [`code`](self) is the contract between a component and one backend's implementation
//! of it; `portable/`, `libcrux/` and `graviola/` hold the implementations, one file per
//! primitive.

pub(crate) mod code;
#[cfg(backend_graviola)]
pub(crate) mod graviola;
#[cfg(backend_libcrux)]
pub(crate) mod libcrux;
pub(crate) mod portable;

use core::fmt;

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
}

impl Backend {
    /// Every backend this crate knows, compiled in or not.
    pub const ALL: &'static [Self] = &[Self::Portable, Self::Libcrux, Self::Graviola];

    /// The backend's short name (`portable`, `libcrux`, `graviola`), as the command-line tool
    /// takes and prints it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Portable => "portable",
            Self::Libcrux => "libcrux",
            Self::Graviola => "graviola",
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
            #[allow(unreachable_patterns)] // every backend compiled in
            _ => false,
        }
    }

    /// The CPU features this backend checks for before it runs (x86 feature names as
    /// `is_x86_feature_detected!` spells them); empty where it runs everywhere (libcrux picks
    /// its AVX2 or NEON code itself and falls back to its portable code).
    pub const fn cpu_features(self) -> &'static [&'static str] {
        match self {
            // graviola 0.4's `low::x86_64::cpu::is_cpu_supported`.
            Self::Graviola => &["aes", "pclmulqdq", "bmi1", "adx", "avx", "avx2"],
            Self::Portable | Self::Libcrux => &[],
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
