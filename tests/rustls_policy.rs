//! `GroupPolicy` presets in real rustls handshakes: the groups each preset puts in the provider,
//! the key shares its ClientHello carries on the wire, the group it negotiates, one round trip
//! against classical-only servers through the reused share, and whose HKDF the suites use.
#![cfg(feature = "ring")] // rustls + ring, and rcgen for certificates

mod common;

use std::io::{Read, Write};
use std::sync::Arc;

use common::tls::*;
use hybrid_kx::rustls::{ClassicalGroups, GroupPolicy, HkdfSource};
use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::{ClientConnection, ServerConnection};

fn ring() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// ring's provider with only `kx_groups`: a server of those groups alone.
fn ring_with(kx_groups: Vec<&'static dyn SupportedKxGroup>) -> CryptoProvider {
    CryptoProvider {
        kx_groups,
        ..ring()
    }
}

fn names(provider: &CryptoProvider) -> Vec<u16> {
    common::codepoints(provider.kx_groups.iter().map(|g| g.name()))
}

struct Outcome {
    client: ClientConnection,
    server: ServerConnection,
    transcript: Transcript,
}

fn handshake(client_provider: CryptoProvider, server_provider: CryptoProvider) -> Outcome {
    let id = identity();
    let (mut c, mut s) = connect(
        hybrid_kx_support::tls::client_config(Arc::new(client_provider), id.roots()).unwrap(),
        hybrid_kx_support::tls::server_config(Arc::new(server_provider), &id).unwrap(),
    );
    let t = handshake_in_memory(&mut c, &mut s);
    Outcome {
        client: c,
        server: s,
        transcript: t,
    }
}

/// One round trip (see [`one_round_trip`]) from `client` to hybrid-kx's default server.
fn with_default_server(client: CryptoProvider) -> (Vec<(u16, usize)>, u16) {
    one_round_trip(handshake(client, hybrid_kx::rustls::default_provider()))
}

/// A successful handshake: one ClientHello (no HelloRetryRequest), its key shares, the group both
/// sides negotiated, and application data in both directions.
fn one_round_trip(mut o: Outcome) -> (Vec<(u16, usize)>, u16) {
    let t = &o.transcript;
    t.assert_ok();
    let hellos = client_hellos(t);
    assert_eq!(hellos.len(), 1, "a HelloRetryRequest happened");
    let shares = client_hello_key_shares(&hellos[0]);
    let group = negotiated(&o.client);
    assert_eq!(negotiated(&o.server), group, "client and server disagree");
    o.client.writer().write_all(b"ping").unwrap();
    o.server.writer().write_all(b"pong").unwrap();
    let _ = handshake_in_memory(&mut o.client, &mut o.server);
    let mut got = [0u8; 4];
    o.server.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping");
    let _ = handshake_in_memory(&mut o.client, &mut o.server);
    o.client.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"pong");
    (shares, group)
}

// ------------------------------------------------------------------ presets

#[test]
fn default_preset_equals_with_hybrid_kx_and_negotiates_x25519mlkem768() {
    let preset = GroupPolicy::default().build(ring());
    let one_call = hybrid_kx::rustls::with_hybrid_kx(ring());
    assert_eq!(names(&preset), names(&one_call));
    assert_eq!(names(&preset), common::DEFAULT_PRESET_OFFER);
    let (shares, group) = with_default_server(preset);
    assert_eq!(shares, [(0x11EC, 1216), (0x001D, 32)]);
    assert_eq!(group, 0x11EC);
}

/// The stricter presets (`common::strict_presets`) on the wire: offers, shares, group.
#[test]
fn nist_cnsa2_and_pq_only_presets_offer_and_negotiate() {
    let cases = common::strict_presets();
    for (policy, offered, want_shares, want_group) in cases {
        let preset = policy.build(ring());
        assert_eq!(names(&preset), offered, "{policy:?}");
        let (shares, group) = with_default_server(preset);
        assert_eq!(shares, want_shares, "{policy:?}");
        assert_eq!(group, want_group, "{policy:?}");
    }
}

#[test]
fn nist_preset_meets_a_p256_only_server_in_one_round_trip() {
    // rustls#2495: a P-256-only server answers the default ClientHello with a HelloRetryRequest.
    let p256_only = ring_with(vec![rustls::crypto::ring::kx_group::SECP256R1]);
    let (shares, group) = one_round_trip(handshake(GroupPolicy::nist().build(ring()), p256_only));
    assert_eq!(shares, [(0x11EB, 1249), (0x0017, 65)]);
    assert_eq!(group, 0x0017);
}

#[test]
fn default_preset_against_a_p256_only_server_needs_a_hello_retry_request() {
    // The contrast that motivates the NIST preset: the same server, the default policy.
    let p256_only = ring_with(vec![rustls::crypto::ring::kx_group::SECP256R1]);
    let o = handshake(GroupPolicy::default().build(ring()), p256_only);
    assert!(o.transcript.client_error.is_none() && o.transcript.server_error.is_none());
    assert_eq!(client_hellos(&o.transcript).len(), 2);
    assert_eq!(negotiated(&o.client), 0x0017);
}

#[test]
fn cnsa2_preset_without_classical_refuses_an_x25519_only_server() {
    let strict = GroupPolicy::cnsa2()
        .classical(ClassicalGroups::None)
        .build(ring());
    assert_eq!(names(&strict), [0x11ED]);
    let x25519_only = ring_with(vec![ring_x25519()]);
    let o = handshake(strict, x25519_only);
    assert!(
        o.transcript.server_error.is_some(),
        "no common group, yet the server did not fail"
    );
    assert!(o.client.negotiated_key_exchange_group().is_none());
}

#[test]
fn pq_only_preset_fails_against_a_classical_only_server() {
    let classical_only = ring(); // X25519, secp256r1, secp384r1
    let o = handshake(GroupPolicy::pq_only().build(ring()), classical_only);
    assert!(o.transcript.server_error.is_some());
    assert!(o.client.negotiated_key_exchange_group().is_none());
}

// ------------------------------------------------------------------ reused share, no HRR

#[test]
fn default_preset_meets_an_x25519_only_server_in_one_round_trip_on_the_reused_share() {
    let x25519_only = ring_with(vec![ring_x25519()]);
    let (shares, group) =
        one_round_trip(handshake(GroupPolicy::default().build(ring()), x25519_only));
    // Both shares come from one key generation (RFC 9954 section 3.2); the server takes X25519.
    assert_eq!(shares, [(0x11EC, 1216), (0x001D, 32)]);
    assert_eq!(group, 0x001D);
}

#[test]
fn reused_share_only_keeps_exactly_the_matching_classical_group() {
    let p = GroupPolicy::new(&[hybrid_kx::NamedGroup::X25519MLKEM768])
        .classical(ClassicalGroups::ReusedShareOnly)
        .build(ring());
    assert_eq!(names(&p), [0x11EC, 0x001D]);
    // A pure ML-KEM first group has no classical half: nothing classical is kept.
    let p = GroupPolicy::new(&[hybrid_kx::NamedGroup::MLKEM768])
        .classical(ClassicalGroups::ReusedShareOnly)
        .build(ring());
    assert_eq!(names(&p), [0x0201]);
    // Without classical groups the hybrid share goes alone.
    let p = GroupPolicy::default()
        .classical(ClassicalGroups::None)
        .build(ring());
    assert_eq!(names(&p), [0x11EC, 0x11EB, 0x11ED, 0x0201, 0x0202]);
    let (shares, group) = with_default_server(p);
    assert_eq!(shares, [(0x11EC, 1216)]);
    assert_eq!(group, 0x11EC);
}

#[test]
fn repeated_groups_are_kept_at_their_first_place() {
    use hybrid_kx::NamedGroup::{MLKEM768, X25519MLKEM768};
    let p = GroupPolicy::new(&[X25519MLKEM768, MLKEM768, X25519MLKEM768]);
    assert_eq!(p.named_groups(), [X25519MLKEM768, MLKEM768]);
}

#[test]
fn a_base_with_its_own_hybrid_uses_ours() {
    // A base that already has an X25519MLKEM768 (as aws-lc-rs does) gets ours in its place.
    let base = ring_with(vec![
        hybrid_kx::rustls::X25519MLKEM768, // stands in for the base's own
        ring_x25519(),
    ]);
    let p = GroupPolicy::default().build(base);
    assert_eq!(names(&p), [0x11EC, 0x11EB, 0x11ED, 0x0201, 0x0202, 0x001D]);
}

// ------------------------------------------------------------------ whose HKDF

/// For each TLS 1.3 suite: (suite, is our HKDF, is the base's HKDF).
fn hkdf_owners(provider: &CryptoProvider) -> Vec<(rustls::CipherSuite, bool, bool)> {
    let base = ring();
    provider
        .cipher_suites
        .iter()
        .filter_map(|s| s.tls13())
        .map(|s| {
            let ours = match s.common.hash_provider.algorithm() {
                rustls::crypto::hash::HashAlgorithm::SHA256 => hybrid_kx::rustls::HKDF_SHA256,
                rustls::crypto::hash::HashAlgorithm::SHA384 => hybrid_kx::rustls::HKDF_SHA384,
                other => panic!("unexpected hash {other:?}"),
            };
            let base_suite = base
                .cipher_suites
                .iter()
                .filter_map(|b| b.tls13())
                .find(|b| b.common.suite == s.common.suite)
                .unwrap();
            (
                s.common.suite,
                std::ptr::addr_eq(s.hkdf_provider, ours),
                std::ptr::addr_eq(s.hkdf_provider, base_suite.hkdf_provider),
            )
        })
        .collect()
}

#[test]
fn hkdf_source_ours_puts_our_hkdf_in_every_tls13_suite() {
    for preset in [
        GroupPolicy::default(),
        GroupPolicy::nist(),
        GroupPolicy::cnsa2(),
        GroupPolicy::pq_only(),
    ] {
        assert_eq!(preset.hkdf_source(), HkdfSource::Ours);
        let owners = hkdf_owners(&preset.build(ring()));
        assert_eq!(owners.len(), 3);
        for (suite, ours, base) in owners {
            assert!(ours && !base, "{suite:?}");
        }
    }
}

#[test]
fn hkdf_source_base_keeps_the_base_suites_and_still_handshakes() {
    let p = GroupPolicy::default().hkdf(HkdfSource::Base).build(ring());
    let owners = hkdf_owners(&p);
    assert_eq!(owners.len(), 3);
    for (suite, ours, base) in owners {
        assert!(base && !ours, "{suite:?}");
    }
    // Same suite objects as the base: nothing copied.
    let base = ring();
    for (a, b) in p.cipher_suites.iter().zip(&base.cipher_suites) {
        assert!(std::ptr::eq(a.tls13().unwrap(), b.tls13().unwrap()));
    }
    // Our groups with the base's key schedule against our groups with ours: the same secrets,
    // so the handshake completes.
    let (shares, group) = with_default_server(p);
    assert_eq!(shares, [(0x11EC, 1216), (0x001D, 32)]);
    assert_eq!(group, 0x11EC);
}
