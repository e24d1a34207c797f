//! Real rustls TLS 1.3 handshakes with this crate's provider: every group over loopback TCP,
//! key-share reuse without HelloRetryRequest, HelloRetryRequest into the hybrid, our HKDF really
//! driving rustls's key schedule, and malformed shares aborting with `illegal_parameter`.
#![cfg(feature = "cli")] // rustls + ring, and rcgen for certificates

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use hybrid_kx::NamedGroup;
use hybrid_kx::key_schedule::{EarlySecret, HashAlgorithm, Sha256, Sha384, TranscriptHash};
use rustls::crypto::{
    ActiveKeyExchange, CompletedKeyExchange, CryptoProvider, SharedSecret, SupportedKxGroup,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{
    AlertDescription, ClientConfig, ClientConnection, ServerConfig, ServerConnection, StreamOwned,
};

// ------------------------------------------------------------------ plumbing

struct Identity {
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn identity() -> Identity {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    Identity {
        cert: ck.cert.der().clone(),
        key: PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()).into(),
    }
}

fn provider_with(groups: Vec<&'static dyn SupportedKxGroup>) -> Arc<CryptoProvider> {
    let mut provider = hybrid_kx::rustls::default_provider();
    provider.kx_groups = groups;
    Arc::new(provider)
}

fn ring_x25519() -> &'static dyn SupportedKxGroup {
    rustls::crypto::ring::kx_group::X25519
}

#[derive(Debug, Default)]
struct KeyLog(Mutex<Vec<(String, Vec<u8>)>>);

impl rustls::KeyLog for KeyLog {
    fn log(&self, label: &str, _client_random: &[u8], secret: &[u8]) {
        self.0
            .lock()
            .unwrap()
            .push((label.to_owned(), secret.to_vec()));
    }
}

impl KeyLog {
    fn get(&self, label: &str) -> Vec<u8> {
        let entries = self.0.lock().unwrap();
        entries.iter().find(|(l, _)| l == label).unwrap().1.clone()
    }
    fn sorted(&self) -> Vec<(String, Vec<u8>)> {
        let mut entries = self.0.lock().unwrap().clone();
        entries.sort();
        entries
    }
}

fn server_config(
    id: &Identity,
    groups: Vec<&'static dyn SupportedKxGroup>,
) -> (ServerConfig, Arc<KeyLog>) {
    let mut config = ServerConfig::builder_with_provider(provider_with(groups))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![id.cert.clone()], id.key.clone_key())
        .unwrap();
    let log = Arc::new(KeyLog::default());
    config.key_log = log.clone();
    (config, log)
}

fn client_config(
    id: &Identity,
    groups: Vec<&'static dyn SupportedKxGroup>,
) -> (ClientConfig, Arc<KeyLog>) {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(id.cert.clone()).unwrap();
    let mut config = ClientConfig::builder_with_provider(provider_with(groups))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let log = Arc::new(KeyLog::default());
    config.key_log = log.clone();
    (config, log)
}

/// Every byte each side sent, and the errors each side hit.
#[derive(Default)]
struct Transcript {
    client_bytes: Vec<u8>,
    server_bytes: Vec<u8>,
    client_error: Option<rustls::Error>,
    server_error: Option<rustls::Error>,
}

/// Drives both connections in memory until the handshake is over or one side fails; a failing
/// side's alert is still delivered to the other side.
fn handshake_in_memory(client: &mut ClientConnection, server: &mut ServerConnection) -> Transcript {
    let mut t = Transcript::default();
    for _ in 0..16 {
        let mut buf = Vec::new();
        while client.wants_write() {
            client.write_tls(&mut buf).unwrap();
        }
        t.client_bytes.extend_from_slice(&buf);
        let mut rd = &buf[..];
        while !rd.is_empty() {
            server.read_tls(&mut rd).unwrap();
            if let Err(e) = server.process_new_packets() {
                t.server_error = Some(e);
                break;
            }
        }
        let mut buf = Vec::new();
        while server.wants_write() {
            server.write_tls(&mut buf).unwrap();
        }
        t.server_bytes.extend_from_slice(&buf);
        let mut rd = &buf[..];
        while !rd.is_empty() {
            client.read_tls(&mut rd).unwrap();
            if let Err(e) = client.process_new_packets() {
                t.client_error = Some(e);
                break;
            }
        }
        if t.client_error.is_some() || t.server_error.is_some() {
            // Deliver the failing client's alert to the server.
            let mut buf = Vec::new();
            while client.wants_write() {
                client.write_tls(&mut buf).unwrap();
            }
            if !buf.is_empty() && t.server_error.is_none() {
                let _ = server.read_tls(&mut &buf[..]);
                if let Err(e) = server.process_new_packets() {
                    t.server_error = Some(e);
                }
            }
            return t;
        }
        if !client.is_handshaking() && !server.is_handshaking() {
            return t;
        }
    }
    panic!("handshake did not finish in 16 rounds");
}

/// The plaintext handshake messages (header included) at the start of a flight, in order.
fn plaintext_handshake_messages(flight: &[u8]) -> Vec<Vec<u8>> {
    let mut payload = Vec::new();
    let mut rest = flight;
    while rest.len() >= 5 {
        let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
        if rest[0] == 22 {
            payload.extend_from_slice(&rest[5..5 + len]);
        }
        rest = &rest[5 + len..];
    }
    let mut messages = Vec::new();
    let mut p = &payload[..];
    while p.len() >= 4 {
        let len = (usize::from(p[1]) << 16) | (usize::from(p[2]) << 8) | usize::from(p[3]);
        if p.len() < 4 + len {
            break;
        }
        messages.push(p[..4 + len].to_vec());
        p = &p[4 + len..];
    }
    messages
}

/// (group, share length) of every key share in a ClientHello message (header included).
fn client_hello_key_shares(ch: &[u8]) -> Vec<(u16, usize)> {
    let mut p = &ch[4 + 2 + 32..];
    let sid = usize::from(p[0]);
    p = &p[1 + sid..];
    let suites = usize::from(u16::from_be_bytes([p[0], p[1]]));
    p = &p[2 + suites..];
    let comp = usize::from(p[0]);
    p = &p[1 + comp + 2..];
    let mut shares = Vec::new();
    while p.len() >= 4 {
        let ty = u16::from_be_bytes([p[0], p[1]]);
        let len = usize::from(u16::from_be_bytes([p[2], p[3]]));
        let data = &p[4..4 + len];
        if ty == 0x0033 {
            let mut e = &data[2..];
            while e.len() >= 4 {
                let group = u16::from_be_bytes([e[0], e[1]]);
                let l = usize::from(u16::from_be_bytes([e[2], e[3]]));
                shares.push((group, l));
                e = &e[4 + l..];
            }
        }
        p = &p[4 + len..];
    }
    shares
}

fn client_hellos(t: &Transcript) -> Vec<Vec<u8>> {
    plaintext_handshake_messages(&t.client_bytes)
        .into_iter()
        .filter(|m| m[0] == 1)
        .collect()
}

fn negotiated(conn: &rustls::CommonState) -> u16 {
    u16::from(conn.negotiated_key_exchange_group().unwrap().name())
}

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
    let (c, s) = (client_log.sorted(), server_log.sorted());
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
fn default_provider_prefers_our_groups_and_negotiates_x25519mlkem768() {
    let id = identity();
    let provider = Arc::new(hybrid_kx::rustls::default_provider());
    let names: Vec<u16> = provider
        .kx_groups
        .iter()
        .map(|g| u16::from(g.name()))
        .collect();
    assert_eq!(&names[..5], &[0x11EC, 0x11EB, 0x11ED, 0x0201, 0x0202]);
    let (server, _) = server_config(&id, provider.kx_groups.clone());
    let (client, _) = client_config(&id, provider.kx_groups.clone());
    let mut c = ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap())
        .unwrap();
    let mut s = ServerConnection::new(Arc::new(server)).unwrap();
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
    let id = identity();
    let (server, _) = server_config(&id, vec![ring_x25519()]);
    let (client, _) = client_config(&id, vec![hybrid_kx::rustls::X25519MLKEM768, ring_x25519()]);
    let mut c = ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap())
        .unwrap();
    let mut s = ServerConnection::new(Arc::new(server)).unwrap();
    let t = handshake_in_memory(&mut c, &mut s);
    assert!(
        t.client_error.is_none() && t.server_error.is_none(),
        "{:?} {:?}",
        t.client_error,
        t.server_error
    );
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
    let id = identity();
    let (server, _) = server_config(&id, vec![hybrid_kx::rustls::X25519MLKEM768]);
    let (client, _) = client_config(&id, vec![ring_x25519(), hybrid_kx::rustls::X25519MLKEM768]);
    let mut c = ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap())
        .unwrap();
    let mut s = ServerConnection::new(Arc::new(server)).unwrap();
    let t = handshake_in_memory(&mut c, &mut s);
    assert!(
        t.client_error.is_none() && t.server_error.is_none(),
        "{:?} {:?}",
        t.client_error,
        t.server_error
    );
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
    for group in NamedGroup::ALL {
        let id = identity();
        let recording: &'static RecordingGroup = Box::leak(Box::new(RecordingGroup {
            inner: hybrid_kx::rustls::kx_group(group),
            secret: Mutex::new(Vec::new()),
        }));
        let (server, server_log) = server_config(&id, vec![recording]);
        let (client, client_log) = client_config(&id, vec![hybrid_kx::rustls::kx_group(group)]);
        let mut c =
            ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap())
                .unwrap();
        let mut s = ServerConnection::new(Arc::new(server)).unwrap();
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
            assert_eq!(log.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), chts, "{group}");
            assert_eq!(log.get("SERVER_HANDSHAKE_TRAFFIC_SECRET"), shts, "{group}");
        }
        assert_eq!(client_log.sorted(), server_log.sorted(), "{group}");
    }
}

// ------------------------------------------------------------------ malformed shares on the wire

type Corrupt = fn(&[u8]) -> Vec<u8>;

/// A client key exchange whose public share is corrupted before it is sent.
struct CorruptActive {
    inner: Box<dyn ActiveKeyExchange>,
    share: Vec<u8>,
}

impl ActiveKeyExchange for CorruptActive {
    fn complete(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, rustls::Error> {
        self.inner.complete(peer)
    }
    fn pub_key(&self) -> &[u8] {
        &self.share
    }
    fn group(&self) -> rustls::NamedGroup {
        self.inner.group()
    }
}

/// A group that corrupts its share: as a client (`start`) or as a server (`start_and_complete`).
#[derive(Debug)]
struct CorruptGroup {
    inner: &'static dyn SupportedKxGroup,
    corrupt: Corrupt,
}

impl SupportedKxGroup for CorruptGroup {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, rustls::Error> {
        let inner = self.inner.start()?;
        let share = (self.corrupt)(inner.pub_key());
        Ok(Box::new(CorruptActive { inner, share }))
    }
    fn start_and_complete(&self, peer: &[u8]) -> Result<CompletedKeyExchange, rustls::Error> {
        let mut done = self.inner.start_and_complete(peer)?;
        done.pub_key = (self.corrupt)(&done.pub_key);
        Ok(done)
    }
    fn name(&self) -> rustls::NamedGroup {
        self.inner.name()
    }
}

fn one_byte_short(share: &[u8]) -> Vec<u8> {
    share[..share.len() - 1].to_vec()
}
/// First ML-KEM coefficient set to 4095 >= q: fails the FIPS 203 section 7.2 modulus check.
fn modulus_failing_ek_first(share: &[u8]) -> Vec<u8> {
    let mut s = share.to_vec();
    s[0] = 0xff;
    s[1] |= 0x0f;
    s
}
fn modulus_failing_ek_after_p256(share: &[u8]) -> Vec<u8> {
    let mut s = share.to_vec();
    s[65] = 0xff;
    s[66] |= 0x0f;
    s
}
fn zero_x25519_last(share: &[u8]) -> Vec<u8> {
    let mut s = share.to_vec();
    let n = s.len();
    s[n - 32..].fill(0);
    s
}
fn off_curve_p256_first(share: &[u8]) -> Vec<u8> {
    let mut s = share.to_vec();
    s[64] ^= 1;
    s
}
fn compressed_tag_p384_first(share: &[u8]) -> Vec<u8> {
    let mut s = share.to_vec();
    s[0] = 0x02;
    s
}

fn client_sends_malformed_share(group: NamedGroup, corrupt: Corrupt, what: &str) {
    let id = identity();
    let ours = hybrid_kx::rustls::kx_group(group);
    let evil: &'static CorruptGroup = Box::leak(Box::new(CorruptGroup {
        inner: ours,
        corrupt,
    }));
    let (server, _) = server_config(&id, vec![ours]);
    let (client, _) = client_config(&id, vec![evil]);
    let mut c = ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap())
        .unwrap();
    let mut s = ServerConnection::new(Arc::new(server)).unwrap();
    let t = handshake_in_memory(&mut c, &mut s);
    assert_eq!(
        t.server_error,
        Some(rustls::Error::PeerMisbehaved(
            rustls::PeerMisbehaved::InvalidKeyShare
        )),
        "{group} {what}: our server's error"
    );
    assert_eq!(
        t.client_error,
        Some(rustls::Error::AlertReceived(
            AlertDescription::IllegalParameter
        )),
        "{group} {what}: alert seen by the peer"
    );
}

fn server_sends_malformed_share(group: NamedGroup, corrupt: Corrupt, what: &str) {
    let id = identity();
    let ours = hybrid_kx::rustls::kx_group(group);
    let evil: &'static CorruptGroup = Box::leak(Box::new(CorruptGroup {
        inner: ours,
        corrupt,
    }));
    let (server, _) = server_config(&id, vec![evil]);
    let (client, _) = client_config(&id, vec![ours]);
    let mut c = ClientConnection::new(Arc::new(client), ServerName::try_from("localhost").unwrap())
        .unwrap();
    let mut s = ServerConnection::new(Arc::new(server)).unwrap();
    let t = handshake_in_memory(&mut c, &mut s);
    assert_eq!(
        t.client_error,
        Some(rustls::Error::PeerMisbehaved(
            rustls::PeerMisbehaved::InvalidKeyShare
        )),
        "{group} {what}: our client's error"
    );
    assert_eq!(
        t.server_error,
        Some(rustls::Error::AlertReceived(
            AlertDescription::IllegalParameter
        )),
        "{group} {what}: alert seen by the peer"
    );
}

#[test]
fn malformed_client_shares_abort_with_illegal_parameter() {
    for group in NamedGroup::ALL {
        client_sends_malformed_share(group, one_byte_short, "one byte short");
    }
    client_sends_malformed_share(
        NamedGroup::X25519MLKEM768,
        modulus_failing_ek_first,
        "modulus",
    );
    client_sends_malformed_share(NamedGroup::MLKEM768, modulus_failing_ek_first, "modulus");
    client_sends_malformed_share(NamedGroup::MLKEM1024, modulus_failing_ek_first, "modulus");
    client_sends_malformed_share(
        NamedGroup::SecP256r1MLKEM768,
        modulus_failing_ek_after_p256,
        "modulus",
    );
    client_sends_malformed_share(
        NamedGroup::X25519MLKEM768,
        zero_x25519_last,
        "all-zero X25519",
    );
    client_sends_malformed_share(
        NamedGroup::SecP256r1MLKEM768,
        off_curve_p256_first,
        "off-curve P-256",
    );
    client_sends_malformed_share(
        NamedGroup::SecP384r1MLKEM1024,
        compressed_tag_p384_first,
        "compressed P-384",
    );
}

#[test]
fn malformed_server_shares_abort_with_illegal_parameter() {
    for group in NamedGroup::ALL {
        server_sends_malformed_share(group, one_byte_short, "one byte short");
    }
    server_sends_malformed_share(
        NamedGroup::X25519MLKEM768,
        zero_x25519_last,
        "all-zero X25519",
    );
    server_sends_malformed_share(
        NamedGroup::SecP256r1MLKEM768,
        off_curve_p256_first,
        "off-curve P-256",
    );
    server_sends_malformed_share(
        NamedGroup::SecP384r1MLKEM1024,
        compressed_tag_p384_first,
        "compressed P-384",
    );
}
