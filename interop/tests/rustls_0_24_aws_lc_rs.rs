//! Our rustls 0.24 adapter against rustls-aws-lc-rs 0.24's own implementations of the same
//! groups (X25519MLKEM768, SecP256r1MLKEM768, MLKEM768, MLKEM1024; it has no
//! SecP384r1MLKEM1024), both directions, in memory.
//!
//! Each side's provider holds exactly one group with the codepoint under test: ours
//! (`hybrid_kx::rustls_0_24::kx_group`, on rustls-ring's provider) or aws-lc-rs's (on
//! rustls-aws-lc-rs's provider). A completed handshake on that codepoint therefore ran our
//! implementation on one side and aws-lc-rs's on the other.

use std::borrow::Cow;
use std::sync::Arc;

use hybrid_kx::NamedGroup;
use hybrid_kx_support::tls::Identity;
use hybrid_kx_support::tls_0_24::{client_config, drive, server_config};
use rustls_0_24::HandshakeKind;
use rustls_0_24::crypto::CryptoProvider;
use rustls_0_24::crypto::kx::SupportedKxGroup;

/// Which side runs our implementation.
#[derive(Clone, Copy, Debug)]
enum Ours {
    Client,
    Server,
}

fn only(base: CryptoProvider, group: &'static dyn SupportedKxGroup) -> Arc<CryptoProvider> {
    Arc::new(CryptoProvider {
        kx_groups: Cow::Owned(vec![group]),
        ..base
    })
}

fn interop(aws_group: &'static dyn SupportedKxGroup, ours: Ours) {
    let codepoint = u16::from(aws_group.name());
    let group = NamedGroup::from_codepoint(codepoint).expect("one of our groups");
    let our = only(
        hybrid_kx::rustls_0_24::default_provider(),
        hybrid_kx::rustls_0_24::kx_group(group),
    );
    let peer = only(rustls_aws_lc_rs::DEFAULT_PROVIDER, aws_group);
    assert!(
        !format!("{aws_group:?}").contains("hybrid_kx"),
        "{aws_group:?}"
    );
    let (client, server) = match ours {
        Ours::Client => (our, peer),
        Ours::Server => (peer, our),
    };
    let identity = Identity::generate().expect("certificate");
    let client = Arc::new(client_config(client, &identity).expect("client config"));
    let server = Arc::new(server_config(server, &identity).expect("server config"));
    let outcome = drive(&client, &server, |_, _| {}).expect("connections");
    println!(
        "{group} ours={ours:?}: {outcome:?}",
        outcome = outcome.client
    );
    assert_eq!(outcome.expect_success(), codepoint, "{group} ours={ours:?}");
    assert_eq!(outcome.client.kind, Some(HandshakeKind::Full));
}

/// Each post-quantum group rustls-aws-lc-rs 0.24 has, ours as the client and then as the server.
#[test]
fn every_aws_lc_rs_pq_group_both_ways() {
    hybrid_kx_interop::each_post_quantum(
        rustls_aws_lc_rs::ALL_KX_GROUPS,
        |g| u16::from(g.name()),
        |group| {
            interop(group, Ours::Client);
            interop(group, Ours::Server);
        },
    );
}

/// What the module documentation says: rustls-aws-lc-rs 0.24 has no SecP384r1MLKEM1024, so
/// that group is checked against OpenSSL only (tests/openssl.rs).
#[test]
fn rustls_aws_lc_rs_0_24_has_no_secp384r1mlkem1024() {
    let codepoint = NamedGroup::SecP384r1MLKEM1024.codepoint();
    assert!(
        rustls_aws_lc_rs::ALL_KX_GROUPS
            .iter()
            .all(|g| u16::from(g.name()) != codepoint)
    );
}
