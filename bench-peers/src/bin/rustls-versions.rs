//! hybrid-kx's rustls 0.23 and 0.24 adapters side by side: one full handshake per group in
//! memory on each, interleaved in one run (`hybrid_kx_bench_peers::interleave`), so that the
//! ratio shows what moving to rustls 0.24 costs or saves with our groups. With `--update FILE`
//! rewrites the table between the `BEGIN RUSTLS VERSIONS` / `END RUSTLS VERSIONS` markers:
//!
//! ```sh
//! cargo run --release -p hybrid-kx-bench-peers --bin rustls-versions -- [--rounds N] [--update docs/benchmarks.md]
//! ```

use std::fmt::Write as _;
use std::hint::black_box;

use hybrid_kx::NamedGroup;
use hybrid_kx_bench_peers::handshake;
use hybrid_kx_bench_peers::interleave::{Op, measure, update};
use hybrid_kx_bench_peers::rustls_versions::{configs_0_23, configs_0_24, handshake_0_24};
use hybrid_kx_support::tls::Identity;

const MARKERS: (&str, &str) = (
    "<!-- BEGIN RUSTLS VERSIONS (bench-peers --bin rustls-versions --update) -->",
    "<!-- END RUSTLS VERSIONS -->",
);

fn main() {
    let mut rounds = 100usize;
    let mut updates = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--rounds N");
            }
            "--update" => updates.push(args.next().expect("--update FILE")),
            other => panic!("unknown argument {other:?} (--rounds N, --update FILE)"),
        }
    }
    let cpu = hybrid_kx_support::cpu::describe().to_string();
    let backends = hybrid_kx::backend::selected()
        .map(|(part, b)| format!("{part} {}", b.name()))
        .collect::<Vec<_>>()
        .join(", ");
    // The machine's load as the run starts: interleaving keeps the ratios fair on a shared
    // machine, but the absolute times grow with the load.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    println!("cpu: {cpu}\nhybrid-kx backends: {backends}\nload average: {load}");
    let identity = Identity::generate().expect("certificate");
    let mut table = format!(
        "Measured by `cargo run --release -p hybrid-kx-bench-peers --bin rustls-versions` on {cpu}, \
         load average {load} at the start, {rounds} interleaved rounds (median µs per full \
         handshake in memory, both sides; no resumption, no tickets; ECDSA P-256 certificate). \
         hybrid-kx backends: {backends}.\n\n\
         | group | rustls 0.23 + ring (µs) | rustls 0.24 + rustls-ring (µs) | 0.24 ÷ 0.23 |\n\
         |---|---:|---:|---:|\n"
    );
    for &group in NamedGroup::ALL {
        let (c23, s23) = configs_0_23(&identity, group);
        let (c24, s24) = configs_0_24(&identity, group);
        let ops: Vec<Op<'_>> = vec![
            (
                "0.23".into(),
                Box::new(|| {
                    black_box(handshake(&c23, &s23));
                }),
            ),
            (
                "0.24".into(),
                Box::new(|| {
                    black_box(handshake_0_24(&c24, &s24));
                }),
            ),
        ];
        let ns = measure(&ops, rounds, 4);
        let (old, new) = (ns[0] / 1e3, ns[1] / 1e3);
        println!(
            "{group}: 0.23 {old:.1} µs, 0.24 {new:.1} µs, ratio {:.3}",
            new / old
        );
        let _ = writeln!(
            table,
            "| {group} | {old:.1} | {new:.1} | {:.2} |",
            new / old
        );
    }
    for path in &updates {
        update(path, MARKERS, &table);
    }
}
