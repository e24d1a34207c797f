//! `hybrid-kx serve`: a TLS 1.3 server with a generated self-signed certificate (names
//! `localhost` and `127.0.0.1`, written as PEM to `--cert-out`) that answers each connection
//! with a short HTTP/1.1 response and prints one line per handshake:
//!
//! ```text
//! serve group=X25519MLKEM768 client_key_shares=X25519MLKEM768:1216,x25519:32 server_key_share=X25519MLKEM768:1120 peer=127.0.0.1:53412
//! serve error="..." peer=127.0.0.1:53414
//! ```

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use hybrid_kx::NamedGroup;
use rustls::{ServerConnection, StreamOwned};

use hybrid_kx_support::tls::{Identity, server_config};

use crate::tls::{BoxError, RecordingStream, describe_shares, group_name, key_shares, provider};

/// Arguments of `hybrid-kx serve`.
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8443", value_name = "ADDR")]
    listen: String,
    /// Write the generated certificate (PEM) here, for clients to trust.
    #[arg(long, value_name = "FILE")]
    cert_out: Option<PathBuf>,
    /// Accept only these groups (repeatable); default: all five hybrid/ML-KEM groups first,
    /// then ring's classical groups.
    #[arg(long = "group", value_name = "NAME")]
    groups: Vec<String>,
    /// Stop after this many connections (default: serve until killed; 0 serves none).
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// Connections handled at once (a fixed pool of worker threads; at least 1). Accepted
    /// connections beyond those wait in a queue of the same length, then in the kernel's
    /// listen backlog.
    #[arg(long, value_name = "N", default_value_t = 8)]
    workers: usize,
}

pub(crate) fn run(args: &ServeArgs) -> Result<(), BoxError> {
    let groups = args
        .groups
        .iter()
        .map(|name| {
            NamedGroup::from_name(name)
                .map(hybrid_kx::rustls::kx_group)
                .ok_or_else(|| format!("unknown group {name:?}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let identity = Identity::generate()?;
    if let Some(path) = &args.cert_out {
        std::fs::write(path, &identity.cert_pem)?;
    }
    // No key log (rustls's default): a recording log shared by every connection would keep
    // every session's traffic secrets for the life of the process.
    let provider = provider((!groups.is_empty()).then_some(&groups[..]));
    let config = Arc::new(server_config(provider, &identity)?);
    let listener = TcpListener::bind(&args.listen)?;
    eprintln!("serving TLS 1.3 on {}", listener.local_addr()?);

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
        "group={group} client_key_shares={} server_key_share={}",
        describe_shares(&key_shares(&tls.sock.read)),
        describe_shares(&key_shares(&tls.sock.written)),
    );
    // Answer one HTTP request (curl, browsers); ignore what it was.
    let mut request = [0u8; 4096];
    let _ = tls.read(&mut request);
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
