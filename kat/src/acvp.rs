//! What the NIST ACVP JSON formats share: recognising a vector set by content, telling a prompt
//! from expected results and from an internal projection, pairing them, and joining tests on
//! `tgId`/`tcId`.

use std::collections::HashMap;

use serde_json::Value;

/// A parsed ACVP file: its path and the vector-set object inside it.
#[derive(Clone, Debug)]
pub struct AcvpSource {
    /// The file as given or found.
    pub path: String,
    /// The vector set (`algorithm`, `testGroups`, ...).
    pub set: Value,
}

/// What an ACVP file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Inputs only (`prompt.json`, `vectors.json`).
    Prompt,
    /// Answers only (`expectedResults.json`, `expected.json`).
    Results,
    /// Inputs and answers (`internalProjection.json`).
    Projection,
}

/// The algorithms this runner implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `ML-KEM`, modes `keyGen` and `encapDecap`.
    MlKem,
    /// `TLS-v1.3`, mode `KDF`.
    Tls13Kdf,
}

/// A recognised ACVP file.
#[derive(Clone, Debug)]
pub struct AcvpFile {
    /// Path and vector set.
    pub source: AcvpSource,
    /// Algorithm.
    pub algorithm: Algorithm,
    /// `mode`, when the file states it (expected results may not).
    pub mode: Option<String>,
    /// `vsId`, as text.
    pub vs_id: Option<String>,
    /// Prompt, results or projection.
    pub role: Role,
}

impl AcvpFile {
    /// Whether `results` holds the answers to this prompt: same algorithm, vector set and mode.
    pub fn answered_by(&self, results: &AcvpFile) -> bool {
        self.role == Role::Prompt
            && results.role == Role::Results
            && self.algorithm == results.algorithm
            && self.vs_id == results.vs_id
            && match (&self.mode, &results.mode) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

/// The vector-set object of an ACVP file: the object itself, or the element of a
/// `[session header, vector set]` array that has `algorithm` and `testGroups`.
pub fn vector_set(value: &Value) -> Option<&Value> {
    let is_set = |v: &Value| v.get("algorithm").is_some() && v.get("testGroups").is_some();
    match value {
        Value::Object(_) if is_set(value) => Some(value),
        Value::Array(items) => items.iter().find(|v| is_set(v)),
        _ => None,
    }
}

/// `Some` when `value` is an ACVP vector set: `Ok` for a supported algorithm and mode, `Err`
/// (a file error) otherwise.
pub fn classify(path: &str, value: &Value) -> Option<Result<AcvpFile, String>> {
    let set = vector_set(value)?;
    let algorithm = set["algorithm"].as_str().unwrap_or_default();
    let mode = set.get("mode").and_then(Value::as_str).map(str::to_owned);
    let algorithm = match (algorithm, mode.as_deref()) {
        ("ML-KEM", Some("keyGen" | "encapDecap")) => Algorithm::MlKem,
        ("ML-KEM", None) => {
            return Some(Err(
                "ACVP ML-KEM vector set without a `mode` (keyGen or encapDecap)".to_owned(),
            ));
        }
        ("TLS-v1.3", Some("KDF") | None) => Algorithm::Tls13Kdf,
        (other, mode) => {
            return Some(Err(format!(
                "ACVP vector set for an algorithm this runner does not implement: {other} {}",
                mode.unwrap_or("")
            )));
        }
    };
    let vs_id = match set.get("vsId") {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let group_params = [
        "parameterSet",
        "function",
        "testType",
        "hmacAlg",
        "runningMode",
    ];
    let has_params = groups(set).any(|g| group_params.iter().any(|p| g.get(*p).is_some()));
    let answer_fields = match (algorithm, mode.as_deref()) {
        (Algorithm::MlKem, Some("keyGen")) => &["ek", "dk"][..],
        (Algorithm::MlKem, _) => &["k", "testPassed"][..],
        (Algorithm::Tls13Kdf, _) => &["clientEarlyTrafficSecret", "resumptionMasterSecret"][..],
    };
    let has_answers = groups(set)
        .flat_map(tests)
        .any(|t| answer_fields.iter().any(|f| t.get(*f).is_some()));
    let role = match (has_params, has_answers) {
        (false, true) => Role::Results,
        (true, true) => Role::Projection,
        (true, false) => Role::Prompt,
        (false, false) => {
            return Some(Err(
                "ACVP vector set with neither test inputs nor expected results".to_owned(),
            ));
        }
    };
    Some(Ok(AcvpFile {
        source: AcvpSource {
            path: path.to_owned(),
            set: set.clone(),
        },
        algorithm,
        mode,
        vs_id,
        role,
    }))
}

/// The test groups of a vector set.
pub fn groups(set: &Value) -> impl Iterator<Item = &Value> {
    set["testGroups"].as_array().into_iter().flatten()
}

/// The tests of a group.
pub fn tests(group: &Value) -> impl Iterator<Item = &Value> {
    group["tests"].as_array().into_iter().flatten()
}

/// How many tests a vector set has.
pub fn count_tests(set: &Value) -> u64 {
    groups(set).flat_map(tests).count() as u64
}

/// The sources of a suite: the prompt, and the expected results if separate.
pub fn sources(prompt: &AcvpSource, results: Option<&AcvpSource>) -> Vec<String> {
    let mut sources = vec![prompt.path.clone()];
    sources.extend(results.map(|r| r.path.clone()));
    sources
}

/// Field `name` of a test, or of its group when the test lacks it (ACVP releases put keys
/// at either level).
pub fn field<'a>(test: &'a Value, group: &'a Value, name: &str) -> Option<&'a Value> {
    test.get(name).or_else(|| group.get(name))
}

/// The bytes of hex field `name` (test level first, then group level).
pub fn hex_field(test: &Value, group: &Value, name: &str) -> Result<Vec<u8>, String> {
    let value = field(test, group, name).ok_or_else(|| format!("missing field {name}"))?;
    let text = value
        .as_str()
        .ok_or_else(|| format!("field {name} is not a string"))?;
    hex::decode(text).map_err(|e| format!("field {name}: not hex: {e}"))
}

/// The expected answers of a prompt, by `tgId` and `tcId`.
pub struct ExpectedResults<'a> {
    by_group_and_case: HashMap<(u64, u64), &'a Value>,
    by_case: HashMap<u64, &'a Value>,
    projection: bool,
}

impl<'a> ExpectedResults<'a> {
    /// The answers in `results`, or the prompt's own tests when it is a projection.
    pub fn new(results: Option<&'a AcvpSource>) -> Self {
        let mut by_group_and_case = HashMap::new();
        let mut by_case = HashMap::new();
        for group in results.map(|r| groups(&r.set)).into_iter().flatten() {
            let tg = group["tgId"].as_u64();
            for test in tests(group) {
                if let Some(tc) = test["tcId"].as_u64() {
                    if let Some(tg) = tg {
                        by_group_and_case.insert((tg, tc), test);
                    }
                    by_case.insert(tc, test);
                }
            }
        }
        Self {
            by_group_and_case,
            by_case,
            projection: results.is_none(),
        }
    }

    /// The answer to `test` of `group`.
    pub fn get<'b>(&'b self, group: &Value, test: &'b Value) -> Result<&'b Value, String> {
        if self.projection {
            return Ok(test);
        }
        let tc = test["tcId"]
            .as_u64()
            .ok_or_else(|| "test without tcId".to_owned())?;
        let joined = match group["tgId"].as_u64() {
            Some(tg) => self
                .by_group_and_case
                .get(&(tg, tc))
                .or_else(|| self.by_case.get(&tc)),
            None => self.by_case.get(&tc),
        };
        joined
            .copied()
            .ok_or_else(|| format!("no expected result for tcId {tc}"))
    }
}
