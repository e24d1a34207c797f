//! The key-share pool keeps no bitwise copy of a handed-out key pair in its ring buffer: taking
//! a pair moves it out and overwrites its slot at once.
//!
//! A recording global allocator copies the ring buffer's bytes when it is freed (when the pool
//! drops), before handing the block back to the system allocator; the shares handed out must
//! not be found there, and the buffer must be (almost) all zero. This file needs `unsafe` (a
//! `GlobalAlloc`); the crate itself stays `#![forbid(unsafe_code)]`. It holds a single test so
//! that no other test allocates a block of the watched size meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hybrid_kx::pool::KeySharePool;
use hybrid_kx::{AnyClientState, Error, KeyShareBytes, NamedGroup};

const MAX: usize = 1 << 17;

/// Deallocations of blocks of `WATCH[0]..=WATCH[1]` bytes are recorded (0: none).
static WATCH: [AtomicUsize; 2] = [const { AtomicUsize::new(0) }; 2];
static FREED: Mutex<([u8; MAX], usize)> = Mutex::new(([0; MAX], 0));

/// How many blocks of a watched size were freed.
static HITS: AtomicUsize = AtomicUsize::new(0);

struct Recording;

// SAFETY: every call is forwarded to `System` with the same arguments; `dealloc` first copies
// the block (still owned until `System.dealloc`) into a static buffer, without allocating.
unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let size = layout.size();
        if size <= MAX
            && size > 0
            && (WATCH[0].load(Ordering::SeqCst)..=WATCH[1].load(Ordering::SeqCst)).contains(&size)
        {
            // SAFETY: `ptr` is valid for `size` bytes until it is freed below.
            let bytes = unsafe { std::slice::from_raw_parts(ptr, size) };
            if let Ok(mut freed) = FREED.try_lock() {
                freed.0[..size].copy_from_slice(bytes);
                freed.1 = size;
            }
            HITS.fetch_add(1, Ordering::SeqCst);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

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
    WATCH[0].store(CAPACITY * size_of::<Pair>(), Ordering::SeqCst);
    WATCH[1].store(CAPACITY * (size_of::<Pair>() + 64), Ordering::SeqCst);
    FREED.lock().unwrap().1 = 0;
    drop(pool);
    for w in &WATCH {
        w.store(0, Ordering::SeqCst);
    }
    assert_eq!(
        HITS.load(Ordering::SeqCst),
        1,
        "blocks of the watched sizes freed"
    );
    let freed = FREED.lock().unwrap();
    let buffer = &freed.0[..freed.1];
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
