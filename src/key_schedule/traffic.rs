//! Traffic secrets and what is derived from them: record-protection keys and
//! IVs (RFC 8446 section 7.3), Finished keys and `verify_data` (RFC 8446
//! section 4.4.4), and the key update (RFC 8446 section 7.2).
//!
//! Early, handshake and application traffic secrets are distinct types: only
//! handshake and application traffic secrets have a Finished key, and only
//! application traffic secrets can be updated.

use super::hkdf::{HmacTag, hmac_sign};
use super::hkdf_label::{StaticLabel, expand_label_hash_len, expand_label_raw, labels};
use super::secret::{SecretBuf, define_hash_secret, define_var_secret};
use super::{HashAlgorithm, KeyScheduleError, TranscriptHash};

define_hash_secret!(
    /// `client_early_traffic_secret` (RFC 8446 section 7.1): protects 0-RTT
    /// early data. Derive its key and IV with [`Self::traffic_key`] and
    /// [`Self::traffic_iv`] (RFC 8446 section 7.3).
    EarlyTrafficSecret
);

define_hash_secret!(
    /// `client_handshake_traffic_secret` or `server_handshake_traffic_secret`
    /// (RFC 8446 section 7.1): protects the encrypted handshake messages and is
    /// the BaseKey of that side's Finished message (RFC 8446 section 4.4.4).
    HandshakeTrafficSecret
);

define_hash_secret!(
    /// `client_application_traffic_secret_N` or
    /// `server_application_traffic_secret_N` (RFC 8446 sections 7.1 and 7.2):
    /// protects application data, is updated by KeyUpdate
    /// ([`Self::next_generation`]), and is the BaseKey of post-handshake
    /// authentication Finished messages (RFC 8446 section 4.4.4).
    ApplicationTrafficSecret
);

define_hash_secret!(
    /// `finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)`
    /// (RFC 8446 section 4.4.4); also the key of a PSK binder, whose BaseKey
    /// is the binder key (RFC 8446 section 4.2.11.2).
    FinishedKey
);

define_var_secret!(
    /// An AEAD `write_key` (RFC 8446 section 7.3), `key_length` bytes (16 for
    /// AES-128-GCM, 32 for AES-256-GCM and ChaCha20-Poly1305).
    TrafficKey
);

define_var_secret!(
    /// An AEAD `write_iv` (RFC 8446 section 7.3), `iv_length` bytes (12 for
    /// the TLS 1.3 AEADs, RFC 8446 section 5.3). It is XORed with the record
    /// sequence number to form the per-record nonce.
    TrafficIv
);

/// `HKDF-Expand-Label(secret, label, "", len)` into a variable-length buffer.
fn expand_var<H: HashAlgorithm>(
    secret: &SecretBuf,
    label: StaticLabel,
    len: usize,
) -> Result<SecretBuf, KeyScheduleError> {
    let mut buf = SecretBuf::zeroed(len)?;
    expand_label_raw::<H>(secret.as_bytes(), label.as_bytes(), &[], buf.as_mut_bytes())?;
    Ok(buf)
}

/// Key and IV derivation shared by all traffic secret types (RFC 8446 section 7.3).
macro_rules! impl_traffic_keys {
    ($name:ident) => {
        impl<H: HashAlgorithm> $name<H> {
            /// `[sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)`
            /// (RFC 8446 section 7.3), for an AEAD with `key_len`-byte keys.
            ///
            /// # Errors
            /// [`KeyScheduleError::OutputTooLong`] if `key_len` exceeds
            /// [`super::MAX_SECRET_LEN`] (48) bytes.
            pub fn traffic_key(&self, key_len: usize) -> Result<TrafficKey, KeyScheduleError> {
                expand_var::<H>(self.buf(), labels::KEY, key_len).map(TrafficKey::from_buf)
            }

            /// `[sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length)`
            /// (RFC 8446 section 7.3), for an AEAD with `iv_len`-byte nonces.
            ///
            /// # Errors
            /// [`KeyScheduleError::OutputTooLong`] if `iv_len` exceeds
            /// [`super::MAX_SECRET_LEN`] (48) bytes.
            pub fn traffic_iv(&self, iv_len: usize) -> Result<TrafficIv, KeyScheduleError> {
                expand_var::<H>(self.buf(), labels::IV, iv_len).map(TrafficIv::from_buf)
            }
        }
    };
}

/// Finished key derivation for the secrets that are a Finished BaseKey (RFC 8446 section
/// 4.4.4): the handshake and application traffic secrets, and the PSK binder key (section
/// 4.2.11.2: a binder is computed as a Finished message with `binder_key` as BaseKey).
macro_rules! impl_finished_key {
    ($name:ident) => {
        impl<H: HashAlgorithm> $name<H> {
            /// `finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)`
            /// with this secret as BaseKey (RFC 8446 section 4.4.4; for the binder key,
            /// section 4.2.11.2).
            #[must_use]
            pub fn finished_key(&self) -> FinishedKey<H> {
                FinishedKey::from_buf(expand_label_hash_len::<H>(
                    self.buf(),
                    labels::FINISHED,
                    &[],
                ))
            }
        }
    };
}

impl_traffic_keys!(EarlyTrafficSecret);
impl_traffic_keys!(HandshakeTrafficSecret);
impl_traffic_keys!(ApplicationTrafficSecret);
impl_finished_key!(HandshakeTrafficSecret);
impl_finished_key!(ApplicationTrafficSecret);
pub(super) use impl_finished_key;

impl<H: HashAlgorithm> ApplicationTrafficSecret<H> {
    /// `application_traffic_secret_N+1 =
    /// HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length)`
    /// (RFC 8446 section 7.2): the secret after a KeyUpdate. Drop `self`
    /// afterwards so the old generation is wiped.
    #[must_use]
    pub fn next_generation(&self) -> Self {
        Self::from_buf(expand_label_hash_len::<H>(
            self.buf(),
            labels::TRAFFIC_UPD,
            &[],
        ))
    }
}

impl<H: HashAlgorithm> FinishedKey<H> {
    /// `verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context,
    /// Certificate*, CertificateVerify*))` (RFC 8446 section 4.4.4); for a PSK
    /// binder the transcript is the truncated ClientHello (section 4.2.11.2).
    ///
    /// Compare a received value with the result using `==`, which is
    /// constant-time.
    #[must_use]
    pub fn verify_data(&self, transcript_hash: &TranscriptHash<H>) -> HmacTag<H> {
        hmac_sign::<H>(self.as_bytes(), transcript_hash.as_bytes())
    }
}
