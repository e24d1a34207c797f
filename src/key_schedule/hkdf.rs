//! The HKDF and HMAC primitives (RFC 5869, as used by RFC 8446 section 7.1).
//!
//! A thin, hash-generic layer over the RustCrypto `hkdf` and `hmac` crates.
//! It is what the rest of the key schedule is built on, and its shape
//! (`extract(salt, ikm)`, `expand(prk, info_parts, out)`, `hmac_sign(key, msg)`)
//! matches what a TLS library's HKDF provider interface needs, so an adapter
//! can be written on top of it without touching the key-schedule logic.

use hkdf::HmacImpl;
use hmac::Hmac;
use zeroize::Zeroize;

use super::secret::{SecretBuf, copy_prefix, define_hash_secret};
use super::{HashAlgorithm, KeyScheduleError};

define_hash_secret!(
    /// An HKDF pseudorandom key: the output of HKDF-Extract (RFC 5869
    /// section 2.2), exactly `H::HASH_LEN` bytes.
    ///
    /// Every secret of the TLS 1.3 key schedule is such a key and is the
    /// "Secret" argument of HKDF-Expand-Label (RFC 8446 section 7.1). Use this
    /// type for custom derivations; the typed secrets of
    /// [`crate::key_schedule`] cover the ones RFC 8446 defines.
    Prk
);

define_hash_secret!(
    /// An HMAC output, `H::HASH_LEN` bytes: the Finished `verify_data`
    /// (RFC 8446 section 4.4.4) or a PSK binder (RFC 8446 section 4.2.11.2).
    ///
    /// The peer's value must be checked with [`subtle::ConstantTimeEq`] (which
    /// `==` uses) so that a forged Finished or binder cannot be found byte by
    /// byte through timing.
    HmacTag
);

impl<H: HashAlgorithm> Prk<H> {
    /// Wraps an existing pseudorandom key, e.g. a secret exported by a TLS
    /// stack, so it can be expanded (RFC 5869 section 2.3).
    ///
    /// # Errors
    /// [`KeyScheduleError::InvalidLength`] unless `prk.len() == H::HASH_LEN`
    /// (TLS 1.3 secrets are always `Hash.length` bytes, RFC 8446 section 7.1).
    pub fn from_bytes(prk: &[u8]) -> Result<Self, KeyScheduleError> {
        if prk.len() != H::HASH_LEN {
            return Err(KeyScheduleError::InvalidLength {
                len: prk.len(),
                expected: H::HASH_LEN,
            });
        }
        SecretBuf::from_slice(prk).map(Self::from_buf)
    }

    /// HKDF-Expand(PRK, info, L) with `info = info_parts[0] || info_parts[1] || ...`
    /// and `L = out.len()` (RFC 5869 section 2.3). See [`expand`].
    ///
    /// # Errors
    /// [`KeyScheduleError::OutputTooLong`] if `out.len() > 255 * HashLen`.
    pub fn expand(&self, info_parts: &[&[u8]], out: &mut [u8]) -> Result<(), KeyScheduleError> {
        expand_raw::<H>(self.as_bytes(), info_parts, out)
    }
}

/// HKDF-Extract(salt, IKM) (RFC 5869 section 2.2), returning the pseudorandom key.
///
/// RFC 8446 section 7.1 uses it with the previous stage's "derived" secret as
/// salt and the PSK, the (EC)DHE / hybrid shared secret, or `0^HashLen` as IKM.
/// `None` as salt means `HashLen` zero bytes, which (like an empty salt) gives
/// the same HMAC key as the RFC's "0" salt.
#[must_use]
pub fn extract<H: HashAlgorithm>(salt: Option<&[u8]>, ikm: &[u8]) -> Prk<H> {
    Prk::from_buf(extract_buf::<H>(salt, ikm))
}

/// HKDF-Extract into a secret buffer; the library's copy of the PRK is wiped.
pub(crate) fn extract_buf<H: HashAlgorithm>(salt: Option<&[u8]>, ikm: &[u8]) -> SecretBuf {
    let (mut prk, _) = hkdf::Hkdf::<H::Digest>::extract(salt, ikm);
    let buf = buf_from_output::<H>(prk.as_slice());
    prk.as_mut_slice().zeroize();
    buf
}

/// HKDF-Expand(PRK, info, L) (RFC 5869 section 2.3), with `info` given as
/// parts that are concatenated (as an `HkdfLabel` naturally is, RFC 8446
/// section 7.1) and `L = out.len()`.
///
/// # Errors
/// [`KeyScheduleError::OutputTooLong`] if `out.len() > 255 * HashLen`; `out` is
/// left untouched then.
pub fn expand<H: HashAlgorithm>(
    prk: &Prk<H>,
    info_parts: &[&[u8]],
    out: &mut [u8],
) -> Result<(), KeyScheduleError> {
    prk.expand(info_parts, out)
}

/// HMAC(key, message) with the hash `H` (RFC 2104), as used for the Finished
/// `verify_data` (RFC 8446 section 4.4.4) and PSK binders (section 4.2.11.2).
#[must_use]
pub fn hmac_sign<H: HashAlgorithm>(key: &[u8], message: &[u8]) -> HmacTag<H> {
    let mut mac = <Hmac<H::Digest> as HmacImpl>::new_from_slice(key);
    HmacImpl::update(&mut mac, message);
    let mut tag = HmacImpl::finalize(mac);
    let buf = buf_from_output::<H>(tag.as_slice());
    tag.as_mut_slice().zeroize();
    HmacTag::from_buf(buf)
}

/// HKDF-Expand's limit (RFC 5869 section 2.3: `L <= 255*HashLen`), checked before anything
/// is derived.
pub(crate) fn check_output_len<H: HashAlgorithm>(len: usize) -> Result<(), KeyScheduleError> {
    if len > H::MAX_OUTPUT_LEN {
        return Err(KeyScheduleError::OutputTooLong {
            len,
            max: H::MAX_OUTPUT_LEN,
        });
    }
    Ok(())
}

/// HKDF-Expand on raw PRK bytes; all length checks are done here.
pub(crate) fn expand_raw<H: HashAlgorithm>(
    prk: &[u8],
    info_parts: &[&[u8]],
    out: &mut [u8],
) -> Result<(), KeyScheduleError> {
    check_output_len::<H>(out.len())?;
    let hkdf =
        hkdf::Hkdf::<H::Digest>::from_prk(prk).map_err(|_| KeyScheduleError::InvalidLength {
            len: prk.len(),
            expected: H::HASH_LEN,
        })?;
    hkdf.expand_multi_info(info_parts, out)
        .map_err(|_| KeyScheduleError::OutputTooLong {
            len: out.len(),
            max: H::MAX_OUTPUT_LEN,
        })
}

/// HKDF-Expand for one PRK expanded many times (RFC 5869 section 2.3): HMAC's keyed inner and
/// outer states are computed once here and copied for each expansion, instead of hashing the
/// padded key again every time (two compression-function calls saved per expansion). rustls
/// expands each secret of the key schedule two to four times. The states are SHA-2 states
/// derived from the PRK and wipe themselves on drop (`sha2` feature `zeroize`).
#[cfg(any_rustls)]
pub(crate) struct KeyedExpander<H: HashAlgorithm>(hkdf::Hkdf<H::Digest>);

#[cfg(any_rustls)]
impl<H: HashAlgorithm> KeyedExpander<H> {
    /// Keys HMAC with `prk`.
    ///
    /// # Errors
    /// [`KeyScheduleError::InvalidLength`] if `prk` is shorter than `HashLen` (RFC 5869
    /// section 2.3).
    pub(crate) fn new(prk: &[u8]) -> Result<Self, KeyScheduleError> {
        hkdf::Hkdf::<H::Digest>::from_prk(prk)
            .map(Self)
            .map_err(|_| KeyScheduleError::InvalidLength {
                len: prk.len(),
                expected: H::HASH_LEN,
            })
    }

    /// HKDF-Expand(PRK, info_parts[0] || info_parts[1] || ..., out.len()).
    ///
    /// # Errors
    /// [`KeyScheduleError::OutputTooLong`] if `out.len() > 255 * HashLen`.
    pub(crate) fn expand(
        &self,
        info_parts: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), KeyScheduleError> {
        self.0
            .expand_multi_info(info_parts, out)
            .map_err(|_| KeyScheduleError::OutputTooLong {
                len: out.len(),
                max: H::MAX_OUTPUT_LEN,
            })
    }
}

/// Copies a `HashLen`-byte digest/HMAC output into a secret buffer.
fn buf_from_output<H: HashAlgorithm>(output: &[u8]) -> SecretBuf {
    // `HASH_LEN <= MAX_SECRET_LEN` is checked at compile time in `hash.rs`.
    let mut buf = zeroed_hash_len::<H>();
    copy_prefix(buf.as_mut_bytes(), output);
    buf
}

/// An all-zero buffer of `H::HASH_LEN` bytes.
pub(crate) fn zeroed_hash_len<H: HashAlgorithm>() -> SecretBuf {
    // `HASH_LEN <= MAX_SECRET_LEN` is a compile-time assertion, so no clamping happens.
    SecretBuf::zeroed_clamped(H::HASH_LEN)
}
