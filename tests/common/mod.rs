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

/// The codepoints the default `GroupPolicy` offers, in order: the hybrids (X25519MLKEM768
/// first), pure ML-KEM, then the classical groups (X25519 first).
pub const DEFAULT_PRESET_OFFER: [u16; 8] = [
    0x11EC, 0x11EB, 0x11ED, 0x0201, 0x0202, 0x001D, 0x0017, 0x0018,
];

/// The codepoints the NIST `GroupPolicy` offers, in order: SecP256r1MLKEM768 first, and
/// secp256r1 first among the classical groups.
pub const NIST_PRESET_OFFER: [u16; 8] = [
    0x11EB, 0x11EC, 0x11ED, 0x0201, 0x0202, 0x0017, 0x001D, 0x0018,
];
