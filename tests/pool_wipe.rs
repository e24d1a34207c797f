//! The key-share pool keeps no bitwise copy of a handed-out key pair in its ring buffer: taking
//! a pair moves it out and overwrites its slot at once.
//!
//! A recording global allocator (`hybrid_kx_support::freed_memory`) copies the ring buffer's
//! bytes when it is freed (when the pool drops), before handing the block back to the system
//! allocator; the shares handed out must not be found there, and the buffer must be (almost) all
//! zero. The allocator needs `unsafe` (a `GlobalAlloc`); the crate itself stays
//! `#![forbid(unsafe_code)]`. This file holds a single test so that no other test allocates a
//! block of the watched size meanwhile.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hybrid_kx::pool::KeySharePool;
use hybrid_kx::{AnyClientState, Error, KeyShareBytes, NamedGroup};
use hybrid_kx_support::freed_memory::{Recording, freed_of_size};

#[global_allocator]
static ALLOCATOR: Recording = Recording;

type Pair = (KeyShareBytes, AnyClientState);

#[test]
fn taken_key_pairs_leave_no_copy_in_the_ring_buffer() {
    const CAPACITY: usize = 3;
    let group = NamedGroup::X25519MLKEM768;
    let made = AtomicUsize::new(0);
    // Exactly CAPACITY pairs, then the thread stops: nothing refills the slots we empty.
    let pool = KeySharePool::with_generator(group, CAPACITY, move || {
        let n = made.fetch_add(1, Ordering::SeqCst);
        if n >= CAPACITY {
            return Err(Error::RandomSource);
        }
        group.generate_key_share_from_seed(&[u8::try_from(n + 1).unwrap(); 96])
    });
    let wait_until = |condition: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !condition() {
            assert!(start.elapsed() < Duration::from_secs(30), "timed out");
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    wait_until(&|| pool.available() == CAPACITY);
    let taken: Vec<Pair> = (0..CAPACITY).map(|_| pool.try_take().unwrap()).collect();
    // The room made wakes the thread, whose next call fails: it stops, nothing refills.
    wait_until(&|| pool.failed());
    assert_eq!(pool.available(), 0);

    // The ring buffer is `CAPACITY` elements of a pair, possibly beside a tag (an `Option`, the
    // pool's own slot type): no other block that large is freed when the pool drops.
    let (hits, buffer) = freed_of_size(
        CAPACITY * size_of::<Pair>()..=CAPACITY * (size_of::<Pair>() + 64),
        || drop(pool),
    );
    assert_eq!(hits, 1, "blocks of the watched sizes freed");
    assert!(
        !buffer.is_empty(),
        "the ring buffer was not seen being freed"
    );

    for (share, _) in &taken {
        let needle = &share.as_bytes()[..64];
        assert!(
            !buffer.windows(needle.len()).any(|w| w == needle),
            "a handed-out share (and the private state beside it) is still in the ring buffer"
        );
    }
    let nonzero = buffer.iter().filter(|&&b| b != 0).count();
    assert!(
        nonzero <= 8 * CAPACITY,
        "{nonzero} of {} bytes of the freed ring buffer are not zero",
        buffer.len()
    );
    drop(taken);
}
