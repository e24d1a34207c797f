//! A full TLS 1.3 handshake in memory, inside wasm (node, `wasm-bindgen-test`), between a
//! rustls client and server on `hybrid_kx::rustls::default_provider()` (ring base; this crate's
//! groups and HKDF): the server negotiates X25519MLKEM768 with the default client, then each
//! default group with a client that offers only it, and application data crosses both ways.

#![cfg(target_arch = "wasm32")]

use std::io::{Read, Write};
use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection};
use wasm_bindgen_test::wasm_bindgen_test;

/// Moves TLS records between the two until neither has anything to send.
fn pump(client: &mut ClientConnection, server: &mut ServerConnection) {
    let mut buf = Vec::new();
    for _ in 0..10 {
        buf.clear();
        while client.wants_write() {
            client.write_tls(&mut buf).unwrap();
        }
        if !buf.is_empty() {
            server.read_tls(&mut &buf[..]).unwrap();
            server.process_new_packets().unwrap();
        }
        buf.clear();
        while server.wants_write() {
            server.write_tls(&mut buf).unwrap();
        }
        if !buf.is_empty() {
            client.read_tls(&mut &buf[..]).unwrap();
            client.process_new_packets().unwrap();
        }
        if !client.is_handshaking()
            && !server.is_handshaking()
            && !client.wants_write()
            && !server.wants_write()
        {
            return;
        }
    }
}

/// One handshake with `client_provider`; returns the group both sides negotiated.
fn handshake(client_provider: CryptoProvider) -> u16 {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert: CertificateDer<'static> = ck.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let mut roots = RootCertStore::empty();
    roots.add(cert.clone()).unwrap();
    let client_config = ClientConfig::builder_with_provider(Arc::new(client_provider))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let server_config =
        ServerConfig::builder_with_provider(Arc::new(hybrid_kx::rustls::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
    let mut client = ClientConnection::new(
        Arc::new(client_config),
        ServerName::try_from("localhost").unwrap(),
    )
    .unwrap();
    let mut server = ServerConnection::new(Arc::new(server_config)).unwrap();
    pump(&mut client, &mut server);
    assert!(!client.is_handshaking() && !server.is_handshaking());
    assert_eq!(
        client.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_3)
    );

    client.writer().write_all(b"ping from wasm").unwrap();
    pump(&mut client, &mut server);
    let mut got = [0u8; 14];
    server.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping from wasm");
    server.writer().write_all(b"pong").unwrap();
    pump(&mut client, &mut server);
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
