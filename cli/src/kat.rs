//! `hybrid-kx kat`: the known-answer conformance runner (usage and report schema in
//! `docs/kat.md`). The engine is `hybrid-kx-kat`; this front end parses the arguments, turns on
//! the progress bars, prints the table, writes the JSON report and sets the exit status: 0 only
//! when no case failed, no file was unusable, and every PATH yielded at least one recognised
//! vector file.

use std::path::PathBuf;
use std::process::ExitCode;

use hybrid_kx::Backend;
use hybrid_kx_kat::{FileError, Options};

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
    /// Run on this backend (portable, libcrux, graviola: each component that has code on it,
    /// the others on the portable reference), or `all`: the whole run once per usable backend.
    /// Default: the crate's own choice per component.
    #[arg(long, value_name = "NAME|all")]
    backend: Option<String>,
}

/// Runs the `kat` subcommand.
pub(crate) fn run(args: KatArgs) -> ExitCode {
    let backends: Vec<Option<Backend>> = match args.backend.as_deref() {
        None => vec![None],
        Some("all") => {
            // Said, not dropped: each backend this CPU or build cannot run, and why.
            for b in Backend::ALL {
                if let Some(reason) = b.unusable_reason() {
                    println!("=== backend {b}: not run: {reason}");
                }
            }
            Backend::ALL
                .iter()
                .copied()
                .filter(|b| b.is_usable())
                .map(Some)
                .collect()
        }
        Some(name) => match hybrid_kx_kat::on::backend_named(name) {
            Ok(b) => vec![Some(b)],
            Err(e) => {
                eprintln!("hybrid-kx kat: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let mut reports = Vec::new();
    for backend in backends {
        let options = Options {
            full: args.full,
            progress: true,
            backend,
        };
        if let Some(b) = backend {
            println!("=== backend {b}");
        }
        let report = hybrid_kx_kat::run(&args.paths, &options);
        print!("{report}");
        reports.push(report);
    }
    if let Some(path) = &args.json {
        // One report as an object (schema in docs/kat.md); `--backend all`: an array of them.
        let json = if let [report] = &reports[..] {
            serde_json::to_string_pretty(report)
        } else {
            serde_json::to_string_pretty(&reports)
        };
        let written = json
            .map_err(|e| e.to_string())
            .and_then(|json| std::fs::write(path, json + "\n").map_err(|e| e.to_string()));
        if let Err(e) = written {
            let error = FileError {
                path: path.display().to_string(),
                error: format!("cannot write the JSON report: {e}"),
            };
            eprintln!("error: {}: {}", error.path, error.error);
            return ExitCode::FAILURE;
        }
    }
    if reports.iter().all(|r| r.ok()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
