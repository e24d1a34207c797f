//! `hybrid-kx handshake --rustls 0.24`: the loopback handshake of [`crate::handshake`] on the
//! crate's rustls 0.24 adapter (`hybrid_kx::rustls_0_24` on `rustls-ring`), both sides over a
//! TCP socket, reported in the same line.
//!
//! rustls 0.24 has no `StreamOwned`: each side reads the socket into a `VecInput`, lets the
//! connection process it (`read_tls(..).handle_all(..)`), and writes what the connection
//! appended to its outgoing buffer. The rest is the 0.23 loopback's: the first group offered
//! must be negotiated on both sides, both sides must log the same secrets, and one message goes
//! each way.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use hybrid_kx::NamedGroup;
use hybrid_kx_support::tls::{Identity, RecordingKeyLog};
use hybrid_kx_support::tls_0_24::{client_config, server_config};
use rustls_0_24::crypto::Identity as PeerIdentity;
use rustls_0_24::crypto::kx::SupportedKxGroup;
use rustls_0_24::enums::ApplicationProtocol;
use rustls_0_24::pki_types::ServerName;
use rustls_0_24::{
    ClientConfig, Connection, HandshakeKind, ServerConfig, ServerSide, SideData, Tcp, VecInput,
};

use crate::certificate::describe;
use crate::error::{BoxError, bad_input};
use crate::handshake::{Outcome, report_loopback};
use crate::tls::{RecordingStream, group_name, key_shares};

/// The rustls 0.24 groups for the codepoints asked for, in that order: this crate's from its
/// 0.24 adapter, the classical ones from rustls-ring's default provider.
///
/// # Errors
/// [`crate::error::BadInput`] for a group neither has (none today: the names were resolved
/// against the 0.23 list, which has the same groups).
fn groups(codepoints: &[u16]) -> Result<Vec<&'static dyn SupportedKxGroup>, BoxError> {
    let ring = &rustls_ring_0_24::DEFAULT_PROVIDER.kx_groups;
    codepoints
        .iter()
        .map(|&codepoint| {
            NamedGroup::from_codepoint(codepoint)
                .map(hybrid_kx::rustls_0_24::kx_group)
                .or_else(|| ring.iter().copied().find(|g| g.name().0 == codepoint))
                .ok_or_else(|| {
                    bad_input(format!(
                        "{} is not available on rustls 0.24",
                        group_name(codepoint)
                    ))
                })
        })
        .collect()
}

/// Our rustls 0.24 provider (rustls-ring base, our groups and HKDF) limited to `groups`.
fn provider(groups: &[&'static dyn SupportedKxGroup]) -> Arc<rustls_0_24::crypto::CryptoProvider> {
    let mut provider = hybrid_kx::rustls_0_24::default_provider();
    provider.kx_groups = groups.to_vec().into();
    Arc::new(provider)
}

/// One side of the loopback: its connection, its socket (keeping a copy of the first flights
/// each way, for the key shares on the wire), and the bytes read but not yet processed.
struct Peer<S: SideData> {
    conn: Connection<S, Tcp>,
    tcp: RecordingStream<TcpStream>,
    input: VecInput,
}

impl<S: SideData> Peer<S> {
    fn new(conn: Connection<S, Tcp>, tcp: TcpStream) -> Self {
        Self {
            conn,
            tcp: RecordingStream::new(tcp),
            input: VecInput::default(),
        }
    }

    /// Sends `tls` (what the connection appended) and empties it.
    fn send(&mut self, tls: &mut Vec<u8>) -> Result<(), BoxError> {
        self.tcp.write_all(tls)?;
        tls.clear();
        Ok(())
    }

    /// Reads once from the socket and processes every complete record; what the connection
    /// answers is sent, application data is appended to `plaintext`.
    fn receive(&mut self, plaintext: &mut Vec<u8>) -> Result<(), BoxError> {
        if self.input.read(&mut self.tcp)? == 0 {
            return Err("the peer closed the connection during the exchange".into());
        }
        let mut tls = Vec::new();
        let handled = self
            .conn
            .read_tls(&mut self.input, &mut tls)
            .handle_all(plaintext);
        // A failing side's alert still goes out before its error is reported.
        self.send(&mut tls)?;
        handled?;
        Ok(())
    }

    /// Receives until `plaintext` holds `len` bytes of application data.
    fn receive_exactly(&mut self, len: usize) -> Result<Vec<u8>, BoxError> {
        let mut plaintext = Vec::new();
        while plaintext.len() < len {
            self.receive(&mut plaintext)?;
        }
        Ok(plaintext)
    }

    /// Encrypts `message` and sends it.
    fn write(&mut self, message: &[u8]) -> Result<(), BoxError> {
        let mut tls = Vec::new();
        self.conn.write(message.into(), &mut tls)?;
        self.send(&mut tls)
    }
}

/// The server side: the handshake, `ping` in, `pong` and close_notify out. Returns the group
/// it negotiated.
fn serve(listener: &TcpListener, config: ServerConfig) -> Result<Option<u16>, BoxError> {
    let (tcp, _) = listener.accept()?;
    tcp.set_nodelay(true)?;
    let mut server = Peer::<ServerSide>::new(Connection::new(Arc::new(config))?, tcp);
    if server.receive_exactly(4)? != b"ping" {
        return Err("server received unexpected application data".into());
    }
    server.write(b"pong")?;
    let mut tls = Vec::new();
    server.conn.send_close_notify(&mut tls)?;
    server.send(&mut tls)?;
    Ok(server
        .conn
        .negotiated_key_exchange_group()
        .map(|g| u16::from(g.name())))
}

/// The client side: the handshake (timed), then `ping` out and `pong` in.
fn client(config: ClientConfig, tcp: TcpStream) -> Result<Outcome, BoxError> {
    let start = Instant::now();
    let mut tls = Vec::new();
    let name = ServerName::try_from("localhost")?;
    let conn = Arc::new(config).connect(name).build(&mut tls)?;
    let mut client = Peer::new(conn, tcp);
    client.send(&mut tls)?;
    while client.conn.is_handshaking() {
        let mut early = Vec::new();
        client.receive(&mut early)?;
        if !early.is_empty() {
            return Err("application data before the handshake finished".into());
        }
    }
    let handshake_ms = start.elapsed().as_secs_f64() * 1e3;
    client.write(b"ping")?;
    if client.receive_exactly(4)? != b"pong" {
        return Err("application data did not round-trip".into());
    }
    let conn = &client.conn;
    Ok(Outcome {
        group: conn
            .negotiated_key_exchange_group()
            .map(|g| u16::from(g.name())),
        suite: conn
            .negotiated_cipher_suite()
            .map(|suite| format!("{:?}", suite.suite())),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p.as_ref()).into_owned()),
        hello_retry: conn.handshake_kind() == Some(HandshakeKind::FullWithHelloRetryRequest),
        certificate: conn.peer_identity().and_then(|id| match id.identity() {
            PeerIdentity::X509(chain) => Some(describe(&chain.end_entity)),
            _ => None,
        }),
        client_shares: key_shares(&client.tcp.written),
        server_shares: key_shares(&client.tcp.read),
        handshake_ms,
    })
}

/// Both sides on the 0.24 adapter, offering the groups of `codepoints`; the first must be
/// negotiated, and both sides must log the same secrets.
pub(crate) fn loopback(codepoints: &[u16], alpn: &[String]) -> Result<(), BoxError> {
    let groups = groups(codepoints)?;
    let identity = Identity::generate()?;
    let expected = codepoints[0];
    let alpn: Vec<ApplicationProtocol<'static>> = alpn
        .iter()
        .map(|p| ApplicationProtocol::from(p.as_bytes().to_vec()))
        .collect();

    let server_log = Arc::new(RecordingKeyLog::default());
    let mut server_config = server_config(provider(&groups), &identity)?;
    server_config.key_log = server_log.clone();
    server_config.alpn_protocols = alpn.clone();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let server = thread::spawn(move || serve(&listener, server_config));

    let client_log = Arc::new(RecordingKeyLog::default());
    let mut client_config = client_config(provider(&groups), &identity)?;
    client_config.key_log = client_log.clone();
    client_config.alpn_protocols = alpn;
    let tcp = TcpStream::connect(address)?;
    tcp.set_nodelay(true)?;
    let outcome = client(client_config, tcp);
    let server_group = server.join().map_err(|_| "server thread panicked")?;
    let (outcome, server_group) = (outcome?, server_group?);

    report_loopback(
        &outcome,
        "0.24",
        expected,
        server_group,
        [&client_log, &server_log],
        &address.to_string(),
    )
}
