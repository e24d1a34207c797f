//! The opt-in key-share pool: each key pair is handed out once, the pool stays within its
//! capacity (clamped, never a panic), a failing or panicking generator sets `failed()` and
//! `take` then uses the pool's own generator, and the rustls group built on it completes real
//! handshakes. The `fork()` behaviour is tested in `tests-fork/`, the wiping of taken slots in
//! `tests/pool_wipe.rs`.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hybrid_kx::pool::KeySharePool;
use hybrid_kx::{Error, NamedGroup};

fn wait_until(mut condition: impl FnMut() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn every_key_pair_is_handed_out_once_and_works() {
    for &group in NamedGroup::ALL {
        let pool = KeySharePool::new(group, 4);
        let mut seen = HashSet::new();
        for _ in 0..24 {
            let (share, state) = pool.take().unwrap();
            assert_eq!(state.group(), group);
            assert!(
                seen.insert(share.as_bytes().to_vec()),
                "{group}: a share was reused"
            );
            let (server_share, server_secret) = group.encapsulate(share.as_bytes()).unwrap();
            assert_eq!(
                state.complete(server_share.as_bytes()).unwrap(),
                server_secret
            );
        }
    }
}

#[test]
fn the_pool_never_holds_more_than_its_capacity() {
    let generated = Arc::new(AtomicUsize::new(0));
    let counter = generated.clone();
    let pool = KeySharePool::with_generator(NamedGroup::MLKEM768, 3, move || {
        counter.fetch_add(1, Ordering::SeqCst);
        NamedGroup::MLKEM768.generate_key_share()
    });
    wait_until(|| pool.available() == 3);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(pool.available(), 3);
    assert_eq!(
        generated.load(Ordering::SeqCst),
        3,
        "generated beyond the capacity"
    );
    // Taking one makes room for exactly one more.
    let _pair = pool.try_take().unwrap();
    wait_until(|| generated.load(Ordering::SeqCst) == 4);
    wait_until(|| pool.available() == 3);
    assert!(!pool.failed());
}

#[test]
fn a_failing_generator_is_called_again_on_the_spot() {
    // The thread stops at the first failure; `take` then calls the same generator (here the
    // first call fails and the later ones succeed), never another random source.
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let pool = KeySharePool::with_generator(NamedGroup::X25519MLKEM768, 2, move || {
        match counter.fetch_add(1, Ordering::SeqCst) {
            0 => Err(Error::RandomSource),
            _ => NamedGroup::X25519MLKEM768.generate_key_share(),
        }
    });
    wait_until(|| pool.failed());
    assert!(pool.try_take().is_none());
    let (share, state) = pool.take().unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let (server_share, server_secret) = NamedGroup::X25519MLKEM768
        .encapsulate(share.as_bytes())
        .unwrap();
    assert_eq!(
        state.complete(server_share.as_bytes()).unwrap(),
        server_secret
    );
    // A generator that keeps failing: `take` reports its error.
    let failing =
        KeySharePool::with_generator(NamedGroup::X25519MLKEM768, 2, || Err(Error::RandomSource));
    wait_until(|| failing.failed());
    assert!(matches!(failing.take(), Err(Error::RandomSource)));
}

/// Key pairs from a fixed list of seeds: a pool built with it must hand out only these.
fn seeded_generator(
    group: NamedGroup,
    shares: Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
) -> impl Fn() -> Result<(hybrid_kx::KeyShareBytes, hybrid_kx::AnyClientState), Error> {
    let next = AtomicUsize::new(1);
    move || {
        let n = u8::try_from(next.fetch_add(1, Ordering::SeqCst) % 256).unwrap();
        let pair = group.generate_key_share_from_seed(&vec![n; group.client_seed_len()])?;
        shares.lock().unwrap().push(pair.0.as_bytes().to_vec());
        Ok(pair)
    }
}

#[test]
fn take_on_an_empty_pool_uses_the_pools_own_generator() {
    let group = NamedGroup::MLKEM768;
    let produced = Arc::new(std::sync::Mutex::new(Vec::new()));
    let pool = KeySharePool::with_generator(group, 1, seeded_generator(group, produced.clone()));
    // Taking far faster than one thread generates empties the pool: most pairs come from
    // `take` itself, which must use the same generator (not the operating system's RNG).
    for _ in 0..16 {
        let (share, _) = pool.take().unwrap();
        assert!(
            produced
                .lock()
                .unwrap()
                .iter()
                .any(|s| s == share.as_bytes()),
            "take() handed out a pair its generator did not make"
        );
    }
}

#[test]
fn a_panicking_generator_sets_failed() {
    let pool = KeySharePool::with_generator(NamedGroup::MLKEM768, 2, || {
        panic!("generator panics (expected in this test)")
    });
    wait_until(|| pool.failed());
    assert!(pool.try_take().is_none());
}

#[test]
fn a_huge_capacity_is_clamped_not_a_panic() {
    let generated = Arc::new(AtomicUsize::new(0));
    let counter = generated.clone();
    let pool = KeySharePool::with_generator(NamedGroup::MLKEM768, usize::MAX, move || {
        // Stop after a few, so the test does not fill 256 slots.
        if counter.fetch_add(1, Ordering::SeqCst) >= 3 {
            return Err(Error::RandomSource);
        }
        NamedGroup::MLKEM768.generate_key_share()
    });
    wait_until(|| pool.failed());
    assert_eq!(pool.available(), 3);
    const { assert!(hybrid_kx::pool::MAX_CAPACITY >= 3) };
    // Zero is raised to one.
    let one = KeySharePool::new(NamedGroup::MLKEM768, 0);
    wait_until(|| one.available() == 1);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(one.available(), 1);
}

#[cfg(feature = "ring")]
#[test]
fn pooled_rustls_group_completes_handshakes() {
    use common::tls::{client_config, handshake_in_memory, identity, negotiated, server_config};
    use hybrid_kx::pool::PooledKxGroup;
    use hybrid_kx_support::tls::connections;

    let pooled = PooledKxGroup::leak(KeySharePool::new(NamedGroup::X25519MLKEM768, 2));
    let id = identity();
    let (server, _) = server_config(&id, vec![hybrid_kx::rustls::X25519MLKEM768]);
    let (client, _) = client_config(&id, vec![pooled]);
    let (server, client) = (Arc::new(server), Arc::new(client));
    for _ in 0..8 {
        let (mut c, mut s) = connections(client.clone(), server.clone()).unwrap();
        let t = handshake_in_memory(&mut c, &mut s);
        assert!(t.client_error.is_none() && t.server_error.is_none());
        assert_eq!(negotiated(&c), 0x11EC);
        assert_eq!(negotiated(&s), 0x11EC);
    }
}
