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

use hybrid_kx::components::Component;
use hybrid_kx::key_schedule::{EarlySecret, Sha256, Sha384, TranscriptHash};
use hybrid_kx::{Backend, ByteArray, Group, GroupVisitor, NamedGroup, SharedSecret};
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

// ------------------------------------------------------------------ client states

/// One component's private key in every form a backend may keep it in: the seed itself, and
/// what is derived from it (ML-KEM's `z`, `dkPKE` as encoded and as decoded coefficients; an EC
/// scalar in both byte orders and in the Montgomery form of its limbs; the clamped X25519
/// scalar). Which forms a backend keeps is its business; the test requires that the live state
/// holds at least one of them (so the check can fail) and that the freed block holds none.
struct ComponentSecret {
    /// The primitive, as `NamedGroup::parts` names it.
    part: &'static str,
    /// (form, bytes).
    forms: Vec<(&'static str, Vec<u8>)>,
}

/// The seed bytes each primitive takes (FIPS 203 `d ‖ z`, SEC 1 scalar, RFC 7748 scalar).
fn seed_len(part: &str) -> usize {
    match part {
        "ML-KEM-512" | "ML-KEM-768" | "ML-KEM-1024" => 64,
        "X25519" | "P-256" => 32,
        "P-384" => 48,
        other => panic!("unknown part {other}"),
    }
}

/// FIPS 203 `ByteDecode_12` (section 4.2.1): the 12-bit coefficients of an encoded vector, as
/// little-endian 16-bit words (how a backend that keeps `ŝ` as `u16`/`i16` holds it).
fn decode12_le(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3 * 4);
    for b in bytes.chunks_exact(3) {
        let c0 = u16::from(b[0]) | (u16::from(b[1] & 0x0f) << 8);
        let c1 = u16::from(b[1] >> 4) | (u16::from(b[2]) << 4);
        out.extend_from_slice(&c0.to_le_bytes());
        out.extend_from_slice(&c1.to_le_bytes());
    }
    out
}

/// The ML-KEM parameter set's pure group, whose client state exports the expanded key.
fn mlkem_group(part: &str) -> NamedGroup {
    match part {
        "ML-KEM-512" => NamedGroup::MLKEM512,
        "ML-KEM-768" => NamedGroup::MLKEM768,
        _ => NamedGroup::MLKEM1024,
    }
}

/// `scalar` (big-endian) times R modulo the group order, big-endian, where R = 2^(64 limbs):
/// the Montgomery form RustCrypto's `p256`/`p384` keep a scalar in, computed with their
/// public scalar arithmetic (R as a product of 2^64 factors).
fn montgomery<S>(scalar: &[u8], limbs: usize) -> Vec<u8>
where
    S: p256::elliptic_curve::PrimeField + From<u64>,
{
    let mut repr = S::Repr::default();
    repr.as_mut().copy_from_slice(scalar);
    let a = S::from_repr(repr).expect("a valid scalar");
    let two_64 = S::from(1u64 << 63) * S::from(2u64);
    let mut r = S::ONE;
    for _ in 0..limbs {
        r *= two_64;
    }
    (a * r).to_repr().as_ref().to_vec()
}

fn reversed(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().rev().copied().collect()
}

/// Every component's secret forms for `group`'s client `seed` (components in wire order).
fn component_secrets(group: NamedGroup, seed: &[u8]) -> Vec<ComponentSecret> {
    let mut rest = seed;
    let mut out = Vec::new();
    for &part in group.parts() {
        let (own, tail) = rest.split_at(seed_len(part));
        rest = tail;
        let forms = match part {
            "X25519" => {
                let mut clamped = own.to_vec();
                clamped[0] &= 248;
                clamped[31] &= 127;
                clamped[31] |= 64;
                vec![("scalar", own.to_vec()), ("clamped scalar", clamped)]
            }
            "P-256" | "P-384" => {
                let mont = if part == "P-256" {
                    montgomery::<p256::Scalar>(own, 4)
                } else {
                    montgomery::<p384::Scalar>(own, 6)
                };
                vec![
                    ("big-endian scalar", own.to_vec()),
                    ("little-endian scalar", reversed(own)),
                    ("Montgomery limbs", reversed(&mont)),
                ]
            }
            _ => {
                // The expanded key `dkPKE ‖ ek ‖ H(ek) ‖ z` (FIPS 203 section 7.1) of this d ‖ z,
                // from the portable reference.
                let pure = mlkem_group(part);
                let (_, state) = pure
                    .generate_key_share_from_seed_on(Backend::Portable, own)
                    .unwrap();
                // Wiped when dropped, as any copy of a key should be.
                let mut dk = zeroize::Zeroizing::new(vec![0u8; pure.expanded_key_len().unwrap()]);
                state.expanded_key(&mut dk).unwrap();
                let dk_pke = &dk[..dk.len() - pure.client_share_len() - 64];
                vec![
                    ("seed d", own[..32].to_vec()),
                    ("z", own[32..].to_vec()),
                    ("dkPKE", dk_pke.to_vec()),
                    ("s-hat coefficients", decode12_le(dk_pke)),
                ]
            }
        };
        out.push(ComponentSecret { part, forms });
    }
    out
}

/// The client state of `G` on `backend` from a fixed seed: each component's secret forms must
/// be held live by at least one form and gone from the freed block. Returns, per component,
/// the forms found live, or `None` for a component whose key the backend keeps outside the
/// state (aws-lc-rs: in AWS-LC's own heap, behind a pointer, which this allocator never sees;
/// AWS-LC cleanses that memory when it frees it, `OPENSSL_free`).
struct ClientStateWiped(Backend, u8);

impl GroupVisitor for ClientStateWiped {
    type Output = Vec<(&'static str, Option<Vec<&'static str>>)>;
    fn visit<G: Group>(self) -> Self::Output {
        let Self(backend, tag) = self;
        let mut seed = G::ClientSeed::zeroed();
        let bytes = seed_of(seed.as_ref().len(), tag);
        seed.as_mut().copy_from_slice(&bytes);
        let group = NamedGroup::from_codepoint(G::CODEPOINT).unwrap();
        // On this thread, just before the state is built: copies of the key that the reference
        // key generation leaves on the stack must not reach the state's unwritten bytes (the
        // client key's variants have none; `components::key`).
        let components = component_secrets(group, &bytes);
        let (_, state) = G::generate_key_share_from_seed_on(backend, &seed)
            .unwrap_or_else(|e| panic!("{} on {backend}: {e}", G::NAME));
        // Where each component's key is held (a seeded ML-KEM key asked of aws-lc is on the
        // portable reference: aws-lc-rs takes no seed).
        let mut outside = Vec::new();
        G::Kx::keys(state.component_state(), &mut |key| {
            if key.backend == Backend::AwsLc {
                outside.push(key.primitive);
            }
        });
        let (live, freed) = live_and_freed(state);
        let mut found = Vec::new();
        for component in &components {
            if outside.contains(&component.part) {
                found.push((component.part, None));
                continue;
            }
            let what = format!(
                "{} client state on {backend}, its {}",
                G::NAME,
                component.part
            );
            let mut forms = Vec::new();
            let mut windows = 0;
            for (form, secret) in &component.forms {
                let held = needles(secret).iter().filter(|n| holds(&live, n)).count();
                if held > 0 {
                    assert_wiped(&format!("{what} ({form})"), &live, &freed, secret);
                    forms.push(*form);
                    windows += held;
                }
            }
            assert!(
                windows > 0,
                "{what}: the live state holds none of its secret's forms; the check would be \
                 vacuous (forms tried: {:?})",
                component.forms.iter().map(|(f, _)| f).collect::<Vec<_>>()
            );
            found.push((component.part, Some(forms)));
        }
        found
    }
}

#[test]
fn client_states_leave_no_key_bytes_in_freed_memory() {
    let (mut checked, mut skipped, mut outside) = (0, 0, 0);
    for (tag, group) in (1u8..).zip(NamedGroup::ALL) {
        for &backend in Backend::ALL {
            if let Some(reason) = backend.unusable_reason() {
                eprintln!("{group}: SKIPPED backend {backend}: {reason}");
                skipped += 1;
                continue;
            }
            for (part, forms) in group.visit(ClientStateWiped(backend, tag)) {
                match forms {
                    Some(forms) => {
                        eprintln!(
                            "{group} on {backend}: {part} held live as {forms:?}, none after drop"
                        );
                        checked += 1;
                    }
                    None => {
                        eprintln!(
                            "{group} on {backend}: SKIPPED {part}: its key is in AWS-LC's heap, \
                             outside the state this allocator sees"
                        );
                        outside += 1;
                    }
                }
            }
        }
    }
    eprintln!(
        "{checked} components checked, {outside} held outside the state (aws-lc), {skipped} \
         backend runs skipped (not usable here)"
    );
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
