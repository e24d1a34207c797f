//! The one `Code` for aws-lc-rs's `agreement` module, which runs X25519, P-256 and P-384 alike:
//! what differs per primitive (peer-share checks, what a refusal means) is its [`Curve`], in
//! `x25519.rs` and `ecdh.rs`.

use core::marker::PhantomData;

use aws_lc_rs::agreement::{self, ParsedPublicKey, PrivateKey};
use zeroize::ZeroizeOnDrop;

use super::AwsLc;
use crate::backend::code::{Code, ServerStep};
use crate::components::write;
use crate::error::Error;

/// The longest public share of the three (a P-384 uncompressed point).
const MAX_SHARE: usize = 97;

/// What one of aws-lc-rs's agreement algorithms needs beyond the shared code.
pub trait Curve: 'static {
    /// The aws-lc-rs algorithm.
    const ALGORITHM: &'static agreement::Algorithm;
    /// The error for a fixed scalar aws-lc-rs refuses.
    const SCALAR_REJECTED: Error;
    /// The peer's share, checked as RFC 8446 requires where aws-lc-rs accepts more, and parsed.
    ///
    /// # Errors
    ///
    /// The share's defect, as the other backends report it.
    fn peer(share: &[u8]) -> Result<ParsedPublicKey, Error>;
    /// The error, if any, for an agreement with a parsed peer key that AWS-LC refused
    /// (`refused`), decided as the other backends decide it.
    ///
    /// # Errors
    ///
    /// The refusal's meaning.
    fn refusal(refused: bool) -> Result<(), Error>;
}

/// Diffie-Hellman on aws-lc-rs's curve `C`.
pub struct Agreement<C>(PhantomData<C>);

/// The private key (a handle to AWS-LC's key object, wiped when AWS-LC frees it) and its
/// public share.
pub struct Key {
    secret: PrivateKey,
    public: [u8; MAX_SHARE],
    len: usize,
}

impl ZeroizeOnDrop for Key {}

impl Key {
    /// `secret` with its public share, which is also written to `share`. The public-key object
    /// shares the private key's `EVP_PKEY`, so it is dropped as soon as its bytes are copied.
    fn new(secret: PrivateKey, share: &mut [u8]) -> Result<Self, Error> {
        let mut key = Key {
            secret,
            public: [0; MAX_SHARE],
            len: share.len(),
        };
        let public = key
            .secret
            .compute_public_key()
            .map_err(|_| Error::Internal)?;
        write(
            key.public.get_mut(..share.len()).ok_or(Error::Internal)?,
            public.as_ref(),
        )?;
        share.copy_from_slice(&key.public[..key.len]);
        Ok(key)
    }
}

impl<C: Curve> Agreement<C> {
    /// The private key of a fixed scalar (big-endian for the NIST curves, checked in `[1, n-1]`
    /// by AWS-LC; the 32 bytes of RFC 7748 section 5 for X25519).
    fn from_scalar(seed: &[u8]) -> Result<PrivateKey, Error> {
        PrivateKey::from_private_key(C::ALGORITHM, seed).map_err(|_| C::SCALAR_REJECTED)
    }

    /// A private key from AWS-LC's DRBG.
    fn generate() -> Result<PrivateKey, Error> {
        PrivateKey::generate(C::ALGORITHM).map_err(|_| Error::Internal)
    }

    /// The shared secret of `secret` and the peer's parsed key, written to `out` (aws-lc-rs
    /// wipes its own copy after the closure).
    fn agree(secret: &PrivateKey, peer: ParsedPublicKey, out: &mut [u8]) -> Result<(), Error> {
        let mut written = Err(Error::Internal);
        let agreed = agreement::agree(secret, peer, (), |k| {
            written = write(out, k);
            Ok(())
        });
        C::refusal(agreed.is_err())?;
        written
    }

    /// The server step with its own key from `own`: the peer's share is validated first, as on
    /// the other backends.
    fn respond_with(
        own: impl FnOnce() -> Result<PrivateKey, Error>,
        step: ServerStep<'_>,
    ) -> Result<(), Error> {
        let peer = C::peer(step.client_share)?;
        let own = own()?;
        Self::agree(&own, peer, step.secret)?;
        let public = own.compute_public_key().map_err(|_| Error::Internal)?;
        write(step.share, public.as_ref())
    }
}

impl<C: Curve> Code for Agreement<C> {
    type Family = AwsLc;
    type Key = Key;
    const DRAWS_OWN_RANDOMNESS: bool = true;

    fn keygen(_: (), seed: &[u8], share: &mut [u8]) -> Result<Key, Error> {
        Key::new(Self::from_scalar(seed)?, share)
    }

    fn respond(_: (), step: ServerStep<'_>) -> Result<(), Error> {
        let seed = step.seed;
        Self::respond_with(|| Self::from_scalar(seed), step)
    }

    /// A key from AWS-LC's DRBG (faster than from a scalar for the NIST curves, whose
    /// `from_private_key` multiplies the base point twice); `seed` is not used.
    fn keygen_system(_: (), _: &[u8], share: &mut [u8]) -> Result<Key, Error> {
        Key::new(Self::generate()?, share)
    }

    /// The server's key from AWS-LC's DRBG; `step.seed` is not used.
    fn respond_system(_: (), step: ServerStep<'_>) -> Result<(), Error> {
        Self::respond_with(Self::generate, step)
    }

    fn complete(key: &Key, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
        Self::agree(&key.secret, C::peer(server_share)?, secret)
    }

    fn public_share(key: &Key) -> &[u8] {
        &key.public[..key.len]
    }

    /// The handle to AWS-LC's key object: the key is on the C heap, which the constant-time
    /// harness does not reach (docs/verification.md).
    #[cfg(feature = "hazmat")]
    fn secret_memory(key: &Key) -> crate::components::KeyMemory<'_> {
        crate::components::KeyMemory::Object(&key.secret)
    }
}
