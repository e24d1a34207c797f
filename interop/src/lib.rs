//! Interop test support for hybrid-kx (see `tests/`): certificates, TCP plumbing with timeouts,
//! rustls and OpenSSL configurations, and one small application-data exchange that every test
//! runs over a finished handshake.
//!
//! [`load_server`] is an OpenSSL server for many connections, the peer `hybrid-kx bench` is
//! measured against (also the `openssl-server` binary).
//!
//! Every socket is on 127.0.0.1 and has read and write timeouts ([`IO_TIMEOUT`]); accepting a
//! connection is bounded by [`IO_TIMEOUT`] too. A peer that hangs therefore fails its test
//! instead of blocking it.

pub mod load_server;

use std::ffi::CStr;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use foreign_types::ForeignTypeRef;
use hybrid_kx::NamedGroup;
pub use hybrid_kx_support::tls::Identity;
use hybrid_kx_support::tls::{client_config, server_config};
use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::pki_types::ServerName;
use rustls::{ClientConnection, ServerConnection, StreamOwned};

/// Error type of the helpers; tests `unwrap` or `expect` it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Read, write and accept timeout of every socket: a stuck handshake fails after this long.
pub const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// What the client sends once the handshake is done.
pub const CLIENT_MESSAGE: &[u8] = b"hello from the client over a hybrid key exchange";
/// What the server answers.
pub const SERVER_MESSAGE: &[u8] = b"hello back from the server";

/// The server name both sides use; the certificate (`hybrid_kx_support::tls::Identity`) names
/// it and 127.0.0.1.
pub use hybrid_kx_support::tls::SERVER_NAME;

/// The certificate as OpenSSL takes it.
fn openssl_cert(identity: &Identity) -> Result<openssl::x509::X509, BoxError> {
    Ok(openssl::x509::X509::from_der(&identity.cert)?)
}

/// The private key as OpenSSL takes it.
fn openssl_key(
    identity: &Identity,
) -> Result<openssl::pkey::PKey<openssl::pkey::Private>, BoxError> {
    Ok(openssl::pkey::PKey::private_key_from_der(
        identity.key_der(),
    )?)
}

// ---------------------------------------------------------------------------------------------
// Groups and providers
// ---------------------------------------------------------------------------------------------

/// Runs `run` on each post-quantum group among a peer's `groups` (those that are also ours:
/// RFC 10024 and draft-ietf-tls-mlkem codepoints), for any rustls version (`codepoint` reads
/// one), after checking they are the four aws-lc-rs has: X25519MLKEM768, SecP256r1MLKEM768,
/// MLKEM768, MLKEM1024.
pub fn each_post_quantum<G: Copy>(groups: &[G], codepoint: impl Fn(G) -> u16, run: impl Fn(G)) {
    let ours: Vec<G> = groups
        .iter()
        .copied()
        .filter(|&g| NamedGroup::from_codepoint(codepoint(g)).is_some())
        .collect();
    let mut found: Vec<u16> = ours.iter().map(|&g| codepoint(g)).collect();
    found.sort_unstable();
    assert_eq!(
        found,
        [0x0201, 0x0202, 0x11EB, 0x11EC],
        "the peer's post-quantum groups"
    );
    for group in ours {
        run(group);
    }
}

/// Whether `group` is this crate's implementation (its `Debug` names `hybrid_kx`).
pub fn is_ours(group: &dyn SupportedKxGroup) -> bool {
    format!("{group:?}").contains("hybrid_kx")
}

/// Our provider, restricted to our group with `codepoint`: rustls's ring provider passed
/// through [`hybrid_kx::rustls::with_hybrid_kx`], with only the one group left.
///
/// # Panics
/// If the provider has no group, or not exactly one, with that codepoint, or if that group is
/// not ours.
pub fn our_provider(codepoint: u16) -> Arc<CryptoProvider> {
    let mut provider = hybrid_kx::rustls::with_hybrid_kx(rustls::crypto::ring::default_provider());
    // MLKEM512 is opt-in (not among `with_hybrid_kx`'s groups): offer it as a user would.
    provider.kx_groups.push(hybrid_kx::rustls::MLKEM512);
    provider
        .kx_groups
        .retain(|g| u16::from(g.name()) == codepoint);
    assert_eq!(
        provider.kx_groups.len(),
        1,
        "our provider should have exactly one group with codepoint {codepoint:#06x}"
    );
    let group = provider.kx_groups[0];
    assert!(
        is_ours(group),
        "group {group:?} ({codepoint:#06x}) in our provider is not hybrid_kx's"
    );
    Arc::new(provider)
}

/// rustls's own aws-lc-rs provider with `group` (one of
/// `rustls::crypto::aws_lc_rs::kx_group::*`) as its only key-exchange group.
///
/// # Panics
/// If `group` is ours.
pub fn aws_lc_rs_provider(group: &'static dyn SupportedKxGroup) -> Arc<CryptoProvider> {
    assert!(!is_ours(group), "{group:?} is hybrid_kx's, not aws-lc-rs's");
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    provider.kx_groups = vec![group];
    Arc::new(provider)
}

/// A TLS 1.3-only rustls server configuration on `provider` presenting `identity`, shared
/// with the thread that serves.
///
/// # Errors
/// If rustls rejects the provider for TLS 1.3 or the key.
pub fn rustls_server_config(
    provider: Arc<CryptoProvider>,
    identity: &Identity,
) -> Result<Arc<rustls::ServerConfig>, BoxError> {
    Ok(Arc::new(server_config(provider, identity)?))
}

/// A TLS 1.3-only rustls client configuration on `provider` trusting only `identity`, shared
/// with the thread that connects.
///
/// # Errors
/// If rustls rejects the provider for TLS 1.3.
pub fn rustls_client_config(
    provider: Arc<CryptoProvider>,
    identity: &Identity,
) -> Result<Arc<rustls::ClientConfig>, BoxError> {
    Ok(Arc::new(client_config(provider, identity.roots())?))
}

// ---------------------------------------------------------------------------------------------
// TCP plumbing
// ---------------------------------------------------------------------------------------------

/// A listener on an ephemeral port of 127.0.0.1.
pub fn listen() -> Result<(TcpListener, SocketAddr), BoxError> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    Ok((listener, address))
}

/// Sets [`IO_TIMEOUT`] as read and write timeout of `tcp`, and disables Nagle.
pub fn set_timeouts(tcp: &TcpStream) -> io::Result<()> {
    tcp.set_read_timeout(Some(IO_TIMEOUT))?;
    tcp.set_write_timeout(Some(IO_TIMEOUT))?;
    tcp.set_nodelay(true)
}

/// Accepts one connection within [`IO_TIMEOUT`] (polling a non-blocking listener), with
/// timeouts set.
pub fn accept(listener: &TcpListener) -> Result<TcpStream, BoxError> {
    listener.set_nonblocking(true)?;
    let deadline = Instant::now() + IO_TIMEOUT;
    loop {
        match listener.accept() {
            Ok((tcp, _)) => {
                tcp.set_nonblocking(false)?;
                set_timeouts(&tcp)?;
                return Ok(tcp);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    return Err("no client connected in time".into());
                }
                thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Connects to `address` (within [`IO_TIMEOUT`]), with timeouts set.
pub fn connect(address: SocketAddr) -> Result<TcpStream, BoxError> {
    let tcp = TcpStream::connect_timeout(&address, IO_TIMEOUT)?;
    set_timeouts(&tcp)?;
    Ok(tcp)
}

/// Runs `server` on a thread accepting one connection on a fresh listener; returns the
/// listener's address and the thread.
pub fn spawn_server<S: Send + 'static>(
    server: impl FnOnce(TcpStream) -> Result<S, BoxError> + Send + 'static,
) -> (SocketAddr, JoinHandle<Result<S, BoxError>>) {
    let (listener, address) = listen().expect("listen on 127.0.0.1");
    (address, thread::spawn(move || server(accept(&listener)?)))
}

/// Runs `server` on a thread ([`spawn_server`]) and `client` on this thread against it;
/// returns both results once both ended.
///
/// # Panics
/// If either side failed (the message has both sides' outcome) or its thread panicked.
pub fn run_pair<S, C>(
    server: impl FnOnce(TcpStream) -> Result<S, BoxError> + Send + 'static,
    client: impl FnOnce(TcpStream) -> Result<C, BoxError>,
) -> (S, C)
where
    S: Send + std::fmt::Debug + 'static,
    C: std::fmt::Debug,
{
    let (address, server_thread) = spawn_server(server);
    let client_result = connect(address).and_then(client);
    let server_result = server_thread.join().expect("server thread panicked");
    match (server_result, client_result) {
        (Ok(s), Ok(c)) => (s, c),
        (s, c) => panic!("handshake failed:\n  server: {s:?}\n  client: {c:?}"),
    }
}

/// Which first record a [`tampering_proxy`] changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The client's first record (its ClientHello).
    ClientToServer,
    /// The server's first record (its ServerHello).
    ServerToClient,
}

/// Reads one whole TLS record (RFC 8446 section 5.1): the 5-byte header and its fragment.
fn read_record(tcp: &mut TcpStream) -> Result<Vec<u8>, BoxError> {
    let mut record = vec![0; 5];
    tcp.read_exact(&mut record)?;
    let len = usize::from(u16::from_be_bytes([record[3], record[4]]));
    record.resize(5 + len, 0);
    tcp.read_exact(&mut record[5..])?;
    Ok(record)
}

/// Copies `from` to `to` until EOF or an error, then shuts down `to`'s write side.
fn pump(mut from: TcpStream, mut to: TcpStream) {
    let _ = io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
}

/// A man in the middle on 127.0.0.1 for one connection to `upstream`: `tamper` changes the
/// first record sent in `direction` (a ClientHello or ServerHello); everything else is
/// forwarded unchanged. Returns the address to connect to and the proxy's thread, which
/// fails if `tamper` did (say, it did not find what it should change).
pub fn tampering_proxy(
    upstream: SocketAddr,
    direction: Direction,
    tamper: impl FnOnce(&mut [u8]) -> Result<(), BoxError> + Send + 'static,
) -> (SocketAddr, JoinHandle<Result<(), BoxError>>) {
    spawn_server(move |client| {
        let server = connect(upstream)?;
        let (mut from, to) = match direction {
            Direction::ClientToServer => (client.try_clone()?, server.try_clone()?),
            Direction::ServerToClient => (server.try_clone()?, client.try_clone()?),
        };
        // The other direction flows untouched from the start.
        let other = match direction {
            Direction::ClientToServer => thread::spawn(move || pump(server, client)),
            Direction::ServerToClient => thread::spawn(move || pump(client, server)),
        };
        let mut record = read_record(&mut from)?;
        let tampered = tamper(&mut record);
        if tampered.is_ok() {
            (&to).write_all(&record)?;
            pump(from, to);
        } else {
            let _ = from.shutdown(Shutdown::Both);
            let _ = to.shutdown(Shutdown::Both);
        }
        other.join().map_err(|_| "proxy thread panicked")?;
        tampered
    })
}

/// A tamper function for [`tampering_proxy`]: finds the one key share of `group` (codepoint
/// and length as in a `KeyShareEntry`, RFC 8446 section 4.2.8) in a ClientHello or ServerHello
/// record and lets `edit` change its bytes (not its length).
pub fn edit_key_share(
    group: NamedGroup,
    direction: Direction,
    edit: impl FnOnce(&mut [u8]) + Send + 'static,
) -> impl FnOnce(&mut [u8]) -> Result<(), BoxError> + Send + 'static {
    move |record: &mut [u8]| {
        if record.first() != Some(&22) {
            return Err("the first record is not a handshake record".into());
        }
        let len = match direction {
            Direction::ClientToServer => group.client_share_len(),
            Direction::ServerToClient => group.server_share_len(),
        };
        let len16 = u16::try_from(len)?;
        let mut entry_header = group.codepoint().to_be_bytes().to_vec();
        entry_header.extend_from_slice(&len16.to_be_bytes());
        let found: Vec<usize> = record
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == entry_header.as_slice())
            .map(|(i, _)| i + 4)
            .filter(|start| start + len <= record.len())
            .collect();
        let [start] = found[..] else {
            return Err(format!(
                "{} share of {len} bytes found {} times",
                group.name(),
                found.len()
            )
            .into());
        };
        edit(&mut record[start..start + len]);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The exchange over a finished handshake
// ---------------------------------------------------------------------------------------------

/// Client side of the exchange: send [`CLIENT_MESSAGE`], expect [`SERVER_MESSAGE`].
pub fn client_exchange(stream: &mut impl ReadWrite) -> Result<(), BoxError> {
    stream.write_all(CLIENT_MESSAGE)?;
    stream.flush()?;
    let mut reply = vec![0; SERVER_MESSAGE.len()];
    stream.read_exact(&mut reply)?;
    if reply != SERVER_MESSAGE {
        return Err(format!("client received {:?}", String::from_utf8_lossy(&reply)).into());
    }
    Ok(())
}

/// Server side of the exchange: expect [`CLIENT_MESSAGE`], send [`SERVER_MESSAGE`], then read
/// until the client's close_notify (so the server never closes on unread data).
pub fn server_exchange(stream: &mut impl ReadWrite) -> Result<(), BoxError> {
    let mut request = vec![0; CLIENT_MESSAGE.len()];
    stream.read_exact(&mut request)?;
    if request != CLIENT_MESSAGE {
        return Err(format!("server received {:?}", String::from_utf8_lossy(&request)).into());
    }
    stream.write_all(SERVER_MESSAGE)?;
    stream.flush()?;
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest)?;
    if !rest.is_empty() {
        return Err(format!("server received {} unexpected bytes", rest.len()).into());
    }
    Ok(())
}

/// `Read + Write`, for the exchange helpers.
pub trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

// ---------------------------------------------------------------------------------------------
// rustls sides
// ---------------------------------------------------------------------------------------------

/// The key-exchange group one rustls side negotiated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// Its codepoint.
    pub codepoint: u16,
    /// Its `Debug` form (which says whose implementation it is: see [`is_ours`]).
    pub implementation: String,
}

fn negotiated(conn: &rustls::CommonState) -> Result<Negotiated, BoxError> {
    let group = conn
        .negotiated_key_exchange_group()
        .ok_or("no key-exchange group negotiated")?;
    Ok(Negotiated {
        codepoint: u16::from(group.name()),
        implementation: format!("{group:?}"),
    })
}

/// A rustls server on `tcp`: handshake, [`server_exchange`], close_notify.
pub fn rustls_server(
    config: Arc<rustls::ServerConfig>,
    tcp: TcpStream,
) -> Result<Negotiated, BoxError> {
    let mut tls = StreamOwned::new(ServerConnection::new(config)?, tcp);
    while tls.conn.is_handshaking() {
        tls.conn.complete_io(&mut tls.sock)?;
    }
    let group = negotiated(&tls.conn)?;
    server_exchange(&mut tls)?;
    // Best effort: the client may already have closed its socket after its close_notify.
    tls.conn.send_close_notify();
    let _ = tls.conn.complete_io(&mut tls.sock);
    Ok(group)
}

/// A rustls client on `tcp`: handshake with [`SERVER_NAME`], [`client_exchange`],
/// close_notify.
pub fn rustls_client(
    config: Arc<rustls::ClientConfig>,
    tcp: TcpStream,
) -> Result<Negotiated, BoxError> {
    let conn = ClientConnection::new(config, ServerName::try_from(SERVER_NAME)?)?;
    let mut tls = StreamOwned::new(conn, tcp);
    while tls.conn.is_handshaking() {
        tls.conn.complete_io(&mut tls.sock)?;
    }
    let group = negotiated(&tls.conn)?;
    client_exchange(&mut tls)?;
    tls.conn.send_close_notify();
    tls.conn.complete_io(&mut tls.sock)?;
    Ok(group)
}

// ---------------------------------------------------------------------------------------------
// OpenSSL sides
// ---------------------------------------------------------------------------------------------

/// The name OpenSSL gives the group `ssl` negotiated (`SSL_get0_group_name`, OpenSSL 3.2+).
pub fn openssl_group_name(ssl: &openssl::ssl::SslRef) -> Option<String> {
    // SAFETY: `ssl` is a live SSL object for the duration of the call; the function returns
    // NULL or a NUL-terminated string owned by OpenSSL (static group tables), which is copied
    // before `ssl` can be freed.
    unsafe {
        let name = openssl_sys::SSL_get0_group_name(ssl.as_ptr());
        (!name.is_null()).then(|| CStr::from_ptr(name).to_string_lossy().into_owned())
    }
}

/// What an OpenSSL side saw of its handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpensslOutcome {
    /// `SSL_get0_group_name`.
    pub group: Option<String>,
    /// The protocol version (`SSL_get_version`).
    pub version: &'static str,
}

fn openssl_outcome(ssl: &openssl::ssl::SslRef) -> OpensslOutcome {
    OpensslOutcome {
        group: openssl_group_name(ssl),
        version: ssl.version_str(),
    }
}

/// Limits an OpenSSL context to TLS 1.3 and to `group` (an OpenSSL group name), as both of our
/// OpenSSL peers are.
fn tls13_offering(
    builder: &mut openssl::ssl::SslContextBuilder,
    group: &str,
) -> Result<(), BoxError> {
    use openssl::ssl::SslVersion;
    builder.set_min_proto_version(Some(SslVersion::TLS1_3))?;
    builder.set_max_proto_version(Some(SslVersion::TLS1_3))?;
    builder.set_groups_list(group)?;
    Ok(())
}

/// An OpenSSL server (TLS 1.3 only) presenting `identity`, offering only `group` (an OpenSSL
/// group name).
pub fn openssl_acceptor(
    identity: &Identity,
    group: &str,
) -> Result<openssl::ssl::SslAcceptor, BoxError> {
    use openssl::ssl::{SslAcceptor, SslMethod};
    let mut builder = SslAcceptor::mozilla_modern_v5(SslMethod::tls_server())?;
    tls13_offering(&mut builder, group)?;
    let (cert, key) = (openssl_cert(identity)?, openssl_key(identity)?);
    builder.set_certificate(&cert)?;
    builder.set_private_key(&key)?;
    builder.check_private_key()?;
    Ok(builder.build())
}

/// An OpenSSL client (TLS 1.3 only) trusting only `identity`, offering only `group` (an
/// OpenSSL group name).
pub fn openssl_connector(
    identity: &Identity,
    group: &str,
) -> Result<openssl::ssl::SslConnector, BoxError> {
    use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
    let mut builder = SslConnector::builder(SslMethod::tls_client())?;
    tls13_offering(&mut builder, group)?;
    builder.cert_store_mut().add_cert(openssl_cert(identity)?)?;
    builder.set_verify(SslVerifyMode::PEER);
    Ok(builder.build())
}

fn handshake_error<S: std::fmt::Debug>(e: openssl::ssl::HandshakeError<S>) -> BoxError {
    format!("OpenSSL handshake: {e}").into()
}

/// An OpenSSL server on `tcp`: handshake, [`server_exchange`], close_notify.
pub fn openssl_server(
    acceptor: &openssl::ssl::SslAcceptor,
    tcp: TcpStream,
) -> Result<OpensslOutcome, BoxError> {
    let mut tls = acceptor.accept(tcp).map_err(handshake_error)?;
    let outcome = openssl_outcome(tls.ssl());
    server_exchange(&mut tls)?;
    // Best effort: the client may already have closed its socket after its close_notify.
    let _ = tls.shutdown();
    Ok(outcome)
}

/// An OpenSSL client on `tcp`: handshake verifying [`SERVER_NAME`], [`client_exchange`],
/// close_notify.
pub fn openssl_client(
    connector: &openssl::ssl::SslConnector,
    tcp: TcpStream,
) -> Result<OpensslOutcome, BoxError> {
    let mut tls = connector
        .connect(SERVER_NAME, tcp)
        .map_err(handshake_error)?;
    let outcome = openssl_outcome(tls.ssl());
    client_exchange(&mut tls)?;
    tls.shutdown()?;
    Ok(outcome)
}

/// Our group with this codepoint.
///
/// # Panics
/// If hybrid-kx has no such group.
pub fn our_named_group(codepoint: u16) -> NamedGroup {
    NamedGroup::from_codepoint(codepoint)
        .unwrap_or_else(|| panic!("hybrid-kx has no group {codepoint:#06x}"))
}
