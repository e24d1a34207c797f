//! The graviola backend for X25519: s2n-bignum's verified `curve25519_x25519` assembly, through
//! graviola's public API (whose entry points clear the SIMD registers on exit). Every function
//! takes the [`GraviolaCpu`] token that only the CPU check hands out.

use graviola::key_agreement::x25519::{PublicKey, StaticPrivateKey};

use super::LEN;
use crate::backend::GraviolaCpu;
use crate::components::fixed_mut;
use crate::error::Error;

/// The private scalar (graviola zeroizes it on drop), kept with the CPU token that lets it be
/// used, and its public u-coordinate.
pub(super) fn keygen(
    cpu: GraviolaCpu,
    seed: &[u8; LEN],
) -> ((GraviolaCpu, StaticPrivateKey), [u8; LEN]) {
    let secret = StaticPrivateKey::from_array(seed);
    let public = secret.public_key().as_bytes();
    ((cpu, secret), public)
}

/// X25519(k, u) with the all-zero check (graviola's, over the whole result, in constant time;
/// only the abort decision branches).
pub(super) fn agree(
    _: GraviolaCpu,
    secret: &StaticPrivateKey,
    peer: &[u8; LEN],
    out: &mut [u8],
) -> Result<(), Error> {
    let shared = secret
        .diffie_hellman(&PublicKey::from_array(peer))
        .map_err(|_| Error::X25519ZeroSharedSecret)?;
    // `shared` zeroizes itself on drop.
    fixed_mut::<LEN>(out)?.copy_from_slice(&shared.0);
    Ok(())
}
