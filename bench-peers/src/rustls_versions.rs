//! One full TLS 1.3 handshake per group on each of hybrid-kx's rustls adapters, in memory: the
//! 0.23 adapter (`hybrid_kx::rustls`) on rustls's ring provider and the 0.24 adapter
//! (`hybrid_kx::rustls_0_24`) on `rustls-ring`, each restricted to the one group, with the same
//! certificate, no resumption and no tickets, so that the two differ only in the rustls version.

use std::borrow::Cow;
use std::sync::Arc;

use hybrid_kx::NamedGroup;
use hybrid_kx_support::tls::Identity;
use hybrid_kx_support::tls_0_24;

/// The 0.23 client and server configurations for `group` (ours on both sides).
pub fn configs_0_23(
    identity: &Identity,
    group: NamedGroup,
) -> (Arc<rustls::ClientConfig>, Arc<rustls::ServerConfig>) {
    let provider = || rustls::crypto::CryptoProvider {
        kx_groups: vec![hybrid_kx::rustls::kx_group(group)],
        ..hybrid_kx::rustls::with_hybrid_kx(rustls::crypto::ring::default_provider())
    };
    crate::configs(identity, provider(), provider())
}

/// The 0.24 client and server configurations for `group` (ours on both sides).
///
/// # Panics
/// If rustls 0.24 rejects the provider.
pub fn configs_0_24(
    identity: &Identity,
    group: NamedGroup,
) -> (
    Arc<rustls_0_24::ClientConfig>,
    Arc<rustls_0_24::ServerConfig>,
) {
    let provider = || {
        Arc::new(rustls_0_24::crypto::CryptoProvider {
            kx_groups: Cow::Owned(vec![hybrid_kx::rustls_0_24::kx_group(group)]),
            ..hybrid_kx::rustls_0_24::default_provider()
        })
    };
    let mut client = tls_0_24::client_config(provider(), identity).expect("client config");
    client.resumption = rustls_0_24::client::Resumption::disabled();
    let mut server = tls_0_24::server_config(provider(), identity).expect("server config");
    server.send_tls13_tickets = rustls_0_24::server::Tls13Tickets { default: 0, max: 0 };
    (Arc::new(client), Arc::new(server))
}

/// One full rustls 0.24 handshake in memory; returns the negotiated group's codepoint.
///
/// # Panics
/// If the handshake fails or takes a HelloRetryRequest.
pub fn handshake_0_24(
    client: &Arc<rustls_0_24::ClientConfig>,
    server: &Arc<rustls_0_24::ServerConfig>,
) -> u16 {
    let outcome = tls_0_24::drive(client, server, |_, _| {}).expect("connections");
    assert_eq!(outcome.client.kind, Some(rustls_0_24::HandshakeKind::Full));
    outcome.expect_success()
}
