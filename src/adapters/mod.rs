//! Layer 5: adapters to the TLS stacks and to the RustCrypto KEM traits, behind their features. Nothing below them knows they
//! exist: each translates types and errors and calls the groups' run-time API.
//!
//! - [`rustls`] (feature `rustls`): the rustls 0.23 provider;
//! - [`rustls_0_24`] (feature `rustls-0_24`): the rustls 0.24 provider;
//! - [`kem`] (feature `kem`): the groups as RustCrypto KEMs (`kem` 0.3 traits);
//! - `glue`: what the rustls adapters share, with no rustls type in it.

#[cfg(any_rustls)]
pub(crate) mod glue;
#[cfg(feature = "kem")]
pub mod kem;
#[cfg(feature = "rustls")]
pub mod rustls;
#[cfg(feature = "rustls-0_24")]
pub mod rustls_0_24;
