//! The TLS 1.3 key schedule (RFC 8446 section 7), generic over SHA-256 and SHA-384.
//!
//! Why it is here: a hybrid post-quantum key exchange only changes the IKM of
//! the Handshake Secret (RFC 9954 section 3.3: the concatenated hybrid shared
//! secret is used as the (EC)DHE input of RFC 8446 section 7.1). Having the
//! key schedule in the crate lets the whole path, from key shares to traffic
//! keys, be checked against published vectors without a TLS library.
//!
//! Layout (one concept per module):
//! * [`HashAlgorithm`], [`Sha256`], [`Sha384`], [`TranscriptHash`]: the
//!   cipher-suite hash and `Transcript-Hash` (RFC 8446 sections 4.4.1, 7.1);
//! * [`extract`], [`expand`], [`hmac_sign`], [`Prk`], [`HmacTag`]: the HKDF/HMAC
//!   primitives (RFC 5869), shaped for a TLS library's HKDF provider;
//! * [`HkdfLabel`], [`expand_label`], [`derive_secret`]: HKDF-Expand-Label and
//!   Derive-Secret (RFC 8446 section 7.1);
//! * [`EarlySecret`] → [`HandshakeSecret`] → [`MasterSecret`]: the secret chain
//!   as a typestate (RFC 8446 section 7.1);
//! * [`HandshakeTrafficSecret`], [`ApplicationTrafficSecret`], [`TrafficKey`],
//!   [`TrafficIv`], [`FinishedKey`]: record keys (section 7.3), Finished
//!   (section 4.4.4) and key update (section 7.2);
//! * [`ExporterMasterSecret::export`]: the TLS exporter (section 7.5);
//! * [`ResumptionMasterSecret::resumption_psk`]: ticket PSKs (section 4.6.1).
//!
//! Every secret type wipes itself on drop, never prints its bytes in `Debug`,
//! exposes them only through `as_bytes()`, and compares in constant time.
//! Secrets live in fixed [`MAX_SECRET_LEN`]-byte buffers: no allocation.
//!
//! ```
//! use hybrid_kx::key_schedule::{EarlySecret, Sha256, TranscriptHash};
//!
//! # let (client_hello, server_hello, shared_secret) = (&b"CH"[..], &b"SH"[..], [7u8; 64]);
//! let early = EarlySecret::<Sha256>::new(None);
//! let handshake = early.into_handshake_secret(Some(&shared_secret));
//! let ch_sh = TranscriptHash::<Sha256>::of_messages(&[client_hello, server_hello]);
//! let client_hs = handshake.client_handshake_traffic_secret(&ch_sh);
//! let key = client_hs.traffic_key(16)?; // AES-128-GCM
//! let iv = client_hs.traffic_iv(12)?;
//! # assert_eq!((key.len(), iv.len()), (16, 12));
//! # Ok::<(), hybrid_kx::key_schedule::KeyScheduleError>(())
//! ```

mod error;
mod exporter;
mod hash;
mod hkdf;
mod hkdf_label;
mod resumption;
mod schedule;
mod secret;
mod traffic;

pub use error::KeyScheduleError;
pub use exporter::ExporterMasterSecret;
pub use hash::{HashAlgorithm, Sha256, Sha384, TranscriptHash};
#[cfg(any_rustls)]
pub(crate) use hkdf::KeyedExpander;
pub use hkdf::{HmacTag, Prk, expand, extract, hmac_sign};
pub use hkdf_label::{
    HkdfLabel, MAX_CONTEXT_LEN, MAX_FULL_LABEL_LEN, MAX_HKDF_LABEL_LEN, derive_secret,
    derive_secret_from_messages, expand_label,
};
pub use resumption::{ResumptionMasterSecret, ResumptionPsk};
pub use schedule::{BinderKey, DerivedSecret, EarlySecret, HandshakeSecret, MasterSecret, PskKind};
pub use secret::MAX_SECRET_LEN;
pub use traffic::{
    ApplicationTrafficSecret, EarlyTrafficSecret, FinishedKey, HandshakeTrafficSecret, TrafficIv,
    TrafficKey,
};
