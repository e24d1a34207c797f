//! A global allocator that copies a watched block as it is freed, for tests that check that a
//! dropped value left no secret bytes behind (`tests/secret_lifetime.rs`, `tests/hmac_wipe.rs`,
//! `tests/pool_wipe.rs`). Each test binary registers it with `#[global_allocator]`; reading the
//! freed block's bytes needs `unsafe`, which the crate itself forbids, so it lives here.
//!
//! A block is watched either by its address ([`live_and_freed`]: a value this test boxes) or by
//! its size ([`freed_of_size`]: a block some other code allocated, whose address the test cannot
//! see).

use std::alloc::{GlobalAlloc, Layout, System};
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Largest block this allocator records (graviola's ML-KEM-768 state is about 7 KiB; the
/// key-share pool's ring buffer of three key pairs a few times that).
pub const MAX: usize = 128 * 1024;

/// The address whose deallocation is recorded (0: none).
static WATCH_ADDRESS: AtomicUsize = AtomicUsize::new(0);
/// The sizes whose deallocations are recorded (`[0, 0]`: none; a block of 0 bytes never is).
static WATCH_SIZES: [AtomicUsize; 2] = [const { AtomicUsize::new(0) }; 2];
/// The last recorded block's bytes and length (`usize::MAX` until one is recorded).
static FREED: Mutex<([u8; MAX], usize)> = Mutex::new(([0; MAX], usize::MAX));
/// How many blocks were recorded since the watch began.
static HITS: AtomicUsize = AtomicUsize::new(0);
/// One watch at a time (the tests of a binary run on parallel threads).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The recording allocator: forwards to `System`, copying a watched block on `dealloc`.
pub struct Recording;

/// Whether a block of `size` bytes at `address` is watched.
fn watched(address: usize, size: usize) -> bool {
    if size == 0 || size > MAX {
        return false;
    }
    address == WATCH_ADDRESS.load(Ordering::SeqCst)
        || (WATCH_SIZES[0].load(Ordering::SeqCst)..=WATCH_SIZES[1].load(Ordering::SeqCst))
            .contains(&size)
}

// SAFETY: every call is forwarded to `System` with the same arguments; `dealloc` first copies
// the block (still owned by the caller until `System.dealloc`) into a static buffer, without
// allocating.
unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if watched(ptr as usize, layout.size()) {
            // SAFETY: `ptr` is valid for `layout.size()` bytes until it is freed below.
            let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            // `try_lock`: a block freed while the recorded bytes are being read is not recorded
            // (it still counts as a hit), rather than deadlocking.
            if let Ok(mut freed) = FREED.try_lock() {
                freed.0[..bytes.len()].copy_from_slice(bytes);
                freed.1 = bytes.len();
            }
            HITS.fetch_add(1, Ordering::SeqCst);
            WATCH_ADDRESS.store(0, Ordering::SeqCst);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Clears the record and the hit count before a watch begins.
fn reset() {
    FREED.lock().unwrap_or_else(PoisonError::into_inner).1 = usize::MAX;
    HITS.store(0, Ordering::SeqCst);
}

/// Boxes `value`, drops it, and returns (its bytes while alive, its bytes as freed).
///
/// # Panics
/// If `T` is empty or larger than [`MAX`], or if the box was not seen being freed (the binary
/// did not register [`Recording`] as its global allocator).
pub fn live_and_freed<T>(value: T) -> (Vec<u8>, Vec<u8>) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let boxed = Box::new(value);
    let size = size_of::<T>();
    assert!(size > 0 && size <= MAX, "value of {size} bytes");
    let ptr: *const T = &raw const *boxed;
    // SAFETY: `boxed` is alive and `size_of::<T>()` bytes long; padding bytes are only compared.
    let live = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), size) }.to_vec();
    reset();
    WATCH_ADDRESS.store(ptr as usize, Ordering::SeqCst);
    drop(boxed);
    let freed = FREED.lock().unwrap_or_else(PoisonError::into_inner);
    assert_eq!(freed.1, size, "the watched block was not freed");
    (live, freed.0[..size].to_vec())
}

/// Runs `f` while every freed block of a size in `sizes` is recorded, and returns how many were
/// freed and the bytes of the last one recorded (empty if none).
///
/// Blocks of those sizes that other threads free meanwhile count too: a test that uses this
/// should be alone in its binary, or choose sizes nothing else allocates.
///
/// # Panics
/// If the range is empty, starts at 0 or ends above [`MAX`].
pub fn freed_of_size(sizes: RangeInclusive<usize>, f: impl FnOnce()) -> (usize, Vec<u8>) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    assert!(
        !sizes.is_empty() && *sizes.start() > 0 && *sizes.end() <= MAX,
        "sizes {sizes:?}"
    );
    reset();
    WATCH_SIZES[0].store(*sizes.start(), Ordering::SeqCst);
    WATCH_SIZES[1].store(*sizes.end(), Ordering::SeqCst);
    f();
    for bound in &WATCH_SIZES {
        bound.store(0, Ordering::SeqCst);
    }
    let hits = HITS.load(Ordering::SeqCst);
    let freed = FREED.lock().unwrap_or_else(PoisonError::into_inner);
    let bytes = if freed.1 == usize::MAX {
        Vec::new()
    } else {
        freed.0[..freed.1].to_vec()
    };
    (hits, bytes)
}
