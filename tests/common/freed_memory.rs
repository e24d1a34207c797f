//! A global allocator that copies a watched block as it is freed, for tests that check that a
//! dropped value left no secret bytes behind (`tests/secret_lifetime.rs`, `tests/hmac_wipe.rs`).
//! Each test binary registers it with `#[global_allocator]`; reading the boxed value's bytes
//! needs `unsafe`, which the crate itself forbids, so it lives here.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Largest block this allocator records (graviola's ML-KEM-768 state is about 7 KiB).
const MAX: usize = 32 * 1024;

/// The address whose deallocation is recorded (0: none).
static WATCH: AtomicUsize = AtomicUsize::new(0);
/// The recorded bytes and their length (`usize::MAX` until the watched block is freed).
static FREED: Mutex<([u8; MAX], usize)> = Mutex::new(([0; MAX], usize::MAX));
/// One watched block at a time (the tests in this file run on parallel threads).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The recording allocator: forwards to `System`, copying the watched block on `dealloc`.
pub struct Recording;

// SAFETY: every call is forwarded to `System` with the same arguments; `dealloc` first copies
// the block (still owned by the caller until `System.dealloc`) into a static buffer, without
// allocating.
unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr as usize == WATCH.load(Ordering::SeqCst) && layout.size() <= MAX {
            // SAFETY: `ptr` is valid for `layout.size()` bytes until it is freed below.
            let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if let Ok(mut freed) = FREED.lock() {
                freed.0[..bytes.len()].copy_from_slice(bytes);
                freed.1 = bytes.len();
            }
            WATCH.store(0, Ordering::SeqCst);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Boxes `value`, drops it, and returns (its bytes while alive, its bytes as freed).
pub fn live_and_freed<T>(value: T) -> (Vec<u8>, Vec<u8>) {
    let _guard = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let boxed = Box::new(value);
    let size = size_of::<T>();
    assert!(size > 0 && size <= MAX, "value of {size} bytes");
    let ptr: *const T = &raw const *boxed;
    // SAFETY: `boxed` is alive and `size_of::<T>()` bytes long; padding bytes are only compared.
    let live = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), size) }.to_vec();
    FREED.lock().unwrap().1 = usize::MAX;
    WATCH.store(ptr as usize, Ordering::SeqCst);
    drop(boxed);
    let freed = FREED.lock().unwrap();
    assert_eq!(freed.1, size, "the watched block was not freed");
    (live, freed.0[..size].to_vec())
}
