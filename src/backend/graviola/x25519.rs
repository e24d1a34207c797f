//! X25519 on graviola: s2n-bignum's verified `curve25519_x25519` assembly, through graviola's
//! public API (whose entry points clear the SIMD registers on exit).

use graviola::key_agreement::x25519::{PublicKey, StaticPrivateKey};
use subtle::Choice;
use zeroize::ZeroizeOnDrop;

use super::{Graviola, GraviolaCpu};
use crate::backend::code::{Code, ServerStep};
use crate::components::{fixed, write};
use crate::declassify::reject_if;
use crate::error::Error;

/// X25519 key and secret length (RFC 7748 section 5).
const LEN: usize = 32;

/// X25519 on graviola.
pub struct X25519;

/// The private scalar (graviola zeroizes it on drop), the token that lets it be used, and its
/// public u-coordinate.
pub struct Key {
    secret: StaticPrivateKey,
    cpu: GraviolaCpu,
    public: [u8; LEN],
}

impl ZeroizeOnDrop for Key {}

/// X25519(k, u) with the all-zero check of RFC 7748 section 6.1 / RFC 8446 section 7.4.2:
/// graviola compares the whole result with zero in constant time and reports it as an error;
/// the abort decision then goes through [`reject_if`], this crate's one declassification point
/// for such decisions, as on the portable backend.
fn agree(
    _: GraviolaCpu,
    secret: &StaticPrivateKey,
    peer: &[u8],
    out: &mut [u8],
) -> Result<(), Error> {
    let result = secret.diffie_hellman(&PublicKey::from_array(fixed::<LEN>(peer)?));
    reject_if(
        Choice::from(u8::from(result.is_err())),
        Error::X25519ZeroSharedSecret,
    )?;
    let Ok(shared) = result else {
        // Decided above; kept so that no path copies from a rejected result.
        return Err(Error::X25519ZeroSharedSecret);
    };
    // `shared` zeroizes itself on drop.
    write(out, &shared.0)
}

impl Code for X25519 {
    type Family = Graviola;
    type Key = Key;

    fn keygen(cpu: GraviolaCpu, seed: &[u8], share: &mut [u8]) -> Result<Key, Error> {
        let secret = StaticPrivateKey::from_array(fixed::<LEN>(seed)?);
        let public = secret.public_key().as_bytes();
        write(share, &public)?;
        Ok(Key {
            secret,
            cpu,
            public,
        })
    }

    fn respond(cpu: GraviolaCpu, step: ServerStep<'_>) -> Result<(), Error> {
        let own = StaticPrivateKey::from_array(fixed::<LEN>(step.seed)?);
        agree(cpu, &own, step.client_share, step.secret)?;
        write(step.share, &own.public_key().as_bytes())
    }

    fn complete(key: &Key, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
        agree(key.cpu, &key.secret, server_share, secret)
    }

    fn public_share(key: &Key) -> &[u8] {
        &key.public
    }

    #[cfg(feature = "hazmat")]
    fn secret_memory(key: &Key) -> crate::components::KeyMemory<'_> {
        crate::components::KeyMemory::Object(&key.secret)
    }
}
