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
//!
//! The soak: `serve` accepting the six hybrid and ML-KEM groups, several client threads
//! interleaving full handshakes on every group, handshakes that need a HelloRetryRequest (the
//! client's first share is plain x25519, which `serve` is not given), and malformed
//! ClientHellos (`soak::catalogue`), bounded in count (`HYBRID_KX_SOAK_CONNECTIONS`, default
//! 10,000; 100,000 by hand for docs/verification.md) and time:
//! - every handshake completes on the group it offered (after a HelloRetryRequest where one
//!   was due), and `serve` reports as many handshakes and as many errors as were sent;
//! - every malformed hello is answered with a fatal alert the RFCs allow for its defect;
//! - memory flat: VmRSS, sampled every 250 ms, may not grow by more than 8 MiB (the bound
//!   above) from the end of the first tenth of the connections to the end. A leak of b bytes
//!   per connection shows as b × 0.9 × N bytes: the bound catches 100 bytes per connection
//!   from N = 100,000 on; a small N only catches large leaks.

mod soak;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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
    start_serve_with(&[], Stdio::null())
}

/// [`start_serve`] with more arguments, its standard output (a line per connection) sent to
/// `stdout`.
fn start_serve_with(args: &[String], stdout: Stdio) -> (Server, String, PathBuf) {
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
        .args(args)
        .stdout(stdout)
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
    Arc::new(client_config_offering(
        pem,
        hybrid_kx::rustls::default_provider().kx_groups,
    ))
}

/// [`client_config`] with these key-exchange groups, in order of preference (a share is sent
/// for the first).
fn client_config_offering(
    pem: &[u8],
    groups: Vec<&'static dyn rustls::crypto::SupportedKxGroup>,
) -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(pem) {
        roots.add(c.unwrap()).unwrap();
    }
    let mut provider = hybrid_kx::rustls::default_provider();
    provider.kx_groups = groups;
    hybrid_kx_support::tls::client_config(Arc::new(provider), roots).unwrap()
}

/// One connection: handshake, request, the whole reply. Returns how long it took.
fn connect_once(config: &Arc<rustls::ClientConfig>, addr: &str) -> Duration {
    connect(config, addr).1
}

/// [`connect_once`], also returning the connection (what was negotiated).
fn connect(config: &Arc<rustls::ClientConfig>, addr: &str) -> (rustls::ClientConnection, Duration) {
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
    (conn, elapsed)
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

/// What one soak connection does.
#[derive(Clone, Copy)]
enum Visit<'a> {
    /// A full handshake offering this group alone.
    Full(hybrid_kx::NamedGroup),
    /// A handshake whose first share is plain x25519, with this group supported too.
    Retry(hybrid_kx::NamedGroup),
    /// A malformed first flight.
    Malformed(&'a soak::Malformed),
}

/// The soak's size: `HYBRID_KX_SOAK_CONNECTIONS`, or what fits in CI.
fn soak_connections() -> usize {
    std::env::var("HYBRID_KX_SOAK_CONNECTIONS").map_or(10_000, |n| n.parse().unwrap())
}

/// Sends a malformed first flight and reads the answer: the alert, checked against the ones
/// the RFCs allow.
fn send_malformed(addr: &str, malformed: &soak::Malformed) -> Result<(), String> {
    let mut tcp = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    tcp.write_all(&malformed.bytes).map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    let mut buf = [0u8; 512];
    // Until the alert is in or `serve` closed: a reset after the alert may drop what follows.
    while answer.len() < 7 {
        match tcp.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    match soak::first_record(&answer) {
        Some((21, [2, description])) if malformed.expected().contains(&description) => Ok(()),
        other => Err(format!(
            "{}: answered {other:?} (content type, [level, description]), expected a fatal \
             alert among {:?} (the RFCs allow {:?})",
            malformed.name,
            malformed.expected(),
            malformed.alerts
        )),
    }
}

#[test]
fn serve_soak_mixes_groups_hrr_and_malformed_hellos() {
    use hybrid_kx::NamedGroup;
    const CLIENTS: usize = 4;
    let connections = soak_connections();
    let time_limit = Duration::from_secs(60) + Duration::from_millis(4) * connections as u32;
    let args: Vec<String> = NamedGroup::ALL
        .iter()
        .flat_map(|g| ["--group".to_owned(), g.name().to_owned()])
        .collect();
    let (mut server, listen, dir) = start_serve_with(&args, Stdio::piped());
    let pem = std::fs::read(dir.join("cert.pem")).unwrap();
    let ours = |g: NamedGroup| hybrid_kx::rustls::kx_group(g);
    let x25519 = rustls::crypto::ring::kx_group::X25519;
    let configs: Vec<_> = NamedGroup::ALL
        .iter()
        .map(|&g| {
            let full = Arc::new(client_config_offering(&pem, vec![ours(g)]));
            // Without resumption, which would remember the group the HelloRetryRequest asked
            // for and send its share at once.
            let mut retry = client_config_offering(&pem, vec![x25519, ours(g)]);
            retry.resumption = rustls::client::Resumption::disabled();
            (g, full, Arc::new(retry))
        })
        .collect();
    let catalogue = soak::catalogue();
    // The hand-built hello without a defect gets a ServerHello: the malformed ones fail for
    // their defect alone.
    {
        let mut tcp = TcpStream::connect(&listen).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        tcp.write_all(&soak::Hello::offering(NamedGroup::X25519MLKEM768).record())
            .unwrap();
        let mut head = [0u8; 6];
        tcp.read_exact(&mut head).unwrap();
        assert_eq!(
            (head[0], head[5]),
            (22, 2),
            "a handshake record holding a ServerHello"
        );
    }
    // Three visits in turn: a full handshake, one with a HelloRetryRequest, a malformed hello;
    // the group and the malformation change with every round.
    let visit = |n: usize| -> Visit<'_> {
        let round = n / 3;
        let (group, ..) = &configs[round % configs.len()];
        match n % 3 {
            0 => Visit::Full(*group),
            1 => Visit::Retry(*group),
            _ => Visit::Malformed(&catalogue[round % catalogue.len()]),
        }
    };
    let malformed = (0..connections)
        .filter(|&n| matches!(visit(n), Visit::Malformed(_)))
        .count();
    // `serve` reports the control connection above as an error too (it was dropped).
    let expected_errors = malformed + 1;

    // `serve`'s report lines, counted as they come.
    let stdout = BufReader::new(server.0.stdout.take().unwrap());
    let reported = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    let reader = {
        let reported = Arc::clone(&reported);
        std::thread::spawn(move || {
            let mut odd = Vec::new();
            for line in stdout.lines().map_while(Result::ok) {
                if line.starts_with("serve group=") {
                    reported.0.fetch_add(1, Ordering::SeqCst);
                } else if line.starts_with("serve error=") {
                    reported.1.fetch_add(1, Ordering::SeqCst);
                } else {
                    odd.push(line);
                }
            }
            odd
        })
    };
    // VmRSS every 250 ms, with the number of connections done.
    let pid = server.0.id();
    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (done, stop) = (Arc::clone(&done), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut samples = vec![(0, vm_rss_kib(pid))];
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(250));
                samples.push((done.load(Ordering::SeqCst), vm_rss_kib(pid)));
            }
            samples.push((done.load(Ordering::SeqCst), vm_rss_kib(pid)));
            samples
        })
    };

    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..CLIENTS {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= connections || start.elapsed() > time_limit {
                        return;
                    }
                    let outcome = match visit(n) {
                        Visit::Full(group) | Visit::Retry(group) => {
                            let retry = matches!(visit(n), Visit::Retry(_));
                            let (_, full, with_retry) =
                                &configs[NamedGroup::ALL.iter().position(|&g| g == group).unwrap()];
                            let (conn, _) = connect(if retry { with_retry } else { full }, &listen);
                            let negotiated = conn.negotiated_key_exchange_group().map(|g| g.name());
                            let kind = conn.handshake_kind();
                            let want = if retry {
                                rustls::HandshakeKind::FullWithHelloRetryRequest
                            } else {
                                rustls::HandshakeKind::Full
                            };
                            // A resumed handshake is fine where a full one was asked for.
                            let kind_ok = kind == Some(want)
                                || (!retry && kind == Some(rustls::HandshakeKind::Resumed));
                            if negotiated == Some(rustls::NamedGroup::from(group.codepoint()))
                                && kind_ok
                            {
                                Ok(())
                            } else {
                                Err(format!(
                                    "{group} (retry: {retry}): {negotiated:?}, {kind:?}"
                                ))
                            }
                        }
                        Visit::Malformed(malformed) => send_malformed(&listen, malformed),
                    };
                    if let Err(e) = outcome {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("connection {n}: {e}"));
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    let elapsed = start.elapsed();
    let finished = done.load(Ordering::SeqCst);
    // `serve` prints a connection's line after closing it: give the last ones a moment.
    let wait = Instant::now();
    while reported.0.load(Ordering::SeqCst) + reported.1.load(Ordering::SeqCst) < finished + 1
        && wait.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, Ordering::SeqCst);
    let samples = sampler.join().unwrap();
    drop(server);
    let odd_lines = reader.join().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    let warm = samples
        .iter()
        .find(|(n, _)| *n >= connections / 10)
        .unwrap_or(&samples[0]);
    let (_, end) = samples[samples.len() - 1];
    let max = samples.iter().map(|(_, rss)| *rss).max().unwrap();
    let step = (samples.len() / 10).max(1);
    let curve: Vec<String> = samples
        .iter()
        .step_by(step)
        .chain(samples.last())
        .map(|(n, rss)| format!("{n}:{rss}"))
        .collect();
    let (handshakes, errors) = (
        reported.0.load(Ordering::SeqCst),
        reported.1.load(Ordering::SeqCst),
    );
    eprintln!(
        "serve soak: {finished} connections ({} handshakes, {malformed} malformed hellos) \
         from {CLIENTS} threads in {elapsed:.2?}; serve reported {handshakes} handshakes and \
         {errors} errors; VmRSS KiB {} at start, {} at connection {}, {end} at the end, max \
         {max}; curve (connections:KiB) {}",
        finished - malformed,
        samples[0].1,
        warm.1,
        warm.0,
        curve.join(" ")
    );
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} unexpected outcomes: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
    assert_eq!(finished, connections, "time limit {time_limit:?} reached");
    assert!(odd_lines.is_empty(), "serve printed {odd_lines:?}");
    assert_eq!(
        (handshakes, errors),
        (connections - malformed, expected_errors),
        "serve's report"
    );
    let growth = end.saturating_sub(warm.1);
    assert!(
        growth <= MAX_RSS_GROWTH_KIB,
        "serve's resident memory grew by {growth} KiB after connection {}",
        warm.0
    );
}
