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

fn mlkem768_decaps(runner: &mut CtRunner, rng: &mut BenchRng) {
    let mut seed = [0u8; 64];
    rng.fill_bytes(&mut seed);
    let (ek, _) = MLKEM768::generate_key_share_from_seed(&seed).unwrap();
    let mut inputs = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let class = if rng.r#gen::<bool>() {
            Class::Left
        } else {
            Class::Right
        };
        let ct = match class {
            Class::Left => {
                let mut m = [0u8; 32];
                rng.fill_bytes(&mut m);
                MLKEM768::encapsulate_from_seed(&ek, &m).unwrap().0
            }
            Class::Right => {
                let mut ct = [0u8; 1088];
                rng.fill_bytes(&mut ct);
                ct
            }
        };
        inputs.push((class, ct));
    }
    for (class, ct) in inputs {
        // A fresh state per sample (completion consumes it); key generation is outside the timing.
        let (_, state) = MLKEM768::generate_key_share_from_seed(&seed).unwrap();
        let state = RefCell::new(Some(state));
        runner.run_one(class, || {
            let state = state.borrow_mut().take().unwrap();
            state.complete(&ct).map(|k| k.as_bytes()[0])
        });
    }
}

fn x25519_dh(runner: &mut CtRunner, rng: &mut BenchRng) {
    let mut public = [0u8; 32];
    rng.fill_bytes(&mut public);
    let mut fixed = [0u8; 32];
    rng.fill_bytes(&mut fixed);
    let mut inputs = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let class = if rng.r#gen::<bool>() {
            Class::Left
        } else {
            Class::Right
        };
        let scalar = match class {
            Class::Left => fixed,
            Class::Right => {
                let mut s = [0u8; 32];
                rng.fill_bytes(&mut s);
                s
            }
        };
        inputs.push((class, scalar));
    }
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
    let mut seed = [0u8; 96];
    rng.fill_bytes(&mut seed);
    let (client_share, _) = X25519MLKEM768::generate_key_share_from_seed(&seed).unwrap();
    let mut inputs = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let class = if rng.r#gen::<bool>() {
            Class::Left
        } else {
            Class::Right
        };
        let mut server_seed = [0u8; 64];
        rng.fill_bytes(&mut server_seed);
        let mut share = X25519MLKEM768::encapsulate_from_seed(&client_share, &server_seed)
            .unwrap()
            .0;
        if matches!(class, Class::Right) {
            rng.fill_bytes(&mut share[..1088]);
        }
        inputs.push((class, share));
    }
    for (class, share) in inputs {
        let (_, state) = X25519MLKEM768::generate_key_share_from_seed(&seed).unwrap();
        let state = RefCell::new(Some(state));
        runner.run_one(class, || {
            let state = state.borrow_mut().take().unwrap();
            state.complete(&share).map(|k| k.as_bytes()[0])
        });
    }
}

ctbench_main!(mlkem768_decaps, x25519_dh, x25519mlkem768_complete);
