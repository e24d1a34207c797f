//! rustls plumbing shared by the handshake tests: certificates, configurations on our
//! provider, an in-memory transport that records every byte, hello parsers, and a key-exchange
//! group that corrupts its share before sending it (a malicious peer).
#![cfg(feature = "ring")]

use std::sync::{Arc, Mutex};

use hybrid_kx::NamedGroup;
use rustls::crypto::{
    ActiveKeyExchange, CompletedKeyExchange, CryptoProvider, SharedSecret, SupportedKxGroup,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{AlertDescription, ClientConfig, ClientConnection, ServerConfig, ServerConnection};

pub struct Identity {
    pub cert: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
}

pub fn identity() -> Identity {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    Identity {
        cert: ck.cert.der().clone(),
        key: PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()).into(),
    }
}

pub fn provider_with(groups: Vec<&'static dyn SupportedKxGroup>) -> Arc<CryptoProvider> {
    let mut provider = hybrid_kx::rustls::default_provider();
    provider.kx_groups = groups;
    Arc::new(provider)
}

pub fn ring_x25519() -> &'static dyn SupportedKxGroup {
    rustls::crypto::ring::kx_group::X25519
}

#[derive(Debug, Default)]
pub struct KeyLog(Mutex<Vec<(String, Vec<u8>)>>);

impl rustls::KeyLog for KeyLog {
    fn log(&self, label: &str, _client_random: &[u8], secret: &[u8]) {
        self.0
            .lock()
            .unwrap()
            .push((label.to_owned(), secret.to_vec()));
    }
}

impl KeyLog {
    pub fn get(&self, label: &str) -> Vec<u8> {
        let entries = self.0.lock().unwrap();
        entries.iter().find(|(l, _)| l == label).unwrap().1.clone()
    }
    pub fn sorted(&self) -> Vec<(String, Vec<u8>)> {
        let mut entries = self.0.lock().unwrap().clone();
        entries.sort();
        entries
    }
}

pub fn server_config(
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

pub fn client_config(
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
pub struct Transcript {
    pub client_bytes: Vec<u8>,
    pub server_bytes: Vec<u8>,
    pub client_error: Option<rustls::Error>,
    pub server_error: Option<rustls::Error>,
}

/// Drives both connections in memory until the handshake is over or one side fails; a failing
/// side's alert is still delivered to the other side.
pub fn handshake_in_memory(
    client: &mut ClientConnection,
    server: &mut ServerConnection,
) -> Transcript {
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
pub fn plaintext_handshake_messages(flight: &[u8]) -> Vec<Vec<u8>> {
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
pub fn client_hello_key_shares(ch: &[u8]) -> Vec<(u16, usize)> {
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

pub fn client_hellos(t: &Transcript) -> Vec<Vec<u8>> {
    plaintext_handshake_messages(&t.client_bytes)
        .into_iter()
        .filter(|m| m[0] == 1)
        .collect()
}

pub fn negotiated(conn: &rustls::CommonState) -> u16 {
    u16::from(conn.negotiated_key_exchange_group().unwrap().name())
}

/// A corruption applied to a share on its way out.
pub type Corrupt = Box<dyn Fn(&[u8]) -> Vec<u8> + Send + Sync>;

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
pub struct CorruptGroup {
    inner: &'static dyn SupportedKxGroup,
    corrupt: Corrupt,
}

impl std::fmt::Debug for CorruptGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CorruptGroup({:?})", self.inner)
    }
}

impl CorruptGroup {
    /// A leaked (test-lifetime) corrupting wrapper of `inner`.
    pub fn leak(inner: &'static dyn SupportedKxGroup, corrupt: Corrupt) -> &'static Self {
        Box::leak(Box::new(Self { inner, corrupt }))
    }
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

/// Our server meets a client whose share is corrupted: our server must fail with
/// `InvalidKeyShare` and the client must receive `illegal_parameter`.
pub fn client_sends_malformed_share(group: NamedGroup, corrupt: Corrupt, what: &str) {
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

/// Our client meets a server whose share is corrupted: our client must fail with
/// `InvalidKeyShare` and the server must receive `illegal_parameter`.
pub fn server_sends_malformed_share(group: NamedGroup, corrupt: Corrupt, what: &str) {
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
