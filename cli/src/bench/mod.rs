//! `hybrid-kx bench`: a network handshake load generator, for the question people rolling out
//! post-quantum TLS ask ("what does X25519MLKEM768 cost me against X25519?"), against any TLS
//! 1.3 server (`hybrid-kx serve`, `openssl s_server`, nginx).
//!
//! Each group is measured alone (the client offers only it), the groups in turn: the run is cut
//! into rounds, and in each round every group gets its share of the handshakes (or of the
//! time), in an order that rotates from round to round, so that load on the machine that comes
//! and goes falls on every group alike. Within a share, `--concurrency` worker threads each run
//! connections one after the other ([`session`]). Reported per group: handshakes per second
//! (completed handshakes over the wall time of the group's shares), latency percentiles
//! ([`histogram`]), the client's CPU time per handshake ([`cpu_time`]), and the errors by kind:
//!
//! ```text
//! bench group=X25519MLKEM768 handshakes=1000 resumed=0 errors=0 seconds=1.234 handshakes_per_second=810.4 p50_ms=1.102 p90_ms=1.500 p99_ms=2.100 max_ms=4.300 client_cpu_us_per_handshake=512.3
//! bench group=X25519MLKEM768 error="connect: connection refused" count=3
//! ```
//!
//! Bounded: at most [`MAX_HANDSHAKES`] per group or [`MAX_SECONDS`] per group, and a
//! `--handshakes` run stops starting connections after `--time-limit`; every socket has a
//! timeout ([`crate::client::IO_TIMEOUT`]).

mod cpu_time;
mod histogram;
mod session;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use hybrid_kx::NamedGroup;
use hybrid_kx_support::chart::{Bar, BarChart, Section};
use indicatif::{ProgressBar, ProgressStyle};
use rustls::ClientConfig;
use rustls::client::Resumption;
use rustls::crypto::SupportedKxGroup;
use serde_json::{Value, json};

use crate::client::{ClientArgs, Target};
use crate::error::BoxError;
use crate::tls::{group_name, groups_by_name};

use cpu_time::thread_cpu_time;
use histogram::LatencyHistogram;

/// The most handshakes `--handshakes` may ask per group.
pub(crate) const MAX_HANDSHAKES: u64 = 10_000_000;
/// The most seconds `--duration` may ask per group.
pub(crate) const MAX_SECONDS: f64 = 3600.0;
/// Handshakes per group when neither `--handshakes` nor `--duration` is given.
const DEFAULT_HANDSHAKES: u64 = 1000;

/// Arguments of `hybrid-kx bench`.
#[derive(clap::Args)]
pub(crate) struct BenchArgs {
    /// The server to measure, HOST:PORT.
    #[arg(long, value_name = "HOST:PORT")]
    connect: String,
    /// Measure this group (repeatable; each measured alone, in turn; the names `handshake`
    /// takes). Default: X25519MLKEM768 and X25519.
    #[arg(long = "group", value_name = "NAME")]
    groups: Vec<String>,
    /// Handshakes per group (default 1000; at most 10,000,000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_HANDSHAKES))]
    handshakes: Option<u64>,
    /// Measure each group for this many seconds instead (at most 3600).
    #[arg(long, value_name = "SECONDS", conflicts_with_all = ["handshakes", "time_limit"], value_parser = parse_seconds)]
    duration: Option<f64>,
    /// Connections in flight at once (worker threads, 1 to 256).
    #[arg(long, value_name = "C", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// Resume sessions with the server's tickets (a resumption still runs the group's key
    /// exchange); default: full handshakes only.
    #[arg(long)]
    resume: bool,
    /// Rounds the run is cut into, the groups taking turns in each (1 to 1000; at most one
    /// round per handshake).
    #[arg(long, value_name = "R", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    rounds: u16,
    /// With --handshakes: start no connection after this many seconds, and report what was
    /// done.
    #[arg(long, value_name = "SECONDS", default_value_t = 600.0, value_parser = parse_seconds)]
    time_limit: f64,
    /// Also write the results as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also draw handshakes per second per group as an SVG bar chart.
    #[arg(long, value_name = "FILE.svg")]
    chart: Option<PathBuf>,
    #[command(flatten)]
    client: ClientArgs,
}

/// Seconds, more than zero and at most [`MAX_SECONDS`].
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= MAX_SECONDS => Ok(s),
        _ => Err(format!(
            "expected seconds, more than 0 and at most {MAX_SECONDS}"
        )),
    }
}

/// How much of the run each group gets.
#[derive(Clone, Copy)]
enum Limit {
    /// Handshakes per group.
    Count(u64),
    /// Seconds per group.
    Time(Duration),
}

/// What one group's shares added up to.
struct GroupResult {
    group: &'static dyn SupportedKxGroup,
    latency: LatencyHistogram,
    resumed: u64,
    errors: BTreeMap<String, u64>,
    /// Wall time of the group's shares.
    wall: Duration,
    /// CPU time of the workers that ran them, where it can be read.
    cpu: Option<Duration>,
}

impl GroupResult {
    fn new(group: &'static dyn SupportedKxGroup) -> Self {
        Self {
            group,
            latency: LatencyHistogram::default(),
            resumed: 0,
            errors: BTreeMap::new(),
            wall: Duration::ZERO,
            cpu: Some(Duration::ZERO),
        }
    }

    fn name(&self) -> String {
        group_name(u16::from(self.group.name()))
    }

    fn handshakes(&self) -> u64 {
        self.latency.count()
    }

    fn attempts(&self) -> u64 {
        self.handshakes() + self.errors.values().sum::<u64>()
    }

    fn per_second(&self) -> f64 {
        if self.wall.is_zero() {
            return 0.0;
        }
        self.handshakes() as f64 / self.wall.as_secs_f64()
    }

    fn cpu_us_per_handshake(&self) -> Option<f64> {
        let cpu = self.cpu?;
        (self.handshakes() > 0).then(|| cpu.as_secs_f64() * 1e6 / self.handshakes() as f64)
    }

    /// Adds one worker's share.
    fn add(&mut self, worker: WorkerResult) {
        self.latency.merge(&worker.latency);
        self.resumed += worker.resumed;
        for (kind, count) in worker.errors {
            *self.errors.entry(kind).or_default() += count;
        }
        self.cpu = self.cpu.zip(worker.cpu).map(|(a, b)| a + b);
    }
}

/// What one worker did in one share.
#[derive(Default)]
struct WorkerResult {
    latency: LatencyHistogram,
    resumed: u64,
    errors: BTreeMap<String, u64>,
    cpu: Option<Duration>,
}

/// One share: `concurrency` workers connecting to the target with `config` until the share's
/// handshakes are started or its time is up (and never past `deadline`).
struct Share<'a> {
    config: &'a Arc<ClientConfig>,
    target: &'a Target,
    concurrency: u16,
    progress: &'a ProgressBar,
}

impl Share<'_> {
    fn run(&self, handshakes: Option<u64>, until: Instant) -> (Vec<WorkerResult>, Duration) {
        let started = AtomicU64::new(0);
        let start = Instant::now();
        let results = thread::scope(|scope| {
            let workers: Vec<_> = (0..self.concurrency)
                .map(|_| scope.spawn(|| self.worker(&started, handshakes, until)))
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_default())
                .collect()
        });
        (results, start.elapsed())
    }

    fn worker(&self, started: &AtomicU64, handshakes: Option<u64>, until: Instant) -> WorkerResult {
        let cpu_start = thread_cpu_time();
        let mut result = WorkerResult::default();
        while Instant::now() < until
            && handshakes.is_none_or(|n| started.fetch_add(1, Ordering::Relaxed) < n)
        {
            match session::handshake(self.config, &self.target.address, &self.target.server_name) {
                Ok(done) => {
                    result.latency.record(done.latency);
                    result.resumed += u64::from(done.resumed);
                }
                Err(kind) => *result.errors.entry(kind).or_default() += 1,
            }
            self.progress.inc(1);
        }
        result.cpu = cpu_start
            .zip(thread_cpu_time())
            .map(|(start, end)| end.saturating_sub(start));
        result
    }
}

/// The client configuration measuring `group` alone: full handshakes, or resumptions from the
/// tickets earlier connections received.
fn config_for(
    client: &ClientArgs,
    group: &'static dyn SupportedKxGroup,
    resume: bool,
    concurrency: u16,
) -> Result<Arc<ClientConfig>, BoxError> {
    let mut config = client.config(&[group])?;
    config.resumption = if resume {
        // Two tickets per connection, one used per resumption: room for every worker's.
        Resumption::in_memory_sessions(64 + 4 * usize::from(concurrency))
    } else {
        Resumption::disabled()
    };
    Ok(Arc::new(config))
}

pub(crate) fn run(args: &BenchArgs) -> Result<(), BoxError> {
    let mut names = args.groups.clone();
    if names.is_empty() {
        names = vec!["X25519MLKEM768".to_owned(), "X25519".to_owned()];
    }
    let groups = groups_by_name(&names)?;
    let target = args.client.target(&args.connect)?;
    let configs = groups
        .iter()
        .map(|&group| config_for(&args.client, group, args.resume, args.concurrency))
        .collect::<Result<Vec<_>, _>>()?;
    let limit = match args.duration {
        Some(seconds) => Limit::Time(Duration::from_secs_f64(seconds)),
        None => Limit::Count(args.handshakes.unwrap_or(DEFAULT_HANDSHAKES)),
    };
    let rounds = match limit {
        Limit::Count(n) => u64::from(args.rounds).min(n),
        Limit::Time(_) => u64::from(args.rounds),
    };
    let cpu = hybrid_kx_support::cpu::describe();
    println!("cpu: {cpu}");
    let mode = if args.resume { "resume" } else { "full" };
    let limit_text = match limit {
        Limit::Count(n) => format!("handshakes={n}"),
        Limit::Time(d) => format!("seconds={}", d.as_secs_f64()),
    };
    println!(
        "bench target={} server_name={} mode={mode} concurrency={} rounds={rounds} {limit_text}",
        target.address,
        target.server_name.to_str(),
        args.concurrency,
    );

    let groups_len = groups.len() as u64;
    let (progress, template) = match limit {
        Limit::Count(n) => (
            ProgressBar::new(n * groups_len),
            "bench {bar:40} {pos}/{len} handshakes {elapsed}",
        ),
        Limit::Time(_) => (
            ProgressBar::no_length(),
            "bench {spinner} {pos} handshakes {elapsed}",
        ),
    };
    progress.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let run_start = Instant::now();
    let deadline = match limit {
        Limit::Count(_) => run_start + Duration::from_secs_f64(args.time_limit),
        // Each share ends on time but for the connections in flight, each bounded by the
        // sockets' timeouts.
        Limit::Time(d) => {
            run_start + d * u32::try_from(groups_len).unwrap_or(u32::MAX) + Duration::from_secs(60)
        }
    };
    let mut results: Vec<GroupResult> = groups.iter().map(|&g| GroupResult::new(g)).collect();
    let mut stopped_early = false;
    'rounds: for round in 0..rounds {
        for turn in 0..groups_len {
            let g = usize::try_from((round + turn) % groups_len).unwrap_or(0);
            if Instant::now() >= deadline {
                stopped_early = true;
                break 'rounds;
            }
            let share = Share {
                config: &configs[g],
                target: &target,
                concurrency: args.concurrency,
                progress: &progress,
            };
            let (workers, wall) = match limit {
                Limit::Count(n) => share.run(Some(share_of(n, rounds, round)), deadline),
                Limit::Time(d) => {
                    let slice = d.div_f64(rounds as f64);
                    share.run(None, (Instant::now() + slice).min(deadline))
                }
            };
            results[g].wall += wall;
            for worker in workers {
                results[g].add(worker);
            }
        }
    }
    progress.finish_and_clear();
    if stopped_early {
        eprintln!(
            "bench: --time-limit {} s reached; the figures are of the handshakes done",
            args.time_limit
        );
    }

    for result in &results {
        print_result(result);
    }
    if let Some(path) = &args.json {
        let report = json!({
            "schema": "hybrid-kx-bench/1",
            "version": env!("CARGO_PKG_VERSION"),
            "cpu": cpu.model_name,
            "cpu_description": cpu,
            "target": target.address,
            "server_name": target.server_name.to_str(),
            "mode": mode,
            "concurrency": args.concurrency,
            "rounds": rounds,
            "limit": match limit {
                Limit::Count(n) => json!({ "handshakes": n }),
                Limit::Time(d) => json!({ "seconds": d.as_secs_f64() }),
            },
            "complete": !stopped_early,
            "latency_unit": "ms",
            "latency": "from connect() to the client's handshake end; percentiles within 0.4 %, max exact",
            "groups": results.iter().map(result_json).collect::<Vec<_>>(),
        });
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .map_err(|err| format!("--json {}: cannot write: {err}", path.display()))?;
    }
    if let Some(path) = &args.chart {
        let mut chart = BarChart::new("hybrid-kx bench (client)", &cpu);
        chart.sections.push(Section {
            caption: format!(
                "TLS 1.3 {mode} handshakes against {}, concurrency {}",
                target.address, args.concurrency
            ),
            unit: "handshakes per second, longer is faster".to_owned(),
            bars: results.iter().map(result_bar).collect(),
        });
        chart.write_svg(path)?;
    }
    let failed: Vec<String> = results
        .iter()
        .filter(|r| r.handshakes() == 0)
        .map(GroupResult::name)
        .collect();
    if !failed.is_empty() {
        return Err(format!("no handshake completed with {}", failed.join(", ")).into());
    }
    Ok(())
}

/// Handshakes of round `round` out of `rounds` for `total` in all: the remainder goes to the
/// first rounds, so the shares add up to `total`.
fn share_of(total: u64, rounds: u64, round: u64) -> u64 {
    total / rounds + u64::from(round < total % rounds)
}

fn ms(latency: Option<Duration>) -> Option<f64> {
    latency.map(|d| d.as_secs_f64() * 1e3)
}

fn print_result(result: &GroupResult) {
    let show = |value: Option<f64>, decimals: usize| {
        value.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.decimals$}"))
    };
    let name = result.name();
    println!(
        "bench group={name} handshakes={} resumed={} errors={} seconds={:.3} handshakes_per_second={:.1} p50_ms={} p90_ms={} p99_ms={} max_ms={} client_cpu_us_per_handshake={}",
        result.handshakes(),
        result.resumed,
        result.attempts() - result.handshakes(),
        result.wall.as_secs_f64(),
        result.per_second(),
        show(ms(result.latency.percentile(50)), 3),
        show(ms(result.latency.percentile(90)), 3),
        show(ms(result.latency.percentile(99)), 3),
        show(ms(result.latency.max()), 3),
        show(result.cpu_us_per_handshake(), 1),
    );
    for (kind, count) in &result.errors {
        println!("bench group={name} error={kind:?} count={count}");
    }
}

fn result_json(result: &GroupResult) -> Value {
    json!({
        "group": result.name(),
        "codepoint": u16::from(result.group.name()),
        "handshakes": result.handshakes(),
        "resumed": result.resumed,
        "seconds": result.wall.as_secs_f64(),
        "handshakes_per_second": result.per_second(),
        "p50": ms(result.latency.percentile(50)),
        "p90": ms(result.latency.percentile(90)),
        "p99": ms(result.latency.percentile(99)),
        "max": ms(result.latency.max()),
        "client_cpu_us_per_handshake": result.cpu_us_per_handshake(),
        "errors": result.errors,
    })
}

/// A group's bar: its handshakes per second, ours (the hybrid and ML-KEM groups) highlighted.
fn result_bar(result: &GroupResult) -> Bar {
    let p50 = ms(result.latency.percentile(50))
        .map_or_else(|| "all failed".to_owned(), |v| format!("p50 {v:.2} ms"));
    Bar {
        label: result.name(),
        value: result.per_second(),
        text: format!("{:.0}/s ({p50})", result.per_second()),
        highlight: NamedGroup::from_codepoint(u16::from(result.group.name())).is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_total() {
        for (total, rounds) in [(1000, 10), (7, 3), (3, 3), (10_000_001, 1000)] {
            let shares: Vec<u64> = (0..rounds).map(|r| share_of(total, rounds, r)).collect();
            assert_eq!(shares.iter().sum::<u64>(), total, "{total} in {rounds}");
            let (min, max) = (shares.iter().min().unwrap(), shares.iter().max().unwrap());
            assert!(max - min <= 1, "{shares:?}");
        }
    }

    #[test]
    fn seconds_are_positive_and_bounded() {
        assert_eq!(parse_seconds("2.5"), Ok(2.5));
        for bad in ["0", "-1", "3601", "NaN", "inf", "soon"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }

    /// `bad_input` is what an unknown group gives here too (exit status 2).
    #[test]
    fn an_unknown_group_is_bad_input() {
        let err = groups_by_name(&["X448".to_owned()]).err().unwrap();
        assert!(err.is::<crate::error::BadInput>());
    }
}
