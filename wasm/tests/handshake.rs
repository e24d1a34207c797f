//! A full TLS 1.3 handshake in memory, inside wasm (node, `wasm-bindgen-test`), between a
//! rustls client and server on `hybrid_kx::rustls::default_provider()` (ring base; this crate's
//! groups and HKDF): the server negotiates X25519MLKEM768 with the default client, then each
//! default group with a client that offers only it, and application data crosses both ways.

#![cfg(target_arch = "wasm32")]

use std::io::{Read, Write};
use std::sync::Arc;

use hybrid_kx_support::tls::{
    Identity, client_config_with_versions, connections, handshake as drive_handshake,
    server_config_with_versions,
};
use rustls::crypto::CryptoProvider;
use wasm_bindgen_test::wasm_bindgen_test;

/// One handshake with `client_provider` (rustls's default protocol versions on both sides);
/// returns the group both sides negotiated.
fn handshake(client_provider: CryptoProvider) -> u16 {
    let identity = Identity::generate().unwrap();
    let client_config = client_config_with_versions(
        rustls::DEFAULT_VERSIONS,
        Arc::new(client_provider),
        identity.roots(),
    )
    .unwrap();
    let server_config = server_config_with_versions(
        rustls::DEFAULT_VERSIONS,
        Arc::new(hybrid_kx::rustls::default_provider()),
        &identity,
    )
    .unwrap();
    let (mut client, mut server) =
        connections(Arc::new(client_config), Arc::new(server_config)).unwrap();
    // Fails unless both sides finish and agree.
    let negotiated = drive_handshake(&mut client, &mut server);
    assert!(!client.is_handshaking() && !server.is_handshaking());
    assert_eq!(negotiated.version, Some(rustls::ProtocolVersion::TLSv1_3));

    client.writer().write_all(b"ping from wasm").unwrap();
    drive_handshake(&mut client, &mut server);
    let mut got = [0u8; 14];
    server.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping from wasm");
    server.writer().write_all(b"pong").unwrap();
    drive_handshake(&mut client, &mut server);
    let mut got = [0u8; 4];
    client.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"pong");

    let c = client.negotiated_key_exchange_group().unwrap().name();
    let s = server.negotiated_key_exchange_group().unwrap().name();
    assert_eq!(c, s);
    u16::from(c)
}

#[wasm_bindgen_test]
fn default_provider_negotiates_x25519mlkem768_in_wasm() {
    assert_eq!(handshake(hybrid_kx::rustls::default_provider()), 0x11EC);
}

#[wasm_bindgen_test]
fn every_default_group_negotiates_in_wasm() {
    for &group in hybrid_kx::rustls::DEFAULT_KX_GROUPS {
        let provider = CryptoProvider {
            kx_groups: vec![group],
            ..hybrid_kx::rustls::default_provider()
        };
        assert_eq!(handshake(provider), u16::from(group.name()));
    }
}
