//! Fixed-capacity secret storage shared by every key-schedule secret type.
//!
//! RFC 8446 section 7.1 secrets are `Hash.length` bytes (32 for SHA-256, 48 for
//! SHA-384) and the traffic keys/IVs of section 7.3 are at most 32 bytes, so a
//! single stack buffer of [`MAX_SECRET_LEN`] bytes holds any of them without a
//! heap allocation (this module works in `#![no_std]` without `alloc`). The
//! buffer is wiped on drop and only compared in constant time.

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::KeyScheduleError;

/// Capacity in bytes of every secret container of the key schedule.
///
/// 48 bytes is the output length of SHA-384, the largest hash used by the TLS 1.3
/// cipher suites (RFC 8446 appendix B.4), so every secret of RFC 8446 section 7.1
/// and every traffic key and IV of section 7.3 fits.
pub const MAX_SECRET_LEN: usize = 48;

/// Secret bytes in a fixed buffer with a public (non-secret) length.
///
/// Invariant: `len <= MAX_SECRET_LEN`. Bytes beyond `len` are zero.
pub(crate) struct SecretBuf {
    bytes: [u8; MAX_SECRET_LEN],
    len: u8,
}

impl SecretBuf {
    /// An all-zero buffer of `len` bytes, to be filled by a KDF.
    pub(crate) fn zeroed(len: usize) -> Result<Self, KeyScheduleError> {
        match u8::try_from(len) {
            Ok(len8) if len <= MAX_SECRET_LEN => Ok(Self {
                bytes: [0; MAX_SECRET_LEN],
                len: len8,
            }),
            _ => Err(KeyScheduleError::OutputTooLong {
                len,
                max: MAX_SECRET_LEN,
            }),
        }
    }

    /// An all-zero buffer of `min(len, MAX_SECRET_LEN)` bytes (infallible).
    pub(crate) fn zeroed_clamped(len: usize) -> Self {
        let len = len.min(MAX_SECRET_LEN);
        Self {
            bytes: [0; MAX_SECRET_LEN],
            len: u8::try_from(len).unwrap_or(0),
        }
    }

    /// Copies `bytes` (at most [`MAX_SECRET_LEN`] of them) into a new buffer.
    pub(crate) fn from_slice(bytes: &[u8]) -> Result<Self, KeyScheduleError> {
        let mut buf = Self::zeroed(bytes.len())?;
        copy_prefix(buf.as_mut_bytes(), bytes);
        Ok(buf)
    }

    /// The secret bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        let (head, _) = self.bytes.split_at(self.len());
        head
    }

    /// The secret bytes, writable (for filling by HKDF).
    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8] {
        let len = self.len();
        let (head, _) = self.bytes.split_at_mut(len);
        head
    }

    /// Length in bytes (not secret).
    pub(crate) fn len(&self) -> usize {
        usize::from(self.len).min(MAX_SECRET_LEN)
    }
}

impl Zeroize for SecretBuf {
    /// Wipes the bytes; the (public) length is kept.
    fn zeroize(&mut self) {
        self.bytes.zeroize();
    }
}

impl Drop for SecretBuf {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl ZeroizeOnDrop for SecretBuf {}

impl ConstantTimeEq for SecretBuf {
    fn ct_eq(&self, other: &Self) -> Choice {
        // Lengths are public; `[u8]::ct_eq` returns false on a length mismatch.
        self.as_bytes().ct_eq(other.as_bytes())
    }
}

/// Copies `min(dst.len(), src.len())` bytes from the start of `src` to `dst`,
/// without any indexing that could panic.
pub(crate) fn copy_prefix(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s;
    }
}

/// Defines a secret newtype of exactly `Hash.length` bytes, bound to the hash `H`.
///
/// The generated type wraps a [`SecretBuf`], zeroizes on drop, has a `Debug`
/// that prints only its name, hash and length, exposes its bytes only through
/// `as_bytes()`, and implements equality only via `subtle::ConstantTimeEq`.
macro_rules! define_hash_secret {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        pub struct $name<H: $crate::key_schedule::HashAlgorithm> {
            buf: $crate::key_schedule::secret::SecretBuf,
            _hash: core::marker::PhantomData<H>,
        }

        impl<H: $crate::key_schedule::HashAlgorithm> $name<H> {
            /// Wraps a buffer that holds exactly `H::HASH_LEN` bytes.
            #[allow(dead_code)]
            pub(crate) fn from_buf(buf: $crate::key_schedule::secret::SecretBuf) -> Self {
                Self {
                    buf,
                    _hash: core::marker::PhantomData,
                }
            }

            /// The internal buffer, for further derivations inside this module.
            #[allow(dead_code)]
            pub(crate) fn buf(&self) -> &$crate::key_schedule::secret::SecretBuf {
                &self.buf
            }

            /// Exposes the raw secret bytes (`Hash.length` of them, RFC 8446
            /// section 7.1).
            ///
            /// This is the only way to read the value: it is deliberately
            /// explicit so that secrets are not copied around by accident. Do
            /// not log the result.
            #[must_use]
            pub fn as_bytes(&self) -> &[u8] {
                self.buf.as_bytes()
            }
        }

        impl<H: $crate::key_schedule::HashAlgorithm> core::fmt::Debug for $name<H> {
            /// Prints the type, hash and length only, never the secret bytes.
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("hash", &H::NAME)
                    .field("len", &self.buf.len())
                    .finish_non_exhaustive()
            }
        }

        impl<H: $crate::key_schedule::HashAlgorithm> ::zeroize::Zeroize for $name<H> {
            fn zeroize(&mut self) {
                ::zeroize::Zeroize::zeroize(&mut self.buf);
            }
        }

        // The inner `SecretBuf` wipes itself on drop.
        impl<H: $crate::key_schedule::HashAlgorithm> ::zeroize::ZeroizeOnDrop for $name<H> {}

        impl<H: $crate::key_schedule::HashAlgorithm> ::subtle::ConstantTimeEq for $name<H> {
            fn ct_eq(&self, other: &Self) -> ::subtle::Choice {
                ::subtle::ConstantTimeEq::ct_eq(&self.buf, &other.buf)
            }
        }

        impl<H: $crate::key_schedule::HashAlgorithm> PartialEq for $name<H> {
            /// Constant-time comparison (via `subtle::ConstantTimeEq`).
            fn eq(&self, other: &Self) -> bool {
                bool::from(::subtle::ConstantTimeEq::ct_eq(self, other))
            }
        }

        impl<H: $crate::key_schedule::HashAlgorithm> Eq for $name<H> {}
    };
}

/// Defines a variable-length secret newtype (1 to [`MAX_SECRET_LEN`] bytes),
/// independent of the hash, with the same guarantees as `define_hash_secret`.
macro_rules! define_var_secret {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        pub struct $name {
            buf: $crate::key_schedule::secret::SecretBuf,
        }

        impl $name {
            /// Wraps a filled buffer.
            pub(crate) fn from_buf(buf: $crate::key_schedule::secret::SecretBuf) -> Self {
                Self { buf }
            }

            /// Exposes the raw key material (RFC 8446 section 7.3).
            ///
            /// Deliberately explicit so that key material is not copied
            /// around by accident. Do not log the result.
            #[must_use]
            pub fn as_bytes(&self) -> &[u8] {
                self.buf.as_bytes()
            }

            /// Length in bytes (public information: it is fixed by the AEAD,
            /// RFC 8446 section 5.3).
            #[must_use]
            pub fn len(&self) -> usize {
                self.buf.len()
            }

            /// `true` if the value is zero bytes long (only if a zero length
            /// was requested; no RFC 8446 section 5.3 AEAD uses one).
            #[must_use]
            pub fn is_empty(&self) -> bool {
                self.buf.len() == 0
            }
        }

        impl core::fmt::Debug for $name {
            /// Prints the type and length only, never the secret bytes.
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("len", &self.buf.len())
                    .finish_non_exhaustive()
            }
        }

        impl ::zeroize::Zeroize for $name {
            fn zeroize(&mut self) {
                ::zeroize::Zeroize::zeroize(&mut self.buf);
            }
        }

        // The inner `SecretBuf` wipes itself on drop.
        impl ::zeroize::ZeroizeOnDrop for $name {}

        impl ::subtle::ConstantTimeEq for $name {
            fn ct_eq(&self, other: &Self) -> ::subtle::Choice {
                ::subtle::ConstantTimeEq::ct_eq(&self.buf, &other.buf)
            }
        }

        impl PartialEq for $name {
            /// Constant-time comparison (via `subtle::ConstantTimeEq`).
            fn eq(&self, other: &Self) -> bool {
                bool::from(::subtle::ConstantTimeEq::ct_eq(self, other))
            }
        }

        impl Eq for $name {}
    };
}

pub(crate) use define_hash_secret;
pub(crate) use define_var_secret;
