//! `hybrid-kx kat`: the known-answer conformance runner (usage and report schema in
//! `docs/kat.md`). The engine is `hybrid-kx-kat`; this front end parses the arguments, turns on
//! the progress bars, prints the table, writes the JSON report and sets the exit status: 0 only
//! when no case failed, no file was unusable, and every PATH yielded at least one recognised
//! vector file.

use std::path::PathBuf;
use std::process::ExitCode;

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
}

/// Runs the `kat` subcommand.
pub(crate) fn run(args: KatArgs) -> ExitCode {
    let options = Options {
        full: args.full,
        progress: true,
    };
    let mut report = hybrid_kx_kat::run(&args.paths, &options);
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
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
