//! The graviola backend: formally verified x86_64 assembly (s2n-bignum, mlkem-native) for
//! ML-KEM-768, X25519, P-256 and P-384.
//!
//! graviola asserts its CPU features at every public entry point and panics without them, and
//! its deterministic `*_internal` ML-KEM functions (the only ones taking explicit randomness,
//! which the known-answer tests need) do not check at all. So every operation here takes the
//! [`GraviolaCpu`] token that only [`cpu`] hands out.

pub(crate) mod ecdh;
pub(crate) mod mlkem;
pub(crate) mod x25519;

use core::sync::atomic::AtomicU8;

use super::Backend;
use super::code::Family;

/// Proof that this CPU has every feature graviola requires.
#[derive(Clone, Copy, Debug)]
pub struct GraviolaCpu {
    _checked: (),
}

/// The graviola family.
pub struct Graviola;

impl Family for Graviola {
    const BACKEND: Backend = Backend::Graviola;
    type Cpu = GraviolaCpu;
    fn cpu() -> Option<GraviolaCpu> {
        cpu()
    }
}

/// Whether this CPU has `feature`, one of graviola's [`Backend::cpu_features`]. ADX counts as present when the
/// crate is built with `VALGRIND_BUG_494162` set, as graviola itself does: valgrind executes
/// ADX instructions but does not report them (valgrind bug 494162).
fn detected(feature: &str) -> bool {
    match feature {
        "aes" => std::is_x86_feature_detected!("aes"),
        "pclmulqdq" => std::is_x86_feature_detected!("pclmulqdq"),
        "bmi1" => std::is_x86_feature_detected!("bmi1"),
        "adx" => {
            std::is_x86_feature_detected!("adx") || option_env!("VALGRIND_BUG_494162").is_some()
        }
        "avx" => std::is_x86_feature_detected!("avx"),
        "avx2" => std::is_x86_feature_detected!("avx2"),
        _ => false,
    }
}

/// The one CPU check for graviola, done once per process.
pub(crate) fn cpu() -> Option<GraviolaCpu> {
    static SUPPORTED: AtomicU8 = AtomicU8::new(0);
    let yes = super::checked_once(&SUPPORTED, || {
        Backend::Graviola
            .cpu_features()
            .iter()
            .all(|feature| detected(feature))
    });
    yes.then_some(GraviolaCpu { _checked: () })
}
