//! Stack scrubbing (feature `scrub-stack`, off by default): after a key-exchange operation
//! returns, overwrite the stack it used with zeros.
//!
//! Why: Rust moves are byte copies and a returned-from frame is never wiped, so the seed, the
//! expanded ML-KEM key, EC scalars and the shared secret stay in stack memory below the caller
//! after every operation, in this crate's frames and in the backends' (graviola, libcrux,
//! RustCrypto) alike. `ZeroizeOnDrop` wipes only a value's final place
//! (`tests-fork/tests/stack_residue.rs` counts the places left without this feature; the figures
//! are in docs/verification.md).
//!
//! How: every public operation ([`Group`](crate::Group), [`ClientState`](crate::ClientState),
//! [`NamedGroup`](crate::NamedGroup), [`AnyClientState`](crate::AnyClientState) and the rustls
//! adapter) runs its work one call deeper and then calls a function whose frame is a zeroed
//! array as large as the deepest stack that kind of operation was measured to use (the
//! constants below, with a margin), like libsodium's `sodium_stackzero`. Only the outermost
//! public layer scrubs, so an operation scrubs once. The public functions are
//! `#[inline(always)]` shims around that, so the temporary that carries the result out lives
//! in the caller's frame (as the result itself does), not in a frame of ours above the zeroed
//! region. The zeroing is a plain store kept alive by
//! [`core::hint::black_box`] (an optimisation barrier, best effort by its documentation), and
//! `tests-fork/tests/stack_residue.rs` checks the result by reading the stack back.
//!
//! What it cannot do: wipe the caller's own copies (the value an operation returns, a state the
//! caller moves), the registers, or a stack deeper than the constants (an operation that went
//! deeper would leave secrets below them, which the test reports). Cost: the time to zero the
//! bytes; `cargo bench --bench kx -- scrub-cost` sets the public API beside the same work
//! unscrubbed (figures in docs/verification.md).

/// Stack zeroed after a client key generation (bytes): the deepest measured, X25519MLKEM768 on
/// graviola from [`NamedGroup`](crate::NamedGroup), was 158,135 bytes.
pub(crate) const KEY_GENERATION: usize = 192 * 1024;
/// Stack zeroed after a server encapsulation (bytes): the deepest measured, ML-KEM-1024 groups,
/// was 52,639 bytes.
pub(crate) const ENCAPSULATION: usize = 80 * 1024;
/// Stack zeroed after a client completion (bytes): the deepest measured, ML-KEM-1024 groups on
/// libcrux, was 76,407 bytes.
pub(crate) const COMPLETION: usize = 112 * 1024;

/// Runs `op` one call deeper, then zeroes `BYTES` of stack below this frame (with the feature
/// `scrub-stack`; otherwise just runs `op`).
#[inline(always)]
pub(crate) fn scrubbed<const BYTES: usize, T>(op: impl FnOnce() -> T) -> T {
    #[cfg(feature = "scrub-stack")]
    {
        let result = below(op);
        zero_stack::<BYTES>();
        result
    }
    #[cfg(not(feature = "scrub-stack"))]
    {
        op()
    }
}

/// A frame between the caller and `op`, so that `op`'s frames lie in what is zeroed next.
#[cfg(feature = "scrub-stack")]
#[inline(never)]
fn below<T>(op: impl FnOnce() -> T) -> T {
    op()
}

/// A frame of `BYTES` zeros, kept by an optimisation barrier.
#[cfg(feature = "scrub-stack")]
#[inline(never)]
fn zero_stack<const BYTES: usize>() {
    let mut area = [0u8; BYTES];
    core::hint::black_box(&mut area);
}
