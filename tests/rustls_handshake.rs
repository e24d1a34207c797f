//! Real rustls TLS 1.3 handshakes with this crate's provider: every group over loopback TCP,
//! key-share reuse without HelloRetryRequest, HelloRetryRequest into the hybrid, our HKDF really
//! driving rustls's key schedule. (Malformed shares on the wire: tests/abuse_catalogue.rs.)
#![cfg(feature = "ring")] // rustls + ring, and rcgen for certificates

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use common::tls::*;
use hybrid_kx::NamedGroup;
use hybrid_kx::key_schedule::{EarlySecret, HashAlgorithm, Sha256, Sha384, TranscriptHash};
use rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SupportedKxGroup};
use rustls::pki_types::ServerName;
use rustls::{ClientConnection, ServerConnection, StreamOwned};

// ------------------------------------------------------------------ TCP handshakes

fn tcp_handshake(group: NamedGroup) {
    let id = identity();
    let ours = hybrid_kx::rustls::kx_group(group);
    assert!(format!("{ours:?}").contains("hybrid_kx"));
    let (server, server_log) = server_config(&id, vec![ours]);
    let (client, client_log) = client_config(&id, vec![ours]);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();

    let server_thread = thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut tls = StreamOwned::new(ServerConnection::new(Arc::new(server)).unwrap(), tcp);
        let mut buf = [0u8; 12];
        tls.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"client hello");
        tls.write_all(b"server hello back").unwrap();
        tls.flush().unwrap();
        negotiated(&tls.conn)
    });

    let tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let conn = ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap())
        .unwrap();
    let mut tls = StreamOwned::new(conn, tcp);
    tls.write_all(b"client hello").unwrap();
    let mut buf = [0u8; 17];
    tls.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"server hello back");
    assert_eq!(
        negotiated(&tls.conn),
        group.codepoint(),
        "{group} client side"
    );
    assert_eq!(
        server_thread.join().unwrap(),
        group.codepoint(),
        "{group} server side"
    );
    // Both sides derived the same handshake, application and exporter secrets.
    let (c, s) = (client_log.entries(), server_log.entries());
    assert!(c.len() >= 5, "{group}: {} secrets logged", c.len());
    assert_eq!(c, s, "{group}");
}

#[test]
fn tcp_handshake_x25519mlkem768() {
    tcp_handshake(NamedGroup::X25519MLKEM768);
}

#[test]
fn tcp_handshake_secp256r1mlkem768() {
    tcp_handshake(NamedGroup::SecP256r1MLKEM768);
}

#[test]
fn tcp_handshake_secp384r1mlkem1024() {
    tcp_handshake(NamedGroup::SecP384r1MLKEM1024);
}

#[test]
fn tcp_handshake_mlkem768() {
    tcp_handshake(NamedGroup::MLKEM768);
}

#[test]
fn tcp_handshake_mlkem1024() {
    tcp_handshake(NamedGroup::MLKEM1024);
}

#[test]
fn tcp_handshake_mlkem512() {
    tcp_handshake(NamedGroup::MLKEM512);
}

#[test]
fn every_group_of_the_table_has_a_tcp_handshake_test() {
    // The tests above name the groups one by one so that a failure names its group; this pins
    // that list to the table, so a new row without a handshake test fails here.
    let tested = [
        NamedGroup::X25519MLKEM768,
        NamedGroup::SecP256r1MLKEM768,
        NamedGroup::SecP384r1MLKEM1024,
        NamedGroup::MLKEM768,
        NamedGroup::MLKEM1024,
        NamedGroup::MLKEM512,
    ];
    assert_eq!(tested, NamedGroup::ALL);
}

#[test]
fn mlkem512_is_offered_only_when_asked_for() {
    let provider = hybrid_kx::rustls::default_provider();
    assert!(
        provider
            .kx_groups
            .iter()
            .all(|g| u16::from(g.name()) != 0x0200)
    );
    assert!(
        hybrid_kx::rustls::DEFAULT_KX_GROUPS
            .iter()
            .all(|g| u16::from(g.name()) != 0x0200)
    );
    // Opting in: the user puts the static in the provider's groups.
    let id = identity();
    let mut groups = vec![hybrid_kx::rustls::MLKEM512];
    groups.extend(provider.kx_groups.iter().copied());
    let (server, _) = server_config(&id, groups.clone());
    let (client, _) = client_config(&id, groups);
    let (mut c, mut s) = connect(client, server);
    let t = handshake_in_memory(&mut c, &mut s);
    assert!(t.client_error.is_none() && t.server_error.is_none());
    assert_eq!(negotiated(&c), 0x0200);
    assert_eq!(
        client_hello_key_shares(&client_hellos(&t)[0])[0],
        (0x0200, 800)
    );
}

#[test]
fn default_provider_prefers_our_groups_and_negotiates_x25519mlkem768() {
    let id = identity();
    let provider = Arc::new(hybrid_kx::rustls::default_provider());
    let names: Vec<u16> = provider
        .kx_groups
        .iter()
        .map(|g| u16::from(g.name()))
        .collect();
    assert_eq!(&names[..5], &[0x11EC, 0x11EB, 0x11ED, 0x0201, 0x0202]);
    assert!(!names.contains(&0x0200), "MLKEM512 is opt-in");
    let (server, _) = server_config(&id, provider.kx_groups.clone());
    let (client, _) = client_config(&id, provider.kx_groups.clone());
    let (mut c, mut s) = connect(client, server);
    let t = handshake_in_memory(&mut c, &mut s);
    assert!(t.client_error.is_none() && t.server_error.is_none());
    assert_eq!(negotiated(&c), 0x11EC);
    // The ClientHello carries the hybrid share and the reused X25519 share.
    let hellos = client_hellos(&t);
    assert_eq!(
        client_hello_key_shares(&hellos[0]),
        vec![(0x11EC, 1216), (0x001D, 32)]
    );
}

// ------------------------------------------------------------------ key-share reuse and HRR

#[test]
fn classical_only_server_completes_on_the_reused_x25519_share_without_hrr() {
    let (mut c, mut s, t) = in_memory(
        vec![ring_x25519()],
        vec![hybrid_kx::rustls::X25519MLKEM768, ring_x25519()],
    );
    t.assert_ok();
    let hellos = client_hellos(&t);
    assert_eq!(hellos.len(), 1, "a HelloRetryRequest happened");
    assert_eq!(
        client_hello_key_shares(&hellos[0]),
        vec![(0x11EC, 1216), (0x001D, 32)]
    );
    assert_eq!(negotiated(&c), 0x001D);
    assert_eq!(negotiated(&s), 0x001D);
    // Application data flows.
    c.writer().write_all(b"over reused x25519").unwrap();
    let _ = handshake_in_memory(&mut c, &mut s);
    let mut got = [0u8; 18];
    s.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"over reused x25519");
}

#[test]
fn hybrid_only_server_sends_hrr_to_an_x25519_first_client() {
    let (c, s, t) = in_memory(
        vec![hybrid_kx::rustls::X25519MLKEM768],
        vec![ring_x25519(), hybrid_kx::rustls::X25519MLKEM768],
    );
    t.assert_ok();
    let hellos = client_hellos(&t);
    assert_eq!(
        hellos.len(),
        2,
        "expected ClientHello, HelloRetryRequest, ClientHello"
    );
    assert_eq!(client_hello_key_shares(&hellos[0]), vec![(0x001D, 32)]);
    assert_eq!(client_hello_key_shares(&hellos[1]), vec![(0x11EC, 1216)]);
    assert_eq!(negotiated(&c), 0x11EC);
    assert_eq!(negotiated(&s), 0x11EC);
}

// ------------------------------------------------------------------ our HKDF runs rustls's key schedule

#[test]
fn provider_uses_our_hkdf_for_every_tls13_suite() {
    let provider = hybrid_kx::rustls::default_provider();
    let mut checked = 0;
    for suite in &provider.cipher_suites {
        if let Some(s) = suite.tls13() {
            let ours = match s.common.hash_provider.algorithm() {
                rustls::crypto::hash::HashAlgorithm::SHA256 => hybrid_kx::rustls::HKDF_SHA256,
                rustls::crypto::hash::HashAlgorithm::SHA384 => hybrid_kx::rustls::HKDF_SHA384,
                other => panic!("unexpected hash {other:?}"),
            };
            assert!(
                std::ptr::addr_eq(s.hkdf_provider, ours),
                "{:?}",
                s.common.suite
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 3);
}

/// Records the shared secret the server's key exchange produced.
#[derive(Debug)]
struct RecordingGroup {
    inner: &'static dyn SupportedKxGroup,
    secret: Mutex<Vec<u8>>,
}

impl SupportedKxGroup for RecordingGroup {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, rustls::Error> {
        self.inner.start()
    }
    fn start_and_complete(&self, peer: &[u8]) -> Result<CompletedKeyExchange, rustls::Error> {
        let done = self.inner.start_and_complete(peer)?;
        *self.secret.lock().unwrap() = done.secret.secret_bytes().to_vec();
        Ok(done)
    }
    fn name(&self) -> rustls::NamedGroup {
        self.inner.name()
    }
    fn usable_for_version(&self, v: rustls::ProtocolVersion) -> bool {
        self.inner.usable_for_version(v)
    }
}

fn recompute_handshake_secrets<H: HashAlgorithm>(
    secret: &[u8],
    ch: &[u8],
    sh: &[u8],
) -> (Vec<u8>, Vec<u8>) {
    let hs = EarlySecret::<H>::new(None).into_handshake_secret(Some(secret));
    let th = TranscriptHash::<H>::of_messages(&[ch, sh]);
    (
        hs.client_handshake_traffic_secret(&th).as_bytes().to_vec(),
        hs.server_handshake_traffic_secret(&th).as_bytes().to_vec(),
    )
}

#[test]
fn keylog_secrets_equal_our_key_schedule_from_the_same_inputs() {
    for &group in NamedGroup::ALL {
        let id = identity();
        let recording: &'static RecordingGroup = Box::leak(Box::new(RecordingGroup {
            inner: hybrid_kx::rustls::kx_group(group),
            secret: Mutex::new(Vec::new()),
        }));
        let (server, server_log) = server_config(&id, vec![recording]);
        let (client, client_log) = client_config(&id, vec![hybrid_kx::rustls::kx_group(group)]);
        let (mut c, mut s) = connect(client, server);
        let t = handshake_in_memory(&mut c, &mut s);
        assert!(t.client_error.is_none() && t.server_error.is_none());

        let ch = &plaintext_handshake_messages(&t.client_bytes)[0];
        let sh = &plaintext_handshake_messages(&t.server_bytes)[0];
        assert_eq!((ch[0], sh[0]), (1, 2));
        let secret = recording.secret.lock().unwrap().clone();
        assert_eq!(secret.len(), group.shared_secret_len());
        let suite = c.negotiated_cipher_suite().unwrap();
        let (chts, shts) = match suite.tls13().unwrap().common.hash_provider.algorithm() {
            rustls::crypto::hash::HashAlgorithm::SHA256 => {
                recompute_handshake_secrets::<Sha256>(&secret, ch, sh)
            }
            rustls::crypto::hash::HashAlgorithm::SHA384 => {
                recompute_handshake_secrets::<Sha384>(&secret, ch, sh)
            }
            other => panic!("{other:?}"),
        };
        for log in [&client_log, &server_log] {
            assert_eq!(
                *log.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET").unwrap(),
                chts,
                "{group}"
            );
            assert_eq!(
                *log.get("SERVER_HANDSHAKE_TRAFFIC_SECRET").unwrap(),
                shts,
                "{group}"
            );
        }
        assert_eq!(client_log.entries(), server_log.entries(), "{group}");
    }
}

// Malformed shares on the wire, every class for every group: tests/abuse_catalogue.rs.
