//! The libcrux backend: `libcrux-ml-kem`, formally verified (hax/F*), which picks its AVX2
//! (x86_64) or NEON (aarch64) code at run time itself and falls back to its portable code.

pub(crate) mod mlkem;

use super::Backend;
use super::code::Family;

/// The libcrux family: runs on every CPU (libcrux checks the CPU itself).
pub struct Libcrux;

impl Family for Libcrux {
    const BACKEND: Backend = Backend::Libcrux;
    type Cpu = ();
    fn cpu() -> Option<()> {
        Some(())
    }
}

/// Whether libcrux runs here (always, once compiled in).
pub(crate) fn cpu() -> Option<()> {
    Libcrux::cpu()
}
