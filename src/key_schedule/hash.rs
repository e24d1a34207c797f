//! The hash functions of the TLS 1.3 cipher suites and the transcript hash.
//!
//! RFC 8446 section 7.1 parameterises the whole key schedule by the cipher
//! suite's hash ("Hash.length", "HKDF-Extract/Expand with Hash"). TLS 1.3
//! defines suites with SHA-256 and SHA-384 (RFC 8446 appendix B.4); each is a
//! zero-sized marker type here, so a secret derived with one hash cannot be
//! fed into a derivation with the other.

use core::fmt;
use core::marker::PhantomData;

use hmac::digest::{Digest, OutputSizeUser, typenum::Unsigned};
use subtle::{Choice, ConstantTimeEq};

use super::KeyScheduleError;
use super::secret::{MAX_SECRET_LEN, copy_prefix};

mod sealed {
    /// Restricts [`super::HashAlgorithm`] to the hashes defined in this module.
    pub trait Sealed {}
}

/// A hash function usable by the TLS 1.3 key schedule (RFC 8446 section 7.1).
///
/// Sealed: implemented only by [`Sha256`] and [`Sha384`], the hashes of the
/// TLS 1.3 cipher suites (RFC 8446 appendix B.4). Everything in
/// [`crate::key_schedule`] is generic over it, and HKDF/HMAC are computed with
/// the RustCrypto `hkdf`/`hmac` crates instantiated with [`Self::Digest`].
pub trait HashAlgorithm:
    sealed::Sealed + Copy + Default + fmt::Debug + Send + Sync + Unpin + 'static
{
    /// `Hash.length` in bytes (RFC 8446 section 7.1): the length of every
    /// secret of the key schedule and of the transcript hash.
    const HASH_LEN: usize;

    /// Largest HKDF-Expand output, `255 * HashLen` (RFC 5869 section 2.3).
    const MAX_OUTPUT_LEN: usize = 255 * Self::HASH_LEN;

    /// Human-readable name (as in the cipher-suite names of RFC 8446 appendix
    /// B.4), shown by the redacted `Debug` output of secrets instead of bytes.
    const NAME: &'static str;

    /// The RustCrypto hash implementation (`sha2::Sha256` or `sha2::Sha384`)
    /// that instantiates HKDF and HMAC for this suite (RFC 8446 section 7.1).
    type Digest: hmac::EagerHash<Core: Send + Sync>;

    /// `Hash(data)`: hashes one byte string, e.g. a whole transcript
    /// (RFC 8446 section 4.4.1).
    #[must_use]
    fn hash(data: &[u8]) -> TranscriptHash<Self> {
        Self::hash_parts(&[data])
    }

    /// `Hash(part_0 || part_1 || ...)`: hashes the concatenation of several
    /// byte strings, e.g. the handshake messages of a transcript in order
    /// (RFC 8446 section 4.4.1), without concatenating them in memory.
    #[must_use]
    fn hash_parts(parts: &[&[u8]]) -> TranscriptHash<Self> {
        let mut digest = <Self::Digest as Digest>::new();
        for part in parts {
            Digest::update(&mut digest, part);
        }
        TranscriptHash::from_digest_output(digest.finalize().as_slice())
    }
}

/// SHA-256, the hash of `TLS_AES_128_GCM_SHA256` and
/// `TLS_CHACHA20_POLY1305_SHA256` (RFC 8446 appendix B.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Sha256;

/// SHA-384, the hash of `TLS_AES_256_GCM_SHA384` (RFC 8446 appendix B.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Sha384;

impl sealed::Sealed for Sha256 {}
impl sealed::Sealed for Sha384 {}

impl HashAlgorithm for Sha256 {
    const HASH_LEN: usize = 32;
    const NAME: &'static str = "SHA-256";
    type Digest = sha2::Sha256;
}

impl HashAlgorithm for Sha384 {
    const HASH_LEN: usize = 48;
    const NAME: &'static str = "SHA-384";
    type Digest = sha2::Sha384;
}

// `HASH_LEN` must match the digest and fit the fixed secret buffers.
const _: () = {
    assert!(Sha256::HASH_LEN == <sha2::Sha256 as OutputSizeUser>::OutputSize::USIZE);
    assert!(Sha384::HASH_LEN == <sha2::Sha384 as OutputSizeUser>::OutputSize::USIZE);
    assert!(Sha256::HASH_LEN <= MAX_SECRET_LEN);
    assert!(Sha384::HASH_LEN <= MAX_SECRET_LEN);
};

/// `Transcript-Hash(Messages)`: the hash of the concatenated handshake
/// messages (RFC 8446 section 4.4.1), exactly `H::HASH_LEN` bytes.
///
/// Derive-Secret (RFC 8446 section 7.1) takes this as its context. Being a
/// distinct type bound to `H`, it always has the right length and cannot be
/// mixed up between SHA-256 and SHA-384. It is not secret (it is a hash of
/// messages sent in the handshake), so `Debug` prints it in hex.
#[derive(Clone, Copy)]
pub struct TranscriptHash<H: HashAlgorithm> {
    bytes: [u8; MAX_SECRET_LEN],
    _hash: PhantomData<H>,
}

impl<H: HashAlgorithm> TranscriptHash<H> {
    fn from_digest_output(output: &[u8]) -> Self {
        let mut bytes = [0; MAX_SECRET_LEN];
        copy_prefix(&mut bytes, output);
        Self {
            bytes,
            _hash: PhantomData,
        }
    }

    /// Wraps a transcript hash computed elsewhere (e.g. by a running hash
    /// context of a TLS stack); it must be exactly `H::HASH_LEN` bytes
    /// (RFC 8446 section 4.4.1).
    ///
    /// # Errors
    /// [`KeyScheduleError::InvalidLength`] if `hash.len() != H::HASH_LEN`.
    pub fn from_bytes(hash: &[u8]) -> Result<Self, KeyScheduleError> {
        if hash.len() != H::HASH_LEN {
            return Err(KeyScheduleError::InvalidLength {
                len: hash.len(),
                expected: H::HASH_LEN,
            });
        }
        Ok(Self::from_digest_output(hash))
    }

    /// `Transcript-Hash(M0 || M1 || ... )` of the given handshake messages, each
    /// including its 4-byte handshake header (RFC 8446 section 4.4.1).
    #[must_use]
    pub fn of_messages(messages: &[&[u8]]) -> Self {
        H::hash_parts(messages)
    }

    /// `Transcript-Hash("")`, the hash of the empty string, used as context by
    /// `Derive-Secret(., "derived", "")` and the binder keys (RFC 8446 section 7.1).
    #[must_use]
    pub fn empty() -> Self {
        H::hash_parts(&[])
    }

    /// The hash bytes (`H::HASH_LEN` of them), i.e. the Derive-Secret context
    /// (RFC 8446 section 7.1).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        let (head, _) = self.bytes.split_at(H::HASH_LEN.min(MAX_SECRET_LEN));
        head
    }
}

impl<H: HashAlgorithm> AsRef<[u8]> for TranscriptHash<H> {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<H: HashAlgorithm> fmt::Debug for TranscriptHash<H> {
    /// Prints the hash name and the (public) hash value in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TranscriptHash<{}>(", H::NAME)?;
        for byte in self.as_bytes() {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}

impl<H: HashAlgorithm> ConstantTimeEq for TranscriptHash<H> {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.as_bytes().ct_eq(other.as_bytes())
    }
}

impl<H: HashAlgorithm> PartialEq for TranscriptHash<H> {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.ct_eq(other))
    }
}

impl<H: HashAlgorithm> Eq for TranscriptHash<H> {}
