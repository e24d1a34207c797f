//! Helpers shared by the engine's tests: where the vectors are, one engine run per test binary,
//! and lookups that fail loudly.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hybrid_kx_kat::{Options, Report, SuiteReport};
use hybrid_kx_support::shared_vectors::shared_vectors_dir;
pub use hybrid_kx_support::temp_dir::TempDir;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The project's own `test-vectors/`.
pub fn own_dir() -> PathBuf {
    repo().join("test-vectors")
}

/// The engine over `test-vectors/` (without the embedded Wycheproof suites), run once.
pub fn own() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| hybrid_kx_kat::run_vector_files(&[own_dir()], &Options::default()))
}

/// The engine over the shared third-party vectors (without the embedded Wycheproof suites), run
/// once; `None` (after a SKIP line) when they are absent and not required.
pub fn shared(test: &str) -> Option<&'static Report> {
    static REPORT: OnceLock<Option<Report>> = OnceLock::new();
    let dir = shared_vectors_dir(test)?;
    REPORT
        .get_or_init(|| Some(hybrid_kx_kat::run_vector_files(&[dir], &Options::default())))
        .as_ref()
}

/// The suite named `name` from a source containing `source_part`.
pub fn suite<'a>(report: &'a Report, name: &str, source_part: &str) -> &'a SuiteReport {
    report
        .suite(name, source_part)
        .unwrap_or_else(|| panic!("no suite {name} from {source_part}: {report}"))
}

/// The text file at `path`.
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The JSON file at `path`.
pub fn load_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read_text(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shared vectors and a fresh temp directory for `test`; `None` (after a SKIP line) when
/// the vectors are absent and not required.
pub fn shared_and_tmp(test: &str) -> Option<(PathBuf, TempDir)> {
    Some((shared_vectors_dir(test)?, TempDir::new(test)))
}

/// Asserts exact counts: `passed` cases, none failed, and exactly `skips` (reason, count).
pub fn assert_counts(suite: &SuiteReport, passed: u64, skips: &[(&str, u64)]) {
    let name = format!("{} ({})", suite.suite(), suite.sources().join(" + "));
    assert!(
        suite.failures().is_empty(),
        "{name}: failures {:#?}",
        suite.failures()
    );
    assert_eq!(suite.failed(), 0, "{name}");
    assert_eq!(suite.passed(), passed, "{name}: passed");
    let got: Vec<(&str, u64)> = suite
        .skip_reasons()
        .iter()
        .map(|s| (s.reason.as_str(), s.count))
        .collect();
    let mut want = skips.to_vec();
    want.sort();
    assert_eq!(got, want, "{name}: skip reasons");
    assert_eq!(
        suite.skipped(),
        skips.iter().map(|(_, n)| n).sum::<u64>(),
        "{name}: skipped"
    );
}
