//! The core key exchange never touches the heap: key generation, encapsulation and completion of
//! every group, from seeds and from the operating system's random source, on whichever backends
//! this build selected, counted by a `#[global_allocator]` that counts the calls made on the
//! current thread while counting is on.
//!
//! (This is why `ml-kem` is used with `default-features = false`: its `alloc` feature boxes the
//! key material.)
//!
//! The one exception is `backend-aws-lc`: aws-lc-rs boxes peer keys and secrets on the Rust heap
//! (and AWS-LC allocates its key objects on the C heap, which this counter does not see). A
//! group with a part on it is measured on the other backends instead (the seeded entry points
//! pinned to each), and the counter is shown to see aws-lc-rs's allocations, so that exception
//! is a measured fact, not an assumption.

#![cfg(feature = "getrandom")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use hybrid_kx::components::{Primitive, PrimitiveVisitor, table};
use hybrid_kx::{Backend, ByteArray, Group, GroupVisitor, NamedGroup};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static CALLS: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: the thread-locals may be gone while a thread shuts down.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = CALLS.try_with(|c| c.set(c.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counting touches only
// `const`-initialized thread-locals without destructors, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap allocations `f` makes on this thread.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    CALLS.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (CALLS.with(Cell::get), out)
}

/// Each primitive's backend for the operating system's randomness and for a seed.
#[derive(Clone)]
struct Backends;

impl PrimitiveVisitor for Backends {
    type Output = (&'static str, Backend, Backend);
    fn visit<P: Primitive>(self) -> Self::Output {
        (P::NAME, P::backend(), P::seeded_backend(None).unwrap())
    }
}

/// Whether group `G` runs a part on aws-lc-rs: with the operating system's randomness
/// (`seeded == false`) or from a seed.
fn on_aws_lc<G: Group>(seeded: bool) -> bool {
    let group = NamedGroup::from_codepoint(G::CODEPOINT).unwrap();
    table::for_each(Backends).any(|(name, system, from_seed)| {
        group.parts().contains(&name) && Backend::AwsLc == if seeded { from_seed } else { system }
    })
}

/// The exchange from seeds, on `backend` (`None`: the preferred ones).
fn exchange_from_seed<G: Group>(backend: Option<Backend>) {
    if backend.is_none() && on_aws_lc::<G>(true) {
        eprintln!(
            "{}: a part runs on aws-lc-rs; measured pinned to each other backend",
            G::NAME
        );
        for &b in Backend::ALL {
            if b != Backend::AwsLc && b.is_usable() {
                exchange_from_seed::<G>(Some(b));
            }
        }
        return;
    }
    let mut client_seed = G::ClientSeed::zeroed();
    client_seed.as_mut().fill(0x42);
    let mut server_seed = G::ServerSeed::zeroed();
    server_seed.as_mut().fill(0x24);

    let (n, (share, state)) = allocations(|| match backend {
        Some(b) => G::generate_key_share_from_seed_on(b, &client_seed).unwrap(),
        None => G::generate_key_share_from_seed(&client_seed).unwrap(),
    });
    assert_eq!(n, 0, "{}: key generation allocated ({backend:?})", G::NAME);
    let (n, (server_share, server_secret)) = allocations(|| match backend {
        Some(b) => G::encapsulate_from_seed_on(b, share.as_ref(), &server_seed).unwrap(),
        None => G::encapsulate_from_seed(share.as_ref(), &server_seed).unwrap(),
    });
    assert_eq!(n, 0, "{}: encapsulation allocated ({backend:?})", G::NAME);
    let (n, client_secret) = allocations(|| state.complete(server_share.as_ref()).unwrap());
    assert_eq!(n, 0, "{}: completion allocated", G::NAME);
    assert_eq!(client_secret, server_secret);

    // Rejections do not allocate either (the error is a plain value).
    let (n, err) = allocations(|| G::encapsulate_from_seed(&[0u8; 3], &server_seed).err());
    assert_eq!(n, 0, "{}: a length rejection allocated", G::NAME);
    assert!(err.is_some());
}

fn exchange_with_os_rng<G: Group>() {
    // Warm up the random source (first use may initialise it).
    let _ = G::generate_key_share().unwrap();
    if on_aws_lc::<G>(false) {
        // The exception, measured: aws-lc-rs allocates in the server step.
        let (share, _) = G::generate_key_share().unwrap();
        let (n, _) = allocations(|| G::encapsulate(share.as_ref()).unwrap());
        assert!(n > 0, "{}: aws-lc-rs seen allocating", G::NAME);
        eprintln!(
            "{}: a part runs on aws-lc-rs, which allocates ({n} calls)",
            G::NAME
        );
        return;
    }
    let (n, (share, state)) = allocations(|| G::generate_key_share().unwrap());
    assert_eq!(n, 0, "{}: key generation (OS RNG) allocated", G::NAME);
    let (n, (server_share, server_secret)) =
        allocations(|| G::encapsulate(share.as_ref()).unwrap());
    assert_eq!(n, 0, "{}: encapsulation (OS RNG) allocated", G::NAME);
    let (n, client_secret) = allocations(|| state.complete(server_share.as_ref()).unwrap());
    assert_eq!(n, 0, "{}: completion allocated", G::NAME);
    assert_eq!(client_secret, server_secret);
}

#[test]
fn the_counter_counts() {
    let (n, v) = allocations(|| vec![1u8; 10]);
    assert_eq!(n, 1);
    drop(v);
}

#[test]
fn core_operations_do_not_allocate() {
    let backends: Vec<_> = hybrid_kx::backend::selected().collect();
    eprintln!("backends: {backends:?}");
    for &group in NamedGroup::ALL {
        group.visit(Exchanges);
    }
}

/// Both exchanges, for every group of the table.
struct Exchanges;

impl GroupVisitor for Exchanges {
    type Output = ();
    fn visit<G: Group>(self) {
        exchange_from_seed::<G>(None);
        exchange_with_os_rng::<G>();
    }
}

#[test]
fn run_time_group_selection_does_not_allocate() {
    for &group in NamedGroup::ALL {
        /// Whether the group's seeded operations run a part on aws-lc-rs.
        struct OnAwsLc;
        impl GroupVisitor for OnAwsLc {
            type Output = bool;
            fn visit<G: Group>(self) -> bool {
                on_aws_lc::<G>(true)
            }
        }
        if group.visit(OnAwsLc) {
            eprintln!("{group}: a part runs on aws-lc-rs (see core_operations_do_not_allocate)");
            continue;
        }
        let seed = vec![0x11u8; group.client_seed_len()];
        let server_seed = vec![0x22u8; group.server_seed_len()];
        let (n, (share, state)) =
            allocations(|| group.generate_key_share_from_seed(&seed).unwrap());
        assert_eq!(n, 0, "{group}: key generation allocated");
        let (n, (server_share, server_secret)) = allocations(|| {
            group
                .encapsulate_from_seed(share.as_bytes(), &server_seed)
                .unwrap()
        });
        assert_eq!(n, 0, "{group}: encapsulation allocated");
        let (n, secret) = allocations(|| state.complete(server_share.as_bytes()).unwrap());
        assert_eq!(n, 0, "{group}: completion allocated");
        assert_eq!(secret, server_secret);
    }
}
