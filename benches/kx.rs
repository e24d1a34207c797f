//! Criterion benchmarks of hybrid-kx alone: every operation of every group, each component,
//! the key schedule, the full exchange next to the same operations called directly on `ml-kem` +
//! `x25519-dalek`, and the client's critical path with and without the key-share pool.
//!
//! ```sh
//! cargo bench --bench kx                                               # default backends
//! cargo bench --bench kx --features backend-graviola,backend-libcrux   # fastest backends
//! ```
//!
//! Benchmark ids start with the build's backend label (`portable`, `libcrux`, `graviola`,
//! `graviola+libcrux`), so both runs live side by side under `target/criterion/`;
//! `scripts/bench_report.py` turns them into the tables of `docs/benchmarks.md`. The comparisons
//! with aws-lc-rs, graviola and rustls's own groups are in `bench-peers/` (same run, heavy deps).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hybrid_kx::components::{Component, Primitive, PrimitiveVisitor, ServerStep, table};
use hybrid_kx::key_schedule::{EarlySecret, HashAlgorithm, Sha256, Sha384, TranscriptHash};
use hybrid_kx::pool::KeySharePool;
use hybrid_kx::{ByteArray, Group, GroupVisitor, NamedGroup, X25519MLKEM768};

/// The build's backend label: which features chose the ML-KEM / X25519 implementations.
const BUILD: &str = if cfg!(all(
    feature = "backend-graviola",
    feature = "backend-libcrux"
)) {
    "graviola+libcrux"
} else if cfg!(feature = "backend-graviola") {
    "graviola"
} else if cfg!(feature = "backend-libcrux") {
    "libcrux"
} else {
    "portable"
};

/// `+scrub-stack` when the build zeroes the stack after each operation (`hybrid_kx::scrub`).
const SCRUB: &str = if cfg!(feature = "scrub-stack") {
    "+scrub-stack"
} else {
    ""
};

fn seeded<A: ByteArray>(byte: u8) -> A {
    let mut a = A::zeroed();
    a.as_mut().fill(byte);
    a
}

/// Client key generation (from a seed and from the OS), server encapsulation, client completion
/// and the full exchange, for one group.
fn group_ops<G: Group>(c: &mut Criterion) {
    let name = G::NAME;
    let client_seed: G::ClientSeed = seeded(0x42);
    let server_seed: G::ServerSeed = seeded(0x24);
    let (client_share, _) = G::generate_key_share_from_seed(&client_seed).unwrap();
    let (server_share, _) = G::encapsulate_from_seed(client_share.as_ref(), &server_seed).unwrap();

    let mut g = c.benchmark_group(format!("{BUILD}{SCRUB}/ops/{name}"));
    g.bench_function("keygen-seed", |b| {
        b.iter(|| G::generate_key_share_from_seed(black_box(&client_seed)).unwrap())
    });
    g.bench_function("keygen-osrng", |b| {
        b.iter(|| G::generate_key_share().unwrap())
    });
    g.bench_function("encapsulate-seed", |b| {
        b.iter(|| {
            G::encapsulate_from_seed(black_box(client_share.as_ref()), black_box(&server_seed))
                .unwrap()
        })
    });
    g.bench_function("complete", |b| {
        b.iter_batched(
            || G::generate_key_share_from_seed(&client_seed).unwrap().1,
            |state| state.complete(black_box(server_share.as_ref())).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("exchange-osrng", |b| {
        b.iter(|| {
            let (share, state) = G::generate_key_share().unwrap();
            let (server_share, server_secret) = G::encapsulate(share.as_ref()).unwrap();
            let secret = state.complete(server_share.as_ref()).unwrap();
            assert!(secret == server_secret);
        })
    });
    g.finish();
}

/// The primitives alone, through the `Component` trait, on their preferred backends.
fn component<C: Primitive>(c: &mut Criterion) {
    let name = C::NAME;
    let client_seed = vec![0x42u8; C::CLIENT_SEED_LEN];
    let server_seed = vec![0x24u8; C::SERVER_SEED_LEN];
    let mut client_share = vec![0u8; C::CLIENT_SHARE_LEN];
    let mut server_share = vec![0u8; C::SERVER_SHARE_LEN];
    let mut secret = vec![0u8; C::SECRET_LEN];
    let state = C::client_keygen(None, &client_seed, &mut client_share).unwrap();
    let step = ServerStep {
        seed: &server_seed,
        client_share: &client_share,
        share: &mut server_share,
        secret: &mut secret,
    };
    C::server_respond(None, step).unwrap();

    let mut g = c.benchmark_group(format!("{BUILD}{SCRUB}/component/{name}"));
    g.bench_function("client-keygen", |b| {
        let mut share = vec![0u8; C::CLIENT_SHARE_LEN];
        b.iter(|| C::client_keygen(None, black_box(&client_seed), &mut share).unwrap())
    });
    g.bench_function("server-respond", |b| {
        let (mut share, mut out) = (vec![0u8; C::SERVER_SHARE_LEN], vec![0u8; C::SECRET_LEN]);
        b.iter(|| {
            let step = ServerStep {
                seed: black_box(&server_seed),
                client_share: black_box(&client_share),
                share: &mut share,
                secret: &mut out,
            };
            C::server_respond(None, step).unwrap()
        })
    });
    g.bench_function("client-complete", |b| {
        let mut out = vec![0u8; C::SECRET_LEN];
        b.iter(|| C::client_complete(&state, black_box(&server_share), &mut out).unwrap())
    });
    g.finish();
}

/// What `scrub-stack` costs, side by side in one run: X25519MLKEM768 key generation and
/// completion through the public API (scrubbed when the feature is on) and through its
/// composition's `Component` functions, which do the same work and are never scrubbed.
fn scrub_cost(c: &mut Criterion) {
    type Kx = <X25519MLKEM768 as Group>::Kx;
    let client_seed: <X25519MLKEM768 as Group>::ClientSeed = seeded(0x42);
    let server_seed: <X25519MLKEM768 as Group>::ServerSeed = seeded(0x24);
    let (client_share, _) = X25519MLKEM768::generate_key_share_from_seed(&client_seed).unwrap();
    let (server_share, _) =
        X25519MLKEM768::encapsulate_from_seed(client_share.as_ref(), &server_seed).unwrap();
    let mut share = [0u8; X25519MLKEM768::CLIENT_SHARE_LEN];
    let component_state = Kx::client_keygen(None, &client_seed, &mut share).unwrap();

    let mut g = c.benchmark_group(format!("{BUILD}{SCRUB}/scrub-cost/X25519MLKEM768"));
    g.bench_function("keygen public API", |b| {
        b.iter(|| X25519MLKEM768::generate_key_share_from_seed(black_box(&client_seed)).unwrap())
    });
    g.bench_function("keygen component", |b| {
        b.iter(|| Kx::client_keygen(None, black_box(&client_seed), &mut share).unwrap())
    });
    g.bench_function("complete public API", |b| {
        b.iter_batched(
            || {
                X25519MLKEM768::generate_key_share_from_seed(&client_seed)
                    .unwrap()
                    .1
            },
            |state| state.complete(black_box(server_share.as_ref())).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("complete component", |b| {
        let mut out = [0u8; X25519MLKEM768::SHARED_SECRET_LEN];
        b.iter(|| {
            Kx::client_complete(&component_state, black_box(server_share.as_ref()), &mut out)
                .unwrap()
        })
    });
    g.finish();
}

/// X25519MLKEM768 from seeds through hybrid-kx, and the same FIPS 203 / RFC 7748 operations
/// called directly on `ml-kem` + `x25519-dalek` (the target: at most 2 % apart on the portable
/// backends).
fn exchange_vs_direct(c: &mut Criterion) {
    use ml_kem::array::Array;
    use ml_kem::{B32, Decapsulate, DecapsulationKey, EncapsulationKey, KeyExport, Seed};
    use x25519_dalek::{PublicKey, StaticSecret};

    let client_seed: [u8; 96] = seeded(0x42);
    let server_seed: [u8; 64] = seeded(0x24);

    let mut g = c.benchmark_group(format!("{BUILD}{SCRUB}/exchange-seed/X25519MLKEM768"));
    g.bench_function("hybrid-kx", |b| {
        b.iter(|| {
            let (share, state) =
                X25519MLKEM768::generate_key_share_from_seed(black_box(&client_seed)).unwrap();
            let (server_share, server_secret) =
                X25519MLKEM768::encapsulate_from_seed(&share, black_box(&server_seed)).unwrap();
            let secret = state.complete(&server_share).unwrap();
            assert!(secret == server_secret);
        })
    });
    g.bench_function("direct ml-kem+x25519-dalek", |b| {
        b.iter(|| {
            let seed = black_box(&client_seed);
            // Client key generation.
            let dk = DecapsulationKey::<ml_kem::MlKem768>::from_seed(Seed::from(
                <[u8; 64]>::try_from(&seed[..64]).unwrap(),
            ));
            let ek_bytes = dk.encapsulation_key().to_bytes();
            let x_secret = StaticSecret::from(<[u8; 32]>::try_from(&seed[64..]).unwrap());
            let x_public = PublicKey::from(&x_secret);
            // Server: modulus check + encapsulation, X25519 key pair and DH.
            let s = black_box(&server_seed);
            let ek = EncapsulationKey::<ml_kem::MlKem768>::new(&ek_bytes).unwrap();
            let m = B32::from(<[u8; 32]>::try_from(&s[..32]).unwrap());
            let (ct, k_server) = ek.encapsulate_deterministic(&m);
            let x_server = StaticSecret::from(<[u8; 32]>::try_from(&s[32..]).unwrap());
            let x_server_public = PublicKey::from(&x_server);
            let dh_server = x_server.diffie_hellman(&x_public);
            // Client completion.
            let ct: &Array<u8, _> = &ct;
            let k_client = dk.decapsulate(ct);
            let dh_client = x_secret.diffie_hellman(&x_server_public);
            assert!(k_client == k_server && dh_client.as_bytes() == dh_server.as_bytes());
        })
    });
    g.finish();
}

/// One handshake's whole key schedule (no PSK): early, handshake and master secrets, both
/// handshake and application traffic secrets with their keys and IVs, both Finished MACs, the
/// exporter and resumption master secrets. Transcript hashes are given (hashing the messages is
/// the transcript's cost, not the key schedule's).
fn key_schedule_chain<H: HashAlgorithm>(shared_secret: &[u8]) -> usize {
    let h = |byte: u8| TranscriptHash::<H>::from_bytes(&vec![byte; H::HASH_LEN]).unwrap();
    let (ch_sh, ch_sf, ch_cf) = (h(1), h(2), h(3));
    let early = EarlySecret::<H>::new(None);
    let handshake = early.into_handshake_secret(Some(shared_secret));
    let c_hs = handshake.client_handshake_traffic_secret(&ch_sh);
    let s_hs = handshake.server_handshake_traffic_secret(&ch_sh);
    let mut n = c_hs.traffic_key(16).unwrap().len() + c_hs.traffic_iv(12).unwrap().len();
    n += s_hs.traffic_key(16).unwrap().len() + s_hs.traffic_iv(12).unwrap().len();
    n += s_hs.finished_key().verify_data(&ch_sh).as_bytes().len();
    n += c_hs.finished_key().verify_data(&ch_sf).as_bytes().len();
    let master = handshake.into_master_secret();
    let c_ap = master.client_application_traffic_secret_0(&ch_sf);
    let s_ap = master.server_application_traffic_secret_0(&ch_sf);
    n += c_ap.traffic_key(16).unwrap().len() + c_ap.traffic_iv(12).unwrap().len();
    n += s_ap.traffic_key(16).unwrap().len() + s_ap.traffic_iv(12).unwrap().len();
    n += master.exporter_master_secret(&ch_sf).as_bytes().len();
    n += master.resumption_master_secret(&ch_cf).as_bytes().len();
    n
}

fn key_schedule(c: &mut Criterion) {
    let mut g = c.benchmark_group(format!("{BUILD}{SCRUB}/key-schedule"));
    let secret = [7u8; 64];
    g.bench_function("handshake-SHA256", |b| {
        b.iter(|| key_schedule_chain::<Sha256>(black_box(&secret)))
    });
    g.bench_function("handshake-SHA384", |b| {
        b.iter(|| key_schedule_chain::<Sha384>(black_box(&secret)))
    });
    g.finish();
}

/// The client's handshake-path cost: key generation + completion without a pool; with one, the
/// hand-out (`pool-take`) and the completion of a pooled key (`pool-complete`), whose sum is the
/// critical path. Between iterations the pool is refilled and its thread idle, outside the
/// measurement: on this 2-vCPU machine a refill running concurrently would compete with the
/// measured thread, which a client with a spare core does not see.
fn client_critical_path(c: &mut Criterion) {
    const CAPACITY: usize = 8;
    for group in [NamedGroup::X25519MLKEM768, NamedGroup::MLKEM768] {
        let (share, _) = group.generate_key_share().unwrap();
        let (server_share, _) = group.encapsulate(share.as_bytes()).unwrap();
        let mut g = c.benchmark_group(format!("{BUILD}{SCRUB}/client-critical-path/{group}"));
        g.bench_function("no-pool", |b| {
            b.iter(|| {
                let (share, state) = group.generate_key_share().unwrap();
                black_box(share);
                state.complete(black_box(server_share.as_bytes())).unwrap()
            })
        });
        let pool = KeySharePool::new(group, CAPACITY);
        let wait_full = || {
            while pool.available() < CAPACITY {
                std::thread::sleep(Duration::from_micros(50));
            }
        };
        g.bench_function("pool-take", |b| {
            b.iter_batched(
                wait_full,
                |()| pool.take().unwrap(),
                BatchSize::PerIteration,
            )
        });
        g.bench_function("pool-complete", |b| {
            b.iter_batched(
                || {
                    let (_, state) = pool.take().unwrap();
                    wait_full();
                    state
                },
                |state| state.complete(black_box(server_share.as_bytes())).unwrap(),
                BatchSize::PerIteration,
            )
        });
        g.finish();
    }
}

/// Runs a benchmark function for a group or a primitive chosen at run time.
struct Bench<'c>(&'c mut Criterion);

impl GroupVisitor for Bench<'_> {
    type Output = ();
    fn visit<G: Group>(self) {
        group_ops::<G>(self.0);
    }
}

impl PrimitiveVisitor for Bench<'_> {
    type Output = ();
    fn visit<P: Primitive>(self) {
        component::<P>(self.0);
    }
}

fn groups(c: &mut Criterion) {
    for &group in NamedGroup::ALL {
        group.visit(Bench(c));
    }
}

fn components(c: &mut Criterion) {
    let mut index = 0;
    while table::visit(index, Bench(c)).is_some() {
        index += 1;
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = scrub_cost, exchange_vs_direct, groups, components, key_schedule, client_critical_path
}
criterion_main!(benches);
