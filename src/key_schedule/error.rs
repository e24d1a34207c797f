//! The typed error of the key schedule.
//!
//! Every length limit that RFC 8446 section 7.1 puts on `HkdfLabel` (and every
//! limit HKDF-Expand itself has, RFC 5869 section 2.3) is checked up front and
//! reported through [`KeyScheduleError`], so no input can make the key schedule
//! panic.

use core::fmt;

/// Why a key-schedule operation refused its input.
///
/// RFC 8446 section 7.1 defines `HkdfLabel` as
/// `uint16 length; opaque label<7..255>; opaque context<0..255>;`, and
/// HKDF-Expand (RFC 5869 section 2.3) can produce at most `255 * HashLen`
/// bytes. Each variant names one of those limits (or a fixed-size buffer limit
/// of this crate) together with the offending length, so a caller can tell
/// exactly which argument was wrong without any secret being revealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyScheduleError {
    /// The full label `"tls13 " + label` is outside `7..=255` bytes
    /// (RFC 8446 section 7.1, `opaque label<7..255>`): the label given without
    /// the prefix must be 1 to 249 bytes long.
    LabelLength {
        /// Length in bytes of the full label, including the 6-byte `"tls13 "` prefix.
        len: usize,
    },
    /// The `HkdfLabel` context is longer than 255 bytes
    /// (RFC 8446 section 7.1, `opaque context<0..255>`).
    ContextTooLong {
        /// Length in bytes of the rejected context.
        len: usize,
    },
    /// The requested output is longer than allowed: HKDF-Expand produces at most
    /// `255 * HashLen` bytes (RFC 5869 section 2.3), `HkdfLabel.length` is a
    /// `uint16` (RFC 8446 section 7.1), and the fixed-size key/IV containers of
    /// this module hold at most 48 bytes.
    OutputTooLong {
        /// The requested output length in bytes.
        len: usize,
        /// The largest length accepted for this operation.
        max: usize,
    },
    /// A value that must be exactly `HashLen` bytes long (a pseudorandom key,
    /// RFC 5869 section 2.3, or a transcript hash, RFC 8446 section 4.4.1) had
    /// another length.
    InvalidLength {
        /// Length in bytes of the rejected value.
        len: usize,
        /// The required length (the hash output length).
        expected: usize,
    },
    /// A caller-supplied buffer is too small to hold an encoded `HkdfLabel`
    /// (RFC 8446 section 7.1).
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
}

impl fmt::Display for KeyScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::LabelLength { len } => write!(
                f,
                "HkdfLabel label is {len} bytes including \"tls13 \"; RFC 8446 section 7.1 requires 7..=255"
            ),
            Self::ContextTooLong { len } => write!(
                f,
                "HkdfLabel context is {len} bytes; RFC 8446 section 7.1 allows at most 255"
            ),
            Self::OutputTooLong { len, max } => {
                write!(
                    f,
                    "requested output of {len} bytes exceeds the maximum of {max}"
                )
            }
            Self::InvalidLength { len, expected } => {
                write!(f, "value is {len} bytes long, expected exactly {expected}")
            }
            Self::BufferTooSmall { needed, available } => write!(
                f,
                "buffer of {available} bytes is too small, {needed} bytes are needed"
            ),
        }
    }
}

impl core::error::Error for KeyScheduleError {}
