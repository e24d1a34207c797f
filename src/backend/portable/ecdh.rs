//! ECDHE on the NIST curves (RFC 8446 sections 4.2.8.2 and 7.4.2) on RustCrypto `p256` and
//! `p384`: one implementation, generic over the curve.
//!
//! Shares are uncompressed SEC1 points `0x04 ‖ X ‖ Y` (the only form RFC 8446 section 4.2.8.2
//! allows); the secret is the x-coordinate of the product point (RFC 8446 section 7.4.2).

use core::marker::PhantomData;

use ec::point::AffineCoordinates;
use ec::sec1::{FromSec1Point, ModulusSize, ToSec1Point, UncompressedPoint};
use ec::{
    AffinePoint, CurveArithmetic, FieldBytes, FieldBytesSize, NonZeroScalar, PublicKey, SecretKey,
};
use p256::elliptic_curve as ec;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::Portable;
use crate::backend::code::{Code, ServerStep};
use crate::components::write;
use crate::declassify::reject_if;
use crate::error::Error;

/// The SEC1 tag byte of an uncompressed point (SEC 1 section 2.3.3).
pub(crate) const UNCOMPRESSED_TAG: u8 = 0x04;

/// ECDHE on curve `C` (`p256::NistP256`, `p384::NistP384`).
pub struct Ecdh<C>(PhantomData<C>);

/// The private scalar (zeroized on drop by `elliptic-curve`) and its uncompressed public point.
pub struct Key<C: CurveArithmetic>
where
    FieldBytesSize<C>: ModulusSize,
{
    secret: SecretKey<C>,
    public: UncompressedPoint<C>,
}

impl<C: CurveArithmetic> ZeroizeOnDrop for Key<C> where FieldBytesSize<C>: ModulusSize {}

impl<C> Ecdh<C>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    /// A private key from a big-endian scalar in `[1, n-1]` (SEC 1 section 3.2.1).
    ///
    /// The range check is constant time (`NonZeroScalar::from_repr` gives a `CtOption`); its
    /// one public bit, whether the candidate is in range (the random path draws again, FIPS
    /// 186-5 appendix A.2.2; a rejected candidate is never used), is declassified only by
    /// [`reject_if`]. The key is then selected without a branch. Out of line so that the
    /// constant-time harness can name it as a caller.
    #[inline(never)]
    fn secret_key(seed: &[u8]) -> Result<SecretKey<C>, Error> {
        let mut bytes = Zeroizing::new(FieldBytes::<C>::default());
        write(&mut bytes, seed)?;
        let scalar = NonZeroScalar::<C>::from_repr(*bytes);
        reject_if(!scalar.is_some(), Error::InvalidPrivateScalar)?;
        // A fixed valid scalar for `unwrap_or`'s constant-time select (never chosen once the
        // candidate passed).
        let one = Option::from(NonZeroScalar::<C>::new(<C::Scalar as ec::ff::Field>::ONE))
            .ok_or(Error::Internal)?;
        Ok(SecretKey::from(scalar.unwrap_or(one)))
    }

    /// The uncompressed public point of `secret` (a constant-time multiplication of the base
    /// point), encoded as SEC1 `0x04 ‖ X ‖ Y` (SEC 1 section 2.3.3) without a branch: the point
    /// is never the identity (the scalar is non-zero and the group has prime order), so the tag
    /// is a constant and the coordinates are copied from their constant-time big-endian forms.
    /// (The crates' own SEC1 encoder branches on the point's form.)
    fn public_point(secret: &SecretKey<C>) -> Result<UncompressedPoint<C>, Error> {
        let public = secret.public_key();
        let affine = public.as_affine();
        let mut encoded = UncompressedPoint::<C>::default();
        let (tag, coordinates) = encoded.split_at_mut(1);
        let (x, y) = coordinates.split_at_mut(coordinates.len() / 2);
        tag[0] = UNCOMPRESSED_TAG;
        write(x, &affine.x())?;
        write(y, &affine.y())?;
        Ok(encoded)
    }

    /// Peer public-key validation (RFC 8446 section 4.2.8.2, SP 800-56A section 5.6.2.3.4):
    /// uncompressed form only, coordinates reduced, point on the curve and not the identity.
    fn peer_point(share: &[u8]) -> Result<PublicKey<C>, Error> {
        if share.first() != Some(&UNCOMPRESSED_TAG) {
            return Err(Error::EcPointNotUncompressed);
        }
        PublicKey::<C>::from_sec1_bytes(share).map_err(|_| Error::EcPointNotOnCurve)
    }

    /// ECDH: the x-coordinate of `secret · peer` (RFC 8446 section 7.4.2). The product cannot
    /// be the identity: the curve has prime order and the scalar is non-zero.
    fn agree(secret: &SecretKey<C>, peer: &PublicKey<C>, out: &mut [u8]) -> Result<(), Error> {
        let shared = secret.diffie_hellman(peer);
        write(out, shared.raw_secret_bytes())
    }
}

impl<C> Code for Ecdh<C>
where
    C: CurveArithmetic,
    FieldBytesSize<C>: ModulusSize,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
{
    type Family = Portable;
    type Key = Key<C>;

    /// The big-endian private scalar and its public point.
    fn keygen(_: (), seed: &[u8], share: &mut [u8]) -> Result<Key<C>, Error> {
        let secret = Self::secret_key(seed)?;
        let public = Self::public_point(&secret)?;
        write(share, &public)?;
        Ok(Key { secret, public })
    }

    /// The peer's point is validated first, then the server's scalar.
    fn respond(_: (), step: ServerStep<'_>) -> Result<(), Error> {
        let peer = Self::peer_point(step.client_share)?;
        let own = Self::secret_key(step.seed)?;
        Self::agree(&own, &peer, step.secret)?;
        write(step.share, &Self::public_point(&own)?)
    }

    fn complete(key: &Key<C>, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
        let peer = Self::peer_point(server_share)?;
        Self::agree(&key.secret, &peer, secret)
    }

    fn public_share(key: &Key<C>) -> &[u8] {
        &key.public
    }

    #[cfg(feature = "hazmat")]
    fn secret_memory(key: &Key<C>) -> crate::components::KeyMemory<'_> {
        crate::components::KeyMemory::Object(&key.secret)
    }
}
