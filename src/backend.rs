//! Which implementation runs each primitive.
//!
//! Every component has a portable implementation on the RustCrypto crates (`ml-kem`,
//! `x25519-dalek`, `p256`, `p384`), which is the fallback and the reference of the differential
//! tests, and may have accelerated ones behind features (the split libcrux-ml-kem makes between
//! its portable code and each platform's):
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
//! Each component runs the first [usable](Backend::is_usable) backend of graviola, libcrux,
//! portable that implements it. graviola is x86_64 assembly that requires AES-NI, PCLMULQDQ,
//! BMI1, ADX, AVX and AVX2 and panics without them; the only way to reach it is through the
//! proof token [`GraviolaCpu`](crate::backend), returned by the one CPU check of this crate (the
//! design of graviola's own `low::x86_64::cpu`). Whatever runs, callers see the same bytes and
//! errors.

use core::fmt;

/// An implementation family of the components.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// Every backend, in the order of preference (most preferred last).
    pub const ALL: [Self; 3] = [Self::Portable, Self::Libcrux, Self::Graviola];

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
            .into_iter()
            .find(|backend| backend.name().eq_ignore_ascii_case(name))
    }

    /// Whether this backend was compiled in: its feature is on (graviola also needs x86_64).
    pub const fn is_compiled(self) -> bool {
        match self {
            Self::Portable => true,
            Self::Libcrux => cfg!(feature = "backend-libcrux"),
            Self::Graviola => cfg!(all(feature = "backend-graviola", target_arch = "x86_64")),
        }
    }

    /// Whether this backend is compiled in and this CPU can run it.
    pub fn is_usable(self) -> bool {
        match self {
            Self::Portable | Self::Libcrux => self.is_compiled(),
            Self::Graviola => graviola_cpu().is_some(),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Proof that this CPU has every feature graviola requires: the only way to call its entry
/// points, so that no code path reaches graviola's assembly without the check.
#[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
#[derive(Clone, Copy, Debug)]
pub(crate) struct GraviolaCpu {
    _checked: (),
}

/// The one CPU check for graviola, done once per process.
#[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
pub(crate) fn graviola_cpu() -> Option<GraviolaCpu> {
    use core::sync::atomic::{AtomicU8, Ordering};
    static SUPPORTED: AtomicU8 = AtomicU8::new(0); // 0 unknown, 1 no, 2 yes
    let yes = match SUPPORTED.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            // graviola 0.4's `low::x86_64::cpu::is_cpu_supported`: AES-NI, PCLMULQDQ, BMI1,
            // ADX, AVX and AVX2 (ADX is skipped when graviola is built with
            // `VALGRIND_BUG_494162` set, for valgrind; so is it here).
            let yes = std::is_x86_feature_detected!("aes")
                && std::is_x86_feature_detected!("pclmulqdq")
                && std::is_x86_feature_detected!("bmi1")
                && (std::is_x86_feature_detected!("adx")
                    || option_env!("VALGRIND_BUG_494162").is_some())
                && std::is_x86_feature_detected!("avx")
                && std::is_x86_feature_detected!("avx2");
            SUPPORTED.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
            yes
        }
    };
    yes.then_some(GraviolaCpu { _checked: () })
}

/// Without graviola compiled in, no CPU can run it.
#[cfg(not(all(feature = "backend-graviola", target_arch = "x86_64")))]
pub(crate) fn graviola_cpu() -> Option<core::convert::Infallible> {
    None
}

/// What a component runs on for a request to run on `requested`: the requested backend if the
/// component has it, else the portable one (so that "everything on libcrux" runs ML-KEM on
/// libcrux and X25519 on the reference). [`Error::BackendUnavailable`](crate::Error) when the
/// requested backend is not usable here.
pub(crate) fn resolve(
    requested: Backend,
    implemented: &[Backend],
) -> Result<Backend, crate::Error> {
    if !requested.is_usable() {
        return Err(crate::Error::BackendUnavailable);
    }
    Ok(if implemented.contains(&requested) {
        requested
    } else {
        Backend::Portable
    })
}

/// The backend a component with `implemented` backends runs by default: the most preferred
/// usable one.
pub(crate) fn preferred(implemented: &[Backend]) -> Backend {
    Backend::ALL
        .into_iter()
        .rev()
        .find(|backend| implemented.contains(backend) && backend.is_usable())
        .unwrap_or(Backend::Portable)
}

/// The backend each component runs on here, by component (`ML-KEM-768`, `X25519`, ...): what
/// the command-line tool and the known-answer report print, so that every figure says what ran.
pub fn selected() -> [(&'static str, Backend); 6] {
    use crate::components::ecdh_nist::{P256, P384};
    use crate::components::mlkem::{MlKem512, MlKem768, MlKem1024};
    use crate::components::x25519::X25519;
    [
        ("ML-KEM-512", MlKem512::backend()),
        ("ML-KEM-768", MlKem768::backend()),
        ("ML-KEM-1024", MlKem1024::backend()),
        ("X25519", X25519::backend()),
        ("P-256", P256::backend()),
        ("P-384", P384::backend()),
    ]
}
