//! A global allocator that knows every live heap block of its process (address and size), so a
//! test can search the whole heap for secret bytes that something still holds after it should
//! have let them go (`cli/tests/serve_key_material.rs`: `serve` keeps no secret of a finished
//! connection). [`crate::freed_memory`] looks at one block as it is freed; this looks at all
//! blocks still allocated. Reading other code's blocks needs `unsafe`, which the crate forbids,
//! so it lives here.
//!
//! A test binary registers [`Tracking`] with `#[global_allocator]` and calls [`find`] at a
//! quiet moment. While [`find`] reads the heap, every other thread's allocation and free waits,
//! so no block is freed under it.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Slots of the table of live blocks (a power of two, well above a test's live blocks).
const SLOTS: usize = 1 << 18;
/// A slot never used.
const EMPTY: usize = 0;
/// A slot whose block was freed (probing goes on past it; an insertion may take it).
const GONE: usize = usize::MAX;

/// Each slot's block address (or [`EMPTY`]/[`GONE`]) and size.
static ADDRESSES: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(EMPTY) }; SLOTS];
static SIZES: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
/// Blocks not tracked because the table was full ([`find`] reports them).
static UNTRACKED: AtomicUsize = AtomicUsize::new(0);
/// Set while [`find`] reads the heap.
static SCANNING: AtomicBool = AtomicBool::new(false);
/// Allocations and frees under way (a scan starts once none is).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);

/// The tracking allocator: forwards to `System`, recording each block's address and size.
pub struct Tracking;

/// Where probing for `address` starts.
fn home(address: usize) -> usize {
    // Fibonacci hashing in 64 bits (on 32-bit targets too): the top bits of the product.
    let hash = ((address as u64) >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (hash >> (u64::BITS - SLOTS.trailing_zeros())) as usize
}

/// Waits for a running scan to end, then counts this thread's call as under way.
fn enter() {
    loop {
        ACTIVE.fetch_add(1, Ordering::SeqCst);
        if !SCANNING.load(Ordering::SeqCst) {
            return;
        }
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
        while SCANNING.load(Ordering::SeqCst) {
            std::hint::spin_loop();
        }
    }
}

fn leave() {
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
}

fn insert(address: usize, size: usize) {
    let start = home(address);
    for probe in 0..SLOTS {
        let slot = (start + probe) & (SLOTS - 1);
        let current = ADDRESSES[slot].load(Ordering::SeqCst);
        if (current == EMPTY || current == GONE)
            && ADDRESSES[slot]
                .compare_exchange(current, address, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        {
            SIZES[slot].store(size, Ordering::SeqCst);
            return;
        }
    }
    UNTRACKED.fetch_add(1, Ordering::SeqCst);
}

fn remove(address: usize) {
    let start = home(address);
    for probe in 0..SLOTS {
        let slot = (start + probe) & (SLOTS - 1);
        match ADDRESSES[slot].load(Ordering::SeqCst) {
            EMPTY => return,
            current if current == address => {
                SIZES[slot].store(0, Ordering::SeqCst);
                ADDRESSES[slot].store(GONE, Ordering::SeqCst);
                return;
            }
            _ => {}
        }
    }
}

// SAFETY: every call is forwarded to `System` with the same arguments; the bookkeeping around
// it only touches atomics and never allocates. `realloc` is the trait's default (alloc, copy,
// dealloc through this allocator), so the table follows moves.
unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        enter();
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() && layout.size() > 0 {
            insert(ptr as usize, layout.size());
        }
        leave();
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        enter();
        remove(ptr as usize);
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) };
        leave();
    }
}

/// A needle found in a live block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Which needle (its index in the slice given to [`find`]).
    pub needle: usize,
    /// The size of the block that holds it.
    pub block_size: usize,
}

/// Every live block (but those in `skip`, address ranges the caller owns, such as the needles'
/// own buffer) that contains one of `needles` (each at least 8 bytes), at most `limit` finds,
/// and the number of blocks the table could not track (a find is only complete if it is 0).
/// Every other thread's allocation and free waits until it returns.
///
/// # Panics
/// If a needle is shorter than 8 bytes. Only with the [`Tracking`] allocator registered does it
/// see anything.
pub fn find(
    needles: &[&[u8]],
    skip: &[std::ops::Range<usize>],
    limit: usize,
) -> (Vec<Found>, usize) {
    assert!(
        needles.iter().all(|n| n.len() >= 8),
        "needles of 8 bytes or more"
    );
    // Allocated before the scan: the scanning thread must not allocate during it.
    let mut prefixes: Vec<(u64, usize)> = needles
        .iter()
        .enumerate()
        .map(|(i, n)| (u64::from_ne_bytes(n[..8].try_into().unwrap_or_default()), i))
        .collect();
    prefixes.sort_unstable();
    let mut found = Vec::with_capacity(limit);

    SCANNING.store(true, Ordering::SeqCst);
    while ACTIVE.load(Ordering::SeqCst) != 0 {
        std::hint::spin_loop();
    }
    'slots: for slot in 0..SLOTS {
        let address = ADDRESSES[slot].load(Ordering::SeqCst);
        let size = SIZES[slot].load(Ordering::SeqCst);
        if address == EMPTY || address == GONE || size < 8 {
            continue;
        }
        if skip.iter().any(|r| r.contains(&address)) {
            continue;
        }
        // SAFETY: the block is live (it is in the table and no thread can free it while
        // SCANNING is set and ACTIVE is 0) and `size` bytes long.
        let block = unsafe { std::slice::from_raw_parts(address as *const u8, size) };
        for at in 0..=size - 8 {
            let word = u64::from_ne_bytes(block[at..at + 8].try_into().unwrap_or_default());
            let first = prefixes.partition_point(|&(p, _)| p < word);
            for &(prefix, needle) in &prefixes[first..] {
                if prefix != word {
                    break;
                }
                let bytes = needles[needle];
                if block[at..].starts_with(bytes) && found.len() < limit {
                    found.push(Found {
                        needle,
                        block_size: size,
                    });
                    if found.len() == limit {
                        break 'slots;
                    }
                }
            }
        }
    }
    SCANNING.store(false, Ordering::SeqCst);
    (found, UNTRACKED.load(Ordering::SeqCst))
}
