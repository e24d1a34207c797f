//! `hybrid-kx serve` under load, on loopback only.
//!
//! 2,000 sequential connections from a plain rustls client that does NOT set `TCP_NODELAY`
//! (as most clients do not), reusing one `ClientConfig` as a real client does (so most
//! handshakes resume): handshake, a short request, read the reply to the end.
//! - Memory: `serve`'s resident set (VmRSS of the child process) may not grow by more than
//!   8 MiB between connection 500 and 2,000 (it grew without bound while `serve` kept every
//!   session's secrets and every thread handle).
//! - Latency, side by side with a plain rustls server (same provider, same certificate, rustls's
//!   `StreamOwned` over a `TcpStream`, in this process), one connection to each in turn: `serve`
//!   may not stall. A stall is a Nagle/delayed-ACK wait of about 40 ms: `serve` once wrote each
//!   record of its flight as its own segment (its recording stream dropped rustls's vectored
//!   write), a client that read the ServerHello alone sent its ChangeCipherSpec alone, and its
//!   kernel held the Finished until `serve`'s delayed ACK: p90 41.4 ms against 0.7 ms.
//!
//! And `--max-connections 0` serves nothing and exits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hybrid_kx_support::tls::{Identity, SERVER_NAME};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

const CONNECTIONS: usize = 2_000;
const WARM_UP: usize = 500;
const MAX_RSS_GROWTH_KIB: u64 = 8 * 1024;
/// A Nagle/delayed-ACK stall costs about 40 ms; no connection in a hundred may come near it.
const MAX_P99: Duration = Duration::from_millis(30);
const TIME_LIMIT: Duration = Duration::from_secs(240);

/// Kills the server if the test fails half-way.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn vm_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// `hybrid-kx serve` on a free port, its address, and the folder holding its certificate.
fn start_serve() -> (Server, String, PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "hybrid-kx-serve-load-{}-{}",
        std::process::id(),
        free_port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("cert.pem");
    let listen = format!("127.0.0.1:{}", free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(["serve", "--listen", &listen, "--cert-out"])
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let server = Server(child);
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.starts_with("serving TLS 1.3 on"), "{first}");
    (server, listen, dir)
}

/// A client as a user writes one: our provider, TLS 1.3, trusting the PEM certificates given.
fn client_config(pem: &[u8]) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(pem) {
        roots.add(c.unwrap()).unwrap();
    }
    Arc::new(
        hybrid_kx_support::tls::client_config(
            Arc::new(hybrid_kx::rustls::default_provider()),
            roots,
        )
        .unwrap(),
    )
}

/// One connection: handshake, request, the whole reply. Returns how long it took.
fn connect_once(config: &Arc<rustls::ClientConfig>, addr: &str) -> Duration {
    let t = Instant::now();
    // Deliberately no set_nodelay: the server must not depend on the client setting it.
    let mut tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let name = ServerName::try_from(SERVER_NAME).unwrap();
    let mut conn = rustls::ClientConnection::new(config.clone(), name).unwrap();
    let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
    tls.write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .unwrap();
    let mut reply = Vec::new();
    tls.read_to_end(&mut reply).unwrap();
    let elapsed = t.elapsed();
    assert!(reply.starts_with(b"HTTP/1.1 200 OK"), "{addr}");
    elapsed
}

/// Median, 90th and 99th percentile and maximum of `latencies`.
fn percentiles(latencies: &mut [Duration]) -> [Duration; 4] {
    latencies.sort();
    let n = latencies.len();
    [
        latencies[n / 2],
        latencies[n * 9 / 10],
        latencies[n * 99 / 100],
        latencies[n - 1],
    ]
}

/// The plain rustls server of the comparison: the same provider as `serve`, a certificate of
/// its own, one connection at a time, the same kind of reply.
fn start_plain_server() -> (String, Vec<u8>) {
    let identity = Identity::generate().unwrap();
    let pem = identity.cert_pem.clone().into_bytes();
    let config = Arc::new(
        hybrid_kx_support::tls::server_config(
            Arc::new(hybrid_kx::rustls::default_provider()),
            &identity,
        )
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { return };
            let conn = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let mut request = [0u8; 4096];
            let _ = tls.read(&mut request);
            let body = b"plain rustls\n";
            let _ = tls.write_all(
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            );
            let _ = tls.write_all(body);
            tls.conn.send_close_notify();
            let _ = tls.conn.complete_io(&mut tls.sock);
        }
    });
    (addr, pem)
}

#[test]
fn serve_keeps_memory_flat_over_2000_connections() {
    let (server, listen, dir) = start_serve();
    let config = client_config(&std::fs::read(dir.join("cert.pem")).unwrap());
    let start = Instant::now();
    let mut rss_after_warm_up = 0;
    for n in 1..=CONNECTIONS {
        assert!(start.elapsed() < TIME_LIMIT, "too slow: {n} connections");
        connect_once(&config, &listen);
        if n == WARM_UP {
            rss_after_warm_up = vm_rss_kib(server.0.id());
        }
    }
    let rss_end = vm_rss_kib(server.0.id());
    let growth = rss_end.saturating_sub(rss_after_warm_up);
    eprintln!(
        "serve memory: {CONNECTIONS} connections in {:.2?}; VmRSS {rss_after_warm_up} KiB at \
         {WARM_UP}, {rss_end} KiB at {CONNECTIONS} (+{growth} KiB)",
        start.elapsed()
    );
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        growth <= MAX_RSS_GROWTH_KIB,
        "serve's resident memory grew by {growth} KiB between connection {WARM_UP} and {CONNECTIONS}"
    );
}

#[test]
fn serve_latency_stays_close_to_a_plain_rustls_server() {
    let (server, listen, dir) = start_serve();
    let serve_config = client_config(&std::fs::read(dir.join("cert.pem")).unwrap());
    let (plain, plain_pem) = start_plain_server();
    let plain_config = client_config(&plain_pem);
    let start = Instant::now();
    let mut ours = Vec::with_capacity(CONNECTIONS);
    let mut theirs = Vec::with_capacity(CONNECTIONS);
    for n in 1..=CONNECTIONS {
        assert!(start.elapsed() < TIME_LIMIT, "too slow: {n} connections");
        theirs.push(connect_once(&plain_config, &plain));
        ours.push(connect_once(&serve_config, &listen));
    }
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
    let [median, p90, p99, max] = percentiles(&mut ours);
    let [plain_median, plain_p90, plain_p99, plain_max] = percentiles(&mut theirs);
    eprintln!(
        "latency over {CONNECTIONS} connections each, in turn: serve median {median:.2?}, p90 \
         {p90:.2?}, p99 {p99:.2?}, max {max:.2?}; plain rustls server median {plain_median:.2?}, \
         p90 {plain_p90:.2?}, p99 {plain_p99:.2?}, max {plain_max:.2?}"
    );
    assert!(
        p99 < MAX_P99,
        "serve: p99 {p99:?} (a Nagle/delayed-ACK stall is ~40 ms; plain rustls p99 {plain_p99:?})"
    );
    assert!(
        p90 <= plain_p90 * 3 + Duration::from_millis(2),
        "serve p90 {p90:?} against {plain_p90:?} for a plain rustls server"
    );
}

#[test]
fn max_connections_zero_serves_nothing_and_exits() {
    let listen = format!("127.0.0.1:{}", free_port());
    let child = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(["serve", "--listen", &listen, "--max-connections", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let start = Instant::now();
    // A connection attempt that must not be served (it may be refused once serve exited).
    let probe = std::thread::spawn(move || {
        if let Ok(mut tcp) = TcpStream::connect(&listen) {
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 1];
            let _ = tcp.read(&mut buf);
        }
    });
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "serve --max-connections 0 is still running"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    let mut out = String::new();
    server
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.is_empty(), "served: {out}");
    probe.join().unwrap();
}
