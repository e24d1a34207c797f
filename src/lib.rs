//! # hybrid-kx
//!
//! Post-quantum hybrid key exchange for TLS 1.3, byte-exact to RFC 10024 (was
//! draft-ietf-tls-ecdhe-mlkem) and draft-ietf-tls-mlkem:
//!
//! | group | codepoint | client share | server share | shared secret |
//! |---|---|---|---|---|
//! | [`X25519MLKEM768`] | `0x11EC` | 1216 | 1120 | 64 |
//! | [`SecP256r1MLKEM768`] | `0x11EB` | 1249 | 1153 | 64 |
//! | [`SecP384r1MLKEM1024`] | `0x11ED` | 1665 | 1665 | 80 |
//! | [`MLKEM768`] | `0x0201` | 1184 | 1088 | 32 |
//! | [`MLKEM1024`] | `0x0202` | 1568 | 1568 | 32 |
//! | [`MLKEM512`] (opt-in) | `0x0200` | 800 | 768 | 32 |
//!
//! The core has no TLS-stack types: a client makes a key share, a server answers in one step
//! (the KEM shape of RFC 8446 section 4.2.8), the client completes.
//!
//! ```
//! # #[cfg(feature = "getrandom")] {
//! use hybrid_kx::{Group, X25519MLKEM768};
//!
//! let (client_share, client_state) = X25519MLKEM768::generate_key_share()?;
//! let (server_share, server_secret) = X25519MLKEM768::encapsulate(&client_share)?;
//! let client_secret = client_state.complete(&server_share)?;
//! assert_eq!(client_secret, server_secret); // constant-time comparison
//! assert_eq!(client_secret.len(), 64);
//! # }
//! # Ok::<(), hybrid_kx::Error>(())
//! ```
//!
//! Every validation the specifications make a MUST is done and reported as a typed [`Error`]
//! whose [`Error::alert`] is the TLS alert to send. Secrets are zeroized on drop, compared in
//! constant time and never printed.
//!
//! ## The API
//! - the groups: [`Group`] (one type per group), [`NamedGroup`] (chosen at run time),
//!   [`ClientState`] / [`AnyClientState`], [`SharedSecret`], [`Error`];
//! - `key_schedule` (feature `key-schedule`): the TLS 1.3 key schedule of RFC 8446 section
//!   7.1 on its own (the rustls adapter's HKDF runs on it either way);
//! - [`backend`]: which implementation runs each primitive;
//! - `pool` (feature `std`): key shares generated ahead of time;
//! - `rustls` (feature `rustls`): the rustls 0.23 provider adapter; `rustls_0_24` (feature
//!   `rustls-0_24`): the same for rustls 0.24;
//! - `kem` (feature `kem`): every group as a RustCrypto KEM (the `kem` 0.3 traits);
//! - `components` (feature `hazmat`): each primitive alone, the deterministic and per-backend
//!   entry points, for known-answer tests, benchmarks and audits.

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// A warning, which CI's clippy denies on the current toolchain: Rust 1.89's lint also flags
// items that later compilers see as reachable through public trait bounds, and the MSRV check
// (`cargo +1.89 check`) must not fail on that.
#![warn(unreachable_pub)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod adapters;
pub mod backend;
#[cfg(feature = "hazmat")]
pub mod components;
// Without `hazmat` the components are the crate's internals; their items stay `pub` so that
// the `hazmat` build can show them.
#[cfg(not(feature = "hazmat"))]
#[allow(unreachable_pub)]
mod components;
mod declassify;
mod error;
mod groups;
#[cfg(feature = "key-schedule")]
pub mod key_schedule;
// Without `key-schedule` the key schedule is what the rustls adapter's HKDF runs on (and dead
// code without `rustls`); its items stay `pub` so that the `key-schedule` build can show them.
#[cfg(not(feature = "key-schedule"))]
#[allow(unreachable_pub, dead_code, unused_imports)]
mod key_schedule;
#[cfg(feature = "std")]
pub mod pool;
mod scrub;
mod shared_secret;

#[cfg(feature = "kem")]
pub use adapters::kem;
#[cfg(feature = "rustls")]
pub use adapters::rustls;
#[cfg(feature = "rustls-0_24")]
pub use adapters::rustls_0_24;
pub use backend::Backend;
pub use error::{Alert, Error, ShareKind};
pub use groups::{
    AnyClientState, ByteArray, ClientState, Group, GroupVisitor, HybridGroup, HybridGroupVisitor,
    KeyShareBytes, MLKEM512, MLKEM768, MLKEM1024, NamedGroup, SecP256r1MLKEM768,
    SecP384r1MLKEM1024, X25519MLKEM768,
};
pub use shared_secret::SharedSecret;

// The code blocks of the README and of the integration guide are compiled and run as doctests,
// so they cannot rot.
#[cfg(all(doctest, feature = "ring"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
#[cfg(all(doctest, feature = "ring"))]
#[doc = include_str!("../docs/integration.md")]
struct IntegrationDoctests;
