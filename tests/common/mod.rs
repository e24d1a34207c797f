//! Helpers shared by the integration tests (the fixtures every member shares are in
//! `hybrid-kx-support`).
#![allow(dead_code)]

pub mod hello;

// One policy type serves both adapters.
#[cfg(feature = "rustls")]
use hybrid_kx::rustls::GroupPolicy;
#[cfg(all(feature = "rustls-0_24", not(feature = "rustls")))]
use hybrid_kx::rustls_0_24::GroupPolicy;
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

/// A stricter preset's expected behaviour against our default server: the policy, the groups
/// its ClientHello offers, its key shares (codepoint, size: RFC 10024 section 4,
/// draft-ietf-tls-mlkem section 3, RFC 8446 section 4.2.8.2), the group negotiated.
#[cfg(any(feature = "rustls", feature = "rustls-0_24"))]
pub type Preset = (GroupPolicy, &'static [u16], &'static [(u16, usize)], u16);

/// NIST: SecP256r1MLKEM768 with a secp256r1 share; CNSA 2.0: SecP384r1MLKEM1024 with a
/// secp384r1 share and nothing else; PQ only: pure ML-KEM, no classical group. The same on
/// either rustls version.
#[cfg(any(feature = "rustls", feature = "rustls-0_24"))]
pub fn strict_presets() -> [Preset; 3] {
    [
        (
            GroupPolicy::nist(),
            &NIST_PRESET_OFFER,
            &[(0x11EB, 1249), (0x0017, 65)],
            0x11EB,
        ),
        (
            GroupPolicy::cnsa2(),
            &[0x11ED, 0x0018],
            &[(0x11ED, 1665), (0x0018, 97)],
            0x11ED,
        ),
        (
            GroupPolicy::pq_only(),
            &[0x0202, 0x0201],
            &[(0x0202, 1568)],
            0x0202,
        ),
    ]
}
