//! Results: per-case bookkeeping while a suite runs, the printed table and the JSON report
//! (schema `hybrid-kx-kat-report/2`, documented in `docs/kat.md`).

use std::collections::BTreeMap;
use std::fmt::{self, Display};
use std::time::Instant;

use serde::Serialize;

use super::progress::Progress;

/// The `schema` value of the JSON report.
pub const SCHEMA: &str = "hybrid-kx-kat-report/2";

/// Failures printed per suite in the table (the JSON report has all of them).
const PRINTED_FAILURES: usize = 10;

/// Hex values longer than this many characters are shortened in the table.
const PRINTED_HEX: usize = 64;

/// One failed case: its id and the first field whose value differed.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    /// The case id as the suite names it (`tcId 26`, `line 17`, `ML-KEM-768 x 10000`, ...).
    pub case: String,
    /// The first field that differed (`ek`, `shared_secret`, `error`, ...).
    pub field: String,
    /// The expected value (hex for byte strings).
    pub expected: String,
    /// The value the crate produced (hex for byte strings, or the error).
    pub actual: String,
}

/// Why a case may be skipped: these are the only reasons there are (`docs/kat.md`). Anything
/// else the engine cannot run (an unknown parameter set, function, test type, section or field
/// name, malformed hex, a wrong length, a suite without cases) is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// A FIPS 203 draft (ipd) accumulated hash (draft key generation).
    Fips203DraftHash,
    /// A key generation value computed with the FIPS 203 draft's G(d).
    Fips203DraftKeyGen,
    /// A K-PKE intermediate value of the CCTV intermediate files: not observable through the
    /// crate's public API.
    KPkeIntermediate,
    /// A CCTV accumulated count above 10,000 iterations: only with `--full`.
    FullOnlyAccumulated,
    /// The RFC 7748 1,000,000-iteration test: only with `--full`.
    FullOnlyIterated,
}

impl SkipReason {
    /// The reason as the report prints it.
    pub fn text(self) -> &'static str {
        match self {
            Self::Fips203DraftHash => {
                "FIPS 203 draft (ipd) hash: key generation G(d) is not final FIPS 203's \
                 G(d || k)"
            }
            Self::Fips203DraftKeyGen => {
                "key generation (d, z -> ek, dk) follows the FIPS 203 draft (G(d) instead of \
                 G(d || k)): not valid under final FIPS 203"
            }
            Self::KPkeIntermediate => {
                "K-PKE intermediate value: not observable through the crate's public API"
            }
            Self::FullOnlyAccumulated => "more than 10,000 iterations: run with --full",
            Self::FullOnlyIterated => "1,000,000 iterations: run with --full",
        }
    }
}

/// A reason for skipping and how many cases it covers.
#[derive(Clone, Debug, Serialize)]
pub struct Skip {
    /// Why the cases were not run.
    pub reason: String,
    /// How many cases.
    pub count: u64,
}

/// The outcome of one suite from one source.
#[derive(Clone, Debug, Serialize)]
pub struct SuiteReport {
    /// The suite (format and operation), e.g. `ACVP ML-KEM encapsulation`.
    pub suite: String,
    /// The files the suite was read from (two for ACVP prompt + expected results).
    pub sources: Vec<String>,
    /// Cases whose every checked field matched.
    pub passed: u64,
    /// Cases with at least one differing field.
    pub failed: u64,
    /// Cases not run, total of `skip_reasons`.
    pub skipped: u64,
    /// Why cases were skipped.
    pub skip_reasons: Vec<Skip>,
    /// Every failed case.
    pub failures: Vec<Failure>,
    /// What the passed cases showed beyond matching, counted by label: expected rejections by
    /// error (`rejected: EncapsulationKeyModulus`), flags of the vectors
    /// (`compressed point rejected`), defects of negative vectors (`defect: ec_not_on_curve`).
    pub tallies: BTreeMap<String, u64>,
    /// Where the cases ran, counted by label, each case once per label: the side of the exchange
    /// (`client`: key generation or import, and completion; `server`: the server step), the
    /// primitive and the backend (`client ML-KEM-768 on aws-lc`, `server ML-KEM-768 on
    /// portable`). A backend that takes no seed (aws-lc-rs's ML-KEM) leaves seeded operations
    /// to another one, and this says which; passed and failed cases alike.
    pub ran_on: BTreeMap<String, u64>,
    /// The id of every passed case, in order (not in the JSON report).
    #[serde(skip)]
    pub passed_cases: Vec<String>,
    /// What could not be run (malformed or unknown content), with the file and the location;
    /// [`crate::run`] also lists them among the report's errors.
    #[serde(skip)]
    pub errors: Vec<FileError>,
    /// Wall time of the suite.
    pub seconds: f64,
}

impl SuiteReport {
    /// The suite name, e.g. `ACVP ML-KEM encapsulation`.
    pub fn suite(&self) -> &str {
        &self.suite
    }

    /// The files (or embedded sets) the suite was read from.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Cases whose every checked field matched.
    pub fn passed(&self) -> u64 {
        self.passed
    }

    /// Cases with at least one differing field.
    pub fn failed(&self) -> u64 {
        self.failed
    }

    /// Cases not run.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Why cases were not run, with counts (sorted by reason).
    pub fn skip_reasons(&self) -> &[Skip] {
        &self.skip_reasons
    }

    /// How many cases were skipped for exactly `reason`.
    pub fn skipped_for(&self, reason: &str) -> u64 {
        self.skip_reasons
            .iter()
            .filter(|s| s.reason == reason)
            .map(|s| s.count)
            .sum()
    }

    /// Every failed case.
    pub fn failures(&self) -> &[Failure] {
        &self.failures
    }

    /// Malformed or unknown content found while running the suite.
    pub fn errors(&self) -> &[FileError] {
        &self.errors
    }

    /// How many passed cases carried `label` (see [`Self::tallies`]).
    pub fn tally(&self, label: &str) -> u64 {
        self.tallies.get(label).copied().unwrap_or(0)
    }

    /// How many cases (passed or failed) ran under `label` (see [`Self::ran_on`]).
    pub fn ran_on(&self, label: &str) -> u64 {
        self.ran_on.get(label).copied().unwrap_or(0)
    }

    /// The ids of the passed cases.
    pub fn passed_cases(&self) -> &[String] {
        &self.passed_cases
    }

    /// `(passed, failed, skipped)`.
    pub fn counts(&self) -> (u64, u64, u64) {
        (self.passed, self.failed, self.skipped)
    }
}

/// One case being checked: remembers the first differing field.
pub struct Case {
    id: String,
    first_failure: Option<Failure>,
    tallies: Vec<String>,
    malformed: Option<String>,
}

impl Case {
    /// The case id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Marks the vector as malformed: recorded as an error at this case's location, neither
    /// passed nor failed.
    pub fn malformed(&mut self, error: impl Into<String>) -> &mut Self {
        if self.malformed.is_none() {
            self.malformed = Some(error.into());
        }
        self
    }

    /// Whether no field has differed so far.
    pub fn is_ok(&self) -> bool {
        self.first_failure.is_none()
    }

    /// Counts this case under `label` in [`SuiteReport::tallies`] if it passes.
    pub fn tally(&mut self, label: impl Into<String>) -> &mut Self {
        self.tallies.push(label.into());
        self
    }

    /// Compares byte strings.
    pub fn eq(&mut self, field: &str, expected: &[u8], actual: &[u8]) -> &mut Self {
        if expected != actual {
            self.fail(field, hex::encode(expected), hex::encode(actual));
        }
        self
    }

    /// Compares displayable values (errors, booleans, lengths).
    pub fn eq_display<T: Display + PartialEq>(
        &mut self,
        field: &str,
        expected: T,
        actual: T,
    ) -> &mut Self {
        if expected != actual {
            self.fail(field, expected.to_string(), actual.to_string());
        }
        self
    }

    /// Records a failure of `field` (only the first one is kept).
    pub fn fail(
        &mut self,
        field: &str,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> &mut Self {
        if self.first_failure.is_none() {
            self.first_failure = Some(Failure {
                case: self.id.clone(),
                field: field.to_owned(),
                expected: expected.into(),
                actual: actual.into(),
            });
        }
        self
    }
}

/// A suite while it runs.
pub struct SuiteRun {
    report: SuiteReport,
    skips: BTreeMap<String, u64>,
    start: Instant,
    progress: Progress,
}

impl SuiteRun {
    /// Starts `suite` read from `sources`, expecting about `steps` progress steps.
    pub fn new(suite: impl Into<String>, sources: Vec<String>, steps: u64) -> Self {
        let suite = suite.into();
        let progress = Progress::new(&suite, steps);
        // Operations before this suite belong to no case of it.
        crate::on::take_ran_on();
        Self {
            report: SuiteReport {
                suite,
                sources,
                passed: 0,
                failed: 0,
                skipped: 0,
                skip_reasons: Vec::new(),
                failures: Vec::new(),
                tallies: BTreeMap::new(),
                ran_on: BTreeMap::new(),
                passed_cases: Vec::new(),
                errors: Vec::new(),
                seconds: 0.0,
            },
            skips: BTreeMap::new(),
            start: Instant::now(),
            progress,
        }
    }

    /// The suite's name.
    pub fn name(&self) -> &str {
        &self.report.suite
    }

    /// A new case named `id`.
    pub fn case(&self, id: impl Display) -> Case {
        Case {
            id: id.to_string(),
            first_failure: None,
            tallies: Vec::new(),
            malformed: None,
        }
    }

    /// Counts `case` as passed or failed and advances the progress bar by one step.
    pub fn record(&mut self, case: Case) {
        self.record_quietly(case);
        self.progress.inc(1);
    }

    /// Counts `case` without advancing the progress bar (for suites that count steps
    /// themselves, such as the iterated procedures).
    pub fn record_quietly(&mut self, case: Case) {
        let ran_on = crate::on::take_ran_on();
        if let Some(error) = case.malformed {
            self.error(&case.id, error);
            return;
        }
        for label in ran_on {
            *self.report.ran_on.entry(label).or_default() += 1;
        }
        match case.first_failure {
            None => {
                self.report.passed += 1;
                let labels: std::collections::BTreeSet<String> = case.tallies.into_iter().collect();
                for label in labels {
                    *self.report.tallies.entry(label).or_default() += 1;
                }
                self.report.passed_cases.push(case.id);
            }
            Some(failure) => {
                self.report.failed += 1;
                self.report.failures.push(failure);
            }
        }
    }

    /// Counts one case as skipped for `reason`.
    pub fn skip(&mut self, reason: SkipReason) {
        self.skip_many(reason, 1);
    }

    /// Counts `count` cases as skipped for `reason`.
    pub fn skip_many(&mut self, reason: SkipReason, count: u64) {
        crate::on::take_ran_on();
        if count == 0 {
            return;
        }
        *self.skips.entry(reason.text().to_owned()).or_default() += count;
        self.report.skipped += count;
        self.progress.inc(count);
    }

    /// Records content that cannot be run (unknown, malformed, wrong length) at `location`
    /// (`line 12`, `tgId 3`, `[section]`, ...) of the suite's file.
    pub fn error(&mut self, location: impl Display, error: impl Display) {
        let path = self.report.sources.first().cloned().unwrap_or_default();
        self.report.errors.push(FileError {
            path,
            error: format!("{location}: {error}"),
        });
    }

    /// The progress counter, for suites that report finer steps than cases.
    pub fn progress(&mut self) -> &mut Progress {
        &mut self.progress
    }

    /// Ends the suite.
    pub fn finish(mut self) -> SuiteReport {
        self.progress.finish();
        let r = &self.report;
        if r.passed + r.failed + r.skipped == 0 && r.errors.is_empty() {
            let suite = r.suite.clone();
            self.error(suite, "no test case");
        }
        self.report.skip_reasons = self
            .skips
            .into_iter()
            .map(|(reason, count)| Skip { reason, count })
            .collect();
        self.report.seconds = self.start.elapsed().as_secs_f64();
        self.report
    }
}

/// A file that was read but holds no vectors.
#[derive(Clone, Debug, Serialize)]
pub struct Ignored {
    /// The file.
    pub path: String,
    /// Why it holds no vectors (decided by its content).
    pub reason: String,
}

/// A file or path that could not be used: unreadable, unparsable or unrecognised.
#[derive(Clone, Debug, Serialize)]
pub struct FileError {
    /// The file or path.
    pub path: String,
    /// What went wrong.
    pub error: String,
}

/// What each PATH on the command line yielded.
#[derive(Clone, Debug, Serialize)]
pub struct PathSummary {
    /// The PATH as given.
    pub path: String,
    /// How many vector files under it were recognised.
    pub recognised_files: u64,
}

/// Sums over every suite.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    /// Suites run.
    pub suites: u64,
    /// Cases passed.
    pub passed: u64,
    /// Cases failed.
    pub failed: u64,
    /// Cases skipped.
    pub skipped: u64,
    /// Files ignored as not holding vectors.
    pub ignored: u64,
    /// File and path errors.
    pub errors: u64,
}

/// Version of the tool that wrote a report.
#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    /// `hybrid-kx`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
    /// The backend each component ran on (`portable`, `libcrux`, `graviola`, `aws-lc`: chosen
    /// by build features and the CPU), by component (`ML-KEM-768`, `X25519`, `P-256`, ...): where
    /// its keys are held and its completions run.
    pub backends: BTreeMap<&'static str, &'static str>,
    /// The backend each component's seeded operations ran on (key generation and the server
    /// step from a vector's seed): the same as [`Self::backends`] but where that backend takes
    /// no seed (aws-lc-rs's ML-KEM), which leaves them to another one.
    pub seeded_backends: BTreeMap<&'static str, &'static str>,
    /// The backend the run asked for (`--backend`), or `None` for the crate's default choice.
    pub requested_backend: Option<&'static str>,
    /// The CPU the run was on, and what each backend needs from it: which backends could run
    /// depends on it.
    pub cpu: hybrid_kx_support::cpu::Cpu,
}

/// The whole run: printed as a table and optionally written as JSON.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The tool.
    pub tool: Tool,
    /// Whether `--full` was given.
    pub full: bool,
    /// `true` exactly when the exit status is 0.
    pub ok: bool,
    /// Sums.
    pub totals: Totals,
    /// Each PATH on the command line.
    pub paths: Vec<PathSummary>,
    /// Every suite in the order run.
    pub suites: Vec<SuiteReport>,
    /// Files without vectors.
    pub ignored: Vec<Ignored>,
    /// Errors.
    pub errors: Vec<FileError>,
    /// Wall time of the whole run.
    pub seconds: f64,
}

impl Report {
    /// Whether nothing failed and nothing was unusable (the exit status of `hybrid-kx kat`).
    pub fn ok(&self) -> bool {
        self.ok
    }

    /// Every suite, in the order run.
    pub fn suites(&self) -> &[SuiteReport] {
        &self.suites
    }

    /// The suites named `name` (one per source file).
    pub fn suites_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a SuiteReport> {
        self.suites.iter().filter(move |s| s.suite == name)
    }

    /// The one suite named `name` whose sources mention `source_part`.
    pub fn suite(&self, name: &str, source_part: &str) -> Option<&SuiteReport> {
        self.suites
            .iter()
            .find(|s| s.suite == name && s.sources.iter().any(|p| p.contains(source_part)))
    }

    /// Files and paths that could not be used.
    pub fn errors(&self) -> &[FileError] {
        &self.errors
    }

    /// Files without vectors.
    pub fn ignored(&self) -> &[Ignored] {
        &self.ignored
    }

    /// Sums over every suite.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// Records an error for each PATH that yielded no recognised vector file (unless the PATH
    /// itself could not be read, which is already an error).
    pub(crate) fn check_paths(&mut self) {
        for path in &self.paths {
            let unreadable = self.errors.iter().any(|e| e.path == path.path);
            if path.recognised_files == 0 && !unreadable {
                self.errors.push(FileError {
                    path: path.path.clone(),
                    error: "no recognised vector suite under this path".to_owned(),
                });
            }
        }
    }

    /// Fills in the totals and the verdict: nothing failed and no error (see
    /// `check_paths`).
    pub fn conclude(&mut self) {
        let mut totals = Totals {
            suites: self.suites.len() as u64,
            ignored: self.ignored.len() as u64,
            ..Totals::default()
        };
        for suite in &self.suites {
            totals.passed += suite.passed;
            totals.failed += suite.failed;
            totals.skipped += suite.skipped;
        }
        totals.errors = self.errors.len() as u64;
        self.ok = totals.failed == 0 && totals.errors == 0;
        self.totals = totals;
    }
}

/// `key value` pairs of a map, comma-separated, for the table.
fn listed<K: Display, V: Display>(map: &BTreeMap<K, V>) -> String {
    let pairs: Vec<String> = map.iter().map(|(k, v)| format!("{k} {v}")).collect();
    pairs.join(", ")
}

/// Shortens a long hex value for the table.
fn short(value: &str) -> String {
    if value.len() > PRINTED_HEX && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!(
            "{}..({} bytes)",
            &value[..PRINTED_HEX.min(value.len())],
            value.len() / 2
        )
    } else {
        value.to_owned()
    }
}

/// The sources of a suite for the table: a second file in the same folder as the first is
/// shown by its name only.
fn joined(sources: &[String]) -> String {
    let mut out = String::new();
    let first_dir = sources
        .first()
        .and_then(|s| s.rsplit_once('/'))
        .map(|(d, _)| d);
    for (i, source) in sources.iter().enumerate() {
        if i > 0 {
            out.push_str(" + ");
            if let Some((dir, name)) = source.rsplit_once('/')
                && Some(dir) == first_dir
            {
                out.push_str(name);
                continue;
            }
        }
        out.push_str(source);
    }
    out
}

impl Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sources: Vec<String> = self.suites.iter().map(|s| joined(&s.sources)).collect();
        let suite_w = self
            .suites
            .iter()
            .map(|s| s.suite.len())
            .chain([5])
            .max()
            .unwrap_or(5);
        let source_w = sources
            .iter()
            .map(String::len)
            .chain([6])
            .max()
            .unwrap_or(6);
        writeln!(
            f,
            "{:suite_w$}  {:source_w$}  {:>7}  {:>6}  {:>7}",
            "suite", "source", "passed", "failed", "skipped"
        )?;
        writeln!(f, "{}", "-".repeat(suite_w + source_w + 30))?;
        for (suite, source) in self.suites.iter().zip(&sources) {
            writeln!(
                f,
                "{:suite_w$}  {:source_w$}  {:>7}  {:>6}  {:>7}",
                suite.suite, source, suite.passed, suite.failed, suite.skipped
            )?;
            if !suite.ran_on.is_empty() {
                writeln!(f, "    ran: {}", listed(&suite.ran_on))?;
            }
            for skip in &suite.skip_reasons {
                writeln!(f, "    skipped {}: {}", skip.count, skip.reason)?;
            }
            for failure in suite.failures.iter().take(PRINTED_FAILURES) {
                writeln!(
                    f,
                    "    FAILED {}: {}: expected {}, got {}",
                    failure.case,
                    failure.field,
                    short(&failure.expected),
                    short(&failure.actual)
                )?;
            }
            if suite.failures.len() > PRINTED_FAILURES {
                writeln!(
                    f,
                    "    ... and {} more failures (see --json)",
                    suite.failures.len() - PRINTED_FAILURES
                )?;
            }
        }
        for ignored in &self.ignored {
            writeln!(f, "ignored: {}: {}", ignored.path, ignored.reason)?;
        }
        for error in &self.errors {
            writeln!(f, "error: {}: {}", error.path, error.error)?;
        }
        writeln!(f, "cpu: {}", self.tool.cpu)?;
        writeln!(f, "backends: {}", listed(&self.tool.backends))?;
        if self.tool.seeded_backends != self.tool.backends {
            let seeded = listed(&self.tool.seeded_backends);
            writeln!(f, "seeded operations on: {seeded}")?;
        }
        let t = &self.totals;
        writeln!(
            f,
            "{} suites, {} ignored files, {} errors, {:.1} s",
            t.suites, t.ignored, t.errors, self.seconds
        )?;
        writeln!(
            f,
            "kat: {} passed, {} failed, {} skipped",
            t.passed, t.failed, t.skipped
        )
    }
}
