//! ECDHE on P-256 and P-384 on graviola (s2n-bignum's verified field arithmetic), the same
//! validation in the same order as the portable code, the same bytes and errors.

use core::marker::PhantomData;

use zeroize::ZeroizeOnDrop;

use super::{Graviola, GraviolaCpu};
use crate::backend::code::{Code, ServerStep};
use crate::backend::portable::ecdh::UNCOMPRESSED_TAG;
use crate::components::write;
use crate::error::Error;

/// What the generic code needs of one of graviola's curves.
pub trait Curve: 'static {
    /// The private scalar (graviola zeroizes it on drop).
    type Secret: Send + Sync + 'static;
    /// A validated peer point.
    type Public;
    /// A private key from a big-endian scalar in `[1, n-1]`.
    fn secret_key(scalar: &[u8]) -> Option<Self::Secret>;
    /// The uncompressed public point `0x04 ‖ X ‖ Y`, written to `out`.
    fn public_point(secret: &Self::Secret, out: &mut [u8]) -> Result<(), Error>;
    /// An uncompressed point, both coordinates reduced and the point on the curve.
    fn peer_point(share: &[u8]) -> Option<Self::Public>;
    /// The x-coordinate of `secret · peer`, written to `out`; `None` when graviola reports a
    /// product off the curve (a fault).
    fn agree(
        secret: &Self::Secret,
        peer: &Self::Public,
        out: &mut [u8],
    ) -> Option<Result<(), Error>>;
}

/// ECDHE on graviola's curve `C`.
pub struct Ecdh<C>(PhantomData<C>);

/// The private scalar, the token that lets it be used, and its uncompressed public point (at
/// most P-384's 97 bytes).
pub struct Key<C: Curve> {
    secret: C::Secret,
    cpu: GraviolaCpu,
    public: [u8; 97],
    public_len: usize,
}

impl<C: Curve> ZeroizeOnDrop for Key<C> {}

impl<C: Curve> Ecdh<C> {
    /// graviola's private key from a big-endian scalar in `[1, n-1]` (its range check is the
    /// same declassification point as the portable code's). Out of line so that the
    /// constant-time harness can name it as a caller.
    #[inline(never)]
    fn secret_key(_: GraviolaCpu, seed: &[u8]) -> Result<C::Secret, Error> {
        C::secret_key(seed).ok_or(Error::InvalidPrivateScalar)
    }

    /// Peer public-key validation as on the portable backend: the tag first, then graviola's
    /// check that both coordinates are reduced and the point is on the curve.
    fn peer_point(_: GraviolaCpu, share: &[u8]) -> Result<C::Public, Error> {
        if share.first() != Some(&UNCOMPRESSED_TAG) {
            return Err(Error::EcPointNotUncompressed);
        }
        C::peer_point(share).ok_or(Error::EcPointNotOnCurve)
    }

    /// ECDH (RFC 8446 section 7.4.2); a fault graviola detects is an internal error.
    fn agree(
        _: GraviolaCpu,
        secret: &C::Secret,
        peer: &C::Public,
        out: &mut [u8],
    ) -> Result<(), Error> {
        C::agree(secret, peer, out).unwrap_or(Err(Error::Internal))
    }
}

impl<C: Curve> Code for Ecdh<C> {
    type Family = Graviola;
    type Key = Key<C>;

    fn keygen(cpu: GraviolaCpu, seed: &[u8], share: &mut [u8]) -> Result<Key<C>, Error> {
        let secret = Self::secret_key(cpu, seed)?;
        let mut key = Key {
            secret,
            cpu,
            public: [0; 97],
            public_len: share.len(),
        };
        let public = key.public.get_mut(..share.len()).ok_or(Error::Internal)?;
        C::public_point(&key.secret, public)?;
        share.copy_from_slice(public);
        Ok(key)
    }

    fn respond(cpu: GraviolaCpu, step: ServerStep<'_>) -> Result<(), Error> {
        let peer = Self::peer_point(cpu, step.client_share)?;
        let own = Self::secret_key(cpu, step.seed)?;
        Self::agree(cpu, &own, &peer, step.secret)?;
        C::public_point(&own, step.share)
    }

    fn complete(key: &Key<C>, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
        let peer = Self::peer_point(key.cpu, server_share)?;
        Self::agree(key.cpu, &key.secret, &peer, secret)
    }

    fn public_share(key: &Key<C>) -> &[u8] {
        &key.public[..key.public_len]
    }

    #[cfg(feature = "hazmat")]
    fn secret_memory(key: &Key<C>) -> crate::components::KeyMemory<'_> {
        crate::components::KeyMemory::Object(&key.secret)
    }
}

/// Implements [`Curve`] for graviola's `p256` and `p384` modules. A macro because graviola
/// gives its curves the same API in two modules, with no trait of its own to be generic over.
macro_rules! graviola_curve {
    ($($name:ident: $curve:ident;)*) => {$(
        /// graviola's curve of the same name.
        pub struct $name;

        impl Curve for $name {
            type Secret = graviola::key_agreement::$curve::StaticPrivateKey;
            type Public = graviola::key_agreement::$curve::PublicKey;

            fn secret_key(scalar: &[u8]) -> Option<Self::Secret> {
                Self::Secret::from_bytes(scalar).ok()
            }

            fn public_point(secret: &Self::Secret, out: &mut [u8]) -> Result<(), Error> {
                write(out, &secret.public_key_uncompressed())
            }

            fn peer_point(share: &[u8]) -> Option<Self::Public> {
                Self::Public::from_x962_uncompressed(share).ok()
            }

            fn agree(secret: &Self::Secret, peer: &Self::Public, out: &mut [u8]) -> Option<Result<(), Error>> {
                // `SharedSecret` zeroizes itself on drop.
                let shared = secret.diffie_hellman(peer).ok()?;
                Some(write(out, &shared.0))
            }
        }
    )*};
}

graviola_curve! {
    P256: p256;
    P384: p384;
}
