//! An opt-in pool of client key shares generated ahead of time, off the handshake's critical
//! path (feature `std`, plus `getrandom` for the keys' randomness).
//!
//! A TLS client spends most of its key-exchange time generating its key share (ML-KEM key
//! generation and an EC/X25519 key pair) before it can send the ClientHello. A
//! [`KeySharePool`] runs that generation on a background thread and hands out finished key
//! pairs, so the client's critical path is left with decapsulation and the Diffie-Hellman step
//! (about a third to half of the client's work, see `docs/benchmarks.md`).
//!
//! ## Guarantees
//! - Every key pair is fresh (operating-system randomness, the same generation as
//!   [`NamedGroup::generate_key_share`]) and is **moved out** of the pool by [`KeySharePool::take`]:
//!   it serves exactly one handshake and is never reused across connections.
//! - The pool is bounded: at most `capacity` key pairs wait, the background thread sleeps while
//!   the pool is full. Its memory is reserved up front; handing out a key pair does not allocate.
//! - When the pool is empty (connections arrive faster than the thread generates, or the thread
//!   failed), [`KeySharePool::take`] generates on the spot: never slower than no pool, plus a lock.
//! - Dropping the pool stops and joins the thread; waiting key pairs are zeroized on drop like any
//!   [`AnyClientState`].
//!
//! ## Trade-offs
//! - Private keys live longer in memory: up to `capacity` decapsulation keys (about 7 KiB each
//!   for ML-KEM-768 on the graviola backend, less on the others) wait in the process for the next
//!   connections. They are ephemeral keys that have never been sent, but a memory disclosure in
//!   that window reveals the secrets of the next handshakes, not only the current one.
//! - A background thread uses CPU that a busy server might want for other work; the pool suits
//!   clients with bursty connections or latency-sensitive first requests.
//! - Key pairs generated before a `fork()` exist in both processes; do not share a pool across
//!   `fork()` (the thread does not survive it anyway).
//! - The pool serves one group; a client offering several groups needs one pool per group.
//!
//! ```
//! # #[cfg(feature = "getrandom")] {
//! use hybrid_kx::{NamedGroup, pool::KeySharePool};
//!
//! let pool = KeySharePool::new(NamedGroup::X25519MLKEM768, 4);
//! let (client_share, client_state) = pool.take()?; // ready-made, used once
//! let (server_share, server_secret) = NamedGroup::X25519MLKEM768.encapsulate(client_share.as_bytes())?;
//! assert_eq!(client_state.complete(server_share.as_bytes())?, server_secret);
//! # }
//! # Ok::<(), hybrid_kx::Error>(())
//! ```
//!
//! With the `rustls` feature, [`PooledKxGroup`] is a rustls key-exchange group whose client
//! side takes its key share from a pool.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use crate::error::Error;
use crate::groups::{AnyClientState, KeyShareBytes, NamedGroup};

/// A key pair waiting in the pool: the public share and the private state.
type Pair = (KeyShareBytes, AnyClientState);

/// What the pool's thread and its users share.
struct Shared {
    state: Mutex<Queue>,
    /// Signalled when a pair was taken (room for the producer) or the pool is closing.
    room: Condvar,
}

struct Queue {
    pairs: VecDeque<Pair>,
    capacity: usize,
    closing: bool,
    /// Set when the producer stopped because key generation failed.
    failed: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding the lock leaves a consistent queue: keep going.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Client key shares of one group, generated ahead of time on a background thread.
///
/// See the [module documentation](self) for the guarantees and trade-offs.
pub struct KeySharePool {
    group: NamedGroup,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl KeySharePool {
    /// Starts a pool of at most `capacity` (at least 1) key pairs of `group`, filled by a new
    /// background thread. Key generation draws from the operating system's random source.
    #[cfg(feature = "getrandom")]
    pub fn new(group: NamedGroup, capacity: usize) -> Self {
        Self::with_generator(group, capacity, move || group.generate_key_share())
    }

    /// Starts a pool whose thread makes key pairs with `generate` (for example with a
    /// deterministic generator in tests: [`NamedGroup::generate_key_share_with_rng`]). Each
    /// call must return a fresh key pair of `group`.
    pub fn with_generator(
        group: NamedGroup,
        capacity: usize,
        mut generate: impl FnMut() -> Result<Pair, Error> + Send + 'static,
    ) -> Self {
        let capacity = capacity.max(1);
        let shared = Arc::new(Shared {
            state: Mutex::new(Queue {
                pairs: VecDeque::with_capacity(capacity),
                capacity,
                closing: false,
                failed: false,
            }),
            room: Condvar::new(),
        });
        let producer = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(std::format!("hybrid-kx pool {}", group.name()))
            .spawn(move || {
                loop {
                    // Wait for room (or the end) before generating, so that at most `capacity`
                    // pairs exist at any time.
                    {
                        let mut queue = producer.lock();
                        while queue.pairs.len() >= queue.capacity && !queue.closing {
                            queue = producer
                                .room
                                .wait(queue)
                                .unwrap_or_else(PoisonError::into_inner);
                        }
                        if queue.closing {
                            return;
                        }
                    }
                    let pair = generate();
                    let mut queue = producer.lock();
                    match pair {
                        Ok(pair) if pair.1.group() == group => queue.pairs.push_back(pair),
                        _ => {
                            queue.failed = true;
                            return;
                        }
                    }
                }
            })
            .ok();
        if thread.is_none() {
            shared.lock().failed = true;
        }
        Self {
            group,
            shared,
            thread,
        }
    }

    /// The pool's group.
    pub fn group(&self) -> NamedGroup {
        self.group
    }

    /// How many key pairs are ready now.
    pub fn available(&self) -> usize {
        self.shared.lock().pairs.len()
    }

    /// Whether the background thread stopped because key generation failed (then
    /// [`KeySharePool::take`] generates every pair on the spot and reports the error).
    pub fn failed(&self) -> bool {
        self.shared.lock().failed
    }

    /// A ready key pair, if there is one, moved out of the pool (it will never be handed out
    /// again).
    pub fn try_take(&self) -> Option<Pair> {
        let pair = self.shared.lock().pairs.pop_front();
        if pair.is_some() {
            self.shared.room.notify_one();
        }
        pair
    }

    /// A key pair for one handshake: a ready one, or one generated now when the pool is empty.
    ///
    /// # Errors
    ///
    /// [`Error::RandomSource`] when the pool is empty and the generator fails on the spot.
    #[cfg(feature = "getrandom")]
    pub fn take(&self) -> Result<Pair, Error> {
        match self.try_take() {
            Some(pair) => Ok(pair),
            None => self.group.generate_key_share(),
        }
    }
}

impl core::fmt::Debug for KeySharePool {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeySharePool")
            .field("group", &self.group)
            .field("available", &self.available())
            .finish_non_exhaustive()
    }
}

impl Drop for KeySharePool {
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.room.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // The remaining pairs drop (and zeroize) with the last `Arc`, here.
    }
}

#[cfg(all(feature = "rustls", feature = "getrandom"))]
pub use self::rustls_group::PooledKxGroup;

#[cfg(all(feature = "rustls", feature = "getrandom"))]
mod rustls_group {
    use alloc::boxed::Box;

    use ::rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SupportedKxGroup};
    use ::rustls::{NamedGroup as RustlsNamedGroup, ProtocolVersion};

    use super::KeySharePool;
    use crate::rustls::{active_key_exchange, to_rustls_error};

    /// A rustls key-exchange group whose client side takes its key share from a
    /// [`KeySharePool`]; the server side and everything else are those of
    /// [`crate::rustls::kx_group`] for the same group.
    ///
    /// rustls wants `&'static dyn SupportedKxGroup`: build one per process with
    /// [`PooledKxGroup::leak`] and put it first in the client's `CryptoProvider::kx_groups`.
    pub struct PooledKxGroup {
        pool: KeySharePool,
    }

    impl PooledKxGroup {
        /// Wraps `pool`.
        pub fn new(pool: KeySharePool) -> Self {
            Self { pool }
        }

        /// Wraps `pool` and leaks it for the life of the process, as rustls providers need.
        pub fn leak(pool: KeySharePool) -> &'static Self {
            Box::leak(Box::new(Self::new(pool)))
        }

        /// The pool behind this group.
        pub fn pool(&self) -> &KeySharePool {
            &self.pool
        }
    }

    impl core::fmt::Debug for PooledKxGroup {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            write!(f, "hybrid_kx::pool::PooledKxGroup({})", self.pool.group())
        }
    }

    impl SupportedKxGroup for PooledKxGroup {
        /// Client side: a key share from the pool (or a fresh one when it is empty).
        fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, ::rustls::Error> {
            let (share, state) = self.pool.take().map_err(to_rustls_error)?;
            Ok(active_key_exchange(share, state))
        }

        fn start_and_complete(
            &self,
            client_share: &[u8],
        ) -> Result<CompletedKeyExchange, ::rustls::Error> {
            crate::rustls::kx_group(self.pool.group()).start_and_complete(client_share)
        }

        fn name(&self) -> RustlsNamedGroup {
            RustlsNamedGroup::from(self.pool.group().codepoint())
        }

        fn usable_for_version(&self, version: ProtocolVersion) -> bool {
            version == ProtocolVersion::TLSv1_3
        }
    }
}
