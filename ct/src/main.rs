//! Constant-time harness: every secret-handling operation of hybrid-kx runs with its secret
//! inputs marked undefined for valgrind memcheck, and only its public outputs marked defined
//! again. Under `valgrind --error-exitcode=1` any branch or memory index on secret data fails the
//! run. `ct-harness control` branches on a secret byte on purpose: it must be reported, which
//! proves the harness can fail. See `ct/run.sh` for the CI invocation.

mod valgrind;

use hybrid_kx::components::{Component, KeyMemory, KeyView};
use hybrid_kx::key_schedule::{EarlySecret, Sha256, Sha384, TranscriptHash};
use hybrid_kx::{Backend, ByteArray, ClientState, Group, GroupVisitor, NamedGroup, SharedSecret};
use valgrind::{public, secret};
use zeroize::Zeroize;

/// Deterministic "random" bytes (the harness needs reproducible runs, not entropy).
fn bytes<const N: usize>(tag: u8) -> [u8; N] {
    let mut out = [0u8; N];
    let mut x = u32::from(tag).wrapping_mul(0x9e37_79b9) | 1;
    for b in &mut out {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    out
}

/// Marks or unmarks one region of key memory.
fn mark(memory: &KeyMemory<'_>, how: fn(&[u8]), how_object: fn(&dyn std::any::Any)) {
    match memory {
        KeyMemory::Object(object) => how_object(*object),
        KeyMemory::Bytes(bytes) => how(bytes),
    }
}

/// Marks a client state secret where it is: each primitive's key object, whichever backend
/// holds it (`Component::keys`, feature `hazmat`), then makes public again the public values
/// that object holds (an ML-KEM key's encapsulation key: public by FIPS 203, the client's
/// share, whose matrix seed rho drives the public rejection sampling of `A` during
/// re-encryption). The enum tags saying which backend holds a key, and the public shares kept
/// beside the keys, are public and stay defined. graviola keeps `ek`, `H(ek)` and the expanded
/// matrix in private fields, so its whole key stays marked secret, a stricter check
/// (decapsulation only does arithmetic on them).
fn mark_secret<G: Group>(state: &ClientState<G>) {
    G::Kx::keys(state.component_state(), &mut |key: KeyView<'_>| {
        mark(&key.secret, secret::<[u8]>, secret::<dyn std::any::Any>);
        if let Some(public_part) = &key.public {
            mark(public_part, public::<[u8]>, public::<dyn std::any::Any>);
        }
    });
}

/// Client key generation: the seed (ML-KEM d ‖ z, EC scalar) is secret; the share is public.
fn keygen<G: Group>(backend: Backend) {
    let mut seed = G::ClientSeed::zeroed();
    seed.as_mut()
        .copy_from_slice(&bytes::<112>(1)[..G::ClientSeed::LEN]);
    secret(seed.as_ref());
    let result = G::generate_key_share_from_seed_on(backend, &seed);
    public(&result.is_ok()); // validity of the scalar: public by construction of the RNG loop
    let (share, state) = result.expect("valid seed");
    public(share.as_ref());
    drop(state); // zeroization runs on secret memory
    seed.zeroize();
}

/// Server encapsulation: the server's randomness (ML-KEM m, EC scalar) is secret; the client's
/// share is public; the server's share is public, the shared secret stays secret until the end.
fn encapsulate<G: Group>(backend: Backend) {
    let (client_share, _) =
        G::generate_key_share_from_seed_on(backend, &seeded::<G>(2)).expect("seed");
    let mut seed = G::ServerSeed::zeroed();
    seed.as_mut()
        .copy_from_slice(&bytes::<80>(3)[..G::ServerSeed::LEN]);
    secret(seed.as_ref());
    let result = G::encapsulate_from_seed_on(backend, client_share.as_ref(), &seed);
    public(&result.is_ok());
    let (share, shared) = result.expect("valid share");
    public(share.as_ref());
    key_schedule_from(&shared);
}

fn seeded<G: Group>(tag: u8) -> G::ClientSeed {
    let mut seed = G::ClientSeed::zeroed();
    seed.as_mut()
        .copy_from_slice(&bytes::<112>(tag)[..G::ClientSeed::LEN]);
    seed
}

/// Client completion with a valid ciphertext and with a random one (ML-KEM implicit
/// rejection): the whole client state is secret except its public parts.
fn complete<G: Group>(backend: Backend) {
    for valid in [true, false] {
        let (client_share, state) =
            G::generate_key_share_from_seed_on(backend, &seeded::<G>(4)).expect("seed");
        let (mut server_share, _) =
            G::encapsulate_from_seed_on(backend, client_share.as_ref(), &G::ServerSeed::zeroed())
                .or_else(|_| {
                    let mut s = G::ServerSeed::zeroed();
                    s.as_mut().fill(1);
                    G::encapsulate_from_seed_on(backend, client_share.as_ref(), &s)
                })
                .expect("encapsulate");
        if !valid {
            // Replace the ML-KEM ciphertext bytes (not the EC point) with other bytes.
            let ct_range = match G::CODEPOINT {
                0x11EC => 0..1088,
                0x11EB => 65..65 + 1088,
                0x11ED => 97..97 + 1568,
                _ => 0..G::SERVER_SHARE_LEN,
            };
            let noise = bytes::<1568>(5);
            let len = ct_range.len();
            server_share.as_mut()[ct_range].copy_from_slice(&noise[..len]);
        }
        mark_secret(&state);
        // The component's completion, which `ClientState::complete` runs after checking the
        // share's (public) length; by reference, so that the state's drop (zeroization, and
        // ml-kem's public `Option` discriminant test) happens in its own drop glue below rather
        // than inlined into `complete`.
        let mut shared = [0u8; 80];
        let shared = &mut shared[..G::SHARED_SECRET_LEN];
        let result = G::Kx::client_complete(state.component_state(), server_share.as_ref(), shared);
        public(&result.is_ok());
        result.expect("completion");
        drop(state);
        key_schedule_bytes(shared);
        shared.zeroize();
    }
}

/// The key schedule from the shared secret to traffic keys and Finished, both hashes: the
/// shared secret is secret, the transcript hashes public.
fn key_schedule_from(shared: &SharedSecret) {
    key_schedule_bytes(shared.as_bytes());
}

fn key_schedule_bytes(shared: &[u8]) {
    secret(shared);
    let transcript = [7u8; 100];
    let hs = EarlySecret::<Sha256>::new(None).into_handshake_secret(Some(shared));
    let th = TranscriptHash::<Sha256>::of_messages(&[&transcript]);
    let c = hs.client_handshake_traffic_secret(&th);
    let key = c.traffic_key(16).expect("key");
    let iv = c.traffic_iv(12).expect("iv");
    let fin = c.finished_key().verify_data(&th);
    let master = hs.into_master_secret();
    let app = master
        .client_application_traffic_secret_0(&th)
        .next_generation();
    let app_key = app.traffic_key(32).expect("key");
    public(key.as_bytes());
    public(iv.as_bytes());
    public(fin.as_bytes());
    public(app_key.as_bytes());

    let hs = EarlySecret::<Sha384>::new(None).into_handshake_secret(Some(shared));
    let th = TranscriptHash::<Sha384>::of_messages(&[&transcript]);
    let s = hs.server_handshake_traffic_secret(&th);
    let key = s.traffic_key(32).expect("key");
    public(key.as_bytes());
    // Secrets compare in constant time (`==` is `ConstantTimeEq`): a second derivation of the
    // same traffic secret.
    let again = EarlySecret::<Sha384>::new(None)
        .into_handshake_secret(Some(shared))
        .server_handshake_traffic_secret(&th);
    let eq = s == again;
    public(&eq);
    assert!(eq);
}

/// X25519 and the all-zero check on their own: the component's server step with a secret
/// scalar against a public low-order point must reject without branching on the scalar.
fn x25519_zero_check(backend: Backend) {
    let scalar = bytes::<32>(6);
    secret(&scalar);
    let (mut share, mut out) = ([0u8; 32], [0u8; 32]);
    let low_order = [0u8; 32];
    let step = hybrid_kx::components::ServerStep {
        seed: &scalar,
        client_share: &low_order,
        share: &mut share,
        secret: &mut out,
    };
    let rejected = hybrid_kx::components::x25519::X25519::server_respond(Some(backend), step);
    public(&rejected.is_err());
    assert!(rejected.is_err());
    out.zeroize();
}

/// The control: a branch on a secret byte. memcheck must report it.
#[inline(never)]
fn control() {
    let byte = bytes::<1>(9);
    secret(&byte);
    if std::hint::black_box(byte[0]) & 1 == 1 {
        println!("control: odd");
    } else {
        println!("control: even");
    }
}

/// Every operation of every group that has a component on `backend` (its other components run
/// the portable reference), on `backend`.
fn all(backend: Backend) {
    println!("ct: backend {}", backend.name());
    /// The three operations of one group.
    struct Operations(Backend);
    impl GroupVisitor for Operations {
        type Output = ();
        fn visit<G: Group>(self) {
            let backend = self.0;
            println!("ct: {} keygen", G::NAME);
            keygen::<G>(backend);
            println!("ct: {} encapsulate + key schedule", G::NAME);
            encapsulate::<G>(backend);
            println!(
                "ct: {} complete (valid and implicitly rejected) + key schedule",
                G::NAME
            );
            complete::<G>(backend);
        }
    }
    for &group in NamedGroup::ALL {
        if backend == Backend::Portable || group.has_backend(backend) {
            group.visit(Operations(backend));
        }
    }
    if backend == Backend::Portable
        || <hybrid_kx::components::x25519::X25519 as Component>::has_backend(backend)
    {
        println!("ct: X25519 all-zero check");
        x25519_zero_check(backend);
    }
}

fn main() {
    if !valgrind::running_on_valgrind() {
        eprintln!("ct-harness: not running under valgrind; the checks are no-ops (see ct/run.sh)");
    }
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("all") => {
            let name = args.next().unwrap_or_else(|| "portable".to_owned());
            let backend = Backend::from_name(&name).unwrap_or_else(|| {
                eprintln!("unknown backend {name:?}");
                std::process::exit(2)
            });
            if !backend.is_usable() {
                eprintln!(
                    "ct-harness: backend {name} is not usable here (not compiled in, or this CPU cannot run it)"
                );
                std::process::exit(3);
            }
            all(backend);
        }
        Some("control") => control(),
        _ => {
            eprintln!("usage: ct-harness all [portable|libcrux|graviola] | control");
            std::process::exit(2);
        }
    }
}
