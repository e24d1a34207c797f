//! The rustls 0.24 adapter as the 0.23 one is tested: in-memory handshakes for every group on
//! both sides, the reused classical share through `HybridKeyExchange`, HelloRetryRequest into a
//! hybrid, `GroupPolicy` presets checked on the wire (the ClientHello's `supported_groups` and
//! key shares), our HKDF in the suites, `FipsStatus::Unvalidated`. Malformed shares on the wire:
//! tests/abuse_catalogue.rs (the same catalogue on both versions).
#![cfg(feature = "ring-0_24")]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::hello::{client_hello_key_shares, client_hello_supported_groups};
use common::tls_0_24::{client_hellos, provider_with, ring, run};
use hybrid_kx::NamedGroup;
use hybrid_kx::rustls_0_24::{ClassicalGroups, GroupPolicy, HkdfSource};
use hybrid_kx_support::tls_0_24::Outcome;
use rustls_0_24::HandshakeKind;
use rustls_0_24::crypto::CryptoProvider;
use rustls_0_24::crypto::kx::{
    CompletedKeyExchange, NamedGroup as RustlsNamedGroup, StartedKeyExchange, SupportedKxGroup,
};
use rustls_0_24::pki_types::FipsStatus;

fn names(provider: &CryptoProvider) -> Vec<u16> {
    common::codepoints(provider.kx_groups.iter().map(|g| g.name()))
}

/// A provider of rustls-ring with only `groups` (classical groups from rustls-ring).
fn ring_with(groups: Vec<&'static dyn SupportedKxGroup>) -> CryptoProvider {
    CryptoProvider {
        kx_groups: groups.into(),
        ..ring()
    }
}

/// A handshake that succeeded in one round trip: the ClientHello's key shares and
/// `supported_groups`, and the group both sides negotiated.
fn one_round_trip(o: &Outcome) -> (Vec<Share>, Vec<u16>, u16) {
    let group = o.expect_success();
    assert_eq!(o.client.kind, Some(HandshakeKind::Full), "client");
    assert_eq!(o.server.kind, Some(HandshakeKind::Full), "server");
    let hellos = client_hellos(o);
    assert_eq!(hellos.len(), 1, "a HelloRetryRequest happened");
    (
        client_hello_key_shares(&hellos[0]),
        client_hello_supported_groups(&hellos[0]),
        group,
    )
}

// ------------------------------------------------------------------ every group, both sides

/// A key share on the wire: (codepoint, length).
type Share = (u16, usize);

/// (group, codepoint, client share length, reused classical share) from RFC 10024 section 4 and
/// draft-ietf-tls-mlkem section 3, typed here rather than read from the crate.
const WIRE: &[(NamedGroup, u16, usize, Option<Share>)] = &[
    (NamedGroup::X25519MLKEM768, 0x11EC, 1216, Some((0x001D, 32))),
    (
        NamedGroup::SecP256r1MLKEM768,
        0x11EB,
        1249,
        Some((0x0017, 65)),
    ),
    (
        NamedGroup::SecP384r1MLKEM1024,
        0x11ED,
        1665,
        Some((0x0018, 97)),
    ),
    (NamedGroup::MLKEM768, 0x0201, 1184, None),
    (NamedGroup::MLKEM1024, 0x0202, 1568, None),
    (NamedGroup::MLKEM512, 0x0200, 800, None),
];

#[test]
fn every_group_handshakes_with_ours_on_both_sides() {
    for &(group, codepoint, len, _) in WIRE {
        let ours = hybrid_kx::rustls_0_24::kx_group(group);
        let o = run(provider_with(vec![ours]), provider_with(vec![ours]));
        let (shares, supported, negotiated) = one_round_trip(&o);
        assert_eq!(negotiated, codepoint, "{group}");
        // Without the classical group in the provider, no reused share goes out.
        assert_eq!(shares, [(codepoint, len)], "{group}");
        assert_eq!(supported, [codepoint], "{group}");
        assert_eq!(o.client.fips, FipsStatus::Unvalidated, "{group}");
        assert_eq!(o.server.fips, FipsStatus::Unvalidated, "{group}");
    }
}

#[test]
fn every_hybrid_sends_its_reused_classical_share_when_that_group_is_configured() {
    for &(group, codepoint, len, classical) in WIRE {
        let Some((classical_codepoint, classical_len)) = classical else {
            continue;
        };
        let ring_group = *rustls_ring_0_24::ALL_KX_GROUPS
            .iter()
            .find(|g| u16::from(g.name()) == classical_codepoint)
            .unwrap();
        let ours = hybrid_kx::rustls_0_24::kx_group(group);
        let o = run(
            provider_with(vec![ours, ring_group]),
            provider_with(vec![ours]),
        );
        let (shares, _, negotiated) = one_round_trip(&o);
        assert_eq!(
            shares,
            [(codepoint, len), (classical_codepoint, classical_len)],
            "{group}"
        );
        assert_eq!(negotiated, codepoint, "{group}");
    }
}

/// Counts `start()` on a wrapped classical group: the reused share must not start it.
#[derive(Debug)]
struct Counting {
    inner: &'static dyn SupportedKxGroup,
    starts: AtomicUsize,
}

impl SupportedKxGroup for Counting {
    fn start(&self) -> Result<StartedKeyExchange, rustls_0_24::Error> {
        self.starts.fetch_add(1, Ordering::SeqCst);
        self.inner.start()
    }
    fn start_and_complete(&self, peer: &[u8]) -> Result<CompletedKeyExchange, rustls_0_24::Error> {
        self.inner.start_and_complete(peer)
    }
    fn name(&self) -> RustlsNamedGroup {
        self.inner.name()
    }
}

#[test]
fn a_classical_only_server_completes_on_the_reused_share_in_one_round_trip() {
    for (group, classical) in [
        (
            NamedGroup::X25519MLKEM768,
            rustls_ring_0_24::kx_group::X25519,
        ),
        (
            NamedGroup::SecP256r1MLKEM768,
            rustls_ring_0_24::kx_group::SECP256R1,
        ),
        (
            NamedGroup::SecP384r1MLKEM1024,
            rustls_ring_0_24::kx_group::SECP384R1,
        ),
    ] {
        let counting: &'static Counting = Box::leak(Box::new(Counting {
            inner: classical,
            starts: AtomicUsize::new(0),
        }));
        let ours = hybrid_kx::rustls_0_24::kx_group(group);
        let o = run(
            provider_with(vec![ours, counting]),
            ring_with(vec![classical]),
        );
        let (shares, _, negotiated) = one_round_trip(&o);
        assert_eq!(shares.len(), 2, "{group}: hybrid and reused shares");
        assert_eq!(negotiated, u16::from(classical.name()), "{group}");
        // The classical secret came from the hybrid's key pair (complete_component).
        assert_eq!(counting.starts.load(Ordering::SeqCst), 0, "{group}");
    }
}

#[test]
fn our_server_serves_a_classical_only_client() {
    let o = run(
        ring_with(vec![rustls_ring_0_24::kx_group::X25519]),
        hybrid_kx::rustls_0_24::default_provider(),
    );
    let (_, _, negotiated) = one_round_trip(&o);
    assert_eq!(negotiated, 0x001D);
}

#[test]
fn a_hello_retry_request_leads_into_another_hybrid() {
    // Our default client offers X25519MLKEM768 first; a server with SecP256r1MLKEM768 alone
    // asks for it, and the second ClientHello carries only that share (RFC 8446 section
    // 4.1.4: the group the HelloRetryRequest names).
    let o = run(
        hybrid_kx::rustls_0_24::default_provider(),
        provider_with(vec![hybrid_kx::rustls_0_24::SECP256R1MLKEM768]),
    );
    assert_eq!(o.expect_success(), 0x11EB);
    assert_eq!(
        o.client.kind,
        Some(HandshakeKind::FullWithHelloRetryRequest)
    );
    let hellos = client_hellos(&o);
    assert_eq!(hellos.len(), 2);
    assert_eq!(
        client_hello_key_shares(&hellos[0]),
        [(0x11EC, 1216), (0x001D, 32)]
    );
    assert_eq!(client_hello_key_shares(&hellos[1]), [(0x11EB, 1249)]);
}

// ------------------------------------------------------------------ policy presets on the wire

/// The preset's provider on rustls-ring, its handshake with our default server: the
/// ClientHello offers exactly the provider's groups, in order.
fn preset_on_the_wire(policy: &GroupPolicy) -> (Vec<u16>, Vec<Share>, u16) {
    let provider = policy.build(ring());
    let offered = names(&provider);
    let mut server = hybrid_kx::rustls_0_24::default_provider();
    server.kx_groups = hybrid_kx::rustls_0_24::ALL_KX_GROUPS
        .iter()
        .copied()
        .chain(rustls_ring_0_24::ALL_KX_GROUPS.iter().copied())
        .collect::<Vec<_>>()
        .into();
    let (shares, supported, group) = one_round_trip(&run(provider, server));
    assert_eq!(supported, offered, "supported_groups on the wire");
    (offered, shares, group)
}

#[test]
fn default_preset_on_the_wire() {
    let (offered, shares, group) = preset_on_the_wire(&GroupPolicy::default());
    assert_eq!(offered, common::DEFAULT_PRESET_OFFER);
    assert_eq!(shares, [(0x11EC, 1216), (0x001D, 32)]);
    assert_eq!(group, 0x11EC);
    // `with_hybrid_kx` is the default policy.
    assert_eq!(
        names(&hybrid_kx::rustls_0_24::with_hybrid_kx(ring())),
        offered
    );
}

/// The stricter presets (`common::strict_presets`) on the wire: offers, shares, group.
#[test]
fn nist_cnsa2_and_pq_only_presets_on_the_wire() {
    let cases = common::strict_presets();
    for (policy, want_offered, want_shares, want_group) in cases {
        let (offered, shares, group) = preset_on_the_wire(&policy);
        assert_eq!(offered, want_offered, "{policy:?}");
        assert_eq!(shares, want_shares, "{policy:?}");
        assert_eq!(group, want_group, "{policy:?}");
    }
}

#[test]
fn strict_presets_refuse_a_classical_only_server() {
    for policy in [
        GroupPolicy::pq_only(),
        GroupPolicy::cnsa2().classical(ClassicalGroups::None),
    ] {
        let o = run(policy.build(ring()), ring());
        assert!(o.server.error.is_some(), "{policy:?}: no common group");
        assert_eq!(o.client.group, None, "{policy:?}");
    }
}

// ------------------------------------------------------------------ HKDF

#[test]
fn our_hkdf_runs_the_key_schedule_of_every_tls13_suite_unless_asked_not_to() {
    let ours = hybrid_kx::rustls_0_24::default_provider();
    let base = GroupPolicy::default().hkdf(HkdfSource::Base).build(ring());
    let mut checked = 0;
    for (with_ours, with_base) in ours
        .tls13_cipher_suites
        .iter()
        .zip(&*base.tls13_cipher_suites)
    {
        let expected: &dyn rustls_0_24::crypto::tls13::Hkdf =
            match with_ours.common.hash_provider.algorithm() {
                rustls_0_24::crypto::HashAlgorithm::SHA256 => hybrid_kx::rustls_0_24::HKDF_SHA256,
                rustls_0_24::crypto::HashAlgorithm::SHA384 => hybrid_kx::rustls_0_24::HKDF_SHA384,
                other => panic!("{other:?}"),
            };
        assert!(std::ptr::addr_eq(with_ours.hkdf_provider, expected));
        assert!(!std::ptr::addr_eq(with_base.hkdf_provider, expected));
        checked += 1;
    }
    assert_eq!(checked, 3, "rustls-ring's three TLS 1.3 suites");
    // And a handshake on the base's HKDF still works.
    let o = run(base, hybrid_kx::rustls_0_24::default_provider());
    assert_eq!(o.expect_success(), 0x11EC);
}
