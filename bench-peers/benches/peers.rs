//! hybrid-kx against independent implementations and rustls's own groups, in the same run (so
//! the ratios hold on a noisy machine):
//!
//! - `peers/exchange/X25519MLKEM768/*`: the full exchange on hybrid-kx (fastest backends),
//!   aws-lc-rs, graviola, libcrux-ml-kem + graviola, libcrux-ml-kem + x25519-dalek, ml-kem +
//!   x25519-dalek;
//! - `peers/ML-KEM-768/{keygen,encapsulate,decapsulate}/*` and `peers/X25519/dh/*`: single
//!   operations, hybrid-kx on each of its backends next to the libraries called directly;
//! - `peers/handshake/*`: a whole rustls TLS 1.3 handshake in memory on the aws-lc-rs base
//!   provider, with hybrid-kx's groups, rustls's native aws-lc-rs groups, and X25519 alone; the
//!   bytes of each flight go to `target/criterion/wire-bytes.json`.
//!
//! ```sh
//! cargo bench -p hybrid-kx-bench-peers --bench peers
//! ```

use std::hint::black_box;
use std::io::Write;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hybrid_kx::Backend;
use hybrid_kx::components::mlkem::MlKem768;
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::components::{Component, Primitive, ServerStep};
use hybrid_kx::pool::{KeySharePool, PooledKxGroup};
use hybrid_kx_bench_peers::{
    MlKem768Fixture, Wire, aws_lc_rs_provider, configs, exchange, handshake,
};
use hybrid_kx_support::tls::Identity;
use rustls::crypto::CryptoProvider;
use rustls::crypto::aws_lc_rs as rustls_aws_lc_rs;

fn full_exchange(c: &mut Criterion) {
    let mut g = c.benchmark_group("peers/exchange/X25519MLKEM768");
    for (name, f) in exchange::ALL {
        g.bench_function(name, |b| b.iter(f));
    }
    g.finish();
}

fn mlkem768(c: &mut Criterion) {
    let MlKem768Fixture {
        seed, m, ek, ct, ..
    } = MlKem768Fixture::portable();
    let backends: Vec<Backend> = Backend::ALL
        .iter()
        .copied()
        .filter(|b| MlKem768::supports(*b))
        .collect();

    let mut g = c.benchmark_group("peers/ML-KEM-768/keygen");
    for &backend in &backends {
        g.bench_function(format!("hybrid-kx[{backend}]"), |b| {
            let mut share = [0u8; 1184];
            b.iter(|| {
                MlKem768::client_keygen_system(Some(backend), black_box(&seed), &mut share).unwrap()
            })
        });
    }
    g.bench_function("aws-lc-rs", |b| {
        use aws_lc_rs::kem::{DecapsulationKey, ML_KEM_768};
        b.iter(|| {
            let dk = DecapsulationKey::generate(&ML_KEM_768).unwrap();
            let ek = dk.encapsulation_key().unwrap().key_bytes().unwrap();
            (dk, ek)
        })
    });
    g.bench_function("graviola", |b| {
        use graviola::key_agreement::mlkem768::DecapKey;
        b.iter(|| {
            let dk = DecapKey::keygen_internal(black_box(&seed));
            let ek = dk.encapsulation_key().as_bytes();
            (dk, ek)
        })
    });
    g.bench_function("libcrux-ml-kem", |b| {
        b.iter(|| libcrux_ml_kem::mlkem768::generate_key_pair(black_box(seed)))
    });
    g.bench_function("ml-kem", |b| {
        use ml_kem::{DecapsulationKey, KeyExport, Seed};
        b.iter(|| {
            let dk = DecapsulationKey::<ml_kem::MlKem768>::from_seed(Seed::from(black_box(seed)));
            let ek = dk.encapsulation_key().to_bytes();
            (dk, ek)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("peers/ML-KEM-768/encapsulate");
    for &backend in &backends {
        g.bench_function(format!("hybrid-kx[{backend}]"), |b| {
            let (mut share, mut secret) = ([0u8; 1088], [0u8; 32]);
            b.iter(|| {
                MlKem768::server_respond_system(
                    Some(backend),
                    ServerStep {
                        seed: &m,
                        client_share: black_box(&ek),
                        share: &mut share,
                        secret: &mut secret,
                    },
                )
                .unwrap()
            })
        });
    }
    g.bench_function("aws-lc-rs", |b| {
        use aws_lc_rs::kem::{EncapsulationKey, ML_KEM_768};
        b.iter(|| {
            EncapsulationKey::new(&ML_KEM_768, black_box(&ek))
                .unwrap()
                .encapsulate()
                .unwrap()
        })
    });
    g.bench_function("graviola", |b| {
        use graviola::key_agreement::mlkem768::{EncapKey, Message};
        b.iter(|| {
            EncapKey::from_bytes(black_box(&ek))
                .unwrap()
                .encaps_internal(Message(m))
        })
    });
    g.bench_function("libcrux-ml-kem", |b| {
        use libcrux_ml_kem::mlkem768;
        b.iter(|| {
            let pk = mlkem768::MlKem768PublicKey::from(black_box(&ek));
            assert!(mlkem768::validate_public_key(&pk));
            mlkem768::encapsulate(&pk, m)
        })
    });
    g.bench_function("ml-kem", |b| {
        use ml_kem::{B32, EncapsulationKey};
        let ek_array = ml_kem::array::Array::from(ek);
        b.iter(|| {
            EncapsulationKey::<ml_kem::MlKem768>::new(black_box(&ek_array))
                .unwrap()
                .encapsulate_deterministic(&B32::from(m))
        })
    });
    g.finish();

    let mut g = c.benchmark_group("peers/ML-KEM-768/decapsulate");
    for &backend in &backends {
        let state = MlKem768::client_keygen_system(Some(backend), &seed, &mut [0u8; 1184]).unwrap();
        g.bench_function(format!("hybrid-kx[{backend}]"), |b| {
            let mut secret = [0u8; 32];
            b.iter(|| MlKem768::client_complete(&state, black_box(&ct), &mut secret).unwrap())
        });
    }
    g.bench_function("aws-lc-rs", |b| {
        use aws_lc_rs::kem::{DecapsulationKey, EncapsulationKey, ML_KEM_768};
        let dk = DecapsulationKey::generate(&ML_KEM_768).unwrap();
        let ek_bytes = dk.encapsulation_key().unwrap().key_bytes().unwrap();
        let (ct, _) = EncapsulationKey::new(&ML_KEM_768, ek_bytes.as_ref())
            .unwrap()
            .encapsulate()
            .unwrap();
        let ct = ct.as_ref().to_vec();
        b.iter(|| dk.decapsulate(black_box(&ct[..]).into()).unwrap())
    });
    g.bench_function("graviola", |b| {
        use graviola::key_agreement::mlkem768::{Ciphertext, DecapKey};
        let dk = DecapKey::keygen_internal(&seed);
        b.iter(|| dk.decaps_internal(&Ciphertext::from(black_box(ct))))
    });
    g.bench_function("libcrux-ml-kem", |b| {
        use libcrux_ml_kem::mlkem768;
        let pair = mlkem768::generate_key_pair(seed);
        b.iter(|| {
            mlkem768::decapsulate(
                pair.private_key(),
                &mlkem768::MlKem768Ciphertext::from(black_box(&ct)),
            )
        })
    });
    g.bench_function("ml-kem", |b| {
        use ml_kem::{Decapsulate, DecapsulationKey, Seed};
        let dk = DecapsulationKey::<ml_kem::MlKem768>::from_seed(Seed::from(seed));
        let ct_array = ml_kem::array::Array::from(ct);
        b.iter(|| dk.decapsulate(black_box(&ct_array)))
    });
    g.finish();
}

fn x25519(c: &mut Criterion) {
    let scalar = [0x42u8; 32];
    let mut peer = [0u8; 32];
    X25519::client_keygen(Some(Backend::Portable), &[0x24; 32], &mut peer).unwrap();

    let mut g = c.benchmark_group("peers/X25519/dh");
    for backend in Backend::ALL
        .iter()
        .copied()
        .filter(|b| X25519::supports(*b))
    {
        let state = X25519::client_keygen(Some(backend), &scalar, &mut [0u8; 32]).unwrap();
        g.bench_function(format!("hybrid-kx[{backend}]"), |b| {
            let mut secret = [0u8; 32];
            b.iter(|| X25519::client_complete(&state, black_box(&peer), &mut secret).unwrap())
        });
    }
    g.bench_function("aws-lc-rs", |b| {
        use aws_lc_rs::agreement::{PrivateKey, UnparsedPublicKey, X25519, agree};
        let key = PrivateKey::from_private_key(&X25519, &scalar).unwrap();
        b.iter(|| {
            agree(
                &key,
                UnparsedPublicKey::new(&X25519, black_box(&peer)),
                (),
                |dh| Ok(<[u8; 32]>::try_from(dh).unwrap()),
            )
            .unwrap()
        })
    });
    g.bench_function("graviola", |b| {
        use graviola::key_agreement::x25519::{PublicKey, StaticPrivateKey};
        let key = StaticPrivateKey::from_array(&scalar);
        b.iter(|| {
            key.diffie_hellman(&PublicKey::from_array(black_box(&peer)))
                .unwrap()
                .0
        })
    });
    g.bench_function("x25519-dalek", |b| {
        use x25519_dalek::{PublicKey, StaticSecret};
        let key = StaticSecret::from(scalar);
        b.iter(|| {
            *key.diffie_hellman(&PublicKey::from(black_box(peer)))
                .as_bytes()
        })
    });
    g.finish();
}

/// rustls handshakes in memory on the aws-lc-rs base, each configuration with its own groups;
/// hybrid-kx's also run the TLS 1.3 key schedule through hybrid-kx's HKDF
/// ([`aws_lc_rs_provider`]).
fn handshakes(c: &mut Criterion) {
    use hybrid_kx::rustls as hkx;
    use rustls_aws_lc_rs::kx_group as native;
    let identity = Identity::generate().unwrap();
    let pool = PooledKxGroup::leak(KeySharePool::new(hybrid_kx::NamedGroup::X25519MLKEM768, 8));

    // (name, client provider, server provider)
    let providers: Vec<(&str, CryptoProvider, CryptoProvider)> = vec![
        (
            "hybrid-kx X25519MLKEM768",
            aws_lc_rs_provider(true, vec![hkx::X25519MLKEM768, native::X25519]),
            aws_lc_rs_provider(true, vec![hkx::X25519MLKEM768, native::X25519]),
        ),
        (
            "rustls aws-lc-rs X25519MLKEM768",
            aws_lc_rs_provider(false, vec![native::X25519MLKEM768, native::X25519]),
            aws_lc_rs_provider(false, vec![native::X25519MLKEM768, native::X25519]),
        ),
        (
            "rustls aws-lc-rs X25519",
            aws_lc_rs_provider(false, vec![native::X25519]),
            aws_lc_rs_provider(false, vec![native::X25519]),
        ),
        (
            "hybrid-kx X25519MLKEM768, client key-share pool",
            aws_lc_rs_provider(true, vec![pool, native::X25519]),
            aws_lc_rs_provider(true, vec![hkx::X25519MLKEM768, native::X25519]),
        ),
        (
            "hybrid-kx SecP256r1MLKEM768",
            aws_lc_rs_provider(true, vec![hkx::SECP256R1MLKEM768]),
            aws_lc_rs_provider(true, vec![hkx::SECP256R1MLKEM768]),
        ),
        (
            "rustls aws-lc-rs SecP256r1MLKEM768",
            aws_lc_rs_provider(false, vec![native::SECP256R1MLKEM768]),
            aws_lc_rs_provider(false, vec![native::SECP256R1MLKEM768]),
        ),
        (
            "hybrid-kx SecP384r1MLKEM1024",
            aws_lc_rs_provider(true, vec![hkx::SECP384R1MLKEM1024]),
            aws_lc_rs_provider(true, vec![hkx::SECP384R1MLKEM1024]),
        ),
        (
            "hybrid-kx MLKEM768",
            aws_lc_rs_provider(true, vec![hkx::MLKEM768]),
            aws_lc_rs_provider(true, vec![hkx::MLKEM768]),
        ),
        (
            "rustls aws-lc-rs MLKEM768",
            aws_lc_rs_provider(false, vec![native::MLKEM768]),
            aws_lc_rs_provider(false, vec![native::MLKEM768]),
        ),
        (
            "hybrid-kx MLKEM1024",
            aws_lc_rs_provider(true, vec![hkx::MLKEM1024]),
            aws_lc_rs_provider(true, vec![hkx::MLKEM1024]),
        ),
        (
            "rustls aws-lc-rs MLKEM1024",
            aws_lc_rs_provider(false, vec![native::MLKEM1024]),
            aws_lc_rs_provider(false, vec![native::MLKEM1024]),
        ),
    ];

    let mut wires: Vec<(&str, Wire)> = Vec::new();
    let mut g = c.benchmark_group("peers/handshake/aws-lc-rs base");
    for (name, client, server) in providers {
        let (client, server) = configs(&identity, client, server);
        wires.push((name, handshake(&client, &server)));
        if name.contains("pool") {
            // Let the pool refill between handshakes (outside the measurement), so each
            // measured handshake takes a ready key pair.
            g.bench_function(name, |b| {
                b.iter_batched(
                    || {
                        while pool.pool().available() == 0 {
                            std::thread::sleep(Duration::from_micros(20));
                        }
                    },
                    |()| handshake(&client, &server),
                    BatchSize::PerIteration,
                )
            });
        } else {
            g.bench_function(name, |b| b.iter(|| handshake(&client, &server)));
        }
    }
    g.finish();
    write_wire(&wires);
}

/// `target/criterion/wire-bytes.json` (or under `CARGO_TARGET_DIR`), and a table on stderr.
fn write_wire(wires: &[(&str, Wire)]) {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_owned());
    let dir = std::path::Path::new(&target).join("criterion");
    std::fs::create_dir_all(&dir).unwrap();
    let mut json = String::from("[\n");
    for (i, (name, w)) in wires.iter().enumerate() {
        json += &format!(
            "  {{\"config\": \"{name}\", \"group\": {}, \"client_key_shares\": {}, \
             \"server_key_share\": {}, \"client_hello\": {}, \"server_flight\": {}, \
             \"client_finished\": {}}}{}\n",
            w.group,
            w.client_key_shares,
            w.server_key_share,
            w.client_hello,
            w.server_flight,
            w.client_finished,
            if i + 1 < wires.len() { "," } else { "" }
        );
        eprintln!("wire {name}: {w:?}");
    }
    json += "]\n";
    std::fs::File::create(dir.join("wire-bytes.json"))
        .and_then(|mut f| f.write_all(json.as_bytes()))
        .unwrap();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = full_exchange, mlkem768, x25519, handshakes
}
criterion_main!(benches);
