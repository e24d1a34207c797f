//! `HkdfLabel`, HKDF-Expand-Label and Derive-Secret (RFC 8446 section 7.1).
//!
//! ```text
//! HKDF-Expand-Label(Secret, Label, Context, Length) =
//!      HKDF-Expand(Secret, HkdfLabel, Length)
//!
//! struct {
//!     uint16 length = Length;
//!     opaque label<7..255> = "tls13 " + Label;
//!     opaque context<0..255> = Context;
//! } HkdfLabel;
//!
//! Derive-Secret(Secret, Label, Messages) =
//!      HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
//! ```
//!
//! Every length limit of the structure is enforced with a typed
//! [`KeyScheduleError`]; nothing here allocates or panics.

use super::hkdf::{Prk, expand_raw, zeroed_hash_len};
use zeroize::Zeroize;

use super::secret::SecretBuf;
use super::{HashAlgorithm, KeyScheduleError, TranscriptHash};

/// The prefix RFC 8446 section 7.1 puts in front of every label: `"tls13 "`.
pub(crate) const LABEL_PREFIX: &[u8] = b"tls13 ";

/// Shortest full label (`"tls13 " + Label`) allowed by `opaque label<7..255>`
/// (RFC 8446 section 7.1).
pub(crate) const MIN_FULL_LABEL_LEN: usize = 7;

/// Longest full label (`"tls13 " + Label`) allowed by `opaque label<7..255>`
/// (RFC 8446 section 7.1); the label without prefix is at most 249 bytes.
pub const MAX_FULL_LABEL_LEN: usize = 255;

/// Longest context allowed by `opaque context<0..255>` (RFC 8446 section 7.1).
pub const MAX_CONTEXT_LEN: usize = 255;

/// Longest possible encoded `HkdfLabel`: 2 + (1 + 255) + (1 + 255) bytes
/// (RFC 8446 section 7.1). A buffer of this size always fits
/// [`HkdfLabel::encode_into`].
pub const MAX_HKDF_LABEL_LEN: usize = 2 + 1 + MAX_FULL_LABEL_LEN + 1 + MAX_CONTEXT_LEN;

/// A validated `HkdfLabel` (RFC 8446 section 7.1), borrowing its label and context.
///
/// It exists so the encoding can be fed to HKDF-Expand as borrowed parts
/// ([`Self::info_parts`], no copy and no allocation) and checked byte for
/// byte against published encodings ([`Self::encode_into`]). Construction
/// enforces every length limit, so a value of this type always encodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HkdfLabel<'a> {
    length: [u8; 2],
    full_label_len: [u8; 1],
    label: &'a [u8],
    context_len: [u8; 1],
    context: &'a [u8],
}

impl<'a> HkdfLabel<'a> {
    /// Builds `HkdfLabel { length, "tls13 " + label, context }`.
    ///
    /// `label` is given without the `"tls13 "` prefix (e.g. `b"c hs traffic"`).
    ///
    /// # Errors
    /// * [`KeyScheduleError::LabelLength`] if `6 + label.len()` is outside `7..=255`;
    /// * [`KeyScheduleError::ContextTooLong`] if `context.len() > 255`;
    /// * [`KeyScheduleError::OutputTooLong`] if `length` does not fit the
    ///   `uint16 length` field.
    pub fn new(
        label: &'a [u8],
        context: &'a [u8],
        length: usize,
    ) -> Result<Self, KeyScheduleError> {
        let full_len = LABEL_PREFIX.len().saturating_add(label.len());
        let full_label_len = match u8::try_from(full_len) {
            Ok(len) if full_len >= MIN_FULL_LABEL_LEN => len,
            _ => return Err(KeyScheduleError::LabelLength { len: full_len }),
        };
        let context_len = u8::try_from(context.len())
            .map_err(|_| KeyScheduleError::ContextTooLong { len: context.len() })?;
        let length = u16::try_from(length).map_err(|_| KeyScheduleError::OutputTooLong {
            len: length,
            max: usize::from(u16::MAX),
        })?;
        Ok(Self {
            length: length.to_be_bytes(),
            full_label_len: [full_label_len],
            label,
            context_len: [context_len],
            context,
        })
    }

    /// The `uint16 length` field (RFC 8446 section 7.1): the number of bytes
    /// HKDF-Expand will produce.
    #[must_use]
    pub fn length(&self) -> u16 {
        u16::from_be_bytes(self.length)
    }

    /// The encoding as consecutive parts: `length`, label length, `"tls13 "`,
    /// label, context length, context. Their concatenation is the `info`
    /// input of HKDF-Expand (RFC 8446 section 7.1).
    #[must_use]
    pub fn info_parts(&self) -> [&[u8]; 6] {
        [
            &self.length,
            &self.full_label_len,
            LABEL_PREFIX,
            self.label,
            &self.context_len,
            self.context,
        ]
    }

    /// Length in bytes of the encoded `HkdfLabel` (RFC 8446 section 7.1), at
    /// most [`MAX_HKDF_LABEL_LEN`].
    #[must_use]
    pub fn encoded_len(&self) -> usize {
        self.info_parts().iter().map(|part| part.len()).sum()
    }

    /// Writes the `HkdfLabel` encoding (RFC 8446 sections 3 and 7.1: `uint16`
    /// big-endian, `opaque<..>` vectors with a one-byte length) to the start of
    /// `out` and returns that prefix; useful to compare against published
    /// traces such as RFC 8448.
    ///
    /// # Errors
    /// [`KeyScheduleError::BufferTooSmall`] if `out` is shorter than
    /// [`Self::encoded_len`].
    pub fn encode_into<'b>(&self, out: &'b mut [u8]) -> Result<&'b [u8], KeyScheduleError> {
        let needed = self.encoded_len();
        if out.len() < needed {
            return Err(KeyScheduleError::BufferTooSmall {
                needed,
                available: out.len(),
            });
        }
        let mut pos = 0usize;
        for part in self.info_parts() {
            let end = pos.saturating_add(part.len());
            let Some(dst) = out.get_mut(pos..end) else {
                return Err(KeyScheduleError::BufferTooSmall {
                    needed,
                    available: out.len(),
                });
            };
            dst.copy_from_slice(part);
            pos = end;
        }
        let out: &'b [u8] = out;
        Ok(out.get(..pos).unwrap_or_default())
    }
}

/// HKDF-Expand-Label(Secret, Label, Context, Length) (RFC 8446 section 7.1),
/// with `Length = out.len()`.
///
/// `label` is given without the `"tls13 "` prefix.
///
/// # Errors
/// [`KeyScheduleError::LabelLength`], [`KeyScheduleError::ContextTooLong`] or
/// [`KeyScheduleError::OutputTooLong`] (more than `255 * HashLen` or 65535
/// bytes) when an `HkdfLabel` limit is exceeded; `out` is left untouched then.
pub fn expand_label<H: HashAlgorithm>(
    secret: &Prk<H>,
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), KeyScheduleError> {
    expand_label_raw::<H>(secret.as_bytes(), label, context, out)
}

/// Derive-Secret(Secret, Label, Messages) (RFC 8446 section 7.1), given
/// `Transcript-Hash(Messages)`: a `Hash.length`-byte secret.
///
/// # Errors
/// [`KeyScheduleError::LabelLength`] if `label` is empty or longer than 249 bytes.
pub fn derive_secret<H: HashAlgorithm>(
    secret: &Prk<H>,
    label: &[u8],
    transcript_hash: &TranscriptHash<H>,
) -> Result<Prk<H>, KeyScheduleError> {
    let mut buf = zeroed_hash_len::<H>();
    expand_label_raw::<H>(
        secret.as_bytes(),
        label,
        transcript_hash.as_bytes(),
        buf.as_mut_bytes(),
    )?;
    Ok(Prk::from_buf(buf))
}

/// Derive-Secret(Secret, Label, Messages) (RFC 8446 section 7.1), hashing the
/// handshake `messages` (each with its 4-byte header, in order) first.
///
/// # Errors
/// As [`derive_secret`].
pub fn derive_secret_from_messages<H: HashAlgorithm>(
    secret: &Prk<H>,
    label: &[u8],
    messages: &[&[u8]],
) -> Result<Prk<H>, KeyScheduleError> {
    derive_secret(secret, label, &TranscriptHash::of_messages(messages))
}

/// HKDF-Expand-Label on raw secret bytes; all length checks are done here.
pub(crate) fn expand_label_raw<H: HashAlgorithm>(
    secret: &[u8],
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), KeyScheduleError> {
    let hkdf_label = HkdfLabel::new(label, context, out.len())?;
    expand_raw::<H>(secret, &hkdf_label.info_parts(), out)
}

/// A label of RFC 8446 (without the `"tls13 "` prefix) whose length is
/// checked at compile time, so derivations using it cannot fail.
#[derive(Clone, Copy)]
pub(crate) struct StaticLabel(&'static [u8]);

impl StaticLabel {
    /// Panics at compile time (the constructor is only used in `const` items)
    /// if the label violates `opaque label<7..255>`.
    pub(crate) const fn new(label: &'static [u8]) -> Self {
        assert!(label.len() + LABEL_PREFIX.len() >= MIN_FULL_LABEL_LEN);
        assert!(label.len() + LABEL_PREFIX.len() <= MAX_FULL_LABEL_LEN);
        Self(label)
    }

    /// The label bytes, without the `"tls13 "` prefix.
    pub(crate) const fn as_bytes(self) -> &'static [u8] {
        self.0
    }
}

/// HKDF-Expand-Label(secret, label, context, Hash.length) for the fixed labels
/// of RFC 8446 and a context of at most `Hash.length` bytes (a transcript
/// hash or the empty string).
///
/// Cannot fail: the label is checked at compile time, the context is at most
/// 48 bytes, and `Hash.length <= 255 * Hash.length`. Should the impossible
/// happen anyway, the result stays all-zero rather than panicking.
pub(crate) fn expand_label_hash_len<H: HashAlgorithm>(
    secret: &SecretBuf,
    label: StaticLabel,
    context: &[u8],
) -> SecretBuf {
    let mut buf = zeroed_hash_len::<H>();
    if expand_label_raw::<H>(secret.as_bytes(), label.0, context, buf.as_mut_bytes()).is_err() {
        // Unreachable (see above); never hand out partially written output.
        buf.zeroize();
    }
    buf
}

/// The labels of RFC 8446 sections 4.4.4, 4.6.1, 7.1, 7.2, 7.3 and 7.5.
pub(crate) mod labels {
    use super::StaticLabel;

    pub(crate) const EXT_BINDER: StaticLabel = StaticLabel::new(b"ext binder");
    pub(crate) const RES_BINDER: StaticLabel = StaticLabel::new(b"res binder");
    pub(crate) const C_E_TRAFFIC: StaticLabel = StaticLabel::new(b"c e traffic");
    pub(crate) const E_EXP_MASTER: StaticLabel = StaticLabel::new(b"e exp master");
    pub(crate) const DERIVED: StaticLabel = StaticLabel::new(b"derived");
    pub(crate) const C_HS_TRAFFIC: StaticLabel = StaticLabel::new(b"c hs traffic");
    pub(crate) const S_HS_TRAFFIC: StaticLabel = StaticLabel::new(b"s hs traffic");
    pub(crate) const C_AP_TRAFFIC: StaticLabel = StaticLabel::new(b"c ap traffic");
    pub(crate) const S_AP_TRAFFIC: StaticLabel = StaticLabel::new(b"s ap traffic");
    pub(crate) const EXP_MASTER: StaticLabel = StaticLabel::new(b"exp master");
    pub(crate) const RES_MASTER: StaticLabel = StaticLabel::new(b"res master");
    pub(crate) const FINISHED: StaticLabel = StaticLabel::new(b"finished");
    pub(crate) const TRAFFIC_UPD: StaticLabel = StaticLabel::new(b"traffic upd");
    pub(crate) const KEY: StaticLabel = StaticLabel::new(b"key");
    pub(crate) const IV: StaticLabel = StaticLabel::new(b"iv");
    pub(crate) const EXPORTER: StaticLabel = StaticLabel::new(b"exporter");
    pub(crate) const RESUMPTION: StaticLabel = StaticLabel::new(b"resumption");
}
