//! rustls plumbing of the crate's handshake tests, on `hybrid-kx-support`'s certificate,
//! configurations and in-memory driver: configurations on our provider with a recording key
//! log, a transport that records every byte, hello parsers, and a key-exchange group that
//! corrupts its share before sending it (a malicious peer).
#![cfg(feature = "ring")]

use std::sync::Arc;

use hybrid_kx::NamedGroup;

pub use super::hello::*;
use hybrid_kx_support::tls::{Failure, Side, connections, drive};
pub use hybrid_kx_support::tls::{Identity, RecordingKeyLog};
use rustls::crypto::{
    ActiveKeyExchange, CompletedKeyExchange, CryptoProvider, SharedSecret, SupportedKxGroup,
};
use rustls::{AlertDescription, ClientConfig, ClientConnection, ServerConfig, ServerConnection};

pub fn identity() -> Identity {
    Identity::generate().unwrap()
}

pub fn provider_with(groups: Vec<&'static dyn SupportedKxGroup>) -> Arc<CryptoProvider> {
    let mut provider = hybrid_kx::rustls::default_provider();
    provider.kx_groups = groups;
    Arc::new(provider)
}

pub fn ring_x25519() -> &'static dyn SupportedKxGroup {
    rustls::crypto::ring::kx_group::X25519
}

pub fn server_config(
    id: &Identity,
    groups: Vec<&'static dyn SupportedKxGroup>,
) -> (ServerConfig, Arc<RecordingKeyLog>) {
    let mut config = hybrid_kx_support::tls::server_config(provider_with(groups), id).unwrap();
    let log = Arc::new(RecordingKeyLog::default());
    config.key_log = log.clone();
    (config, log)
}

pub fn client_config(
    id: &Identity,
    groups: Vec<&'static dyn SupportedKxGroup>,
) -> (ClientConfig, Arc<RecordingKeyLog>) {
    let mut config =
        hybrid_kx_support::tls::client_config(provider_with(groups), id.roots()).unwrap();
    let log = Arc::new(RecordingKeyLog::default());
    config.key_log = log.clone();
    (config, log)
}

/// A client and a server connection on these configurations, for [`handshake_in_memory`].
pub fn connect(client: ClientConfig, server: ServerConfig) -> (ClientConnection, ServerConnection) {
    connections(Arc::new(client), Arc::new(server)).unwrap()
}

/// Every byte each side sent, and the errors each side hit.
#[derive(Default)]
pub struct Transcript {
    pub client_bytes: Vec<u8>,
    pub server_bytes: Vec<u8>,
    pub client_error: Option<rustls::Error>,
    pub server_error: Option<rustls::Error>,
}

/// A fresh identity, a server accepting `server_groups` and a client offering `client_groups`
/// (our provider otherwise), run against each other by [`handshake_in_memory`].
pub fn in_memory(
    server_groups: Vec<&'static dyn SupportedKxGroup>,
    client_groups: Vec<&'static dyn SupportedKxGroup>,
) -> (ClientConnection, ServerConnection, Transcript) {
    let id = identity();
    let (server, _) = server_config(&id, server_groups);
    let (client, _) = client_config(&id, client_groups);
    let (mut c, mut s) = connect(client, server);
    let t = handshake_in_memory(&mut c, &mut s);
    (c, s, t)
}

impl Transcript {
    /// Fails (naming both errors) unless neither side failed.
    pub fn assert_ok(&self) {
        assert!(
            self.client_error.is_none() && self.server_error.is_none(),
            "{:?} {:?}",
            self.client_error,
            self.server_error
        );
    }
}

/// Drives both connections in memory (`hybrid_kx_support::tls::drive`) until the handshake is
/// over or one side fails, recording every flight; a failing side's alert is still delivered to
/// the other side. Panics if rustls refuses bytes (I/O) or the handshake neither finishes nor
/// fails.
pub fn handshake_in_memory(
    client: &mut ClientConnection,
    server: &mut ServerConnection,
) -> Transcript {
    let mut t = Transcript::default();
    let outcome = drive(client, server, |side, flight| match side {
        Side::Client => t.client_bytes.extend_from_slice(flight),
        Side::Server => t.server_bytes.extend_from_slice(flight),
    });
    let tls = |side: &str, failure: Option<Failure>| match failure {
        Some(Failure::Io(e)) => panic!("{side}: rustls refused bytes: {e}"),
        Some(Failure::Tls(e)) => Some(e),
        None => None,
    };
    t.client_error = tls("client", outcome.client.error);
    t.server_error = tls("server", outcome.server.error);
    assert!(
        outcome.finished || t.client_error.is_some() || t.server_error.is_some(),
        "handshake did not finish in {} rounds",
        outcome.rounds
    );
    t
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
    malformed_share(Side::Client, group, corrupt, what);
}

/// Our client meets a server whose share is corrupted: our client must fail with
/// `InvalidKeyShare` and the server must receive `illegal_parameter`.
pub fn server_sends_malformed_share(group: NamedGroup, corrupt: Corrupt, what: &str) {
    malformed_share(Side::Server, group, corrupt, what);
}

/// `evil`'s share is corrupted, the other side is ours: ours must fail with `InvalidKeyShare`
/// and `evil` must receive `illegal_parameter`.
fn malformed_share(evil: Side, group: NamedGroup, corrupt: Corrupt, what: &str) {
    let ours = hybrid_kx::rustls::kx_group(group);
    let corrupting: &'static CorruptGroup = CorruptGroup::leak(ours, corrupt);
    let (server_group, client_group): (
        &'static dyn SupportedKxGroup,
        &'static dyn SupportedKxGroup,
    ) = match evil {
        Side::Client => (ours, corrupting),
        Side::Server => (corrupting, ours),
    };
    let (_, _, t) = in_memory(vec![server_group], vec![client_group]);
    let (our_error, peer_error, ours_is) = match evil {
        Side::Client => (t.server_error, t.client_error, "server"),
        Side::Server => (t.client_error, t.server_error, "client"),
    };
    assert_eq!(
        our_error,
        Some(rustls::Error::PeerMisbehaved(
            rustls::PeerMisbehaved::InvalidKeyShare
        )),
        "{group} {what}: our {ours_is}'s error"
    );
    assert_eq!(
        peer_error,
        Some(rustls::Error::AlertReceived(
            AlertDescription::IllegalParameter
        )),
        "{group} {what}: alert seen by the peer"
    );
}
