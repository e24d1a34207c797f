//! Helpers shared by the integration tests (the fixtures every member shares are in
//! `hybrid-kx-support`).
#![allow(dead_code)]

pub mod hello;
#[cfg(feature = "ring")]
pub mod tls;
#[cfg(feature = "ring-0_24")]
pub mod tls_0_24;

/// The codepoints of a provider's groups, in order (either rustls version's `NamedGroup`).
pub fn codepoints<N: Into<u16>>(names: impl IntoIterator<Item = N>) -> Vec<u16> {
    names.into_iter().map(Into::into).collect()
}
