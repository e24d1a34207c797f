//! Where the third-party vector suites live, and what to do when they are absent: one lookup for
//! the KAT engine's tests, the crate's tests and the CLI's tests.
//!
//! The suites (NIST ACVP, C2SP CCTV, RFC extracts) are read in place from a folder outside the
//! repository: `$HYBRID_KX_SHARED_VECTORS`, by default `../shared/test-vectors` beside the repository.
//! A clone without that folder still passes `cargo test`: each test that needs it prints a SKIP
//! line and returns. CI sets `HYBRID_KX_REQUIRE_SHARED_VECTORS=1`, which turns the skip into a
//! failure so those suites always run there.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Env var naming the shared vector folder.
pub const DIR_VAR: &str = "HYBRID_KX_SHARED_VECTORS";
/// Env var that makes a missing folder a failure instead of a skip.
pub const REQUIRE_VAR: &str = "HYBRID_KX_REQUIRE_SHARED_VECTORS";

/// `../shared/test-vectors` beside the repository: the repository is the parent of this crate's
/// folder, whichever package (or separate workspace, as `fuzz/`) compiles it.
fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/test-vectors")
}

/// The shared vector folder, or `None` (after printing why) when it is absent and not required.
///
/// # Panics
/// When the folder is absent and `HYBRID_KX_REQUIRE_SHARED_VECTORS` is set to a non-empty value
/// other than `0`.
pub fn shared_vectors_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os(DIR_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(default_dir);
    if dir.is_dir() {
        return Some(dir);
    }
    let required = std::env::var(REQUIRE_VAR).is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{test}: shared vectors not found at {} and {REQUIRE_VAR} is set",
        dir.display()
    );
    // Written to the stderr handle directly, not with `eprintln!`, so the test harness does not
    // capture it: a skip must be visible in an ordinary `cargo test` run.
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIP: {test}: shared vectors not found at {} (set {DIR_VAR})",
        dir.display()
    );
    None
}
