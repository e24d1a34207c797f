//! dudect (Reparaz, Balasch, Verbauwhede 2017): a statistical timing test, run by hand with
//! `bash ct/dudect.sh` (add `--continuous NAME` to run one test
//! until interrupted). Each test times two input classes through the public API; a |t| that
//! stays below ~5 over millions of samples means no timing difference was detected.
//!
//! - `mlkem768_decaps`: one fixed client state, valid ciphertexts (Left) vs random ciphertexts
//!   that take FIPS 203's implicit-rejection path (Right).
//! - `x25519_dh`: one fixed public key, a fixed scalar (Left) vs random scalars (Right).
//! - `x25519mlkem768_complete`: the whole client completion, valid vs random ML-KEM ciphertexts.

use std::cell::RefCell;

use dudect_bencher::rand::{Rng, RngCore};
use dudect_bencher::{BenchRng, Class, CtRunner, ctbench_main};
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::components::{Component, ServerStep};
use hybrid_kx::{Group, MLKEM768, X25519MLKEM768};

const SAMPLES: usize = 20_000;

/// `SAMPLES` inputs, each of a class drawn at random and made by `input` for that class
/// (dudect interleaves the two classes so that drift in the machine hits both alike).
fn random_class_inputs<T>(
    rng: &mut BenchRng,
    mut input: impl FnMut(Class, &mut BenchRng) -> T,
) -> Vec<(Class, T)> {
    (0..SAMPLES)
        .map(|_| {
            let class = if rng.r#gen::<bool>() {
                Class::Left
            } else {
                Class::Right
            };
            (class, input(class, rng))
        })
        .collect()
}

/// `N` random bytes.
fn random_bytes<const N: usize>(rng: &mut BenchRng) -> [u8; N] {
    let mut bytes = [0u8; N];
    rng.fill_bytes(&mut bytes);
    bytes
}

fn mlkem768_decaps(runner: &mut CtRunner, rng: &mut BenchRng) {
    let seed: [u8; 64] = random_bytes(rng);
    let (ek, _) = MLKEM768::generate_key_share_from_seed(&seed).unwrap();
    let inputs = random_class_inputs(rng, |class, rng| match class {
        Class::Left => {
            let m: [u8; 32] = random_bytes(rng);
            MLKEM768::encapsulate_from_seed(&ek, &m).unwrap().0
        }
        Class::Right => random_bytes::<1088>(rng),
    });
    time_completions::<MLKEM768>(runner, &seed, inputs);
}

fn x25519_dh(runner: &mut CtRunner, rng: &mut BenchRng) {
    let public: [u8; 32] = random_bytes(rng);
    let fixed: [u8; 32] = random_bytes(rng);
    let inputs = random_class_inputs(rng, |class, rng| match class {
        Class::Left => fixed,
        Class::Right => random_bytes(rng),
    });
    for (class, scalar) in inputs {
        runner.run_one(class, || {
            let (mut share, mut secret) = ([0u8; 32], [0u8; 32]);
            let step = ServerStep {
                seed: &scalar,
                client_share: &public,
                share: &mut share,
                secret: &mut secret,
            };
            X25519::server_respond(None, step).map(|()| secret[0])
        });
    }
}

fn x25519mlkem768_complete(runner: &mut CtRunner, rng: &mut BenchRng) {
    let seed: [u8; 96] = random_bytes(rng);
    let (client_share, _) = X25519MLKEM768::generate_key_share_from_seed(&seed).unwrap();
    let inputs = random_class_inputs(rng, |class, rng| {
        let server_seed: [u8; 64] = random_bytes(rng);
        let mut share = X25519MLKEM768::encapsulate_from_seed(&client_share, &server_seed)
            .unwrap()
            .0;
        if matches!(class, Class::Right) {
            rng.fill_bytes(&mut share[..1088]);
        }
        share
    });
    time_completions::<X25519MLKEM768>(runner, &seed, inputs);
}

/// Times `G`'s client completion of each input's server share, from a fresh state per sample
/// (completion consumes it); key generation from `seed` is outside the timing.
fn time_completions<G: Group>(
    runner: &mut CtRunner,
    seed: &G::ClientSeed,
    inputs: Vec<(Class, impl AsRef<[u8]>)>,
) {
    for (class, server_share) in inputs {
        let (_, state) = G::generate_key_share_from_seed(seed).unwrap();
        let state = RefCell::new(Some(state));
        runner.run_one(class, || {
            let state = state.borrow_mut().take().unwrap();
            state
                .complete(server_share.as_ref())
                .map(|k| k.as_bytes()[0])
        });
    }
}

ctbench_main!(mlkem768_decaps, x25519_dh, x25519mlkem768_complete);
