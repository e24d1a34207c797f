//! `hybrid-kx handshake`: one TLS 1.3 handshake, on loopback (both sides ours) or with a real
//! server, reported as one line:
//!
//! ```text
//! handshake group=X25519MLKEM768 client_key_shares=X25519MLKEM768:1216 server_key_share=X25519MLKEM768:1120 secrets_match=true handshake_ms=1.92 peer=127.0.0.1:41234
//! ```
//!
//! `secrets_match` compares every secret both sides logged (handshake and application traffic
//! secrets, exporter secret); it is `n/a` with `--connect`, where only our side is visible.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use hybrid_kx::NamedGroup;
use rustls::pki_types::ServerName;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConnection, ServerConnection, StreamOwned};

use hybrid_kx_support::tls::{Identity, RecordingKeyLog, client_config, server_config};

use crate::tls::{BoxError, RecordingStream, describe_shares, group_name, key_shares, provider};

/// Arguments of `hybrid-kx handshake`.
#[derive(clap::Args)]
pub(crate) struct HandshakeArgs {
    /// Group to negotiate (IANA name, case-insensitive): X25519MLKEM768, SecP256r1MLKEM768,
    /// SecP384r1MLKEM1024, MLKEM768, MLKEM1024.
    #[arg(long, default_value = "X25519MLKEM768")]
    group: String,
    /// Handshake with a real server at HOST:PORT instead of a loopback server.
    #[arg(long, value_name = "HOST:PORT")]
    connect: Option<String>,
    /// With --connect: trust this PEM certificate instead of the webpki roots.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// With --connect: the name to verify (default: HOST).
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,
}

pub(crate) fn run(args: &HandshakeArgs) -> Result<(), BoxError> {
    let group = NamedGroup::from_name(&args.group)
        .ok_or_else(|| format!("unknown group {:?}; known: {}", args.group, known_groups()))?;
    match &args.connect {
        None => loopback(group),
        Some(address) => connect(group, address, args),
    }
}

fn known_groups() -> String {
    NamedGroup::ALL
        .iter()
        .map(|group| group.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one side saw of a finished handshake.
struct Outcome {
    group: Option<u16>,
    client_shares: Vec<(u16, usize)>,
    server_shares: Vec<(u16, usize)>,
    handshake_ms: f64,
}

fn print(outcome: &Outcome, secrets_match: &str, peer: &str) {
    let group = outcome.group.map_or_else(|| "none".to_owned(), group_name);
    println!(
        "handshake group={group} client_key_shares={} server_key_share={} secrets_match={secrets_match} handshake_ms={:.3} peer={peer}",
        describe_shares(&outcome.client_shares),
        describe_shares(&outcome.server_shares),
        outcome.handshake_ms,
    );
}

/// Runs the client side on `tcp` and exchanges one message each way.
fn client_side(
    config: rustls::ClientConfig,
    server_name: ServerName<'static>,
    tcp: TcpStream,
    ping: bool,
) -> Result<Outcome, BoxError> {
    let start = Instant::now();
    let conn = ClientConnection::new(Arc::new(config), server_name)?;
    let mut tls = StreamOwned::new(conn, RecordingStream::new(tcp));
    while tls.conn.is_handshaking() {
        tls.conn.complete_io(&mut tls.sock)?;
    }
    let handshake_ms = start.elapsed().as_secs_f64() * 1e3;
    if ping {
        tls.write_all(b"ping")?;
        let mut reply = [0u8; 4];
        tls.read_exact(&mut reply)?;
        if &reply != b"pong" {
            return Err("application data did not round-trip".into());
        }
    }
    Ok(Outcome {
        group: tls
            .conn
            .negotiated_key_exchange_group()
            .map(|g| u16::from(g.name())),
        client_shares: key_shares(&tls.sock.written),
        server_shares: key_shares(&tls.sock.read),
        handshake_ms,
    })
}

fn loopback(group: NamedGroup) -> Result<(), BoxError> {
    let identity = Identity::generate()?;
    let only = [hybrid_kx::rustls::kx_group(group)];
    let server_log = Arc::new(RecordingKeyLog::default());
    let mut server = server_config(provider(Some(&only)), &identity)?;
    server.key_log = server_log.clone();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;

    let server_thread = thread::spawn(move || -> Result<Option<u16>, BoxError> {
        let (tcp, _) = listener.accept()?;
        tcp.set_nodelay(true)?;
        let mut tls = StreamOwned::new(ServerConnection::new(Arc::new(server))?, tcp);
        let mut ping = [0u8; 4];
        tls.read_exact(&mut ping)?;
        if &ping != b"ping" {
            return Err("server received unexpected application data".into());
        }
        tls.write_all(b"pong")?;
        tls.conn.send_close_notify();
        tls.conn.complete_io(&mut tls.sock)?;
        Ok(tls
            .conn
            .negotiated_key_exchange_group()
            .map(|g| u16::from(g.name())))
    });

    let client_log = Arc::new(RecordingKeyLog::default());
    let mut client = client_config(provider(Some(&only)), identity.roots())?;
    client.key_log = client_log.clone();
    let tcp = TcpStream::connect(address)?;
    tcp.set_nodelay(true)?;
    let outcome = client_side(client, ServerName::try_from("localhost")?, tcp, true)?;
    let server_group = server_thread
        .join()
        .map_err(|_| "server thread panicked")??;

    if outcome.group != Some(group.codepoint()) || server_group != outcome.group {
        return Err(format!(
            "negotiated {:?} (server {:?}), expected {}",
            outcome.group.map(group_name),
            server_group.map(group_name),
            group.name()
        )
        .into());
    }
    // Moved out of the logs, compared, and wiped when they drop at the end of this function.
    let (client_secrets, server_secrets) = (client_log.take_entries(), server_log.take_entries());
    let secrets_match = client_secrets.len() >= 5 && client_secrets == server_secrets;
    print(
        &outcome,
        if secrets_match { "true" } else { "false" },
        &address.to_string(),
    );
    if !secrets_match {
        return Err("client and server secrets differ".into());
    }
    Ok(())
}

fn connect(group: NamedGroup, address: &str, args: &HandshakeArgs) -> Result<(), BoxError> {
    let host = address
        .rsplit_once(':')
        .map_or(address, |(host, _)| host)
        .trim_start_matches('[')
        .trim_end_matches(']');
    let name = args.server_name.as_deref().unwrap_or(host).to_owned();
    let mut roots = rustls::RootCertStore::empty();
    match &args.ca {
        Some(path) => {
            for cert in rustls::pki_types::CertificateDer::pem_file_iter(path)? {
                roots.add(cert?)?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    // The chosen group first, then every other group we have (ours and the base provider's),
    // so a server without it can still answer via HelloRetryRequest or the reused share.
    let first = hybrid_kx::rustls::kx_group(group);
    let mut groups = vec![first];
    groups.extend(
        hybrid_kx::rustls::default_provider()
            .kx_groups
            .into_iter()
            .filter(|g| g.name() != first.name()),
    );
    // No key log (rustls's default): only the loopback compares secrets.
    let config = client_config(provider(Some(&groups)), roots)?;
    let tcp = TcpStream::connect(address)?;
    // Our flights are several small records: without TCP_NODELAY, Nagle's algorithm holds
    // them back until the peer's delayed ACK (about 40 ms per round trip).
    tcp.set_nodelay(true)?;
    let peer = tcp.peer_addr()?.to_string();
    let outcome = client_side(config, ServerName::try_from(name)?, tcp, false)?;
    print(&outcome, "n/a", &peer);
    Ok(())
}
