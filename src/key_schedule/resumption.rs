//! Session resumption secrets (RFC 8446 sections 4.6.1 and 7.1).
//!
//! ```text
//! resumption_master_secret = Derive-Secret(Master Secret, "res master",
//!                                          ClientHello...client Finished)
//! PSK = HKDF-Expand-Label(resumption_master_secret, "resumption",
//!                         ticket_nonce, Hash.length)
//! ```

use super::hkdf::zeroed_hash_len;
use super::hkdf_label::{expand_label_raw, labels};
use super::secret::define_hash_secret;
use super::{HashAlgorithm, KeyScheduleError};

define_hash_secret!(
    /// `resumption_master_secret` (RFC 8446 section 7.1): the secret from which
    /// the PSK of each NewSessionTicket is derived ([`Self::resumption_psk`],
    /// RFC 8446 section 4.6.1).
    ResumptionMasterSecret
);

define_hash_secret!(
    /// The PSK associated with one session ticket (RFC 8446 section 4.6.1), to
    /// be used as the IKM of the next connection's early secret
    /// ([`super::EarlySecret::from_resumption_psk`], RFC 8446 section 7.1).
    ResumptionPsk
);

impl<H: HashAlgorithm> ResumptionMasterSecret<H> {
    /// `HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce,
    /// Hash.length)` (RFC 8446 section 4.6.1).
    ///
    /// # Errors
    /// [`KeyScheduleError::ContextTooLong`] if `ticket_nonce` is longer than
    /// 255 bytes (`opaque ticket_nonce<0..255>`).
    pub fn resumption_psk(
        &self,
        ticket_nonce: &[u8],
    ) -> Result<ResumptionPsk<H>, KeyScheduleError> {
        let mut buf = zeroed_hash_len::<H>();
        expand_label_raw::<H>(
            self.as_bytes(),
            labels::RESUMPTION.as_bytes(),
            ticket_nonce,
            buf.as_mut_bytes(),
        )?;
        Ok(ResumptionPsk::from_buf(buf))
    }
}
