//! RFC 7748 X25519 vectors (sections 5.2 and 6.1, typed into `test-vectors/`) through the
//! X25519 component and through the X25519 half of X25519MLKEM768.

mod common;

use common::vector_file::VectorFile;
use hybrid_kx::components::Component;
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::{Group, X25519MLKEM768};

/// X25519(k, u) through the component's server step (our scalar k, the peer's u).
fn x25519(k: &[u8; 32], u: &[u8; 32]) -> [u8; 32] {
    let (mut share, mut secret) = ([0u8; 32], [0u8; 32]);
    X25519::server_respond(k, u, &mut share, &mut secret).unwrap();
    secret
}

#[test]
fn section_5_2_function_vectors() {
    let v = VectorFile::own("rfc7748-x25519.txt");
    for n in ["vector1", "vector2"] {
        let out = x25519(
            &v.array(&format!("{n}_scalar")),
            &v.array(&format!("{n}_u")),
        );
        assert_eq!(out, v.array(&format!("{n}_output")), "{n}");
    }
}

fn iterate(v: &VectorFile, rounds: usize) -> [u8; 32] {
    let mut k: [u8; 32] = v.array("iterated_start");
    let mut u = k;
    for _ in 0..rounds {
        let r = x25519(&k, &u);
        u = k;
        k = r;
    }
    k
}

#[test]
fn section_5_2_iterated_1_and_1000() {
    let v = VectorFile::own("rfc7748-x25519.txt");
    assert_eq!(iterate(&v, 1), v.array("iterated_1"));
    assert_eq!(iterate(&v, 1000), v.array("iterated_1000"));
}

/// About a minute in release mode: `cargo test --release -- --ignored`.
#[test]
#[ignore = "1,000,000 X25519 operations; run with --release --ignored"]
fn section_5_2_iterated_1000000() {
    let v = VectorFile::own("rfc7748-x25519.txt");
    assert_eq!(iterate(&v, 1_000_000), v.array("iterated_1000000"));
}

#[test]
fn section_6_1_diffie_hellman_through_the_hybrid_group() {
    let v = VectorFile::own("rfc7748-x25519.txt");
    // Client = Alice (X25519 scalar in the last 32 bytes of the seed), server = Bob.
    let mut client_seed = [5u8; 96];
    client_seed[64..].copy_from_slice(v.get("alice_private"));
    let (client_share, state) = X25519MLKEM768::generate_key_share_from_seed(&client_seed).unwrap();
    assert_eq!(&client_share[1184..], v.get("alice_public"));

    let mut server_seed = [6u8; 64];
    server_seed[32..].copy_from_slice(v.get("bob_private"));
    let (server_share, server_secret) =
        X25519MLKEM768::encapsulate_from_seed(&client_share, &server_seed).unwrap();
    assert_eq!(&server_share[1088..], v.get("bob_public"));
    assert_eq!(&server_secret.as_bytes()[32..], v.get("shared_secret"));

    let client_secret = state.complete(&server_share).unwrap();
    assert_eq!(&client_secret.as_bytes()[32..], v.get("shared_secret"));
    assert_eq!(client_secret, server_secret);
}
