//! Keying-material exporters (RFC 8446 section 7.5).
//!
//! ```text
//! TLS-Exporter(label, context_value, key_length) =
//!     HKDF-Expand-Label(Derive-Secret(Secret, label, ""),
//!                       "exporter", Hash(context_value), key_length)
//! ```
//!
//! where Secret is `early_exporter_master_secret` or `exporter_master_secret`.

use zeroize::Zeroize;

use super::hkdf::{check_output_len, zeroed_hash_len};
use super::hkdf_label::{expand_label_raw, labels};
use super::secret::define_hash_secret;
use super::{HashAlgorithm, KeyScheduleError, TranscriptHash};

define_hash_secret!(
    /// `exporter_master_secret` or `early_exporter_master_secret`
    /// (RFC 8446 section 7.1): the Secret of the TLS exporter
    /// ([`Self::export`], RFC 8446 section 7.5), which lets applications derive
    /// keying material bound to the connection (RFC 5705).
    ExporterMasterSecret
);

impl<H: HashAlgorithm> ExporterMasterSecret<H> {
    /// `TLS-Exporter(label, context_value, out.len())` (RFC 8446 section 7.5),
    /// written to `out`.
    ///
    /// `label` is the exporter label (e.g. `b"EXPORTER-my-protocol"`), which
    /// goes through Derive-Secret and therefore gets the `"tls13 "` prefix.
    /// TLS 1.3 does not distinguish an absent context from an empty one, so
    /// pass `&[]` for "no context".
    ///
    /// # Errors
    /// [`KeyScheduleError::LabelLength`] if `label` is empty or longer than
    /// 249 bytes; [`KeyScheduleError::OutputTooLong`] if `out` is longer than
    /// `255 * HashLen` bytes. `out` is left untouched on error.
    pub fn export(
        &self,
        label: &[u8],
        context: &[u8],
        out: &mut [u8],
    ) -> Result<(), KeyScheduleError> {
        check_output_len::<H>(out.len())?;
        // Derive-Secret(Secret, label, "") uses Transcript-Hash("") = Hash("").
        let mut derived = zeroed_hash_len::<H>();
        expand_label_raw::<H>(
            self.as_bytes(),
            label,
            TranscriptHash::<H>::empty().as_bytes(),
            derived.as_mut_bytes(),
        )?;
        let context_hash = H::hash(context);
        let result = expand_label_raw::<H>(
            derived.as_bytes(),
            labels::EXPORTER.as_bytes(),
            context_hash.as_bytes(),
            out,
        );
        if result.is_err() {
            out.zeroize();
        }
        result
    }
}
