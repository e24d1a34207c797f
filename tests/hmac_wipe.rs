//! The HMAC and HKDF states of the key schedule wipe themselves on drop.
//!
//! `hmac::Hmac<Sha256>` holds the SHA-256 states after absorbing `key ^ ipad` and `key ^ opad`;
//! `hkdf::Hkdf<Sha256>` holds such an HMAC keyed with the PRK. Either state is as good as the
//! key. `hmac`'s `zeroize` feature wipes the block buffer, but the hash states wipe themselves
//! only with `sha2`'s own `zeroize` feature (`sha2::Sha256VarCore`'s `Drop` is empty without
//! it), which this crate's manifest now turns on.
//!
//! The upstream types do not declare `ZeroizeOnDrop` (hmac 0.13 does not implement it), so the
//! check is behavioural: the state is boxed, its bytes are copied while it lives, and a global
//! allocator copies the bytes of that block when it is freed, before handing it back to the
//! system allocator. No 8-byte word of the live state may survive in the freed block.
//!
//! The allocator needs `unsafe` (a `GlobalAlloc` and reading the boxed state's bytes): it is
//! `hybrid_kx_support::freed_memory`; the crate itself stays `#![forbid(unsafe_code)]`.

use hybrid_kx_support::freed_memory::{Recording, live_and_freed};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384};

#[global_allocator]
static ALLOCATOR: Recording = Recording;

/// Nonzero 8-byte words of the live state that are still in the freed block, at the same place.
fn surviving_words(live: &[u8], freed: &[u8]) -> usize {
    live.chunks_exact(8)
        .zip(freed.chunks_exact(8))
        .filter(|(l, f)| l.iter().any(|&b| b != 0) && l == f)
        .count()
}

fn assert_wiped<T>(what: &str, state: T) {
    let (live, freed) = live_and_freed(state);
    let nonzero = live
        .chunks_exact(8)
        .filter(|w| w.iter().any(|&b| b != 0))
        .count();
    assert!(
        nonzero >= 8,
        "{what}: the live state looks empty ({nonzero} words)"
    );
    let surviving = surviving_words(&live, &freed);
    assert_eq!(
        surviving, 0,
        "{what}: {surviving} of {nonzero} secret words survived the drop"
    );
}

#[test]
fn hmac_sha256_state_is_wiped_on_drop() {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&[0x5a; 32]).unwrap();
    mac.update(b"a partial block of the message");
    assert_wiped("Hmac<Sha256>", mac);
}

#[test]
fn hmac_sha384_state_is_wiped_on_drop() {
    let mut mac = <Hmac<Sha384> as KeyInit>::new_from_slice(&[0xa5; 48]).unwrap();
    mac.update(b"a partial block of the message");
    assert_wiped("Hmac<Sha384>", mac);
}

#[test]
fn hkdf_prk_state_is_wiped_on_drop() {
    assert_wiped(
        "Hkdf<Sha256>",
        hkdf::Hkdf::<Sha256>::from_prk(&[0x3c; 32]).unwrap(),
    );
    assert_wiped(
        "Hkdf<Sha384>",
        hkdf::Hkdf::<Sha384>::from_prk(&[0xc3; 48]).unwrap(),
    );
    let (_, extract) = hkdf::Hkdf::<Sha256>::extract(Some(b"salt"), &[0x77; 32]);
    assert_wiped("Hkdf<Sha256> from extract", extract);
}
