//! Ratios that survive a noisy machine: the implementations take turns, a short batch each, in
//! a shuffled order every round, so load that comes and goes hits them all alike (criterion
//! measures one after the other, seconds apart). Reports each one's median time per operation
//! over the rounds, and writes `target/criterion/interleaved.json` for `scripts/bench_report.py`.
//!
//! ```sh
//! cargo run --release -p hybrid-kx-bench-peers --bin interleaved [ROUNDS]
//! ```

use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

use hybrid_kx::rustls::with_hybrid_kx;
use hybrid_kx_bench_peers::{Pki, exchange, handshake};
use rustls::crypto::aws_lc_rs as rustls_aws_lc_rs;
use rustls::crypto::{CryptoProvider, SupportedKxGroup};

type Op<'a> = (String, Box<dyn Fn() + 'a>);

/// Median nanoseconds per call of each op, over `rounds` shuffled rounds of `batch` calls.
fn measure(ops: &[Op<'_>], rounds: usize, batch: usize) -> Vec<f64> {
    let mut samples = vec![Vec::with_capacity(rounds); ops.len()];
    let mut order: Vec<usize> = (0..ops.len()).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for (_, f) in ops {
        f(); // warm up
    }
    for _ in 0..rounds {
        // Fisher-Yates with a xorshift generator.
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            let start = Instant::now();
            for _ in 0..batch {
                (ops[i].1)();
            }
            samples[i].push(start.elapsed().as_nanos() as f64 / batch as f64);
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect()
}

fn provider(ours: bool, groups: Vec<&'static dyn SupportedKxGroup>) -> CryptoProvider {
    let base = rustls_aws_lc_rs::default_provider();
    let base = if ours { with_hybrid_kx(base) } else { base };
    CryptoProvider {
        kx_groups: groups,
        ..base
    }
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse().expect("ROUNDS"))
        .unwrap_or(400);
    let mut results: Vec<(String, Vec<(String, f64)>)> = Vec::new();

    let ops: Vec<Op<'_>> = exchange::ALL
        .iter()
        .map(|(name, f)| {
            let f = *f;
            (
                name.to_string(),
                Box::new(move || {
                    black_box(f());
                }) as Box<dyn Fn()>,
            )
        })
        .collect();
    let medians = measure(&ops, rounds, 10);
    results.push((
        "interleaved/exchange/X25519MLKEM768".into(),
        ops.iter().map(|o| o.0.clone()).zip(medians).collect(),
    ));

    use hybrid_kx::rustls as hkx;
    use rustls_aws_lc_rs::kx_group as native;
    let pki = Pki::new();
    let configs = [
        (
            "hybrid-kx X25519MLKEM768",
            true,
            vec![hkx::X25519MLKEM768, native::X25519],
        ),
        (
            "rustls aws-lc-rs X25519MLKEM768",
            false,
            vec![native::X25519MLKEM768, native::X25519],
        ),
        ("rustls aws-lc-rs X25519", false, vec![native::X25519]),
    ]
    .map(|(name, ours, groups)| {
        let (c, s) = pki.configs(provider(ours, groups.clone()), provider(ours, groups));
        (name, c, s)
    });
    let ops: Vec<Op<'_>> = configs
        .iter()
        .map(|(name, c, s)| {
            (
                name.to_string(),
                Box::new(move || {
                    black_box(handshake(c, s));
                }) as Box<dyn Fn()>,
            )
        })
        .collect();
    let medians = measure(&ops, rounds / 4, 4);
    results.push((
        "interleaved/handshake/aws-lc-rs base".into(),
        ops.iter().map(|o| o.0.clone()).zip(medians).collect(),
    ));

    let mut json = String::from("{\n");
    for (g, (group, rows)) in results.iter().enumerate() {
        println!("{group}");
        json += &format!("  \"{group}\": {{");
        for (i, (name, ns)) in rows.iter().enumerate() {
            println!("  {name:40} {:>10.1} µs", ns / 1e3);
            json += &format!("{}\"{name}\": {ns:.1}", if i > 0 { ", " } else { "" });
        }
        json += if g + 1 < results.len() { "},\n" } else { "}\n" };
    }
    json += "}\n";
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_owned());
    let dir = std::path::Path::new(&target).join("criterion");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::File::create(dir.join("interleaved.json"))
        .and_then(|mut f| f.write_all(json.as_bytes()))
        .unwrap();
}
