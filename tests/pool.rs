//! The opt-in key-share pool: each key pair is handed out once, the pool stays within its
//! capacity, a failing generator falls back to on-the-spot generation, and the rustls group
//! built on it completes real handshakes.

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
    for group in NamedGroup::ALL {
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
fn a_failing_generator_falls_back_to_generation_on_the_spot() {
    let pool =
        KeySharePool::with_generator(NamedGroup::X25519MLKEM768, 2, || Err(Error::RandomSource));
    wait_until(|| pool.failed());
    assert!(pool.try_take().is_none());
    let (share, state) = pool.take().unwrap();
    let (server_share, server_secret) = NamedGroup::X25519MLKEM768
        .encapsulate(share.as_bytes())
        .unwrap();
    assert_eq!(
        state.complete(server_share.as_bytes()).unwrap(),
        server_secret
    );
}

#[cfg(feature = "ring")]
#[test]
fn pooled_rustls_group_completes_handshakes() {
    use common::tls::{client_config, handshake_in_memory, identity, negotiated, server_config};
    use hybrid_kx::pool::PooledKxGroup;
    use rustls::pki_types::ServerName;

    let pooled = PooledKxGroup::leak(KeySharePool::new(NamedGroup::X25519MLKEM768, 2));
    let id = identity();
    let (server, _) = server_config(&id, vec![hybrid_kx::rustls::X25519MLKEM768]);
    let (client, _) = client_config(&id, vec![pooled]);
    let (server, client) = (Arc::new(server), Arc::new(client));
    for _ in 0..8 {
        let name = ServerName::try_from("localhost").unwrap();
        let mut c = rustls::ClientConnection::new(client.clone(), name).unwrap();
        let mut s = rustls::ServerConnection::new(server.clone()).unwrap();
        let t = handshake_in_memory(&mut c, &mut s);
        assert!(t.client_error.is_none() && t.server_error.is_none());
        assert_eq!(negotiated(&c), 0x11EC);
        assert_eq!(negotiated(&s), 0x11EC);
    }
}
