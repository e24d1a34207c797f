//! Runs one operation N times, for instruction counts under `valgrind --tool=callgrind`:
//! `scripts/callgrind.sh` runs each operation with two values of N and reports the difference
//! divided by the extra iterations, which cancels the start-up and set-up cost.
//!
//! ```sh
//! callgrind-ops list                 # the operation names
//! callgrind-ops OPERATION N
//! ```

use std::hint::black_box;

use hybrid_kx::Backend;
use hybrid_kx::components::Component;
use hybrid_kx::components::mlkem::MlKem768;
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::components::{Primitive, ServerStep};
use hybrid_kx::{Group, X25519MLKEM768};
use hybrid_kx_bench_peers::{MlKem768Fixture, exchange};

fn mlkem_backend(name: &str) -> Option<Backend> {
    Backend::from_name(name).filter(|b| MlKem768::supports(*b))
}

fn x25519_backend(name: &str) -> Option<Backend> {
    Backend::from_name(name).filter(|b| X25519::supports(*b))
}

fn operations() -> Vec<String> {
    let mut ops: Vec<String> = exchange::ALL
        .iter()
        .map(|(name, _)| format!("exchange:{name}"))
        .collect();
    ops.extend(["group-keygen", "group-encapsulate", "group-keygen+complete"].map(String::from));
    for b in Backend::ALL
        .iter()
        .copied()
        .filter(|b| MlKem768::supports(*b))
    {
        for op in ["keygen", "encapsulate", "decapsulate"] {
            ops.push(format!("mlkem768-{op}:{b}"));
        }
    }
    for b in Backend::ALL
        .iter()
        .copied()
        .filter(|b| X25519::supports(*b))
    {
        ops.push(format!("x25519-dh:{b}"));
    }
    ops
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("list") {
        for op in operations() {
            println!("{op}");
        }
        return;
    }
    let [op, n] = &args[..] else {
        eprintln!("usage: callgrind-ops list | callgrind-ops OPERATION N");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("N");
    let (kind, backend) = op.split_once(':').unwrap_or((op, ""));

    // Set-up common to every operation (runs whatever N is).
    let MlKem768Fixture {
        seed,
        m,
        mut ek,
        mut ct,
        mut k,
    } = MlKem768Fixture::portable();
    let client_seed = [0x42u8; 96];
    let server_seed = [0x24u8; 64];
    let (share, _) = X25519MLKEM768::generate_key_share_from_seed(&client_seed).unwrap();
    let (server_share, _) = X25519MLKEM768::encapsulate_from_seed(&share, &server_seed).unwrap();

    match kind {
        "exchange" => {
            let f = exchange::ALL
                .iter()
                .find(|(name, _)| *name == backend)
                .expect("composition")
                .1;
            for _ in 0..n {
                black_box(f());
            }
        }
        "group-keygen" => {
            for _ in 0..n {
                black_box(
                    X25519MLKEM768::generate_key_share_from_seed(black_box(&client_seed)).unwrap(),
                );
            }
        }
        "group-encapsulate" => {
            for _ in 0..n {
                black_box(
                    X25519MLKEM768::encapsulate_from_seed(black_box(&share), &server_seed).unwrap(),
                );
            }
        }
        "group-keygen+complete" => {
            for _ in 0..n {
                let (_, state) =
                    X25519MLKEM768::generate_key_share_from_seed(&client_seed).unwrap();
                black_box(state.complete(black_box(&server_share)).unwrap());
            }
        }
        "mlkem768-keygen" => {
            let b = mlkem_backend(backend).expect("backend");
            for _ in 0..n {
                black_box(
                    MlKem768::client_keygen_system(Some(b), black_box(&seed), &mut ek).unwrap(),
                );
            }
        }
        "mlkem768-encapsulate" => {
            let b = mlkem_backend(backend).expect("backend");
            for _ in 0..n {
                MlKem768::server_respond_system(
                    Some(b),
                    ServerStep {
                        seed: &m,
                        client_share: black_box(&ek),
                        share: &mut ct,
                        secret: &mut k,
                    },
                )
                .unwrap();
            }
        }
        "mlkem768-decapsulate" => {
            let b = mlkem_backend(backend).expect("backend");
            let state = MlKem768::client_keygen_system(Some(b), &seed, &mut [0u8; 1184]).unwrap();
            for _ in 0..n {
                MlKem768::client_complete(&state, black_box(&ct), &mut k).unwrap();
            }
        }
        "x25519-dh" => {
            let b = x25519_backend(backend).expect("backend");
            let state = X25519::client_keygen(Some(b), &[0x42; 32], &mut [0u8; 32]).unwrap();
            let mut peer = [0u8; 32];
            X25519::client_keygen(Some(Backend::Portable), &[0x24; 32], &mut peer).unwrap();
            for _ in 0..n {
                X25519::client_complete(&state, black_box(&peer), &mut k).unwrap();
            }
        }
        _ => {
            eprintln!("unknown operation {op}; see `callgrind-ops list`");
            std::process::exit(2);
        }
    }
    black_box(k);
}
