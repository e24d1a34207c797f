//! The rustls 0.24 adapter (feature `rustls-0_24`): this crate's groups and key schedule inside
//! any rustls 0.24 `CryptoProvider`, beside the 0.23 adapter while rustls 0.24 is a pre-release.
//!
//! It differs from the 0.23 adapter (`hybrid_kx::rustls`) only where the rustls traits differ: 0.24 starts a client
//! key exchange as `StartedKeyExchange::{Single, Hybrid}` and offers a hybrid's reused classical
//! share (RFC 9954 section 3.2) through `HybridKeyExchange`, reports FIPS status as
//! `FipsStatus`, and keeps provider lists in `Cow`s. The exchange, the group policy and the HKDF
//! core are the same code. rustls 0.24's ring provider (`rustls-ring`) has no post-quantum group
//! at all, and its aws-lc-rs provider no SecP384r1MLKEM1024: this adapter brings both.
//!
//! ```
//! # #[cfg(feature = "ring-0_24")] {
//! let provider = hybrid_kx::rustls_0_24::default_provider(); // rustls-ring + our groups and HKDF
//! assert_eq!(provider.kx_groups[0].name().0, 0x11EC); // X25519MLKEM768
//! # }
//! ```
//!
//! Errors reach rustls as in the 0.23 adapter: a bad key share is
//! `PeerMisbehaved::InvalidKeyShare` (`illegal_parameter`), a failed random source
//! `FailedToGetRandomBytes`, anything else `Error::General`. rustls 0.24 chooses the alert from
//! the error, and has no error that sends `internal_error` (80): `Error::General` sends
//! `general_error` (117), the closest it offers.

mod hkdf;
mod kx_group;
mod provider;

pub use crate::adapters::glue::policy::{ClassicalGroups, GroupPolicy, HkdfSource};
pub use hkdf::{HKDF_SHA256, HKDF_SHA384};
pub use kx_group::{
    ALL_KX_GROUPS, DEFAULT_KX_GROUPS, MLKEM512, MLKEM768, MLKEM1024, SECP256R1MLKEM768,
    SECP384R1MLKEM1024, X25519MLKEM768, kx_group,
};
#[cfg(feature = "ring-0_24")]
pub use provider::default_provider;
pub use provider::with_hybrid_kx;
