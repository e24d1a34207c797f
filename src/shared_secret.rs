//! The key-exchange output: the bytes TLS 1.3 feeds into the handshake-secret HKDF-Extract.

use core::fmt;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::Error;

/// The largest shared secret any group produces: SecP384r1MLKEM1024's 48 + 32 bytes.
pub(crate) const MAX_SHARED_SECRET_LEN: usize = 80;

/// A key-exchange shared secret: the (EC)DHE input of the TLS 1.3 key schedule (RFC 8446 section
/// 7.1), which for a hybrid group is the concatenation of the component secrets in the order
/// RFC 10024 section 4.3 fixes.
///
/// Stored inline (no heap), zeroized on drop, compared only in constant time, and never printed:
/// `Debug` shows the length only. Read the bytes with [`SharedSecret::as_bytes`] when handing them
/// to a key schedule.
pub struct SharedSecret {
    bytes: [u8; MAX_SHARED_SECRET_LEN],
    len: usize,
}

impl SharedSecret {
    /// Builds a secret of `len` bytes by letting `fill` write them; the length is public (it
    /// depends on the group only).
    pub(crate) fn filled_by(
        len: usize,
        fill: impl FnOnce(&mut [u8]) -> Result<(), Error>,
    ) -> Result<Self, Error> {
        if len > MAX_SHARED_SECRET_LEN {
            return Err(Error::Internal);
        }
        let mut secret = Self {
            bytes: [0; MAX_SHARED_SECRET_LEN],
            len,
        };
        // On error `secret` drops here and its partial bytes are zeroized: no partial secret
        // escapes.
        fill(&mut secret.bytes[..secret.len])?;
        Ok(secret)
    }

    /// The secret bytes, for the key schedule's HKDF-Extract (RFC 8446 section 7.1).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The length in bytes: 32 for the pure ML-KEM groups, 64 or 80 for the hybrids.
    #[allow(clippy::len_without_is_empty)] // a shared secret is never empty
    pub fn len(&self) -> usize {
        self.len
    }
}

impl ConstantTimeEq for SharedSecret {
    /// Compares in time that depends on the (public) lengths only.
    fn ct_eq(&self, other: &Self) -> Choice {
        self.as_bytes().ct_eq(other.as_bytes())
    }
}

impl PartialEq for SharedSecret {
    /// Constant-time: delegates to [`ConstantTimeEq`].
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SharedSecret {}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedSecret")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl Zeroize for SharedSecret {
    fn zeroize(&mut self) {
        self.bytes.zeroize();
    }
}

impl Drop for SharedSecret {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for SharedSecret {}
