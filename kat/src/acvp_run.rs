//! What is done with an ACVP vector set, every algorithm alike: run it against its answers
//! ([`run`]: the known-answer engine), answer it as an implementation under test would
//! ([`respond`]: `hybrid-kx acvp respond`), and compare a response with the expected answers
//! ([`check`]: `hybrid-kx acvp check`). All three check every field against the format's
//! tables ([`crate::acvp`]); a format says how to answer one test ([`Format`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;

use serde_json::{Map, Value};

use super::acvp::{AcvpFile, AcvpSource, Kind, Role, Table, groups, short_json, sources, tests};
use super::report::{Case, FileError, SkipReason, SuiteReport, SuiteRun};

/// The answer of an implementation to one test, as the response object's fields (hex in upper
/// case, as NIST writes it), and what it showed on the way (`decapsulation on portable`).
#[derive(Clone, Debug, Default)]
pub struct Answer {
    /// The answer fields (`c`, `k`, `testPassed`, the eight TLS secrets, ...).
    pub fields: Map<String, Value>,
    /// Tallies: where each operation ran, which mode it was.
    pub notes: Vec<String>,
}

impl Answer {
    /// Adds the bytes of field `name`.
    pub fn hex(&mut self, name: &str, bytes: &[u8]) -> &mut Self {
        self.fields
            .insert(name.to_owned(), Value::String(hex::encode_upper(bytes)));
        self
    }
}

/// Why a test could not be answered.
#[derive(Clone, Debug)]
pub enum Refusal {
    /// The test's inputs are malformed (beyond what the tables check): an error.
    Malformed(String),
    /// The crate refused an operation the test needs: the case fails on `field`.
    Failed {
        /// The first answer field the refusal leaves without a value.
        field: &'static str,
        /// What the test needed.
        expected: String,
        /// The crate's error.
        actual: String,
    },
}

impl From<String> for Refusal {
    fn from(error: String) -> Self {
        Self::Malformed(error)
    }
}

/// Why a test group cannot run.
#[derive(Clone, Debug)]
pub enum GroupError {
    /// Its fields break the format's tables: an error.
    Malformed(String),
    /// A documented reason to skip its tests.
    Skip(SkipReason),
}

impl From<String> for GroupError {
    fn from(error: String) -> Self {
        Self::Malformed(error)
    }
}

/// One ACVP algorithm: its tables (from its specification) and how it answers a test.
pub trait Format {
    /// A test group whose fields were checked: what its tests are.
    type Group;

    /// Whether this runner implements `mode` at `revision`.
    fn supports(mode: &str, revision: &str) -> bool;

    /// The test tables of `mode` (every mode when `None`).
    fn test_tables(mode: Option<&str>) -> Vec<Table>;

    /// The modes this runner implements.
    fn modes() -> &'static [&'static str];

    /// The table of a group of `mode` in a file that does not say a group's function (expected
    /// results, responses: `tgId` and `tests`).
    fn group_table(mode: Option<&str>) -> Table;

    /// The suite the tests of `group` are reported under (before its fields are checked).
    fn suite(set: &AcvpSource, group: &Value) -> String;

    /// Checks a group of a prompt or projection against the group table and tells what its
    /// tests are.
    ///
    /// # Errors
    ///
    /// [`GroupError`].
    fn group(set: &AcvpSource, group: &Value) -> Result<Self::Group, GroupError>;

    /// The table of the group's tests.
    fn tests(group: &Self::Group) -> Table;

    /// The id of a case in the report (`tcId 26 (ML-KEM-768)`).
    fn case_id(group: &Self::Group, tc: u64) -> String;

    /// The implementation's answer to one test (whose fields the tables have checked).
    ///
    /// # Errors
    ///
    /// [`Refusal`].
    fn answer(
        group: &Self::Group,
        raw_group: &Value,
        test: &Value,
        role: Role,
    ) -> Result<Answer, Refusal>;
}

/// A group of a prompt or projection, its fields checked.
struct Walked<'a, G> {
    suite: String,
    tg: Option<u64>,
    raw: &'a Value,
    group: Result<G, GroupError>,
    tests: Vec<WalkedTest<'a>>,
}

/// A test of a walked group, its fields checked.
struct WalkedTest<'a> {
    tc: Option<u64>,
    raw: &'a Value,
    checked: Result<(), String>,
}

impl<G> Walked<'_, G> {
    /// Where a group error is reported.
    fn location(&self) -> String {
        match self.tg {
            Some(tg) => format!("tgId {tg}"),
            None => format!("test group {}", short_json(self.raw)),
        }
    }
}

/// Walks the groups and tests of a prompt or projection, checking every field against the
/// format's tables and the uniqueness of `tgId` and `tcId` (the specifications: unique across
/// the vector set).
fn walk<F: Format>(prompt: &AcvpSource) -> Vec<Walked<'_, F::Group>> {
    let mut tg_seen = BTreeSet::new();
    let mut tc_seen = BTreeSet::new();
    let mut out = Vec::new();
    for raw in groups(&prompt.set) {
        let tg = raw.get("tgId").and_then(Value::as_u64);
        let group = F::group(prompt, raw).and_then(|g| match tg {
            Some(tg) if !tg_seen.insert(tg) => Err(GroupError::Malformed(format!(
                "tgId {tg} appears twice in the vector set"
            ))),
            _ => Ok(g),
        });
        let inherited: Vec<&str> = match &group {
            Ok(g) => F::tests(g)
                .fields()
                .map(|(name, _, _)| name)
                .filter(|name| raw.get(*name).is_some())
                .collect(),
            Err(_) => Vec::new(),
        };
        let tests = tests(raw)
            .iter()
            .map(|test| {
                let tc = test.get("tcId").and_then(Value::as_u64);
                let checked =
                    match &group {
                        Ok(g) => F::tests(g)
                            .check(test, prompt.role, &inherited)
                            .and_then(|()| match tc {
                                Some(tc) if !tc_seen.insert(tc) => {
                                    Err(format!("tcId {tc} appears twice in the vector set"))
                                }
                                _ => Ok(()),
                            }),
                        Err(_) => Ok(()),
                    };
                WalkedTest {
                    tc,
                    raw: test,
                    checked,
                }
            })
            .collect();
        out.push(Walked {
            suite: F::suite(prompt, raw),
            tg,
            raw,
            group,
            tests,
        });
    }
    out
}

/// The answers to a prompt's tests, joined on `tgId` and `tcId`; every answer must be used.
struct Answers<'a> {
    results: Option<&'a AcvpSource>,
    by_id: BTreeMap<(u64, u64), &'a Value>,
    errors: Vec<FileError>,
}

impl<'a> Answers<'a> {
    /// The answers of `results` (none for a projection, which answers its own tests), their
    /// groups checked against `group_table`.
    fn new(results: Option<&'a AcvpSource>, group_table: Table) -> Self {
        let mut answers = Self {
            results,
            by_id: BTreeMap::new(),
            errors: Vec::new(),
        };
        let Some(source) = results else {
            return answers;
        };
        let mut seen = BTreeSet::new();
        for group in groups(&source.set) {
            let tg = group.get("tgId").and_then(Value::as_u64);
            if let Err(e) = group_table.check(group, source.role, &[]) {
                answers.error(format!("test group {}", short_json(group)), e);
                continue;
            }
            let tg = tg.unwrap_or_default();
            for test in tests(group) {
                match test.get("tcId").and_then(Value::as_u64) {
                    None => answers.error(format!("tgId {tg}"), "test without a tcId"),
                    Some(tc) if !seen.insert(tc) => answers.error(
                        format!("tgId {tg} tcId {tc}"),
                        "tcId appears twice in the vector set",
                    ),
                    Some(tc) => {
                        answers.by_id.insert((tg, tc), test);
                    }
                }
            }
        }
        answers
    }

    /// Records an error in the results file.
    fn error(&mut self, location: impl Display, error: impl Display) {
        let path = self.results.map(|r| r.path.clone()).unwrap_or_default();
        self.errors.push(FileError {
            path,
            error: format!("{location}: {error}"),
        });
    }

    /// The answer to `test` of group `tg` (the test itself in a projection), checked against
    /// `table` for the results file's role.
    fn take(
        &mut self,
        tg: u64,
        tc: u64,
        test: &'a Value,
        table: Table,
    ) -> Result<&'a Value, String> {
        let Some(source) = self.results else {
            return Ok(test);
        };
        let answer = self
            .by_id
            .remove(&(tg, tc))
            .ok_or_else(|| format!("no expected result for tgId {tg} tcId {tc}"))?;
        table
            .check(answer, source.role, &[])
            .map_err(|e| format!("{}: {e}", source.path))?;
        Ok(answer)
    }

    /// Drops the answers of a group that cannot run (its errors are reported already).
    fn discard(&mut self, tg: Option<u64>) {
        if let Some(tg) = tg {
            self.by_id.retain(|(g, _), _| *g != tg);
        }
    }

    /// The errors: the results file's own, and every answer no test asked for.
    fn finish(mut self) -> Vec<FileError> {
        let left: Vec<(u64, u64)> = self.by_id.keys().copied().collect();
        for (tg, tc) in left {
            self.error(
                format!("tgId {tg} tcId {tc}"),
                "expected result without a test in the prompt",
            );
        }
        self.errors
    }
}

/// Compares one answer field: hex as bytes (NIST writes upper case, acvptool lower case),
/// anything else as JSON.
fn compare_value(case: &mut Case, name: &str, kind: Kind, want: &Value, got: Option<&Value>) {
    let Some(got) = got else {
        case.fail(name, short_json(want), "no answer");
        return;
    };
    match kind {
        Kind::Hex => {
            let decode = |v: &Value| v.as_str().and_then(|s| hex::decode(s).ok());
            match (decode(want), decode(got)) {
                (Some(w), Some(g)) => {
                    case.eq(name, &w, &g);
                }
                _ => {
                    case.fail(name, short_json(want), short_json(got));
                }
            }
        }
        _ => {
            case.eq_display(name, short_json(want), short_json(got));
        }
    }
}

/// Runs every test of `prompt` (a prompt joined with its `results`, or a projection alone):
/// every field of both files is checked against the format's tables, every test is answered
/// through the crate and its answer compared with the expected one, and every expected answer
/// must belong to a test.
pub fn run<F: Format>(prompt: &AcvpSource, results: Option<&AcvpSource>) -> Vec<SuiteReport> {
    let mut answers = Answers::new(results, F::group_table(prompt.mode()));
    let sources = sources(prompt, results);
    let steps = groups(&prompt.set)
        .iter()
        .map(|g| tests(g).len() as u64)
        .sum();
    let mut suites: Vec<SuiteRun> = Vec::new();
    for walked in walk::<F>(prompt) {
        let index = match suites.iter().position(|s| s.name() == walked.suite) {
            Some(index) => index,
            None => {
                suites.push(SuiteRun::new(walked.suite.clone(), sources.clone(), steps));
                suites.len() - 1
            }
        };
        let run = &mut suites[index];
        let group = match &walked.group {
            Ok(group) => group,
            Err(GroupError::Malformed(e)) => {
                run.error(walked.location(), e);
                answers.discard(walked.tg);
                continue;
            }
            Err(GroupError::Skip(reason)) => {
                run.skip_many(*reason, walked.tests.len() as u64);
                answers.discard(walked.tg);
                continue;
            }
        };
        let tg = walked.tg.unwrap_or_default();
        for test in &walked.tests {
            let id = match test.tc {
                Some(tc) => F::case_id(group, tc),
                None => format!("tgId {tg}: test {}", short_json(test.raw)),
            };
            let mut case = run.case(id);
            let want = test.checked.clone().and_then(|()| {
                answers.take(tg, test.tc.unwrap_or_default(), test.raw, F::tests(group))
            });
            match want {
                Err(e) => {
                    case.malformed(e);
                }
                Ok(want) => match F::answer(group, walked.raw, test.raw, prompt.role) {
                    Ok(answer) => {
                        for note in answer.notes {
                            case.tally(note);
                        }
                        if let Some(reason) = test.raw.get("reason").and_then(Value::as_str) {
                            case.tally(format!("reason: {reason}"));
                        }
                        for (name, kind) in F::tests(group).answers() {
                            if let Some(expected) = want.get(name) {
                                compare_value(
                                    &mut case,
                                    name,
                                    kind,
                                    expected,
                                    answer.fields.get(name),
                                );
                            }
                        }
                    }
                    Err(Refusal::Malformed(e)) => {
                        case.malformed(e);
                    }
                    Err(Refusal::Failed {
                        field,
                        expected,
                        actual,
                    }) => {
                        case.fail(field, expected, actual);
                    }
                },
            }
            run.record(case);
        }
    }
    let mut reports: Vec<SuiteReport> = suites.into_iter().map(SuiteRun::finish).collect();
    let leftover = answers.finish();
    match reports.first_mut() {
        Some(first) => first.errors.extend(leftover),
        None => {
            let mut run = SuiteRun::new(F::suite(prompt, &Value::Null), sources, 0);
            for error in leftover {
                run.error(&error.path, &error.error);
            }
            reports.push(run.finish());
        }
    }
    reports
}

/// The response to one vector set, and what answering it showed.
#[derive(Clone, Debug)]
pub struct Responded {
    /// The response object: `vsId`, `algorithm` (as acvptool writes it, so that the runner
    /// can pair it with its prompt), `testGroups` of `tgId` and `tests`.
    pub response: Value,
    /// Tests answered.
    pub tests: u64,
    /// The answers' tallies, counted (`decapsulation on portable: 30`).
    pub notes: BTreeMap<String, u64>,
}

/// Answers every test of a prompt (or projection) as an implementation under test would: the
/// response object of the ACVP specifications, one answer per test.
///
/// # Errors
///
/// Every field the tables refuse and every test that cannot be answered, with its location.
pub fn respond<F: Format>(prompt: &AcvpSource) -> Result<Responded, Vec<String>> {
    let mut errors = Vec::new();
    let mut notes = BTreeMap::new();
    let mut count = 0;
    let mut out_groups = Vec::new();
    for walked in walk::<F>(prompt) {
        let group = match &walked.group {
            Ok(group) => group,
            Err(GroupError::Malformed(e)) => {
                errors.push(format!("{}: {e}", walked.location()));
                continue;
            }
            Err(GroupError::Skip(reason)) => {
                errors.push(format!(
                    "{}: cannot answer: {}",
                    walked.location(),
                    reason.text()
                ));
                continue;
            }
        };
        let mut out_tests = Vec::new();
        for test in &walked.tests {
            let tc = test.tc.unwrap_or_default();
            let answer = test
                .checked
                .clone()
                .map_err(Refusal::Malformed)
                .and_then(|()| F::answer(group, walked.raw, test.raw, prompt.role));
            match answer {
                Ok(answer) => {
                    let mut fields = Map::new();
                    fields.insert("tcId".to_owned(), Value::from(tc));
                    fields.extend(answer.fields);
                    out_tests.push(Value::Object(fields));
                    for note in answer.notes {
                        *notes.entry(note).or_default() += 1;
                    }
                    count += 1;
                }
                Err(Refusal::Malformed(e)) => {
                    errors.push(format!("{}: {e}", F::case_id(group, tc)));
                }
                Err(Refusal::Failed { field, actual, .. }) => {
                    errors.push(format!("{}: {field}: {actual}", F::case_id(group, tc)));
                }
            }
        }
        let mut out_group = Map::new();
        out_group.insert(
            "tgId".to_owned(),
            Value::from(walked.tg.unwrap_or_default()),
        );
        out_group.insert("tests".to_owned(), Value::Array(out_tests));
        out_groups.push(Value::Object(out_group));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut response = Map::new();
    response.insert("vsId".to_owned(), prompt.set["vsId"].clone());
    response.insert("algorithm".to_owned(), prompt.set["algorithm"].clone());
    response.insert("testGroups".to_owned(), Value::Array(out_groups));
    Ok(Responded {
        response: Value::Object(response),
        tests: count,
        notes,
    })
}

/// Compares a response with the expected answers (NIST's expected results, a projection, or
/// another response), case by case: every expected test must be answered with exactly its
/// answer fields (hex compared as bytes, so in either case), and the response must answer
/// nothing else. Each test of either file must have exactly the fields of one test table of
/// the format for its kind of file (a projection: its answer fields are compared, whatever
/// else it holds).
pub fn check(response: &AcvpFile, expected: &AcvpFile) -> SuiteReport {
    let sources = vec![response.source.path.clone(), expected.source.path.clone()];
    let name = format!("ACVP check {}", expected.algorithm.name());
    let mut run = SuiteRun::new(name, sources, 0);
    let refuse = |mut run: SuiteRun, error: String| {
        run.error("acvp check", error);
        run.finish()
    };
    if !matches!(response.role(), Role::Response | Role::Results) {
        let error = format!(
            "{} holds {}, not answers",
            response.source.path,
            response.role().describe()
        );
        return refuse(run, error);
    }
    if expected.role() == Role::Prompt {
        return refuse(
            run,
            format!("{} is a prompt, without answers", expected.source.path),
        );
    }
    if response.algorithm != expected.algorithm || response.vs_id != expected.vs_id {
        let error = format!(
            "{} answers {} vsId {}, {} holds {} vsId {}",
            response.source.path,
            response.algorithm.name(),
            response.vs_id,
            expected.source.path,
            expected.algorithm.name(),
            expected.vs_id
        );
        return refuse(run, error);
    }
    let mode = expected.source.mode().or(response.source.mode());
    let tables = expected.algorithm.test_tables(mode);
    let group_table = expected.algorithm.group_table(mode);
    let answer_kind = |name: &str| {
        tables
            .iter()
            .find_map(|t| t.answers().find(|(n, _)| *n == name).map(|(_, k)| k))
    };
    // A test fits some test table of the format (a projection's: holds some answer field).
    let fits = |test: &Value, role: Role| -> Result<(), String> {
        if role == Role::Projection {
            let answered = test
                .as_object()
                .is_some_and(|o| o.keys().any(|k| answer_kind(k).is_some()));
            return if answered {
                Ok(())
            } else {
                Err("test without an answer field".to_owned())
            };
        }
        // Else the error of the table that knows the most of the test's names.
        let names: Vec<&str> = test
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        let mut best: Option<(usize, String)> = None;
        for table in &tables {
            match table.check(test, role, &[]) {
                Ok(()) => return Ok(()),
                Err(e) => {
                    let known = names.iter().filter(|n| table.field(n).is_some()).count();
                    if best.as_ref().is_none_or(|(k, _)| known > *k) {
                        best = Some((known, e));
                    }
                }
            }
        }
        Err(best.map(|(_, e)| e).unwrap_or_default())
    };
    // Each side's tests by (tgId, tcId).
    let mut index = |file: &'_ AcvpFile| -> BTreeMap<(u64, u64), Value> {
        let mut by_id = BTreeMap::new();
        let path = &file.source.path;
        for group in groups(&file.source.set) {
            let tg = group
                .get("tgId")
                .and_then(Value::as_u64)
                .unwrap_or_default();
            if let Err(e) = group_table.check(group, file.role(), &[]) {
                run.error(path, format!("test group {}: {e}", short_json(group)));
                continue;
            }
            for test in tests(group) {
                let tc = test.get("tcId").and_then(Value::as_u64);
                let fitted = tc
                    .ok_or_else(|| "test without a tcId".to_owned())
                    .and_then(|tc| fits(test, file.role()).map(|()| tc));
                match fitted {
                    Err(e) => run.error(path, format!("tgId {tg}: {e}")),
                    Ok(tc) => {
                        if by_id.insert((tg, tc), test.clone()).is_some() {
                            run.error(path, format!("tgId {tg} tcId {tc} appears twice"));
                        }
                    }
                }
            }
        }
        by_id
    };
    let got = index(response);
    let want = index(expected);
    for ((tg, tc), want_test) in &want {
        let mut case = run.case(format!("tgId {tg} tcId {tc}"));
        match got.get(&(*tg, *tc)) {
            None => {
                case.fail("test", "answered", "missing from the response");
            }
            Some(got_test) => {
                for (name, value) in want_test.as_object().into_iter().flatten() {
                    if let Some(kind) = answer_kind(name).filter(|_| name != "tcId") {
                        compare_value(&mut case, name, kind, value, got_test.get(name));
                    }
                }
                for name in got_test.as_object().into_iter().flatten().map(|(n, _)| n) {
                    if name != "tcId" && want_test.get(name).is_none() {
                        case.fail(name, "absent", "present in the response");
                    }
                }
            }
        }
        run.record(case);
    }
    for (tg, tc) in got.keys().filter(|id| !want.contains_key(id)) {
        let mut case = run.case(format!("tgId {tg} tcId {tc}"));
        case.fail(
            "test",
            "absent",
            "answered, but not in the expected results",
        );
        run.record(case);
    }
    run.finish()
}
