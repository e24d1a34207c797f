//! `hybrid-kx speed`: how fast each group runs on each backend compiled in, on this CPU, in the
//! spirit of `openssl speed`.
//!
//! For every group, on its default backends (each component on the most preferred usable one:
//! what users get, the `default` rows) and on every usable backend that implements one of the
//! group's components (the others then run the portable code), it times client key generation, server encapsulation and client completion (operations per
//! second) and the full exchange (all three, microseconds). The combinations take turns in a
//! shuffled order each round, a short batch each, so load that comes and goes hits them all
//! alike; each figure is the median over the rounds. The CPU (`hybrid_kx_support::cpu`: model,
//! family/model/stepping, and each backend's features) is printed first, since the ratios
//! between implementations depend on it.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hybrid_kx::{AnyClientState, Backend, KeyShareBytes, NamedGroup};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use hybrid_kx_support::chart::{Bar, BarChart, Section};

use crate::error::{BoxError, bad_input};

/// Arguments of `hybrid-kx speed`.
#[derive(clap::Args)]
pub(crate) struct SpeedArgs {
    /// Only these groups (repeatable; default: every group).
    #[arg(long = "group", value_name = "NAME")]
    groups: Vec<String>,
    /// Only these backends (repeatable: portable, libcrux, graviola; default: every usable one).
    #[arg(long = "backend", value_name = "NAME")]
    backends: Vec<String>,
    /// Rounds; each figure is the median over them.
    #[arg(long, default_value_t = 15, value_name = "N")]
    rounds: usize,
    /// Target wall time of one batch, in milliseconds.
    #[arg(long, default_value_t = 10, value_name = "MS")]
    batch_ms: u64,
    /// Also write the results as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also draw the full exchange of every group on every backend as an SVG bar chart.
    #[arg(long, value_name = "FILE.svg")]
    chart: Option<PathBuf>,
}

/// The operations timed, in the order printed.
const OPERATIONS: [&str; 4] = ["keygen", "encapsulate", "complete", "exchange"];

/// One group on one backend, with the inputs its operations reuse.
struct Subject {
    group: NamedGroup,
    /// `None`: each component on its default (most preferred usable) backend, as users get.
    backend: Option<Backend>,
    client_seed: Vec<u8>,
    server_seed: Vec<u8>,
    client_share: KeyShareBytes,
    server_share: KeyShareBytes,
}

impl Subject {
    /// Valid seeds for `group` (an EC scalar out of range is drawn again) and the shares they
    /// give on `backend`.
    fn new(
        group: NamedGroup,
        backend: Option<Backend>,
        rng: &mut XorShift,
    ) -> Result<Self, BoxError> {
        for _ in 0..64 {
            let client_seed = rng.bytes(group.client_seed_len());
            let server_seed = rng.bytes(group.server_seed_len());
            let Ok((client_share, _)) = keygen(group, backend, &client_seed) else {
                continue;
            };
            let Ok((server_share, _)) =
                encapsulate(group, backend, client_share.as_bytes(), &server_seed)
            else {
                continue;
            };
            return Ok(Self {
                group,
                backend,
                client_seed,
                server_seed,
                client_share,
                server_share,
            });
        }
        Err(format!("{group}: no valid seed in 64 draws").into())
    }

    /// The backend column: a backend's name, or `default` for the per-component mix.
    fn backend_name(&self) -> &'static str {
        self.backend.map_or("default", Backend::name)
    }

    fn keygen(&self) -> (KeyShareBytes, AnyClientState) {
        keygen(self.group, self.backend, black_box(&self.client_seed))
            .expect("seed checked in Subject::new")
    }

    fn encapsulate(&self) {
        let out = encapsulate(
            self.group,
            self.backend,
            black_box(self.client_share.as_bytes()),
            &self.server_seed,
        )
        .expect("share checked in Subject::new");
        black_box(out);
    }

    /// Runs `batch` operations of `op` and returns the nanoseconds per operation. Completion
    /// consumes its state, so the states are made before the clock starts.
    fn time(&self, op: &str, batch: usize) -> f64 {
        let start;
        match op {
            "keygen" => {
                start = Instant::now();
                for _ in 0..batch {
                    black_box(self.keygen());
                }
            }
            "encapsulate" => {
                start = Instant::now();
                for _ in 0..batch {
                    self.encapsulate();
                }
            }
            "complete" => {
                let states: Vec<AnyClientState> = (0..batch).map(|_| self.keygen().1).collect();
                start = Instant::now();
                for state in states {
                    let secret = state
                        .complete(black_box(self.server_share.as_bytes()))
                        .expect("valid server share");
                    black_box(secret);
                }
            }
            _ => {
                start = Instant::now();
                for _ in 0..batch {
                    let (share, state) = self.keygen();
                    let (server_share, _) = encapsulate(
                        self.group,
                        self.backend,
                        share.as_bytes(),
                        &self.server_seed,
                    )
                    .expect("valid share");
                    black_box(state.complete(server_share.as_bytes()).expect("valid"));
                }
            }
        }
        nanos(start.elapsed()) / f64::from(u32::try_from(batch).unwrap_or(u32::MAX))
    }
}

/// Key generation on `backend`, or on the default backends.
fn keygen(
    group: NamedGroup,
    backend: Option<Backend>,
    seed: &[u8],
) -> Result<(KeyShareBytes, AnyClientState), hybrid_kx::Error> {
    match backend {
        Some(b) => group.generate_key_share_from_seed_on(b, seed),
        None => group.generate_key_share_from_seed(seed),
    }
}

/// Encapsulation on `backend`, or on the default backends.
fn encapsulate(
    group: NamedGroup,
    backend: Option<Backend>,
    client_share: &[u8],
    seed: &[u8],
) -> Result<(KeyShareBytes, hybrid_kx::SharedSecret), hybrid_kx::Error> {
    match backend {
        Some(b) => group.encapsulate_from_seed_on(b, client_share, seed),
        None => group.encapsulate_from_seed(client_share, seed),
    }
}

fn nanos(d: Duration) -> f64 {
    d.as_secs_f64() * 1e9
}

/// A small deterministic generator: the inputs need not be secret, only varied.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next().to_le_bytes()[0]).collect()
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap_or(u64::MAX)).unwrap_or(0)
    }
}

fn selected_groups(names: &[String]) -> Result<Vec<NamedGroup>, BoxError> {
    if names.is_empty() {
        return Ok(NamedGroup::ALL.to_vec());
    }
    names
        .iter()
        .map(|n| NamedGroup::from_name(n).ok_or_else(|| bad_input(format!("unknown group {n:?}"))))
        .collect()
}

fn selected_backends(names: &[String]) -> Result<Vec<Backend>, BoxError> {
    let backends: Vec<Backend> = if names.is_empty() {
        hybrid_kx_support::cpu::usable_backends("hybrid-kx speed")
    } else {
        names
            .iter()
            .map(|n| {
                Backend::from_name(n).ok_or_else(|| bad_input(format!("unknown backend {n:?}")))
            })
            .collect::<Result<_, _>>()?
    };
    for b in &backends {
        if !b.is_usable() {
            return Err(bad_input(format!(
                "backend {b} is not compiled in or not supported by this CPU"
            )));
        }
    }
    Ok(backends)
}

/// Runs `hybrid-kx speed`.
pub(crate) fn run(args: &SpeedArgs) -> Result<(), BoxError> {
    if args.rounds == 0 {
        return Err(bad_input("--rounds must be at least 1"));
    }
    let groups = selected_groups(&args.groups)?;
    let backends = selected_backends(&args.backends)?;
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut subjects = Vec::new();
    for &group in &groups {
        if args.backends.is_empty() {
            subjects.push(Subject::new(group, None, &mut rng)?);
        }
        for &backend in &backends {
            // A backend that implements none of the group's components would time the
            // portable code again.
            if backend == Backend::Portable || group.has_backend(backend) {
                subjects.push(Subject::new(group, Some(backend), &mut rng)?);
            }
        }
    }

    // Batch sizes: enough operations for about `batch_ms` each.
    let target = args.batch_ms.max(1) as f64 * 1e6;
    let mut jobs: Vec<(usize, &str, usize)> = Vec::new();
    for (i, subject) in subjects.iter().enumerate() {
        for op in OPERATIONS {
            let once = subject.time(op, 1).max(1.0);
            let batch = (target / once).clamp(1.0, 100_000.0);
            // In range by the clamp above.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            jobs.push((i, op, batch as usize));
        }
    }

    let progress = ProgressBar::new((jobs.len() * args.rounds) as u64);
    progress.set_style(
        ProgressStyle::with_template("speed {bar:40} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut samples = vec![Vec::with_capacity(args.rounds); jobs.len()];
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    for _ in 0..args.rounds {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &j in &order {
            let (subject, op, batch) = jobs[j];
            samples[j].push(subjects[subject].time(op, batch));
            progress.inc(1);
        }
    }
    progress.finish_and_clear();
    let medians: Vec<f64> = samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect();

    let cpu = hybrid_kx_support::cpu::describe();
    println!("cpu: {cpu}");
    let selected: Vec<String> = hybrid_kx::backend::selected()
        .map(|(c, b)| format!("{c} {b}"))
        .collect();
    println!("default backends: {}", selected.join(", "));
    println!(
        "{:<20} {:<9} {:>12} {:>12} {:>12} {:>13}",
        "group", "backend", "keygen/s", "encaps/s", "complete/s", "exchange µs"
    );
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for (i, subject) in subjects.iter().enumerate() {
        let ns = |op: &str| {
            jobs.iter()
                .position(|&(s, o, _)| s == i && o == op)
                .map_or(f64::NAN, |j| medians[j])
        };
        let (k, e, c, x) = (
            ns("keygen"),
            ns("encapsulate"),
            ns("complete"),
            ns("exchange"),
        );
        println!(
            "{:<20} {:<9} {:>12.0} {:>12.0} {:>12.0} {:>13.1}",
            subject.group.name(),
            subject.backend_name(),
            1e9 / k,
            1e9 / e,
            1e9 / c,
            x / 1e3
        );
        bars.push(Bar {
            label: format!("{} {}", subject.group.name(), subject.backend_name()),
            value: x / 1e3,
            text: format!("{:.1} µs", x / 1e3),
            highlight: subject.backend.is_none(),
        });
        rows.push(json!({
            "group": subject.group.name(),
            "backend": subject.backend_name(),
            "keygen_per_s": 1e9 / k,
            "encapsulate_per_s": 1e9 / e,
            "complete_per_s": 1e9 / c,
            "exchange_us": x / 1e3,
        }));
    }
    if let Some(path) = &args.json {
        let report = json!({
            "schema": "hybrid-kx-speed/1",
            "version": env!("CARGO_PKG_VERSION"),
            "cpu": cpu.model_name,
            "cpu_features": cpu.present_features(),
            "cpu_description": cpu,
            "rounds": args.rounds,
            "statistic": "median over rounds; combinations interleaved in shuffled order",
            "results": rows,
        });
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")?;
    }
    if let Some(path) = &args.chart {
        let mut chart = BarChart::new("hybrid-kx speed", &cpu);
        chart.sections.push(Section {
            caption: format!(
                "Full key exchange, both sides: median of {} rounds",
                args.rounds
            ),
            unit: "µs per exchange, shorter is faster (default: each part on its preferred \
                   backend)"
                .to_owned(),
            bars,
        });
        chart.write_svg(path)?;
    }
    Ok(())
}
