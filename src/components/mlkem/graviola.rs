//! The graviola backend for ML-KEM-768 (graviola has no ML-KEM-1024): formally verified
//! assembly (s2n-bignum / mlkem-native) on x86_64.
//!
//! graviola asserts its CPU features at every public entry point and panics without them, and
//! its deterministic `*_internal` functions (the only ones taking explicit randomness, which the
//! known-answer tests need) do not check at all. So every function here takes the
//! [`GraviolaCpu`] token that only the CPU check hands out. After each `*_internal` call,
//! [`scrub`] runs one of graviola's public secret entry points, whose exit clears the SIMD
//! registers (`vzeroall`) as graviola's own public ML-KEM functions do.

use graviola::key_agreement::mlkem768::{Ciphertext, DecapKey, EncapKey, Message};
use graviola::key_agreement::x25519::StaticPrivateKey;
#[cfg(feature = "hazmat")]
use zeroize::Zeroize;

use super::SHARED_KEY_LEN;
use crate::backend::GraviolaCpu;
use crate::components::{fixed, fixed_mut};
use crate::error::Error;

/// Runs a graviola public secret entry point with a dummy key: its exit clears the SIMD
/// registers, which the `*_internal` functions skip.
fn scrub(_: GraviolaCpu) {
    drop(StaticPrivateKey::from_array(&[0u8; 32]));
}

/// A graviola decapsulation key. With the `hazmat` feature it also keeps the seed it was
/// generated from, only so that the key can be cloned by regenerating it (graviola's `DecapKey`
/// is not `Clone`); without it no seed outlives key generation. graviola zeroizes the key's
/// secret parts on drop; the seed, when kept, is zeroized here.
pub(super) struct Key768 {
    dk: DecapKey,
    #[cfg(feature = "hazmat")]
    seed: [u8; 64],
    cpu: GraviolaCpu,
}

#[cfg(feature = "hazmat")]
impl Drop for Key768 {
    fn drop(&mut self) {
        self.seed.zeroize();
    }
}

#[cfg(feature = "hazmat")]
impl Clone for Key768 {
    fn clone(&self) -> Self {
        let dk = DecapKey::keygen_internal(&self.seed);
        scrub(self.cpu);
        Self {
            dk,
            seed: self.seed,
            cpu: self.cpu,
        }
    }
}

/// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1.
pub(super) fn keygen_768(cpu: GraviolaCpu, seed: &[u8], share: &mut [u8]) -> Result<Key768, Error> {
    let seed = fixed::<64>(seed)?;
    let key = Key768 {
        dk: DecapKey::keygen_internal(seed),
        #[cfg(feature = "hazmat")]
        seed: *seed,
        cpu,
    };
    let written = fixed_mut::<1184>(share).map(|out| {
        out.copy_from_slice(&key.dk.encapsulation_key().as_bytes());
    });
    scrub(cpu);
    written.map(|()| key)
}

/// The FIPS 203 section 7.2 modulus check (`EncapKey::from_bytes`), then
/// ML-KEM.Encaps_internal(ek, m), FIPS 203 section 6.2.
pub(super) fn encaps_768(
    cpu: GraviolaCpu,
    seed: &[u8],
    client_share: &[u8],
    share: &mut [u8],
    secret: &mut [u8],
) -> Result<(), Error> {
    let ek = EncapKey::from_bytes(fixed::<1184>(client_share)?)
        .map_err(|_| Error::EncapsulationKeyModulus)?;
    // `Message` and graviola's `SharedSecret` zeroize themselves on drop.
    let (k, ct) = ek.encaps_internal(Message(*fixed::<32>(seed)?));
    scrub(cpu);
    fixed_mut::<SHARED_KEY_LEN>(secret)?.copy_from_slice(k.as_ref());
    fixed_mut::<1088>(share)?.copy_from_slice(ct.as_ref());
    Ok(())
}

/// ML-KEM.Decaps_internal(dk, c), FIPS 203 section 6.3, with implicit rejection.
pub(super) fn decaps_768(
    key: &Key768,
    server_share: &[u8],
    secret: &mut [u8],
) -> Result<(), Error> {
    let ct = Ciphertext::from(*fixed::<1088>(server_share)?);
    let k = key.dk.decaps_internal(&ct);
    scrub(key.cpu);
    fixed_mut::<SHARED_KEY_LEN>(secret)?.copy_from_slice(k.as_ref());
    Ok(())
}

/// The expanded key bytes `dkPKE ‖ ek ‖ H(ek) ‖ z` (FIPS 203 section 7.1), for key export in
/// known-answer tests (feature `hazmat`); the caller zeroizes them.
#[cfg(feature = "hazmat")]
pub(super) fn expanded_768(key: &Key768) -> [u8; 2400] {
    key.dk.as_bytes()
}
