//! The portable backend: the RustCrypto crates (`ml-kem`, `x25519-dalek`, `p256`, `p384`),
//! `no_std`, no heap, no assembly; always compiled, the fallback and the reference.

pub(crate) mod ecdh;
pub(crate) mod mlkem;
pub(crate) mod x25519;

use super::Backend;
use super::code::Family;

/// The portable family: runs on every CPU.
pub struct Portable;

impl Family for Portable {
    const BACKEND: Backend = Backend::Portable;
    type Cpu = ();
    fn cpu() -> Option<()> {
        Some(())
    }
}
