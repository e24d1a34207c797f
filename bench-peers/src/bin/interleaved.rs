//! Ratios that survive a noisy machine: the implementations take turns, a short batch each, in
//! a shuffled order every round, so load that comes and goes hits them all alike (criterion
//! measures one after the other, seconds apart). Reports each one's median time per operation
//! over the rounds, with its ratio to aws-lc-rs, for every group's full exchange
//! (`hybrid_kx_bench_peers::groups`) and for rustls handshakes in memory, and each primitive's
//! operations on every backend that runs it (the figures behind each primitive's preference
//! order); writes `target/criterion/interleaved.json` for `scripts/bench_report.py`; and with
//! `--update FILE` rewrites the tables between the `BEGIN INTERLEAVED` / `END INTERLEAVED`
//! markers (groups and handshakes) and the `BEGIN PRIMITIVES` / `END PRIMITIVES` markers (per
//! primitive) of each FILE that has them (the README's and docs/benchmarks.md's tables come from
//! here, on the reader's machine) and draws the groups' and handshakes' figures as
//! `docs/benchmarks.svg` (or the `--chart` file), with the support crate's chart code that
//! `hybrid-kx speed --chart` and `bench --chart` use:
//!
//! ```sh
//! cargo run --release -p hybrid-kx-bench-peers --bin interleaved -- [--rounds N] [--update README.md --update docs/benchmarks.md] [--chart FILE.svg]
//! ```
//!
//! Without the bench-peers `fast` feature (on by default) hybrid-kx runs on its portable
//! backends only; the `hybrid-kx portable` rows measure those in every build. With the `aws-lc`
//! feature (on by default) the `hybrid-kx` rows include `backend-aws-lc`, and the `hybrid-kx
//! default features` rows measure graviola and libcrux alone (no C) in the same run.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write;

use hybrid_kx::Backend;
use hybrid_kx::components::{Primitive, PrimitiveVisitor, PrivateKey, ServerStep, table};
use hybrid_kx_bench_peers::groups::{self, AWS_LC_RS, HYBRID_KX, HYBRID_KX_DEFAULT};
use hybrid_kx_bench_peers::interleave::{Op, RunArgs, backends, measure};
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
    let ours = if hybrid_kx::Backend::AwsLc.is_compiled() {
        "hybrid-kx + `backend-aws-lc`"
    } else {
        "hybrid-kx (this build)"
    };
    let _ = writeln!(
        out,
        "| full exchange (both sides) | {ours} | hybrid-kx default features (no C) | hybrid-kx portable (`default-features = false`) | aws-lc-rs, same parts | other verified peer | {ours} ÷ aws-lc-rs | default ÷ aws-lc-rs | portable ÷ aws-lc-rs |"
    );
    out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (title, rows) in tables
        .iter()
        .filter(|(t, _)| t.starts_with("interleaved/exchange/"))
    {
        let get = |name: &str| rows.iter().find(|(n, _)| n == name).map(|(_, ns)| ns / 1e3);
        let ours = get(HYBRID_KX).unwrap_or(f64::NAN);
        let default = get(HYBRID_KX_DEFAULT).unwrap_or(f64::NAN);
        let portable = get(groups::HYBRID_KX_PORTABLE).unwrap_or(f64::NAN);
        let aws = get(AWS_LC_RS).unwrap_or(f64::NAN);
        let other = rows
            .iter()
            .find(|(n, _)| {
                ![
                    HYBRID_KX,
                    HYBRID_KX_DEFAULT,
                    groups::HYBRID_KX_PORTABLE,
                    AWS_LC_RS,
                ]
                .contains(&n.as_str())
            })
            .map_or("–".to_owned(), |(n, ns)| format!("{:.1} ({n})", ns / 1e3));
        let group = title.trim_start_matches("interleaved/exchange/");
        let _ = writeln!(
            out,
            "| {group} | {ours:.1} | {default:.1} | {portable:.1} | {aws:.1} | {other} | **{:.2}** | {:.2} | {:.2} |",
            ours / aws,
            default / aws,
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

/// Each primitive's three operations on every backend that runs it here, with the operating
/// system's randomness (as the default entry points and the rustls adapters run them: aws-lc-rs
/// draws its own): key generation (with the public share), the server step (peer validation,
/// the server's key or encapsulation, the secret) and the client's completion. One table per
/// primitive and operation, the backends taking turns.
#[derive(Clone)]
struct PrimitiveOps {
    rounds: usize,
}

impl PrimitiveVisitor for PrimitiveOps {
    type Output = Vec<Table>;
    fn visit<P: Primitive>(self) -> Vec<Table> {
        let backends: Vec<Backend> = Backend::ALL
            .iter()
            .copied()
            .filter(|&b| P::supports(b))
            .collect();
        let mut seed = vec![0u8; P::CLIENT_SEED_LEN.max(P::SERVER_SEED_LEN)];
        getrandom::fill(&mut seed).unwrap();
        let (client_seed, server_seed) = (&seed[..P::CLIENT_SEED_LEN], &seed[..P::SERVER_SEED_LEN]);
        // A valid client share and, per backend, a key and the server's answer to its share.
        let mut share = vec![0u8; P::CLIENT_SHARE_LEN];
        let _reference =
            P::client_keygen(Some(Backend::Portable), client_seed, &mut share).unwrap();
        let keys: Vec<(PrivateKey<P>, Vec<u8>)> = backends
            .iter()
            .map(|&b| {
                let mut own = vec![0u8; P::CLIENT_SHARE_LEN];
                let key = P::client_keygen_system(Some(b), client_seed, &mut own).unwrap();
                let (mut answer, mut secret) =
                    (vec![0u8; P::SERVER_SHARE_LEN], vec![0u8; P::SECRET_LEN]);
                let step = ServerStep {
                    seed: server_seed,
                    client_share: &own,
                    share: &mut answer,
                    secret: &mut secret,
                };
                P::server_respond(Some(Backend::Portable), step).unwrap();
                (key, answer)
            })
            .collect();
        let buffers = RefCell::new((
            vec![0u8; P::CLIENT_SHARE_LEN],
            vec![0u8; P::SERVER_SHARE_LEN],
            vec![0u8; P::SECRET_LEN],
        ));
        let mut tables = Vec::new();
        for operation in ["key generation", "server step", "completion"] {
            let ops: Vec<Op<'_>> = backends
                .iter()
                .zip(&keys)
                .map(|(&b, (key, answer))| {
                    let buffers = &buffers;
                    let share = &share;
                    let run: Box<dyn Fn() + '_> = match operation {
                        "key generation" => Box::new(move || {
                            let out = &mut buffers.borrow_mut().0;
                            black_box(P::client_keygen_system(Some(b), client_seed, out).unwrap());
                        }),
                        "server step" => Box::new(move || {
                            let (_, answer, secret) = &mut *buffers.borrow_mut();
                            let step = ServerStep {
                                seed: server_seed,
                                client_share: share,
                                share: answer,
                                secret,
                            };
                            P::server_respond_system(Some(b), step).unwrap();
                        }),
                        _ => Box::new(move || {
                            let secret = &mut buffers.borrow_mut().2;
                            P::client_complete(key, black_box(answer), secret).unwrap();
                        }),
                    };
                    (b.name().to_owned(), run)
                })
                .collect();
            let medians = measure(&ops, self.rounds, 4);
            tables.push((
                format!("interleaved/primitive/{}/{operation}", P::NAME),
                ops.iter().map(|o| o.0.clone()).zip(medians).collect(),
            ));
        }
        tables
    }
}

/// The per-primitive tables as Markdown: one row per primitive and operation, one column per
/// backend (µs), and the preferred backend.
fn primitives_markdown(cpu: &str, rounds: usize, tables: &[Table]) -> String {
    let mut out = format!(
        "Measured by `cargo run --release -p hybrid-kx-bench-peers --bin interleaved` on {}, on \
         {cpu}, {rounds} interleaved rounds (median µs per operation, the backends taking turns; \
         operating-system randomness, so aws-lc-rs draws its own).\n\n",
        today()
    );
    let names: Vec<&str> = Backend::ALL.iter().map(|b| b.name()).collect();
    let _ = writeln!(
        out,
        "| primitive, operation | {} | preferred |",
        names.join(" | ")
    );
    let _ = writeln!(out, "|---|{}---|", "---:|".repeat(names.len()));
    /// The preferred backend of each primitive here.
    #[derive(Clone)]
    struct Preferred;
    impl PrimitiveVisitor for Preferred {
        type Output = (&'static str, Backend);
        fn visit<P: Primitive>(self) -> Self::Output {
            (P::NAME, P::backend())
        }
    }
    let preferred: Vec<_> = table::for_each(Preferred).collect();
    for (title, rows) in tables
        .iter()
        .filter(|(t, _)| t.starts_with("interleaved/primitive/"))
    {
        let what = title.trim_start_matches("interleaved/primitive/");
        let primitive = what.split('/').next().unwrap_or_default();
        let cells: Vec<String> = names
            .iter()
            .map(|name| {
                rows.iter()
                    .find(|(n, _)| n == name)
                    .map_or("–".to_owned(), |(_, ns)| format!("{:.2}", ns / 1e3))
            })
            .collect();
        let chosen = preferred
            .iter()
            .find(|(p, _)| *p == primitive)
            .map_or("?", |(_, b)| b.name());
        let _ = writeln!(
            out,
            "| {} | {} | {chosen} |",
            what.replace('/', ", "),
            cells.join(" | ")
        );
    }
    out
}

/// Replaces what lies between each pair of markers that `path` has with its table
/// ([`hybrid_kx_bench_peers::interleave::update`]); a file must have at least one pair.
fn update(path: &str, tables: &[((&str, &str), &str)]) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let present: Vec<_> = tables
        .iter()
        .filter(|((begin, end), _)| text.contains(begin) && text.contains(end))
        .collect();
    assert!(!present.is_empty(), "{path}: no BEGIN ... END markers");
    for &&(markers, table) in &present {
        hybrid_kx_bench_peers::interleave::update(path, markers, table);
    }
}

/// The markers of the groups' and handshakes' table this binary writes (`--update FILE`).
const MARKERS: (&str, &str) = (
    "<!-- BEGIN INTERLEAVED (bench-peers --bin interleaved --update) -->",
    "<!-- END INTERLEAVED -->",
);

/// The markers of the per-primitive table (`--update FILE`, where the file has them).
const PRIMITIVE_MARKERS: (&str, &str) = (
    "<!-- BEGIN PRIMITIVES (bench-peers --bin interleaved --update) -->",
    "<!-- END PRIMITIVES -->",
);

/// The chart of the groups' and handshakes' tables (not the per-primitive ones): a section per table, a bar per implementation (hybrid-kx's
/// highlighted), each with its median and its ratio to aws-lc-rs.
fn chart(cpu: &Cpu, rounds: usize, tables: &[Table]) -> BarChart {
    let mut chart = BarChart::new(
        &format!("hybrid-kx against its peers, {rounds} interleaved rounds"),
        cpu,
    );
    for (title, rows) in tables
        .iter()
        .filter(|(t, _)| !t.starts_with("interleaved/primitive/"))
    {
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
    drop(ops);
    for tables in table::for_each(PrimitiveOps { rounds }) {
        results.extend(tables);
    }

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
    let primitives = primitives_markdown(&cpu, rounds, &results);
    println!("\n{table}\n{primitives}");
    // The chart goes with the tables: `--update` redraws docs/benchmarks.svg unless
    // `--chart` names another file.
    if chart_path.is_none() && !updates.is_empty() {
        chart_path =
            Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/benchmarks.svg").to_owned());
    }
    for path in updates {
        update(
            &path,
            &[(MARKERS, &table), (PRIMITIVE_MARKERS, &primitives)],
        );
    }
    if let Some(path) = chart_path {
        chart(&cpu_description, rounds, &results)
            .write_svg(std::path::Path::new(&path))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        println!("drew {path}");
    }
}
