//! PLACEHOLDER — being replaced by the KAT runner (issue 4). Not a finished feature.

use std::path::PathBuf;
use std::process::ExitCode;

/// `hybrid-kx kat [PATH ...] [--json FILE] [--full]`
#[derive(clap::Args)]
pub(crate) struct KatArgs {
    /// Files or directories to scan for vector suites.
    paths: Vec<PathBuf>,
    /// Also write a machine-readable JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Run the long variants (CCTV accumulated 1,000,000 iterations).
    #[arg(long)]
    full: bool,
}

pub(crate) fn run(_args: KatArgs) -> ExitCode {
    eprintln!("kat: not implemented yet");
    ExitCode::FAILURE
}
