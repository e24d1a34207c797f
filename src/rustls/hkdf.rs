//! This crate's key schedule primitives as rustls's TLS 1.3 HKDF provider.
//!
//! rustls runs the whole RFC 8446 section 7.1 key schedule through `Hkdf`: plugging ours in means
//! every secret of a rustls handshake (from the hybrid shared secret to the traffic keys) is
//! derived by [`crate::key_schedule`], the code the RFC 8448 and ACVP vectors check.

use alloc::boxed::Box;
use core::marker::PhantomData;

use ::rustls::crypto::hmac::Tag;
use ::rustls::crypto::tls13::{Hkdf, HkdfExpander, OkmBlock, OutputLengthError};
use zeroize::Zeroize;

use crate::key_schedule::{HashAlgorithm, KeyedExpander, Sha256, Sha384, extract, hmac_sign};

/// The key schedule's HKDF (RFC 5869) for hash `H`, as a rustls `Hkdf`.
pub(crate) struct KeyScheduleHkdf<H>(PhantomData<H>);

impl<H> core::fmt::Debug for KeyScheduleHkdf<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("hybrid_kx::KeyScheduleHkdf")
    }
}

/// HKDF with SHA-256, for `TLS_AES_128_GCM_SHA256` and `TLS_CHACHA20_POLY1305_SHA256`.
pub static HKDF_SHA256: &dyn Hkdf = &KeyScheduleHkdf::<Sha256>(PhantomData);

/// HKDF with SHA-384, for `TLS_AES_256_GCM_SHA384`.
pub static HKDF_SHA384: &dyn Hkdf = &KeyScheduleHkdf::<Sha384>(PhantomData);

/// A pseudorandom key ready for HKDF-Expand: HMAC keyed once with it (the keyed states wipe
/// themselves on drop), copied for each of the expansions rustls asks for.
struct Expander<H: HashAlgorithm>(Option<KeyedExpander<H>>);

impl<H: HashAlgorithm> Expander<H> {
    /// Keys HMAC with `prk`, zero-padded to at least `HashLen`. HMAC pads its key with zeros to
    /// the block size, so the padding changes nothing (RFC 2104 section 2); it only satisfies
    /// the `hkdf` crate's `PRK >= HashLen` sanity check for keys rustls never passes in TLS 1.3.
    fn new(prk: &[u8]) -> Self {
        let mut padded = [0u8; OkmBlock::MAX_LEN];
        let n = prk.len().min(OkmBlock::MAX_LEN);
        padded[..n].copy_from_slice(&prk[..n]);
        let len = prk.len().clamp(H::HASH_LEN, OkmBlock::MAX_LEN);
        // Cannot fail: `len >= HashLen`. A `None` would make every expansion fail, not panic.
        let keyed = KeyedExpander::new(&padded[..len]).ok();
        padded.zeroize();
        Self(keyed)
    }

    fn expand(&self, info: &[&[u8]], output: &mut [u8]) -> Result<(), OutputLengthError> {
        match &self.0 {
            Some(keyed) => keyed.expand(info, output).map_err(|_| OutputLengthError),
            None => Err(OutputLengthError),
        }
    }
}

impl<H: HashAlgorithm> HkdfExpander for Expander<H> {
    fn expand_slice(&self, info: &[&[u8]], output: &mut [u8]) -> Result<(), OutputLengthError> {
        self.expand(info, output)
    }

    fn expand_block(&self, info: &[&[u8]]) -> OkmBlock {
        let mut block = [0u8; OkmBlock::MAX_LEN];
        let out = &mut block[..H::HASH_LEN];
        // HashLen bytes are always within HKDF's 255 * HashLen limit.
        let okm = match self.expand(info, out) {
            Ok(()) => OkmBlock::new(out),
            Err(_) => OkmBlock::new(&[]),
        };
        block.zeroize();
        okm
    }

    fn hash_len(&self) -> usize {
        H::HASH_LEN
    }
}

impl<H: HashAlgorithm> Hkdf for KeyScheduleHkdf<H> {
    /// HKDF-Extract(salt, 0^HashLen): the early secret without a PSK, or the master secret's
    /// extract (RFC 8446 section 7.1).
    fn extract_from_zero_ikm(&self, salt: Option<&[u8]>) -> Box<dyn HkdfExpander> {
        let zeros = [0u8; OkmBlock::MAX_LEN];
        self.extract_from_secret(salt, &zeros[..H::HASH_LEN])
    }

    /// HKDF-Extract(salt, secret): for the handshake secret the secret is the (hybrid) shared
    /// secret (RFC 8446 section 7.1; RFC 9954 section 3.3).
    fn extract_from_secret(&self, salt: Option<&[u8]>, secret: &[u8]) -> Box<dyn HkdfExpander> {
        let prk = extract::<H>(salt, secret);
        Box::new(Expander::<H>::new(prk.as_bytes()))
    }

    fn expander_for_okm(&self, okm: &OkmBlock) -> Box<dyn HkdfExpander> {
        Box::new(Expander::<H>::new(okm.as_ref()))
    }

    /// HMAC(key, message): Finished verify_data and PSK binders (RFC 8446 section 4.4.4).
    fn hmac_sign(&self, key: &OkmBlock, message: &[u8]) -> Tag {
        Tag::new(hmac_sign::<H>(key.as_ref(), message).as_bytes())
    }
}
