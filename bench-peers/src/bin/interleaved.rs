//! Ratios that survive a noisy machine: the implementations take turns, a short batch each, in
//! a shuffled order every round, so load that comes and goes hits them all alike (criterion
//! measures one after the other, seconds apart). Reports each one's median time per operation
//! over the rounds, with its ratio to aws-lc-rs, for every group's full exchange
//! (`hybrid_kx_bench_peers::groups`) and for rustls handshakes in memory; writes
//! `target/criterion/interleaved.json` for `scripts/bench_report.py`; and with `--update FILE`
//! rewrites the table between the `BEGIN INTERLEAVED` / `END INTERLEAVED` markers of each FILE
//! (the README's and docs/benchmarks.md's tables come from here, on the reader's machine) and
//! draws the same figures as `docs/benchmarks.svg` (or the `--chart` file), with the support
//! crate's chart code that `hybrid-kx speed --chart` and `bench --chart` use:
//!
//! ```sh
//! cargo run --release -p hybrid-kx-bench-peers --bin interleaved -- [--rounds N] [--update README.md --update docs/benchmarks.md] [--chart FILE.svg]
//! ```
//!
//! Without the bench-peers `fast` feature (on by default) hybrid-kx runs on its portable
//! backends only; the `hybrid-kx portable` rows measure those in every build.

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write;

use hybrid_kx_bench_peers::groups::{self, AWS_LC_RS, HYBRID_KX};
use hybrid_kx_bench_peers::interleave::{Op, RunArgs, backends, measure, update};
use hybrid_kx_bench_peers::{aws_lc_rs_provider, configs, handshake};
use hybrid_kx_support::chart::{Bar, BarChart, Section};
use hybrid_kx_support::cpu::Cpu;
use hybrid_kx_support::tls::Identity;
use rustls::crypto::aws_lc_rs as rustls_aws_lc_rs;

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock (days to civil date, the
/// proleptic Gregorian calendar).
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// One table: a title and (name, median ns) rows.
type Table = (String, Vec<(String, f64)>);

/// The Markdown the `--update` markers enclose: one row per group, the implementations as
/// columns, and each hybrid-kx figure's ratio to aws-lc-rs.
fn markdown(cpu: &str, backends: &str, rounds: usize, tables: &[Table]) -> String {
    let mut out = format!(
        "Measured by `cargo run --release -p hybrid-kx-bench-peers --bin interleaved` on {}, on \
         {cpu}, {rounds} interleaved rounds (median µs; lower is faster). hybrid-kx backends: \
         {backends}.\n\n",
        today()
    );
    out += "| full exchange (both sides) | hybrid-kx (default features) | hybrid-kx portable (`default-features = false`) | aws-lc-rs, same parts | other verified peer | hybrid-kx ÷ aws-lc-rs | portable ÷ aws-lc-rs |\n";
    out += "|---|---:|---:|---:|---:|---:|---:|\n";
    for (title, rows) in tables
        .iter()
        .filter(|(t, _)| t.starts_with("interleaved/exchange/"))
    {
        let get = |name: &str| rows.iter().find(|(n, _)| n == name).map(|(_, ns)| ns / 1e3);
        let ours = get(HYBRID_KX).unwrap_or(f64::NAN);
        let portable = get(groups::HYBRID_KX_PORTABLE).unwrap_or(f64::NAN);
        let aws = get(AWS_LC_RS).unwrap_or(f64::NAN);
        let other = rows
            .iter()
            .find(|(n, _)| {
                ![HYBRID_KX, groups::HYBRID_KX_PORTABLE, AWS_LC_RS].contains(&n.as_str())
            })
            .map_or("–".to_owned(), |(n, ns)| format!("{:.1} ({n})", ns / 1e3));
        let group = title.trim_start_matches("interleaved/exchange/");
        let _ = writeln!(
            out,
            "| {group} | {ours:.1} | {portable:.1} | {aws:.1} | {other} | **{:.2}** | {:.2} |",
            ours / aws,
            portable / aws
        );
    }
    if let Some((_, rows)) = tables
        .iter()
        .find(|(t, _)| t.starts_with("interleaved/handshake"))
    {
        out += "\n| rustls 0.23 handshake in memory, aws-lc-rs base | µs | handshakes/s |\n|---|---:|---:|\n";
        for (name, ns) in rows {
            let _ = writeln!(out, "| {name} | {:.1} | {:.0} |", ns / 1e3, 1e9 / ns);
        }
    }
    out
}

/// The markers of the table this binary writes (`--update FILE`).
const MARKERS: (&str, &str) = (
    "<!-- BEGIN INTERLEAVED (bench-peers --bin interleaved --update) -->",
    "<!-- END INTERLEAVED -->",
);

/// The chart of the tables: a section per table, a bar per implementation (hybrid-kx's
/// highlighted), each with its median and its ratio to aws-lc-rs.
fn chart(cpu: &Cpu, rounds: usize, tables: &[Table]) -> BarChart {
    let mut chart = BarChart::new(
        &format!("hybrid-kx against its peers, {rounds} interleaved rounds"),
        cpu,
    );
    for (title, rows) in tables {
        let aws = rows.iter().find(|(n, _)| n == AWS_LC_RS).map(|(_, ns)| *ns);
        let caption = match title.strip_prefix("interleaved/exchange/") {
            Some(group) => format!("{group}: full exchange, both sides"),
            None => "rustls 0.23 handshake in memory, aws-lc-rs base".to_owned(),
        };
        chart.sections.push(Section {
            caption,
            unit: "median µs, shorter is faster".to_owned(),
            bars: rows
                .iter()
                .map(|(name, ns)| Bar {
                    label: name.clone(),
                    value: ns / 1e3,
                    text: match aws {
                        Some(a) => format!("{:.1} µs (×{:.2} aws-lc-rs)", ns / 1e3, ns / a),
                        None => format!("{:.1} µs", ns / 1e3),
                    },
                    highlight: name.starts_with("hybrid-kx"),
                })
                .collect(),
        });
    }
    chart
}

fn main() {
    let RunArgs {
        rounds,
        updates,
        chart: mut chart_path,
    } = RunArgs::parse(200, true);
    let cpu_description = hybrid_kx_support::cpu::describe();
    let cpu = cpu_description.to_string();
    let backends = backends();
    println!("cpu: {cpu}\nhybrid-kx backends: {backends}");
    let mut results: Vec<Table> = Vec::new();

    let mut names: Vec<&str> = groups::ALL.iter().map(|c| c.group).collect();
    names.dedup();
    for group in names {
        let ops: Vec<Op<'_>> = groups::ALL
            .iter()
            .filter(|c| c.group == group)
            .map(|c| {
                let run = c.run;
                (
                    c.name.to_owned(),
                    Box::new(move || {
                        black_box(run());
                    }) as Box<dyn Fn()>,
                )
            })
            .collect();
        let medians = measure(&ops, rounds, 4);
        results.push((
            format!("interleaved/exchange/{group}"),
            ops.iter().map(|o| o.0.clone()).zip(medians).collect(),
        ));
    }

    use hybrid_kx::rustls as hkx;
    use rustls_aws_lc_rs::kx_group as native;
    let identity = Identity::generate().unwrap();
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
        (
            "hybrid-kx SecP256r1MLKEM768",
            true,
            vec![hkx::SECP256R1MLKEM768, native::SECP256R1],
        ),
        (
            "rustls aws-lc-rs SecP256r1MLKEM768",
            false,
            vec![native::SECP256R1MLKEM768, native::SECP256R1],
        ),
        ("hybrid-kx MLKEM768", true, vec![hkx::MLKEM768]),
        ("rustls aws-lc-rs MLKEM768", false, vec![native::MLKEM768]),
        (
            "rustls aws-lc-rs X25519 (classical)",
            false,
            vec![native::X25519],
        ),
    ]
    .map(|(name, ours, groups)| {
        let (c, s) = configs(
            &identity,
            aws_lc_rs_provider(ours, groups.clone()),
            aws_lc_rs_provider(ours, groups),
        );
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
    let medians = measure(&ops, rounds / 2, 4);
    results.push((
        "interleaved/handshake/aws-lc-rs base".into(),
        ops.iter().map(|o| o.0.clone()).zip(medians).collect(),
    ));

    let mut json = format!("{{\n  \"cpu\": {cpu:?},\n  \"backends\": {backends:?},\n");
    for (g, (group, rows)) in results.iter().enumerate() {
        println!("{group}");
        let aws = rows.iter().find(|(n, _)| n == AWS_LC_RS).map(|(_, ns)| *ns);
        json += &format!("  \"{group}\": {{");
        for (i, (name, ns)) in rows.iter().enumerate() {
            let ratio = aws.map_or(String::new(), |a| format!("{:>7.2}× aws-lc-rs", ns / a));
            println!("  {name:40} {:>10.1} µs {ratio}", ns / 1e3);
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
    let table = markdown(&cpu, &backends, rounds, &results);
    println!("\n{table}");
    // The chart goes with the tables: `--update` redraws docs/benchmarks.svg unless
    // `--chart` names another file.
    if chart_path.is_none() && !updates.is_empty() {
        chart_path =
            Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/benchmarks.svg").to_owned());
    }
    for path in updates {
        update(&path, MARKERS, &table);
    }
    if let Some(path) = chart_path {
        chart(&cpu_description, rounds, &results)
            .write_svg(std::path::Path::new(&path))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        println!("drew {path}");
    }
}
