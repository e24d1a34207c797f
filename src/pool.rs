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
//!   [`AnyClientState`], and the slot a taken pair leaves is overwritten at once, so the ring
//!   buffer keeps no copy of a handed-out key.
//! - `fork()`: the pool records the process that built it. In any other process (a forked
//!   child) it wipes its queue (the parent may hand out the same pairs), never joins the
//!   parent's thread, and makes every pair on the spot with its generator.
//! - A generator that fails or panics stops the thread and sets [`KeySharePool::failed`];
//!   [`KeySharePool::take`] then calls the same generator on the spot.
//!
//! ## Trade-offs
//! - Private keys live longer in memory: up to `capacity` decapsulation keys (about 7 KiB each
//!   for ML-KEM-768 on the graviola backend, less on the others) wait in the process for the next
//!   connections. They are ephemeral keys that have never been sent, but a memory disclosure in
//!   that window reveals the secrets of the next handshakes, not only the current one.
//! - A background thread uses CPU that a busy server might want for other work; the pool suits
//!   clients with bursty connections or latency-sensitive first requests.
//! - After a `fork()`, the child gets no pre-generated pairs (see the guarantees). If the
//!   parent's producer thread held the queue's lock at the instant of the fork, the child
//!   cannot wipe its copy of the queue (it never uses it either): it stays in the child's
//!   memory until the process exits.
//! - Moves are copies: a pair's bytes may remain on the producer thread's stack after it was
//!   queued, and on the caller's stack after [`KeySharePool::take`] returned it.
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
//! With the `rustls` feature, `PooledKxGroup` is a rustls key-exchange group whose client
//! side takes its key share from a pool.

use alloc::vec::Vec;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, TryLockError};
use std::thread::JoinHandle;

use crate::error::Error;
use crate::groups::{AnyClientState, KeyShareBytes, NamedGroup};

/// A key pair waiting in the pool: the public share and the private state.
type Pair = (KeyShareBytes, AnyClientState);

/// The generator shared by the background thread and [`KeySharePool::take`].
type Generator = dyn Fn() -> Result<Pair, Error> + Send + Sync;

/// The most key pairs a pool holds; larger capacities are clamped to it. 256 pairs are about
/// 2 MiB of ML-KEM-768 keys on the graviola backend, all reserved up front, and far more than a
/// client needs to absorb a burst of connections.
pub const MAX_CAPACITY: usize = 256;

/// Size of a key pair in the ring buffer.
const PAIR_LEN: usize = size_of::<Pair>();

/// One place of the ring buffer.
///
/// An empty slot holds `PAIR_LEN` zero bytes, so emptying a slot (taking its pair or dropping
/// it) overwrites the whole place with defined zeros: no bitwise copy of a handed-out pair
/// stays behind. (`None` of an `Option<Pair>`, and even `zeroize`'s wiping of an `Option`,
/// ends with a write of an uninitialised payload, which in practice copies stale stack bytes
/// into the slot.) This relies on the two payloads overlapping, as rustc lays out a tagged
/// enum; `tests/pool_wipe.rs` checks the freed buffer.
enum Slot {
    // Never read: its zero bytes are what overwrites a taken pair.
    #[allow(dead_code)]
    Empty([u8; PAIR_LEN]),
    Full(Pair),
}

impl Slot {
    /// A fresh empty slot (a new value at each use).
    const EMPTY: Slot = Slot::Empty([0; PAIR_LEN]);
}

/// What the pool's thread and its users share.
struct Shared {
    state: Mutex<Queue>,
    /// Signalled when a pair was taken (room for the producer) or the pool is closing.
    room: Condvar,
}

/// A fixed ring buffer of `capacity` slots; a taken slot is wiped at once.
struct Queue {
    slots: Vec<Slot>,
    head: usize,
    len: usize,
    closing: bool,
    /// Set when the producer stopped because key generation failed or panicked.
    failed: bool,
}

impl Queue {
    fn capacity(&self) -> usize {
        self.slots.len()
    }

    fn push(&mut self, pair: Pair) {
        let capacity = self.capacity();
        if self.len < capacity {
            let index = (self.head + self.len) % capacity;
            if let Some(slot) = self.slots.get_mut(index) {
                *slot = Slot::Full(pair);
                self.len += 1;
            }
        }
    }

    /// Moves the oldest pair out and wipes its slot, so no copy stays in the buffer.
    fn pop(&mut self) -> Option<Pair> {
        if self.len == 0 {
            return None;
        }
        let capacity = self.capacity();
        let slot = self.slots.get_mut(self.head)?;
        let pair = match core::mem::replace(slot, Slot::EMPTY) {
            Slot::Full(pair) => Some(pair),
            Slot::Empty(_) => None,
        };
        self.head = (self.head + 1) % capacity;
        self.len -= 1;
        pair
    }

    /// Drops and wipes every waiting pair.
    fn wipe(&mut self) {
        for slot in &mut self.slots {
            // Drops a waiting pair in place (its private state wipes itself), then zeroes it.
            *slot = Slot::EMPTY;
        }
        self.head = 0;
        self.len = 0;
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding the lock leaves a consistent queue: keep going.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The queue without blocking: in a forked child, a lock held at the `fork()` by the
    /// parent's producer thread is never released, and waiting for it would hang.
    fn try_lock(&self) -> Option<MutexGuard<'_, Queue>> {
        match self.state.try_lock() {
            Ok(queue) => Some(queue),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }
}

/// Client key shares of one group, generated ahead of time on a background thread.
///
/// See the [module documentation](self) for the guarantees and trade-offs.
pub struct KeySharePool {
    group: NamedGroup,
    shared: Arc<Shared>,
    generate: Arc<Generator>,
    thread: Option<JoinHandle<()>>,
    /// The process that built the pool (and runs its thread); see [`KeySharePool::take`].
    owner: u32,
}

impl KeySharePool {
    /// Starts a pool of `capacity` key pairs of `group` (at least 1, at most
    /// [`MAX_CAPACITY`]: a larger request is clamped, never a panic), filled by a new
    /// background thread. Key generation draws from the operating system's random source.
    #[cfg(feature = "getrandom")]
    pub fn new(group: NamedGroup, capacity: usize) -> Self {
        Self::with_generator(group, capacity, move || group.generate_key_share())
    }

    /// Starts a pool whose thread makes key pairs with `generate` (for example with a
    /// deterministic generator in tests: [`NamedGroup::generate_key_share_with_rng`]). Each
    /// call must return a fresh key pair of `group`.
    ///
    /// `generate` is also what [`KeySharePool::take`] calls when the pool is empty, on the
    /// caller's thread (so it is `Fn + Sync`: the two may run at once), and after a `fork()` in
    /// the child process. `capacity` is clamped to `1..=`[`MAX_CAPACITY`].
    pub fn with_generator(
        group: NamedGroup,
        capacity: usize,
        generate: impl Fn() -> Result<Pair, Error> + Send + Sync + 'static,
    ) -> Self {
        let capacity = capacity.clamp(1, MAX_CAPACITY);
        let generate: Arc<Generator> = Arc::new(generate);
        let shared = Arc::new(Shared {
            state: Mutex::new(Queue {
                slots: (0..capacity).map(|_| Slot::EMPTY).collect(),
                head: 0,
                len: 0,
                closing: false,
                failed: false,
            }),
            room: Condvar::new(),
        });
        let producer = Arc::clone(&shared);
        let generator = Arc::clone(&generate);
        let thread = std::thread::Builder::new()
            .name(std::format!("hybrid-kx pool {}", group.name()))
            .spawn(move || produce(group, &producer, &*generator))
            .ok();
        if thread.is_none() {
            shared.lock().failed = true;
        }
        Self {
            group,
            shared,
            generate,
            thread,
            owner: std::process::id(),
        }
    }

    /// The pool's group.
    pub fn group(&self) -> NamedGroup {
        self.group
    }

    /// Whether this is a `fork()` of the process that built the pool. The queued pairs then
    /// exist in the parent too, and the producer thread does not exist here: the queue is wiped
    /// (once, on the first call) and never used again.
    fn forked(&self) -> bool {
        if std::process::id() == self.owner {
            return false;
        }
        if let Some(mut queue) = self.shared.try_lock() {
            queue.wipe();
        }
        true
    }

    /// How many key pairs are ready now (always 0 in a forked child).
    pub fn available(&self) -> usize {
        if self.forked() {
            return 0;
        }
        self.shared.lock().len
    }

    /// Whether the background thread stopped because key generation failed or panicked (then
    /// [`KeySharePool::take`] generates every pair on the spot and reports the error). Always
    /// true in a forked child, which has no background thread.
    pub fn failed(&self) -> bool {
        self.forked() || self.shared.lock().failed
    }

    /// A ready key pair, if there is one, moved out of the pool (it will never be handed out
    /// again, and its slot is wiped). Always `None` in a forked child.
    pub fn try_take(&self) -> Option<Pair> {
        if self.forked() {
            return None;
        }
        let pair = self.shared.lock().pop();
        if pair.is_some() {
            self.shared.room.notify_one();
        }
        pair
    }

    /// A key pair for one handshake: a ready one, or one made now by the pool's generator
    /// (the one given to [`KeySharePool::with_generator`]) when the pool is empty, its thread
    /// failed, or this is a forked child.
    ///
    /// # Errors
    ///
    /// Whatever the generator returns when the pool is empty and the generator fails on the
    /// spot ([`Error::RandomSource`] for the operating system's random source).
    pub fn take(&self) -> Result<Pair, Error> {
        match self.try_take() {
            Some(pair) => Ok(pair),
            None => (self.generate)(),
        }
    }
}

/// The background thread: fills the queue up to its capacity, sleeps while it is full.
fn produce(group: NamedGroup, producer: &Shared, generate: &Generator) {
    loop {
        // Wait for room (or the end) before generating, so that at most `capacity` pairs exist
        // at any time.
        {
            let mut queue = producer.lock();
            while queue.len >= queue.capacity() && !queue.closing {
                queue = producer
                    .room
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if queue.closing {
                return;
            }
        }
        // A panicking generator stops the thread like a failing one, and says so in `failed()`.
        let pair = std::panic::catch_unwind(std::panic::AssertUnwindSafe(generate));
        let mut queue = producer.lock();
        match pair {
            Ok(Ok(pair)) if pair.1.group() == group => queue.push(pair),
            _ => {
                queue.failed = true;
                return;
            }
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
        if self.forked() {
            // The thread belongs to the parent process: joining it here would wait forever,
            // and detaching it would touch the parent's thread bookkeeping. Forget the handle
            // (a few bytes); the queue was wiped by `forked()`.
            if let Some(thread) = self.thread.take() {
                core::mem::forget(thread);
            }
            return;
        }
        self.shared.lock().closing = true;
        self.shared.room.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // The remaining pairs are wiped when the queue drops, with the last `Arc`, here.
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
    use crate::adapters::glue::exchange::ClientExchange;
    use crate::adapters::rustls::to_rustls_error;

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
            // As the adapter's own groups: the pair moves from the queue to its box in scrubbed
            // frames, and an empty pool generates one there.
            Ok(ClientExchange::start_with(|| self.pool.take()).map_err(to_rustls_error)?)
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
