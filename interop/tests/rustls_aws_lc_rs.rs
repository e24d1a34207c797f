//! Our groups against rustls's own aws-lc-rs implementations of the same groups
//! (`rustls::crypto::aws_lc_rs::kx_group`), both directions, over loopback TCP.
//!
//! Our side: `with_hybrid_kx(rustls::crypto::ring::default_provider())` restricted to our
//! group with the codepoint under test. The peer: `rustls::crypto::aws_lc_rs::default_provider()`
//! with aws-lc-rs's group as its only group. Each side's negotiated group is checked to be the
//! expected codepoint and the expected implementation (ours has a `Debug` naming `hybrid_kx`).

use hybrid_kx_interop::{
    Identity, Negotiated, aws_lc_rs_provider, is_ours, our_named_group, our_provider, run_pair,
    rustls_client, rustls_client_config, rustls_server, rustls_server_config,
};
use rustls::crypto::SupportedKxGroup;

/// Which side runs our implementation.
#[derive(Clone, Copy, Debug)]
enum Ours {
    Client,
    Server,
}

fn check(side: &str, negotiated: &Negotiated, codepoint: u16, ours: bool) {
    assert_eq!(
        negotiated.codepoint, codepoint,
        "{side} negotiated {negotiated:?}, expected {codepoint:#06x}"
    );
    assert_eq!(
        negotiated.implementation.contains("hybrid_kx"),
        ours,
        "{side} negotiated {negotiated:?}: wrong implementation (ours expected: {ours})"
    );
}

fn interop(aws_group: &'static dyn SupportedKxGroup, ours: Ours) {
    assert!(!is_ours(aws_group), "{aws_group:?} should be aws-lc-rs's");
    let codepoint = u16::from(aws_group.name());
    let group = our_named_group(codepoint);
    let identity = Identity::generate().expect("certificate");
    let (our, peer) = (our_provider(codepoint), aws_lc_rs_provider(aws_group));
    let (server_provider, client_provider) = match ours {
        Ours::Client => (peer, our),
        Ours::Server => (our, peer),
    };
    let server_config = rustls_server_config(server_provider, &identity).expect("server config");
    let client_config = rustls_client_config(client_provider, &identity).expect("client config");

    let (server, client) = run_pair(
        move |tcp| rustls_server(server_config, tcp),
        |tcp| rustls_client(client_config, tcp),
    );
    println!(
        "{} ours={ours:?}: server {server:?}, client {client:?}",
        group.name()
    );
    check("server", &server, codepoint, matches!(ours, Ours::Server));
    check("client", &client, codepoint, matches!(ours, Ours::Client));
}

/// Each post-quantum group aws-lc-rs has, ours as the client and then as the server.
#[test]
fn every_aws_lc_rs_pq_group_both_ways() {
    hybrid_kx_interop::each_post_quantum(
        rustls::crypto::aws_lc_rs::ALL_KX_GROUPS,
        |g| u16::from(g.name()),
        |group| {
            interop(group, Ours::Client);
            interop(group, Ours::Server);
        },
    );
}

/// The aws-lc-rs groups under test are the four rustls 0.23 has; SecP384r1MLKEM1024 is
/// covered against OpenSSL only.
#[test]
fn aws_lc_rs_has_no_secp384r1mlkem1024() {
    let secp384 = hybrid_kx::NamedGroup::SecP384r1MLKEM1024.codepoint();
    assert!(
        rustls::crypto::aws_lc_rs::ALL_KX_GROUPS
            .iter()
            .all(|g| u16::from(g.name()) != secp384)
    );
}

/// The integration guide's "rustls on aws-lc-rs" line, as written there, on both sides: our groups and HKDF
/// on the aws-lc-rs base negotiate X25519MLKEM768 with our implementation, and the cipher
/// suites' TLS 1.3 HKDF is ours.
#[test]
fn the_guide_aws_lc_rs_line_negotiates_our_x25519mlkem768() {
    let guide = include_str!("../../docs/integration.md");
    assert!(
        guide.contains(
            "`hybrid_kx::rustls::with_hybrid_kx(rustls::crypto::aws_lc_rs::default_provider())`"
        ),
        "the guide's aws-lc-rs line changed; update this test with it"
    );
    let provider = hybrid_kx::rustls::with_hybrid_kx(rustls::crypto::aws_lc_rs::default_provider());
    for suite in &provider.cipher_suites {
        if let Some(tls13) = suite.tls13() {
            let ours = [
                hybrid_kx::rustls::HKDF_SHA256,
                hybrid_kx::rustls::HKDF_SHA384,
            ];
            assert!(
                ours.iter()
                    .any(|h| std::ptr::addr_eq(*h, tls13.hkdf_provider)),
                "{suite:?}: the HKDF is not ours"
            );
        }
    }
    let provider = std::sync::Arc::new(provider);
    let identity = Identity::generate().expect("certificate");
    let server_config = rustls_server_config(provider.clone(), &identity).expect("server config");
    let client_config = rustls_client_config(provider, &identity).expect("client config");
    let (server, client) = run_pair(
        move |tcp| rustls_server(server_config, tcp),
        |tcp| rustls_client(client_config, tcp),
    );
    check("server", &server, 0x11EC, true);
    check("client", &client, 0x11EC, true);
}
