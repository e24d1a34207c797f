//! An OpenSSL TLS 1.3 server for many connections (vendored OpenSSL 3.6, its own ML-KEM and
//! hybrid groups): what `openssl s_server` is to a load test, the independent peer that
//! `hybrid-kx bench` is measured against besides `hybrid-kx serve`. A fixed pool of worker
//! threads (like `serve --workers`) takes the accepted connections; each runs the handshake,
//! counts the group OpenSSL negotiated, reads until the client closes (a benchmark client
//! closes right after the handshake), and answers with its own close_notify. Used in-process
//! by the interop tests and as the `openssl-server` binary for measurements
//! (`docs/benchmarks.md`).

use std::collections::BTreeMap;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};

use openssl::ssl::SslAcceptor;

use crate::{BoxError, Identity, openssl_acceptor, openssl_group_name, set_timeouts};

/// Handshakes per group OpenSSL named (`SSL_get0_group_name`), and failed handshakes under
/// `failed`.
pub type GroupCounts = BTreeMap<String, u64>;

/// The key [`GroupCounts`] counts failed handshakes under.
pub const FAILED: &str = "failed";

/// A running server; stopped (and its threads joined) by [`LoadServer::stop`] or on drop.
pub struct LoadServer {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
    counts: Arc<Mutex<GroupCounts>>,
    acceptor_thread: Option<JoinHandle<()>>,
}

impl LoadServer {
    /// Listens on `listen` (`127.0.0.1:0` for a port of the kernel's choice) presenting
    /// `identity`, offering `groups` (an OpenSSL group list: `X25519MLKEM768:X25519`), with
    /// `workers` connections handled at once (at least 1).
    ///
    /// # Errors
    /// If OpenSSL refuses the groups, certificate or key, or the address cannot be bound.
    pub fn start(
        listen: &str,
        identity: &Identity,
        groups: &str,
        workers: usize,
    ) -> Result<Self, BoxError> {
        let acceptor = Arc::new(openssl_acceptor(identity, groups)?);
        let listener = TcpListener::bind(listen)?;
        let address = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let counts = Arc::new(Mutex::new(GroupCounts::new()));
        let acceptor_thread = {
            let (stopping, counts) = (Arc::clone(&stopping), Arc::clone(&counts));
            thread::spawn(move || accept_loop(&listener, &acceptor, &stopping, &counts, workers))
        };
        Ok(Self {
            address,
            stopping,
            counts,
            acceptor_thread: Some(acceptor_thread),
        })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Handshakes so far, per group and failed.
    pub fn counts(&self) -> GroupCounts {
        self.counts.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Stops accepting, lets the workers finish their connections, and returns the counts.
    pub fn stop(mut self) -> GroupCounts {
        self.shut_down();
        self.counts()
    }

    fn shut_down(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the blocking accept.
        let _ = TcpStream::connect(self.address);
        if let Some(thread) = self.acceptor_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for LoadServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Accepts until told to stop, handing connections to the workers through a bounded queue.
fn accept_loop(
    listener: &TcpListener,
    acceptor: &Arc<SslAcceptor>,
    stopping: &AtomicBool,
    counts: &Arc<Mutex<GroupCounts>>,
    workers: usize,
) {
    let workers = workers.max(1);
    let (sender, receiver) = mpsc::sync_channel::<TcpStream>(workers);
    let receiver = Arc::new(Mutex::new(receiver));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (receiver, acceptor, counts) = (
                Arc::clone(&receiver),
                Arc::clone(acceptor),
                Arc::clone(counts),
            );
            thread::spawn(move || {
                loop {
                    let next = match receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    let Ok(tcp) = next else { return };
                    let group = serve_one(&acceptor, tcp).unwrap_or_else(|_| FAILED.to_owned());
                    if let Ok(mut counts) = counts.lock() {
                        *counts.entry(group).or_default() += 1;
                    }
                }
            })
        })
        .collect();
    for tcp in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(tcp) = tcp else { continue };
        if sender.send(tcp).is_err() {
            break;
        }
    }
    drop(sender);
    for handle in handles {
        let _ = handle.join();
    }
}

/// One connection: the handshake, then reading until the client closes; the group's name.
fn serve_one(acceptor: &SslAcceptor, tcp: TcpStream) -> Result<String, BoxError> {
    set_timeouts(&tcp)?;
    let mut tls = acceptor
        .accept(tcp)
        .map_err(|err| format!("OpenSSL handshake: {err}"))?;
    let group = openssl_group_name(tls.ssl()).unwrap_or_else(|| "none".to_owned());
    let mut buf = [0u8; 4096];
    while matches!(tls.read(&mut buf), Ok(n) if n > 0) {}
    let _ = tls.shutdown();
    Ok(group)
}
