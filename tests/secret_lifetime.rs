//! Secret lifetime, checked in the memory itself: a boxed client state, shared secret or
//! key-schedule secret is dropped, and the block the allocator gets back must not hold the
//! secret bytes any more.
//!
//! A `ZeroizeOnDrop` bound proves nothing (it is a marker any type can implement), so this
//! test reads memory: a global allocator copies the watched block as it is freed, before handing
//! it back to the system allocator. The needles are the secret bytes in each representation a
//! backend may keep them in (as given, and as little-endian limbs of the big-endian EC scalar);
//! each check first confirms that the live value does hold the needle, so that it can fail.
//!
//! The allocator needs `unsafe` (a `GlobalAlloc` and reading the boxed value's bytes): it is
//! `hybrid_kx_support::freed_memory`; the crate itself stays `#![forbid(unsafe_code)]`.

use hybrid_kx::key_schedule::{EarlySecret, Sha256, Sha384, TranscriptHash};
use hybrid_kx::{Backend, Group, GroupVisitor, NamedGroup, SharedSecret};
use hybrid_kx_support::freed_memory::{Recording, live_and_freed};
use zeroize::Zeroize;

#[global_allocator]
static ALLOCATOR: Recording = Recording;

/// The 8-byte windows of `secret` (as given, and byte-reversed within each 8-byte limb of its
/// big-endian reading, as EC scalar limbs are stored) that are not all zero.
fn needles(secret: &[u8]) -> Vec<[u8; 8]> {
    let mut out = Vec::new();
    for chunk in secret.chunks_exact(8) {
        let window: [u8; 8] = chunk.try_into().unwrap();
        if window != [0; 8] {
            out.push(window);
            let mut reversed = window;
            reversed.reverse();
            out.push(reversed);
        }
    }
    out
}

fn holds(haystack: &[u8], needle: &[u8; 8]) -> bool {
    haystack.windows(8).any(|w| w == needle)
}

/// Checks that the freed block holds none of `secret`'s windows that the live value held, and
/// that the live value held at least one (so the check could fail). Returns how many windows
/// the live value held.
fn assert_wiped(what: &str, live: &[u8], freed: &[u8], secret: &[u8]) -> usize {
    let present: Vec<[u8; 8]> = needles(secret)
        .into_iter()
        .filter(|n| holds(live, n))
        .collect();
    assert!(
        !present.is_empty(),
        "{what}: the live value holds none of the secret's bytes; the check would be vacuous"
    );
    for needle in &present {
        let at = |hay: &[u8]| hay.windows(8).position(|w| w == needle);
        assert!(
            !holds(freed, needle),
            "{what}: secret bytes {needle:02x?} (secret offset {:?}, reversed {:?}) survived the \
             drop at offset {:?} of {}",
            at(secret),
            secret
                .windows(8)
                .position(|w| w.iter().rev().eq(needle.iter())),
            at(freed),
            freed.len()
        );
    }
    present.len()
}

/// A seed with no zero and no repeated 8-byte window, distinct per group and backend.
fn seed_of(len: usize, tag: u8) -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ u64::from(tag);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[3] | 1
        })
        .collect()
}

/// The client state of `G` on each usable backend: the seed (ML-KEM `d ‖ z`, EC scalars) must be
/// gone from the freed block.
struct ClientStateWiped(Backend, u8);

impl GroupVisitor for ClientStateWiped {
    type Output = usize;
    fn visit<G: Group>(self) -> usize {
        let Self(backend, tag) = self;
        let mut seed = G::ClientSeed::default_seed();
        let bytes = seed_of(seed.as_ref().len(), tag);
        seed.as_mut().copy_from_slice(&bytes);
        let (_, state) = G::generate_key_share_from_seed_on(backend, &seed)
            .unwrap_or_else(|e| panic!("{} on {backend}: {e}", G::NAME));
        let (live, freed) = live_and_freed(state);
        assert_wiped(
            &format!("{} client state on {backend}", G::NAME),
            &live,
            &freed,
            seed.as_ref(),
        )
    }
}

/// `ByteArray::zeroed` under a name that says why it is used here.
trait DefaultSeed {
    fn default_seed() -> Self;
}

impl<T: hybrid_kx::ByteArray> DefaultSeed for T {
    fn default_seed() -> Self {
        T::zeroed()
    }
}

#[test]
fn client_states_leave_no_seed_bytes_in_freed_memory() {
    let mut checked = 0;
    for (tag, group) in (1u8..).zip(NamedGroup::ALL) {
        for &backend in Backend::ALL {
            if let Some(reason) = backend.unusable_reason() {
                eprintln!("{group}: SKIPPED backend {backend}: {reason}");
                continue;
            }
            let held = group.visit(ClientStateWiped(backend, tag));
            eprintln!("{group} on {backend}: {held} secret windows held live, none after drop");
            checked += 1;
        }
    }
    assert!(checked >= NamedGroup::ALL.len());
}

#[test]
fn shared_secrets_leave_no_bytes_in_freed_memory() {
    for &group in NamedGroup::ALL {
        let client_seed = seed_of(group.client_seed_len(), 0x40);
        let server_seed = seed_of(group.server_seed_len(), 0x41);
        let (share, _) = group.generate_key_share_from_seed(&client_seed).unwrap();
        let (_, secret) = group
            .encapsulate_from_seed(share.as_bytes(), &server_seed)
            .unwrap();
        let bytes = secret.as_bytes().to_vec();
        let (live, freed) = live_and_freed::<SharedSecret>(secret);
        assert_wiped(&format!("{group} shared secret"), &live, &freed, &bytes);
    }
}

#[test]
fn key_schedule_secrets_leave_no_bytes_in_freed_memory() {
    let shared = seed_of(64, 0x50);
    let transcript = TranscriptHash::<Sha256>::of_messages(&[b"ClientHello", b"ServerHello"]);
    let handshake = EarlySecret::<Sha256>::new(None).into_handshake_secret(Some(&shared));
    let traffic = handshake.client_handshake_traffic_secret(&transcript);
    let bytes = traffic.as_bytes().to_vec();
    let (live, freed) = live_and_freed(traffic);
    assert_wiped("client_handshake_traffic_secret", &live, &freed, &bytes);

    let transcript = TranscriptHash::<Sha384>::of_messages(&[b"ClientHello", b"ServerHello"]);
    let master = EarlySecret::<Sha384>::new(None)
        .into_handshake_secret(Some(&shared))
        .into_master_secret();
    let application = master.client_application_traffic_secret_0(&transcript);
    let bytes = application.as_bytes().to_vec();
    let (live, freed) = live_and_freed(application);
    assert_wiped("client_application_traffic_secret_0", &live, &freed, &bytes);
    let key = master
        .client_application_traffic_secret_0(&transcript)
        .traffic_key(32)
        .unwrap();
    let bytes = key.as_bytes().to_vec();
    let (live, freed) = live_and_freed(key);
    assert_wiped("traffic key", &live, &freed, &bytes);
}

#[test]
fn explicit_zeroize_clears_the_shared_secret_bytes() {
    for seed_byte in 1..=4u8 {
        let (share, state) =
            hybrid_kx::X25519MLKEM768::generate_key_share_from_seed(&[seed_byte; 96]).unwrap();
        let (server_share, mut server_secret) =
            hybrid_kx::X25519MLKEM768::encapsulate_from_seed(&share, &[seed_byte; 64]).unwrap();
        let mut client_secret = state.complete(&server_share).unwrap();
        assert!(client_secret.as_bytes().iter().any(|&b| b != 0));
        client_secret.zeroize();
        server_secret.zeroize();
        assert_eq!(client_secret.as_bytes(), &[0u8; 64][..]);
        assert_eq!(server_secret.as_bytes(), &[0u8; 64][..]);
    }
}

#[test]
fn explicit_zeroize_clears_key_schedule_secrets() {
    let ikm = [9u8; 64];
    let hs = EarlySecret::<Sha256>::new(None).into_handshake_secret(Some(&ikm));
    let th = TranscriptHash::<Sha256>::of_messages(&[b"ClientHello", b"ServerHello"]);
    let mut traffic = hs.client_handshake_traffic_secret(&th);
    let mut key = traffic.traffic_key(16).unwrap();
    assert!(traffic.as_bytes().iter().any(|&b| b != 0));
    traffic.zeroize();
    key.zeroize();
    assert!(traffic.as_bytes().iter().all(|&b| b == 0));
    assert!(key.as_bytes().iter().all(|&b| b == 0));
}
