//! quinn 0.11 over loopback on this crate's rustls provider (ring base): a bidirectional stream
//! carries data each way; the server negotiates the client's first group (X25519MLKEM768 by
//! default, and each other default group); the ClientHello with a hybrid share does not fit one
//! Initial packet (RFC 9001 section 4.3: the client's first flight is split across datagrams);
//! and QUIC's packet-protection keys (RFC 9001 section 5) are derived through the HKDF our
//! provider puts in the cipher suite.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use hybrid_kx::NamedGroup;
use hybrid_kx_support::tls::{Identity, client_config, server_config};
use quinn::crypto::rustls::{QuicClientConfig, QuicServerConfig};
use rustls::crypto::tls13::{Hkdf, HkdfExpander, OkmBlock};
use rustls::crypto::{CompletedKeyExchange, CryptoProvider, SupportedKxGroup};
use rustls::{SupportedCipherSuite, Tls13CipherSuite};

/// The QUIC version 1 Initial salt (RFC 9001 section 5.2).
const INITIAL_SALT_V1: [u8; 20] = [
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad,
    0xcc, 0xbb, 0x7f, 0x0a,
];

// ------------------------------------------------------------------ a counting HKDF shim

static INITIAL_EXTRACTS: AtomicUsize = AtomicUsize::new(0);
static EXPANDERS_FOR_OKM: AtomicUsize = AtomicUsize::new(0);

/// Delegates every call to `inner` (our HKDF, taken from the provider's suite) and counts the
/// calls that only QUIC makes: the Initial-secret extraction with the RFC 9001 salt, and the
/// expanders over traffic secrets from which the packet and header keys come.
struct CountingHkdf {
    inner: &'static dyn Hkdf,
}

impl Hkdf for CountingHkdf {
    fn extract_from_zero_ikm(&self, salt: Option<&[u8]>) -> Box<dyn HkdfExpander> {
        self.inner.extract_from_zero_ikm(salt)
    }
    fn extract_from_secret(&self, salt: Option<&[u8]>, secret: &[u8]) -> Box<dyn HkdfExpander> {
        if salt == Some(&INITIAL_SALT_V1[..]) {
            INITIAL_EXTRACTS.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.extract_from_secret(salt, secret)
    }
    fn extract_from_kx_shared_secret(
        &self,
        salt: Option<&[u8]>,
        kx: Box<dyn rustls::crypto::ActiveKeyExchange>,
        peer_pub_key: &[u8],
    ) -> Result<Box<dyn HkdfExpander>, rustls::Error> {
        self.inner
            .extract_from_kx_shared_secret(salt, kx, peer_pub_key)
    }
    fn expander_for_okm(&self, okm: &OkmBlock) -> Box<dyn HkdfExpander> {
        EXPANDERS_FOR_OKM.fetch_add(1, Ordering::SeqCst);
        self.inner.expander_for_okm(okm)
    }
    fn hmac_sign(&self, key: &OkmBlock, message: &[u8]) -> rustls::crypto::hmac::Tag {
        self.inner.hmac_sign(key, message)
    }
    fn fips(&self) -> bool {
        self.inner.fips()
    }
}

/// Our provider, with each TLS 1.3 suite's HKDF (checked to be ours) wrapped in the counter.
fn counting_provider() -> CryptoProvider {
    let ours = hybrid_kx::rustls::default_provider();
    let cipher_suites = ours
        .cipher_suites
        .iter()
        .map(|s| {
            let s = s
                .tls13()
                .expect("ring's default suites are TLS 1.3 only here");
            let expected = match s.common.hash_provider.algorithm() {
                rustls::crypto::hash::HashAlgorithm::SHA256 => hybrid_kx::rustls::HKDF_SHA256,
                rustls::crypto::hash::HashAlgorithm::SHA384 => hybrid_kx::rustls::HKDF_SHA384,
                other => panic!("{other:?}"),
            };
            assert!(std::ptr::addr_eq(s.hkdf_provider, expected), "not our HKDF");
            let shim: &'static CountingHkdf = Box::leak(Box::new(CountingHkdf {
                inner: s.hkdf_provider,
            }));
            let suite: &'static Tls13CipherSuite = Box::leak(Box::new(Tls13CipherSuite {
                common: rustls::CipherSuiteCommon {
                    suite: s.common.suite,
                    hash_provider: s.common.hash_provider,
                    confidentiality_limit: s.common.confidentiality_limit,
                },
                hkdf_provider: shim,
                aead_alg: s.aead_alg,
                quic: s.quic,
            }));
            SupportedCipherSuite::Tls13(suite)
        })
        .collect();
    CryptoProvider {
        cipher_suites,
        ..ours
    }
}

// ------------------------------------------------------------------ the server's group, recorded

/// A server group that records its name when the server completes a key exchange with it.
#[derive(Debug)]
struct Recording {
    inner: &'static dyn SupportedKxGroup,
    seen: &'static Mutex<Vec<u16>>,
}

impl SupportedKxGroup for Recording {
    fn start(&self) -> Result<Box<dyn rustls::crypto::ActiveKeyExchange>, rustls::Error> {
        self.inner.start()
    }
    fn start_and_complete(&self, peer: &[u8]) -> Result<CompletedKeyExchange, rustls::Error> {
        let done = self.inner.start_and_complete(peer)?;
        self.seen.lock().unwrap().push(u16::from(done.group));
        Ok(done)
    }
    fn name(&self) -> rustls::NamedGroup {
        self.inner.name()
    }
    fn usable_for_version(&self, v: rustls::ProtocolVersion) -> bool {
        self.inner.usable_for_version(v)
    }
}

// ------------------------------------------------------------------ a counting UDP relay

/// Relays datagrams between one client and `server`, logging (from_client, length) in order.
async fn relay(server: SocketAddr) -> (SocketAddr, Arc<Mutex<Vec<(bool, usize)>>>) {
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let record = log.clone();
    tokio::spawn(async move {
        let mut client = None;
        let mut buf = vec![0u8; 65536];
        loop {
            let Ok((n, from)) = socket.recv_from(&mut buf).await else {
                return;
            };
            if from == server {
                record.lock().unwrap().push((false, n));
                if let Some(c) = client {
                    let _ = socket.send_to(&buf[..n], c).await;
                }
            } else {
                client = Some(from);
                record.lock().unwrap().push((true, n));
                let _ = socket.send_to(&buf[..n], server).await;
            }
        }
    });
    (addr, log)
}

// ------------------------------------------------------------------ one connection

struct Report {
    server_groups: Vec<u16>,
    client_datagrams_before_reply: usize,
    first_client_datagram: usize,
}

async fn quic_exchange(client_groups: &[NamedGroup]) -> Report {
    let identity = Identity::generate().unwrap();
    // Client: our provider with the groups asked for (its reused classical shares included).
    // The base's counting HKDF stays in place (`HkdfSource::Base`).
    let client_provider = hybrid_kx::rustls::GroupPolicy::new(client_groups)
        .hkdf(hybrid_kx::rustls::HkdfSource::Base)
        .build(counting_provider());
    let client_tls = client_config(Arc::new(client_provider), identity.roots()).unwrap();
    let client =
        quinn::ClientConfig::new(Arc::new(QuicClientConfig::try_from(client_tls).unwrap()));
    run(client, identity).await
}

async fn run(client_config: quinn::ClientConfig, identity: Identity) -> Report {
    let seen: &'static Mutex<Vec<u16>> = Box::leak(Box::new(Mutex::new(Vec::new())));

    // Server: our provider (all default groups and classical fallback), recording its group.
    let mut server_provider = counting_provider();
    server_provider.kx_groups = server_provider
        .kx_groups
        .iter()
        .map(|&inner| {
            let g: &'static dyn SupportedKxGroup = Box::leak(Box::new(Recording { inner, seen }));
            g
        })
        .collect();
    let server_tls = server_config(Arc::new(server_provider), &identity).unwrap();
    let server_config =
        quinn::ServerConfig::with_crypto(Arc::new(QuicServerConfig::try_from(server_tls).unwrap()));
    let server = quinn::Endpoint::server(server_config, "127.0.0.1:0".parse().unwrap()).unwrap();
    let server_addr = server.local_addr().unwrap();
    let server_task = tokio::spawn(async move {
        let conn = server.accept().await.unwrap().await.unwrap();
        let (mut send, mut recv) = conn.accept_bi().await.unwrap();
        let got = recv.read_to_end(1 << 16).await.unwrap();
        let mut reply = b"echo: ".to_vec();
        reply.extend_from_slice(&got);
        send.write_all(&reply).await.unwrap();
        send.finish().unwrap();
        conn.closed().await;
        server.wait_idle().await;
    });

    let (relay_addr, log) = relay(server_addr).await;
    let mut client = quinn::Endpoint::client("127.0.0.1:0".parse().unwrap()).unwrap();
    client.set_default_client_config(client_config);
    let conn = client
        .connect(relay_addr, "localhost")
        .unwrap()
        .await
        .unwrap();
    let (mut send, mut recv) = conn.open_bi().await.unwrap();
    send.write_all(b"over quic").await.unwrap();
    send.finish().unwrap();
    let reply = recv.read_to_end(1 << 16).await.unwrap();
    assert_eq!(reply, b"echo: over quic");
    conn.close(0u32.into(), b"done");
    client.wait_idle().await;
    server_task.await.unwrap();

    let log = log.lock().unwrap().clone();
    let before_reply = log
        .iter()
        .take_while(|(from_client, _)| *from_client)
        .count();
    let server_groups = seen.lock().unwrap().clone();
    Report {
        server_groups,
        client_datagrams_before_reply: before_reply,
        first_client_datagram: log[0].1,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn quinn_negotiates_x25519mlkem768_and_the_client_hello_spans_two_initial_datagrams() {
    let before = (
        INITIAL_EXTRACTS.load(Ordering::SeqCst),
        EXPANDERS_FOR_OKM.load(Ordering::SeqCst),
    );
    let r = quic_exchange(NamedGroup::DEFAULT).await;
    assert_eq!(r.server_groups, [0x11EC]);
    // A ClientHello with a 1216-byte X25519MLKEM768 share and a 32-byte X25519 share cannot fit
    // one 1200-byte Initial datagram: the server hears at least two before it can answer.
    assert!(
        r.client_datagrams_before_reply >= 2,
        "{} client datagram(s) before the server's first",
        r.client_datagrams_before_reply
    );
    assert!(
        r.first_client_datagram >= 1200,
        "Initial datagrams are padded"
    );
    // The Initial keys (RFC 9001 section 5.2 salt) and the Handshake and 1-RTT packet keys went
    // through the HKDF in our suites (other tests may run in parallel: at least these many).
    let initial = INITIAL_EXTRACTS.load(Ordering::SeqCst) - before.0;
    let expanders = EXPANDERS_FOR_OKM.load(Ordering::SeqCst) - before.1;
    assert!(
        initial >= 2,
        "{initial} Initial extractions (client and server)"
    );
    assert!(
        expanders >= 4,
        "{expanders} traffic-secret expanders (handshake, 1-RTT, both sides)"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn quinn_negotiates_each_default_group() {
    for &group in NamedGroup::DEFAULT {
        let r = quic_exchange(&[group]).await;
        assert_eq!(r.server_groups, [group.codepoint()], "{group}");
        // Every default group's client share is over 1100 bytes: two datagrams at least.
        assert!(r.client_datagrams_before_reply >= 2, "{group}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_classical_client_hello_fits_one_initial_datagram() {
    // The contrast: X25519 alone (on the same provider) needs one datagram, so the split above is
    // the hybrid share's doing, not the relay's.
    // No group of ours: the client keeps only the base's classical groups, X25519 first.
    let r = quic_exchange(&[]).await;
    assert_eq!(r.server_groups, [0x001D]);
    assert_eq!(r.client_datagrams_before_reply, 1);
}

#[tokio::test(flavor = "current_thread")]
async fn the_readme_quinn_client_config_negotiates_x25519mlkem768() {
    let identity = Identity::generate().unwrap();
    let r = run(
        hybrid_kx_ecosystem::quinn_client_config(identity.roots()).unwrap(),
        identity,
    )
    .await;
    assert_eq!(r.server_groups, [0x11EC]);
    assert!(r.client_datagrams_before_reply >= 2);
}
