//! The rustls 0.24 twin of [`crate::tls`]: TLS 1.3 configurations on a given provider for the
//! same [`Identity`], and an in-memory driver for rustls 0.24's connection API (one
//! `Connection<Side, Tcp>` type fed through `read_tls(..).handle_all(..)`, flights appended to a
//! buffer), with the same bounds and guarantees as [`crate::tls::drive`].
//!
//! The certificate and key types are `rustls-pki-types`, which both rustls versions share, so
//! one [`Identity`] serves both.

use std::sync::Arc;

use rustls_0_24::crypto::{CryptoProvider, Identity as ServerIdentity};
use rustls_0_24::pki_types::{FipsStatus, ServerName};
use rustls_0_24::{
    ClientConfig, ClientSide, Connection, HandshakeKind, RootCertStore, ServerConfig, ServerSide,
    Tcp, VecInput,
};

use crate::tls::{Identity, MAX_ROUNDS, SERVER_NAME, Side};

/// A TLS 1.3 server on `provider` presenting `identity`, without client authentication.
///
/// # Errors
/// If the provider fails rustls's consistency check, or cannot load the key.
pub fn server_config(
    provider: Arc<CryptoProvider>,
    identity: &Identity,
) -> Result<ServerConfig, rustls_0_24::Error> {
    let chain = ServerIdentity::from_cert_chain(vec![identity.cert.clone()])
        .map_err(|e| rustls_0_24::Error::General(format!("{e:?}")))?;
    ServerConfig::builder(provider)
        .with_no_client_auth()
        .with_single_cert(Arc::new(chain), identity.key())
}

/// A TLS 1.3 client on `provider` trusting `identity`'s certificate alone.
///
/// # Errors
/// If the provider fails rustls's consistency check, or the certificate cannot be parsed.
pub fn client_config(
    provider: Arc<CryptoProvider>,
    identity: &Identity,
) -> Result<ClientConfig, rustls_0_24::Error> {
    let mut roots = RootCertStore::empty();
    roots.add(identity.cert.clone())?;
    ClientConfig::builder(provider)
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// What one side negotiated and how it ended.
#[derive(Debug)]
pub struct SideOutcome {
    /// The key-exchange group's codepoint (RFC 8446 section 4.2.7).
    pub group: Option<u16>,
    /// Full, with a HelloRetryRequest, or resumed.
    pub kind: Option<HandshakeKind>,
    /// The connection's FIPS status, as rustls reports it.
    pub fips: FipsStatus,
    /// Why it stopped, if it failed: its own error, or `AlertReceived` with the other side's
    /// alert.
    pub error: Option<rustls_0_24::Error>,
}

/// How a [`drive`] ended.
#[derive(Debug)]
pub struct Outcome {
    /// The client's side.
    pub client: SideOutcome,
    /// The server's side.
    pub server: SideOutcome,
    /// Both sides are past the handshake with nothing left to send.
    pub finished: bool,
    /// Rounds run.
    pub rounds: usize,
    /// Every non-empty flight as delivered, in order, with the side that wrote it.
    pub flights: Vec<(Side, Vec<u8>)>,
}

impl Outcome {
    /// The group both sides negotiated, after checking the run succeeded.
    ///
    /// # Panics
    /// If a side failed, the handshake did not finish, or the sides disagree on the group.
    pub fn expect_success(&self) -> u16 {
        assert!(
            self.client.error.is_none() && self.server.error.is_none(),
            "handshake failed: client {:?}, server {:?}",
            self.client.error,
            self.server.error
        );
        assert!(self.finished, "did not finish in {} rounds", self.rounds);
        assert_eq!(self.client.group, self.server.group, "the sides disagree");
        self.client.group.expect("a finished handshake has a group")
    }

    /// The first flight the client wrote (its ClientHello record).
    pub fn client_hello(&self) -> &[u8] {
        self.flights
            .iter()
            .find(|(side, _)| *side == Side::Client)
            .map_or(&[][..], |(_, flight)| flight)
    }
}

/// One side's connection with the bytes it has received and its error.
struct Peer<S: rustls_0_24::SideData> {
    conn: Connection<S, Tcp>,
    input: VecInput,
    error: Option<rustls_0_24::Error>,
}

impl<S: rustls_0_24::SideData> Peer<S> {
    fn new(conn: Connection<S, Tcp>) -> Self {
        Self {
            conn,
            input: VecInput::default(),
            error: None,
        }
    }

    /// Takes `bytes` in and processes them; what it answers (a flight, an alert) goes to `out`.
    fn receive(&mut self, mut bytes: &[u8], out: &mut Vec<u8>) {
        if self.error.is_some() {
            return;
        }
        while !bytes.is_empty() {
            if self.input.read(&mut bytes).is_err() {
                break;
            }
            let mut plaintext = Vec::new();
            if let Err(e) = self
                .conn
                .read_tls(&mut self.input, out)
                .handle_all(&mut plaintext)
            {
                self.error = Some(e);
                return;
            }
        }
    }

    fn outcome(&self) -> SideOutcome {
        SideOutcome {
            group: self
                .conn
                .negotiated_key_exchange_group()
                .map(|g| u16::from(g.name())),
            kind: self.conn.handshake_kind(),
            fips: self.conn.fips(),
            error: self.error.clone(),
        }
    }
}

/// Runs a client of `client` (for [`SERVER_NAME`]) against a server of `server` in memory until
/// both are past the handshake with nothing left to send, one fails, nothing moves, or
/// [`MAX_ROUNDS`] have run. `on_flight` sees and may change every non-empty flight before it is
/// delivered. A failing side's alert is still delivered. Never panics (unless `on_flight` does).
///
/// # Errors
/// If rustls refuses to start either connection.
pub fn drive(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
    mut on_flight: impl FnMut(Side, &mut Vec<u8>),
) -> Result<Outcome, rustls_0_24::Error> {
    let name = ServerName::try_from(SERVER_NAME)
        .map_err(|e| rustls_0_24::Error::General(e.to_string()))?;
    let mut to_server = Vec::new();
    let mut client_peer = Peer::<ClientSide>::new(client.connect(name).build(&mut to_server)?);
    let mut server_peer = Peer::<ServerSide>::new(Connection::new(server.clone())?);
    let mut flights = Vec::new();
    let mut rounds = 0;
    let mut finished = false;
    while rounds < MAX_ROUNDS {
        rounds += 1;
        let mut to_client = Vec::new();
        let client_sent = !to_server.is_empty();
        if client_sent {
            on_flight(Side::Client, &mut to_server);
            flights.push((Side::Client, to_server.clone()));
            server_peer.receive(&to_server, &mut to_client);
            to_server.clear();
        }
        let server_sent = !to_client.is_empty();
        if server_sent {
            on_flight(Side::Server, &mut to_client);
            flights.push((Side::Server, to_client.clone()));
            client_peer.receive(&to_client, &mut to_server);
        }
        if client_peer.error.is_some() || server_peer.error.is_some() {
            // The client's alert (or last flight) still reaches the server.
            if !to_server.is_empty() && server_peer.error.is_none() {
                on_flight(Side::Client, &mut to_server);
                flights.push((Side::Client, to_server.clone()));
                server_peer.receive(&to_server, &mut Vec::new());
            }
            break;
        }
        if !client_peer.conn.is_handshaking()
            && !server_peer.conn.is_handshaking()
            && to_server.is_empty()
        {
            finished = true;
            break;
        }
        if !client_sent && !server_sent {
            break;
        }
    }
    Ok(Outcome {
        client: client_peer.outcome(),
        server: server_peer.outcome(),
        finished,
        rounds,
        flights,
    })
}
