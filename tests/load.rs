//! Load: 10,000 full TLS 1.3 handshakes with X25519MLKEM768 over loopback TCP, from 8 client
//! threads against one server, with application data both ways. Bounded in count and time,
//! 127.0.0.1 only. Asserts zero failures and no per-handshake leak: a counting global allocator
//! tracks the live heap bytes, which after the last 9,000 handshakes (server thread joined) may
//! not exceed those after the first 1,000 (server still running) by more than 64 KiB, under
//! 8 bytes per handshake. Prints the handshake rate and resident memory for reference.
//!
//! The allocator needs `unsafe` (a `GlobalAlloc`); the crate itself forbids it.
#![cfg(feature = "ring")]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use common::tls::{client_config, identity, server_config};
use rustls::pki_types::ServerName;
use rustls::{ClientConnection, ServerConnection, StreamOwned};

const TOTAL: usize = 10_000;
const WARMUP: usize = 1_000;
const CLIENT_THREADS: usize = 8;
const DEADLINE: Duration = Duration::from_secs(600);
const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// Live heap bytes of the whole process.
static LIVE: AtomicUsize = AtomicUsize::new(0);

struct Counting;

// SAFETY: every call is forwarded to `System` with the same arguments; the counter is only
// adjusted by the sizes of successful calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            LIVE.fetch_add(new_size, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allowed growth of the live heap between the two measurements.
const LEAK_SLACK: usize = 64 * 1024;

fn resident_kib() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn one_handshake(
    config: &Arc<rustls::ClientConfig>,
    addr: std::net::SocketAddr,
) -> Result<(), String> {
    let tcp = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(IO_TIMEOUT))
        .map_err(|e| e.to_string())?;
    tcp.set_write_timeout(Some(IO_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let name = ServerName::try_from("localhost").unwrap();
    let conn = ClientConnection::new(config.clone(), name).map_err(|e| e.to_string())?;
    let mut tls = StreamOwned::new(conn, tcp);
    tls.write_all(b"ping").map_err(|e| e.to_string())?;
    let mut reply = [0u8; 4];
    tls.read_exact(&mut reply).map_err(|e| e.to_string())?;
    if &reply != b"pong" {
        return Err("bad reply".into());
    }
    if tls
        .conn
        .negotiated_key_exchange_group()
        .map(|g| u16::from(g.name()))
        != Some(0x11EC)
    {
        return Err("wrong group".into());
    }
    Ok(())
}

const SERVER_WORKERS: usize = 8;

/// One accept loop feeding a fixed pool of worker threads (a real server's shape; a thread per
/// connection would measure the allocator's per-thread arenas rather than our memory use).
fn serve(listener: TcpListener, config: Arc<rustls::ServerConfig>, failures: Arc<AtomicUsize>) {
    let (sender, receiver) = std::sync::mpsc::channel::<TcpStream>();
    let receiver = Arc::new(std::sync::Mutex::new(receiver));
    let workers: Vec<_> = (0..SERVER_WORKERS)
        .map(|_| {
            let (receiver, config, failures) = (receiver.clone(), config.clone(), failures.clone());
            thread::spawn(move || {
                loop {
                    let Ok(tcp) = receiver.lock().unwrap().recv() else {
                        return;
                    };
                    let result = (|| -> Result<(), Box<dyn std::error::Error>> {
                        tcp.set_read_timeout(Some(IO_TIMEOUT))?;
                        let mut tls = StreamOwned::new(ServerConnection::new(config.clone())?, tcp);
                        let mut ping = [0u8; 4];
                        tls.read_exact(&mut ping)?;
                        tls.write_all(b"pong")?;
                        tls.flush()?;
                        Ok(())
                    })();
                    if result.is_err() {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for tcp in listener.incoming().take(TOTAL) {
        match tcp {
            Ok(tcp) => sender.send(tcp).unwrap(),
            Err(_) => {
                failures.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    drop(sender);
    for w in workers {
        w.join().unwrap();
    }
}

#[test]
fn ten_thousand_handshakes_from_eight_threads() {
    let id = identity();
    let (server, _) = server_config(&id, vec![hybrid_kx::rustls::X25519MLKEM768]);
    let (client, _) = client_config(&id, vec![hybrid_kx::rustls::X25519MLKEM768]);
    // No key logging: the shared test configs record every secret, which would grow memory.
    let (mut server, mut client) = (server, client);
    server.key_log = Arc::new(rustls::NoKeyLog);
    client.key_log = Arc::new(rustls::NoKeyLog);
    let (server, client) = (Arc::new(server), Arc::new(client));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server_failures = Arc::new(AtomicUsize::new(0));
    let server_thread = {
        let failures = server_failures.clone();
        thread::spawn(move || serve(listener, server, failures))
    };

    let start = Instant::now();
    let run = |count: usize| {
        let next = Arc::new(AtomicUsize::new(0));
        let failures = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(CLIENT_THREADS));
        let workers: Vec<_> = (0..CLIENT_THREADS)
            .map(|_| {
                let (next, failures, barrier, client) = (
                    next.clone(),
                    failures.clone(),
                    barrier.clone(),
                    client.clone(),
                );
                thread::spawn(move || {
                    barrier.wait();
                    while next.fetch_add(1, Ordering::Relaxed) < count {
                        assert!(
                            start.elapsed() < DEADLINE,
                            "load test exceeded {DEADLINE:?}"
                        );
                        if let Err(e) = one_handshake(&client, addr) {
                            eprintln!("handshake failed: {e}");
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        failures.load(Ordering::Relaxed)
    };

    let warm_failures = run(WARMUP);
    let live_after_warmup = LIVE.load(Ordering::SeqCst);
    let rss_after_warmup = resident_kib();
    let warm_time = start.elapsed();
    let rest_failures = run(TOTAL - WARMUP);
    let elapsed = start.elapsed();
    server_thread.join().unwrap();
    let live_after_all = LIVE.load(Ordering::SeqCst);
    let rss_after_all = resident_kib();

    let rate = f64::from(u32::try_from(TOTAL).unwrap()) / elapsed.as_secs_f64();
    println!(
        "load: {TOTAL} handshakes (X25519MLKEM768, {CLIENT_THREADS} client threads) in {:.2} s = {rate:.0} handshakes/s; \
         first {WARMUP} in {:.2} s; live heap after {WARMUP}: {live_after_warmup} B, after {TOTAL}: \
         {live_after_all} B; RSS {rss_after_warmup} KiB, {rss_after_all} KiB",
        elapsed.as_secs_f64(),
        warm_time.as_secs_f64(),
    );
    assert_eq!(warm_failures + rest_failures, 0, "client-side failures");
    assert_eq!(
        server_failures.load(Ordering::Relaxed),
        0,
        "server-side failures"
    );
    assert!(
        live_after_all <= live_after_warmup + LEAK_SLACK,
        "live heap grew from {live_after_warmup} to {live_after_all} bytes over {} handshakes",
        TOTAL - WARMUP
    );
}
