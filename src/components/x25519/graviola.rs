//! The graviola backend for X25519: s2n-bignum's verified `curve25519_x25519` assembly, through
//! graviola's public API (whose entry points clear the SIMD registers on exit). Every function
//! takes the [`GraviolaCpu`] token that only the CPU check hands out.

use graviola::key_agreement::x25519::{PublicKey, StaticPrivateKey};
use subtle::Choice;

use super::LEN;
use crate::backend::GraviolaCpu;
use crate::components::fixed_mut;
use crate::declassify::reject_if;
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

/// X25519(k, u) with the all-zero check of RFC 7748 section 6.1 / RFC 8446 section 7.4.2:
/// graviola compares the whole result with zero in constant time and reports it as an error;
/// the abort decision then goes through [`reject_if`], this crate's one declassification point
/// for such decisions, as on the portable backend.
pub(super) fn agree(
    _: GraviolaCpu,
    secret: &StaticPrivateKey,
    peer: &[u8; LEN],
    out: &mut [u8],
) -> Result<(), Error> {
    let result = secret.diffie_hellman(&PublicKey::from_array(peer));
    reject_if(
        Choice::from(u8::from(result.is_err())),
        Error::X25519ZeroSharedSecret,
    )?;
    let Ok(shared) = result else {
        // Decided above; kept so that no path copies from a rejected result.
        return Err(Error::X25519ZeroSharedSecret);
    };
    // `shared` zeroizes itself on drop.
    fixed_mut::<LEN>(out)?.copy_from_slice(&shared.0);
    Ok(())
}
