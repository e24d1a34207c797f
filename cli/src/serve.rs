//! `hybrid-kx serve`: a TLS 1.3 test server, as `openssl s_server` is one. It presents a
//! certificate of the user's (`--cert FILE --key FILE`: RSA, ECDSA P-256/P-384 or Ed25519) or a
//! generated self-signed one (`--generate-cert`, ECDSA P-256 by default, names `localhost` and
//! `127.0.0.1`, written as PEM to `--cert-out`), offers the groups and ALPN protocols asked for,
//! issues resumption tickets as rustls does unless `--no-tickets`, answers each connection with
//! a short HTTP/1.1 response (or a close_notify, to a client that closes after the handshake,
//! as `hybrid-kx bench` does) and prints one line per handshake:
//!
//! ```text
//! serve group=X25519MLKEM768 suite=TLS13_AES_256_GCM_SHA384 alpn=none resumed=false client_key_shares=X25519MLKEM768:1216,x25519:32 server_key_share=X25519MLKEM768:1120 peer=127.0.0.1:53412
//! serve error="..." peer=127.0.0.1:53414
//! ```

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use hybrid_kx_support::tls::{KeyAlgorithm, TLS13_ONLY, server_config_for_chain};
use rustls::server::NoServerSessionStorage;
use rustls::{HandshakeKind, ServerConnection, StreamOwned};

use crate::certificate::{ServerCertificate, describe};
use crate::error::BoxError;
use crate::tls::{
    RecordingStream, describe_shares, group_name, groups_by_name, key_shares, provider,
};

/// Arguments of `hybrid-kx serve`.
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8443", value_name = "ADDR")]
    listen: String,
    /// Present the certificate chain in FILE (PEM, leaf first) instead of a generated one.
    #[arg(
        long,
        value_name = "FILE",
        requires = "key",
        conflicts_with = "generate_cert"
    )]
    cert: Option<PathBuf>,
    /// The private key of --cert (PEM: PKCS#8, RSA PKCS#1 or EC SEC1; not encrypted).
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// Generate a self-signed certificate with this key type: ecdsa-p256 (the default),
    /// ecdsa-p384, ed25519. RSA certificates come from files (--cert, --key).
    #[arg(long, value_name = "TYPE", value_parser = parse_key_algorithm)]
    generate_cert: Option<KeyAlgorithm>,
    /// Write the generated certificate (PEM) here, for clients to trust.
    #[arg(long, value_name = "FILE", conflicts_with = "cert")]
    cert_out: Option<PathBuf>,
    /// Accept only these groups (repeatable, in preference order; the names `handshake`
    /// takes); default: all five hybrid/ML-KEM groups first, then ring's classical groups.
    #[arg(long = "group", value_name = "NAME")]
    groups: Vec<String>,
    /// Offer this ALPN protocol (repeatable, in preference order); a client that offers ALPN
    /// but none of these is refused (no_application_protocol).
    #[arg(long = "alpn", value_name = "PROTOCOL")]
    alpn: Vec<String>,
    /// Issue no resumption tickets (default: two per handshake, as rustls does, for sessions
    /// kept in memory).
    #[arg(long)]
    no_tickets: bool,
    /// Stop after this many connections (default: serve until killed; 0 serves none).
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// Connections handled at once (a fixed pool of worker threads; at least 1). Accepted
    /// connections beyond those wait in a queue of the same length, then in the kernel's
    /// listen backlog.
    #[arg(long, value_name = "N", default_value_t = 8)]
    workers: usize,
}

/// `--generate-cert`'s value, with a word on RSA (the type users most often ask for).
fn parse_key_algorithm(name: &str) -> Result<KeyAlgorithm, String> {
    KeyAlgorithm::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = KeyAlgorithm::ALL.iter().map(|k| k.name()).collect();
        let rsa = if name.to_ascii_lowercase().starts_with("rsa") {
            " (RSA certificates come from files: --cert FILE --key FILE, made with `openssl req`)"
        } else {
            ""
        };
        format!("expected one of {}{rsa}", known.join(", "))
    })
}

pub(crate) fn run(args: &ServeArgs) -> Result<(), BoxError> {
    let groups = groups_by_name(&args.groups)?;
    let certificate = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => ServerCertificate::load(cert, key)?,
        _ => ServerCertificate::generate(args.generate_cert.unwrap_or(KeyAlgorithm::EcdsaP256))?,
    };
    if let (Some(path), Some(pem)) = (&args.cert_out, &certificate.generated_pem) {
        std::fs::write(path, pem)
            .map_err(|err| format!("--cert-out {}: cannot write: {err}", path.display()))?;
    }
    let leaf = describe(&certificate.chain[0]);
    // No key log (rustls's default): a recording log shared by every connection would keep
    // every session's traffic secrets for the life of the process.
    let provider = provider((!groups.is_empty()).then_some(&groups[..]));
    let mut config =
        server_config_for_chain(TLS13_ONLY, provider, certificate.chain, certificate.key)?;
    config.alpn_protocols = args.alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
    if args.no_tickets {
        config.send_tls13_tickets = 0;
        config.session_storage = Arc::new(NoServerSessionStorage {});
    }
    let config = Arc::new(config);
    let listener = TcpListener::bind(&args.listen)
        .map_err(|err| format!("cannot listen on {}: {err}", args.listen))?;
    eprintln!("serving TLS 1.3 on {}", listener.local_addr()?);
    // A second line, which a caller that read only the first (the address) may no longer be
    // reading: written without panicking when standard error is closed.
    let _ = writeln!(
        std::io::stderr(),
        "certificate key={} alpn={} tickets={} subject={:?}",
        leaf.key,
        if args.alpn.is_empty() {
            "none".to_owned()
        } else {
            args.alpn.join(",")
        },
        if args.no_tickets { "off" } else { "on" },
        leaf.subject,
    );

    // A fixed pool of workers fed by a bounded queue: memory and threads stay bounded however
    // many connections arrive, and no per-connection handle is kept.
    let workers = args.workers.max(1);
    let (sender, receiver) = mpsc::sync_channel::<TcpStream>(workers);
    let receiver = Arc::new(Mutex::new(receiver));
    let handles = (0..workers)
        .map(|_| {
            let receiver = Arc::clone(&receiver);
            let config = Arc::clone(&config);
            thread::spawn(move || worker(&receiver, &config))
        })
        .collect::<Vec<_>>();

    let mut accepted = 0usize;
    while args.max_connections.is_none_or(|max| accepted < max) {
        let (tcp, _) = listener.accept()?;
        accepted += 1;
        if sender.send(tcp).is_err() {
            break; // every worker is gone
        }
    }
    drop(sender);
    for handle in handles {
        let _ = handle.join();
    }
    Ok(())
}

/// Serves connections from the queue until it is closed.
fn worker(receiver: &Mutex<mpsc::Receiver<TcpStream>>, config: &Arc<rustls::ServerConfig>) {
    loop {
        let next = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(tcp) = next else { return };
        let peer = tcp
            .peer_addr()
            .map_or_else(|_| "?".to_owned(), |a| a.to_string());
        match handle(Arc::clone(config), tcp) {
            Ok(line) => println!("serve {line} peer={peer}"),
            Err(err) => println!("serve error={:?} peer={peer}", err.to_string()),
        }
    }
}

fn handle(config: Arc<rustls::ServerConfig>, tcp: std::net::TcpStream) -> Result<String, BoxError> {
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    // The server's flight and the reply are several small records: without TCP_NODELAY,
    // Nagle's algorithm holds them until the client's delayed ACK (about 40 ms each time).
    tcp.set_nodelay(true)?;
    let mut tls = StreamOwned::new(ServerConnection::new(config)?, RecordingStream::new(tcp));
    while tls.conn.is_handshaking() {
        tls.conn.complete_io(&mut tls.sock)?;
    }
    let group = tls
        .conn
        .negotiated_key_exchange_group()
        .map(|g| group_name(u16::from(g.name())))
        .unwrap_or_else(|| "none".to_owned());
    let line = format!(
        "group={group} suite={} alpn={} resumed={} client_key_shares={} server_key_share={}",
        tls.conn
            .negotiated_cipher_suite()
            .map_or_else(|| "none".to_owned(), |s| format!("{:?}", s.suite())),
        tls.conn.alpn_protocol().map_or_else(
            || "none".to_owned(),
            |p| String::from_utf8_lossy(p).into_owned()
        ),
        tls.conn.handshake_kind() == Some(HandshakeKind::Resumed),
        describe_shares(&key_shares(&tls.sock.read)),
        describe_shares(&key_shares(&tls.sock.written)),
    );
    // Answer one HTTP request (curl, browsers); ignore what it was. A client that closes
    // instead (close_notify or EOF: a handshake benchmark) gets a close_notify back.
    let mut request = [0u8; 4096];
    if matches!(tls.read(&mut request), Ok(0)) {
        tls.conn.send_close_notify();
        let _ = tls.conn.complete_io(&mut tls.sock);
        return Ok(line);
    }
    let body = format!("hybrid-kx: TLS 1.3 with {group}\n");
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(response.as_bytes())?;
    tls.conn.send_close_notify();
    let _ = tls.conn.complete_io(&mut tls.sock);
    Ok(line)
}
