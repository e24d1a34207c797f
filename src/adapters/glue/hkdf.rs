//! This crate's key schedule as the HKDF of a TLS stack, without rustls types: both rustls
//! adapters implement their `Hkdf` and `HkdfExpander` traits on the types here.
//!
//! rustls runs the whole RFC 8446 section 7.1 key schedule through its `Hkdf` provider: plugging
//! this in means every secret of a rustls handshake (from the hybrid shared secret to the traffic
//! keys) is derived by [`crate::key_schedule`], the code the RFC 8448 and ACVP vectors check.

use core::marker::PhantomData;

use zeroize::{Zeroize, Zeroizing};

use crate::key_schedule::{HashAlgorithm, HmacTag, KeyedExpander, extract, hmac_sign};

/// The largest hash output rustls passes around (its `OkmBlock::MAX_LEN`, SHA-512's 64 bytes).
pub(crate) const MAX_HASH_LEN: usize = 64;

/// The key schedule's HKDF (RFC 5869) for hash `H`.
pub(crate) struct KeyScheduleHkdf<H>(PhantomData<H>);

impl<H> KeyScheduleHkdf<H> {
    /// The HKDF for `H`.
    pub(crate) const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<H> core::fmt::Debug for KeyScheduleHkdf<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("hybrid_kx::KeyScheduleHkdf")
    }
}

impl<H: HashAlgorithm> KeyScheduleHkdf<H> {
    /// HKDF-Extract(salt, 0^HashLen): the early secret without a PSK, or the master secret's
    /// extract (RFC 8446 section 7.1).
    pub(crate) fn extract_from_zero_ikm(salt: Option<&[u8]>) -> Expander<H> {
        let zeros = [0u8; MAX_HASH_LEN];
        Self::extract_from_secret(salt, &zeros[..H::HASH_LEN])
    }

    /// HKDF-Extract(salt, secret): for the handshake secret the secret is the (hybrid) shared
    /// secret (RFC 8446 section 7.1; RFC 9954 section 3.3).
    pub(crate) fn extract_from_secret(salt: Option<&[u8]>, secret: &[u8]) -> Expander<H> {
        Expander::new(extract::<H>(salt, secret).as_bytes())
    }

    /// HMAC(key, message): Finished verify_data and PSK binders (RFC 8446 section 4.4.4).
    pub(crate) fn hmac_sign(key: &[u8], message: &[u8]) -> HmacTag<H> {
        hmac_sign::<H>(key, message)
    }
}

/// A pseudorandom key ready for HKDF-Expand: HMAC keyed once with it (the keyed states wipe
/// themselves on drop), copied for each of the expansions a handshake asks for.
pub(crate) struct Expander<H: HashAlgorithm>(Option<KeyedExpander<H>>);

impl<H: HashAlgorithm> Expander<H> {
    /// Keys HMAC with `prk`, zero-padded to at least `HashLen`. HMAC pads its key with zeros to
    /// the block size, so the padding changes nothing (RFC 2104 section 2); it only satisfies
    /// the `hkdf` crate's `PRK >= HashLen` sanity check for keys rustls never passes in TLS 1.3.
    pub(crate) fn new(prk: &[u8]) -> Self {
        let mut padded = [0u8; MAX_HASH_LEN];
        let n = prk.len().min(MAX_HASH_LEN);
        padded[..n].copy_from_slice(&prk[..n]);
        let len = prk.len().clamp(H::HASH_LEN, MAX_HASH_LEN);
        // Cannot fail: `len >= HashLen`. A `None` would make every expansion fail, not panic.
        let keyed = KeyedExpander::new(&padded[..len]).ok();
        padded.zeroize();
        Self(keyed)
    }

    /// HKDF-Expand(PRK, info, L) into `output` (L is its length), or `Err` beyond 255 ·
    /// HashLen bytes (RFC 5869 section 2.3).
    pub(crate) fn expand(&self, info: &[&[u8]], output: &mut [u8]) -> Result<(), ()> {
        match &self.0 {
            Some(keyed) => keyed.expand(info, output).map_err(|_| ()),
            None => Err(()),
        }
    }

    /// HKDF-Expand(PRK, info, HashLen): the bytes and their length (`HashLen`), wiped on drop.
    pub(crate) fn expand_hash_len(&self, info: &[&[u8]]) -> (Zeroizing<[u8; MAX_HASH_LEN]>, usize) {
        let mut block = Zeroizing::new([0u8; MAX_HASH_LEN]);
        // HashLen bytes are always within HKDF's 255 * HashLen limit.
        let len = match self.expand(info, &mut block[..H::HASH_LEN]) {
            Ok(()) => H::HASH_LEN,
            Err(()) => 0,
        };
        (block, len)
    }
}

/// Implements a rustls version's `Hkdf` and `HkdfExpander` on [`KeyScheduleHkdf`] and
/// [`Expander`], and declares its `HKDF_SHA256` and `HKDF_SHA384` statics, in that rustls
/// adapter (`rustls_hkdf!(rustls_crate_name)`). A macro because rustls 0.23 and 0.24 have traits
/// of the same shape in two crates, which no generic can abstract over; the one body serves
/// both.
macro_rules! rustls_hkdf {
    ($krate:ident) => {
        use ::$krate::crypto::hmac::Tag;
        use ::$krate::crypto::tls13::{Hkdf, HkdfExpander, OkmBlock, OutputLengthError};
        use $crate::adapters::glue::hkdf::{Expander, KeyScheduleHkdf};
        use $crate::key_schedule::{HashAlgorithm, Sha256, Sha384};

        /// HKDF with SHA-256, for `TLS_AES_128_GCM_SHA256` and `TLS_CHACHA20_POLY1305_SHA256`.
        pub static HKDF_SHA256: &dyn Hkdf = &KeyScheduleHkdf::<Sha256>::new();

        /// HKDF with SHA-384, for `TLS_AES_256_GCM_SHA384`.
        pub static HKDF_SHA384: &dyn Hkdf = &KeyScheduleHkdf::<Sha384>::new();

        impl<H: HashAlgorithm> HkdfExpander for Expander<H> {
            fn expand_slice(
                &self,
                info: &[&[u8]],
                output: &mut [u8],
            ) -> Result<(), OutputLengthError> {
                self.expand(info, output).map_err(|()| OutputLengthError)
            }

            fn expand_block(&self, info: &[&[u8]]) -> OkmBlock {
                let (block, len) = self.expand_hash_len(info);
                OkmBlock::new(&block[..len])
            }

            fn hash_len(&self) -> usize {
                H::HASH_LEN
            }
        }

        impl<H: HashAlgorithm> Hkdf for KeyScheduleHkdf<H> {
            fn extract_from_zero_ikm(
                &self,
                salt: Option<&[u8]>,
            ) -> alloc::boxed::Box<dyn HkdfExpander> {
                alloc::boxed::Box::new(Self::extract_from_zero_ikm(salt))
            }

            fn extract_from_secret(
                &self,
                salt: Option<&[u8]>,
                secret: &[u8],
            ) -> alloc::boxed::Box<dyn HkdfExpander> {
                alloc::boxed::Box::new(Self::extract_from_secret(salt, secret))
            }

            fn expander_for_okm(&self, okm: &OkmBlock) -> alloc::boxed::Box<dyn HkdfExpander> {
                alloc::boxed::Box::new(Expander::<H>::new(okm.as_ref()))
            }

            fn hmac_sign(&self, key: &OkmBlock, message: &[u8]) -> Tag {
                Tag::new(Self::hmac_sign(key.as_ref(), message).as_bytes())
            }
        }
    };
}

pub(crate) use rustls_hkdf;
