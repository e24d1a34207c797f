//! `hybrid-kx handshake`: one TLS 1.3 handshake, on loopback (both sides ours) or with a real
//! server (`--connect`, as `openssl s_client`), reported as one line:
//!
//! ```text
//! handshake group=X25519MLKEM768 suite=TLS13_AES_256_GCM_SHA384 alpn=none hrr=false client_key_shares=X25519MLKEM768:1216 server_key_share=X25519MLKEM768:1120 secrets_match=true handshake_ms=1.92 cert_key=ecdsa-p256 peer=127.0.0.1:41234 subject="CN=rcgen self signed cert"
//! ```
//!
//! `secrets_match` compares every secret both sides logged (handshake and application traffic
//! secrets, exporter secret); it is `n/a` with `--connect`, where only our side is visible.
//! `client_key_shares` are those of the first ClientHello (what the client offered before any
//! HelloRetryRequest, `hrr=true`), `server_key_share` the ServerHello's. The subject is quoted
//! and last, since it may hold spaces.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use rustls::crypto::SupportedKxGroup;
use rustls::pki_types::ServerName;
use rustls::{ClientConnection, HandshakeKind, ServerConnection, StreamOwned};

use hybrid_kx_support::tls::{Identity, RecordingKeyLog, client_config, server_config};

use crate::certificate::{Description, describe};
use crate::client::{ClientArgs, connect};
use crate::error::BoxError;
use crate::tls::{
    RecordingStream, describe_shares, group_name, groups_by_name, key_shares, provider,
};

/// Arguments of `hybrid-kx handshake`.
#[derive(clap::Args)]
pub(crate) struct HandshakeArgs {
    /// Offer this group (repeatable, in preference order; IANA names, case-insensitive:
    /// X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM768, MLKEM1024, MLKEM512,
    /// x25519, secp256r1, secp384r1). Default: X25519MLKEM768 on loopback; with --connect,
    /// every group of our provider, the hybrid ones first.
    #[arg(long = "group", value_name = "NAME")]
    groups: Vec<String>,
    /// Handshake with a real server at HOST:PORT instead of a loopback server.
    #[arg(long, value_name = "HOST:PORT")]
    connect: Option<String>,
    #[command(flatten)]
    client: ClientArgs,
}

pub(crate) fn run(args: &HandshakeArgs) -> Result<(), BoxError> {
    let groups = groups_by_name(&args.groups)?;
    match &args.connect {
        None => {
            let groups = if groups.is_empty() {
                vec![hybrid_kx::rustls::X25519MLKEM768]
            } else {
                groups
            };
            loopback(&groups, &args.client.alpn)
        }
        Some(address) => connect_to(&groups, address, &args.client),
    }
}

/// What the client saw of a finished handshake.
struct Outcome {
    group: Option<u16>,
    suite: Option<String>,
    alpn: Option<String>,
    hello_retry: bool,
    certificate: Option<Description>,
    client_shares: Vec<(u16, usize)>,
    server_shares: Vec<(u16, usize)>,
    handshake_ms: f64,
}

fn print(outcome: &Outcome, secrets_match: &str, peer: &str) {
    let group = outcome.group.map_or_else(|| "none".to_owned(), group_name);
    let (cert_key, subject) = outcome
        .certificate
        .as_ref()
        .map_or(("none", ""), |c| (c.key.as_str(), c.subject.as_str()));
    println!(
        "handshake group={group} suite={} alpn={} hrr={} client_key_shares={} server_key_share={} secrets_match={secrets_match} handshake_ms={:.3} cert_key={cert_key} peer={peer} subject={subject:?}",
        outcome.suite.as_deref().unwrap_or("none"),
        outcome.alpn.as_deref().unwrap_or("none"),
        outcome.hello_retry,
        describe_shares(&outcome.client_shares),
        describe_shares(&outcome.server_shares),
        outcome.handshake_ms,
    );
}

/// Runs the client side on `tcp` and, with `ping`, exchanges one message each way.
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
    let conn = &tls.conn;
    Ok(Outcome {
        group: conn
            .negotiated_key_exchange_group()
            .map(|g| u16::from(g.name())),
        suite: conn
            .negotiated_cipher_suite()
            .map(|suite| format!("{:?}", suite.suite())),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        hello_retry: conn.handshake_kind() == Some(HandshakeKind::FullWithHelloRetryRequest),
        certificate: conn
            .peer_certificates()
            .and_then(|chain| chain.first())
            .map(describe),
        client_shares: key_shares(&tls.sock.written),
        server_shares: key_shares(&tls.sock.read),
        handshake_ms,
    })
}

/// Both sides ours, offering `groups`; the first must be negotiated, and both sides must log
/// the same secrets.
fn loopback(groups: &[&'static dyn SupportedKxGroup], alpn: &[String]) -> Result<(), BoxError> {
    let identity = Identity::generate()?;
    let expected = u16::from(groups[0].name());
    let alpn: Vec<Vec<u8>> = alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
    let server_log = Arc::new(RecordingKeyLog::default());
    let mut server = server_config(provider(Some(groups)), &identity)?;
    server.key_log = server_log.clone();
    server.alpn_protocols = alpn.clone();
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
    let mut client = client_config(provider(Some(groups)), identity.roots())?;
    client.key_log = client_log.clone();
    client.alpn_protocols = alpn;
    let tcp = TcpStream::connect(address)?;
    tcp.set_nodelay(true)?;
    let outcome = client_side(client, ServerName::try_from("localhost")?, tcp, true)?;
    let server_group = server_thread
        .join()
        .map_err(|_| "server thread panicked")??;

    if outcome.group != Some(expected) || server_group != outcome.group {
        return Err(format!(
            "negotiated {:?} (server {:?}), expected {}",
            outcome.group.map(group_name),
            server_group.map(group_name),
            group_name(expected)
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

/// A handshake with the server at `address`, offering `groups` (default: every group of our
/// provider) and what the client options say.
fn connect_to(
    groups: &[&'static dyn SupportedKxGroup],
    address: &str,
    client: &ClientArgs,
) -> Result<(), BoxError> {
    let target = client.target(address)?;
    let groups = if groups.is_empty() {
        hybrid_kx::rustls::default_provider().kx_groups
    } else {
        groups.to_vec()
    };
    // No key log (rustls's default): only the loopback compares secrets.
    let config = client.config(&groups)?;
    let tcp = connect(&target.address)
        .map_err(|err| format!("cannot connect to {}: {err}", target.address))?;
    let peer = tcp.peer_addr()?.to_string();
    let outcome = client_side(config, target.server_name, tcp, false)?;
    print(&outcome, "n/a", &peer);
    Ok(())
}
