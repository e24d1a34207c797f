//! X25519 (RFC 7748) on `x25519-dalek`.

use subtle::ConstantTimeEq;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::ZeroizeOnDrop;

use super::Portable;
use crate::backend::code::{Code, ServerStep};
use crate::components::{fixed, write};
use crate::declassify::reject_if;
use crate::error::Error;

/// X25519 key and secret length (RFC 7748 section 5).
const LEN: usize = 32;

/// X25519 on `x25519-dalek`.
pub struct X25519;

/// The private scalar (zeroized on drop by `x25519-dalek`'s `zeroize` feature) and its public
/// u-coordinate.
pub struct Key {
    secret: StaticSecret,
    public: [u8; LEN],
}

impl ZeroizeOnDrop for Key {}

/// X25519(k, u) with the all-zero check of RFC 7748 section 6.1 / RFC 8446 section 7.4.2, done
/// in constant time; the only branch is on the abort decision, which the peer learns anyway.
fn agree(secret: &StaticSecret, peer: &[u8], out: &mut [u8]) -> Result<(), Error> {
    let shared = secret.diffie_hellman(&PublicKey::from(*fixed::<LEN>(peer)?));
    reject_if(
        shared.as_bytes().ct_eq(&[0u8; LEN]),
        Error::X25519ZeroSharedSecret,
    )?;
    write(out, shared.as_bytes())
}

impl Code for X25519 {
    type Family = Portable;
    type Key = Key;

    /// The 32-byte scalar `k` of RFC 7748 section 5 (clamped by X25519 itself) and its public
    /// u-coordinate X25519(k, 9).
    fn keygen(_: (), seed: &[u8], share: &mut [u8]) -> Result<Key, Error> {
        let secret = StaticSecret::from(*fixed::<LEN>(seed)?);
        let public = PublicKey::from(&secret).to_bytes();
        write(share, &public)?;
        Ok(Key { secret, public })
    }

    /// The server's own ephemeral key pair and the shared secret.
    fn respond(_: (), step: ServerStep<'_>) -> Result<(), Error> {
        let own = StaticSecret::from(*fixed::<LEN>(step.seed)?);
        agree(&own, step.client_share, step.secret)?;
        write(step.share, PublicKey::from(&own).as_bytes())
    }

    fn complete(key: &Key, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
        agree(&key.secret, server_share, secret)
    }

    fn public_share(key: &Key) -> &[u8] {
        &key.public
    }

    #[cfg(feature = "hazmat")]
    fn secret_memory(key: &Key) -> crate::components::KeyMemory<'_> {
        crate::components::KeyMemory::Object(&key.secret)
    }
}
