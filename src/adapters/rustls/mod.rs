//! The rustls 0.23 adapter (feature `rustls`): this crate's groups and key schedule inside any
//! rustls `CryptoProvider`.
//!
//! A thin layer: it only translates types and errors (the exchange, the policy and the HKDF
//! core are shared with the rustls 0.24 adapter), so the core survives rustls API changes.
//!
//! ```
//! # #[cfg(feature = "ring")] {
//! use std::sync::Arc;
//!
//! let provider = Arc::new(hybrid_kx::rustls::default_provider()); // ring + our groups and HKDF
//! let config = rustls::ClientConfig::builder_with_provider(provider)
//!     .with_protocol_versions(&[&rustls::version::TLS13])
//!     .unwrap()
//!     .with_root_certificates(rustls::RootCertStore::empty())
//!     .with_no_client_auth();
//! # let _ = config;
//! # }
//! ```
//!
//! On another base: `hybrid_kx::rustls::with_hybrid_kx(rustls::crypto::aws_lc_rs::default_provider())`.
//! Another group order, classical fallback or HKDF: [`GroupPolicy`] and its presets.

mod hkdf;
mod kx_group;
mod provider;

pub(crate) use kx_group::to_rustls_error;

pub use crate::adapters::glue::policy::{ClassicalGroups, GroupPolicy, HkdfSource};
pub use hkdf::{HKDF_SHA256, HKDF_SHA384};
pub use kx_group::{
    ALL_KX_GROUPS, DEFAULT_KX_GROUPS, MLKEM512, MLKEM768, MLKEM1024, SECP256R1MLKEM768,
    SECP384R1MLKEM1024, X25519MLKEM768, kx_group,
};
#[cfg(feature = "ring")]
pub use provider::default_provider;
pub use provider::with_hybrid_kx;
