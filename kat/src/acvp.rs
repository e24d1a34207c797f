//! What the NIST ACVP JSON formats share: the document around a vector set, the role a file
//! plays (prompt, expected results, internal projection, response), and the field tables each
//! format declares from its specification with the one check that enforces them. What is done
//! with a vector set (run it, answer it, compare answers) is [`crate::acvp_run`].
//!
//! # Strictness
//!
//! A field is accepted when the specification of its format defines it for the kind of file it
//! is in, and checked where it carries an expectation; anything else is an error naming the
//! file and the place. The specifications are the ACVP JSON specifications (the protocol's
//! vector-set and response objects; `draft-celi-acvp-ml-kem`, `draft-hammett-acvp-kdf-tls-v1.3`)
//! and, for the two kinds of file the specifications do not describe, the ACVP-Server generator
//! that writes them (`internalProjection.json`: every property of its test-group and test-case
//! classes) and acvptool (its response files and its session header). Each format module
//! documents its tables beside its parser ([`crate::acvp_mlkem`], [`crate::acvp_tls_kdf`]); the
//! vector-set level is [`VECTOR_SET`] and [`HEADER`] here.

use serde_json::Value;

use super::acvp_run::Format;

use super::report::SuiteReport;

/// A set of the four kinds of ACVP file, as bits (see [`Role::bit`]).
pub type Roles = u8;

/// `prompt.json`: the inputs the server sends.
pub const PROMPT: Roles = 1;
/// `expectedResults.json`: NIST's answers.
pub const RESULTS: Roles = 2;
/// `internalProjection.json`: the server's own copy, inputs and answers together.
pub const PROJECTION: Roles = 4;
/// A response: the answers an implementation sends back (acvptool's output).
pub const RESPONSE: Roles = 8;
/// The files that carry the inputs of a test.
pub const INPUTS: Roles = PROMPT | PROJECTION;
/// The files that carry the answers of a test.
pub const ANSWERS: Roles = RESULTS | PROJECTION | RESPONSE;
/// Every kind of file.
pub const EVERY: Roles = PROMPT | ANSWERS;

/// What an ACVP file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Inputs only (`prompt.json`, acvptool's `vectors.json`).
    Prompt,
    /// NIST's answers only (`expectedResults.json`): every vector-set field of the prompt.
    Results,
    /// Inputs and answers (`internalProjection.json`).
    Projection,
    /// An implementation's answers: the ACVP response object (`vsId`, `testGroups`, and
    /// `algorithm` as acvptool writes it), without `mode`, `revision` or `isSample`.
    Response,
}

impl Role {
    /// The role's bit in a [`Cell`].
    pub const fn bit(self) -> Roles {
        match self {
            Self::Prompt => PROMPT,
            Self::Results => RESULTS,
            Self::Projection => PROJECTION,
            Self::Response => RESPONSE,
        }
    }

    /// The kind of file, as the ACVP documents call it.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Prompt => "a prompt",
            Self::Results => "expected results",
            Self::Projection => "an internal projection",
            Self::Response => "a response",
        }
    }
}

/// The JSON type (and, where the specification fixes it, the value) of a field.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A non-negative JSON integer (`tgId`, `tcId`, `vsId`).
    Integer,
    /// A JSON boolean.
    Boolean,
    /// A JSON string of free text.
    Text,
    /// A JSON string of hexadecimal digits (either case), an even number of them.
    Hex,
    /// A JSON array.
    Array,
    /// One of these JSON strings.
    OneOf(&'static [&'static str]),
    /// This JSON boolean; the text says why the other value cannot be run.
    Is(bool, &'static str),
}

/// Where a field may and must appear, per kind of file ([`Roles`]).
#[derive(Clone, Copy, Debug)]
pub struct Cell {
    /// The kinds of file the field may appear in.
    pub may: Roles,
    /// The kinds of file it must appear in (a subset of `may`).
    pub must: Roles,
}

impl Cell {
    /// A field allowed in `may` and required in `must`.
    pub const fn new(may: Roles, must: Roles) -> Self {
        Self { may, must }
    }
}

/// Required in every kind of file (`tgId`, `tcId`, `tests`).
pub const EVERY_FILE: Cell = Cell::new(EVERY, EVERY);
/// A required input: in prompts and projections.
pub const INPUT: Cell = Cell::new(INPUTS, INPUTS);
/// An optional input (present only in some releases or layouts).
pub const INPUT_OPTIONAL: Cell = Cell::new(INPUTS, 0);
/// A required answer: in expected results, projections and responses.
pub const ANSWER: Cell = Cell::new(ANSWERS, ANSWERS);
/// The server's own bookkeeping: optional, in projections only.
pub const SERVER: Cell = Cell::new(PROJECTION, 0);
/// Optional in every kind of file.
pub const OPTIONAL: Cell = Cell::new(EVERY, 0);
/// Not defined.
pub const NONE: Cell = Cell::new(0, 0);

/// One field of a table: its name, its kind, and where it appears in each column (a table may
/// have one column per function, since the specifications define a test's fields per
/// function).
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// The JSON name.
    pub name: &'static str,
    /// Its type and value.
    pub kind: Kind,
    /// Where it appears, per column.
    pub cells: &'static [Cell],
}

impl Row {
    /// A row.
    pub const fn new(name: &'static str, kind: Kind, cells: &'static [Cell]) -> Self {
        Self { name, kind, cells }
    }
}

/// One column of a field table: the fields of one kind of object (a vector set, a group of one
/// function, a test of one function).
#[derive(Clone, Copy, Debug)]
pub struct Table {
    /// The rows.
    pub rows: &'static [Row],
    /// The column.
    pub column: usize,
}

impl Table {
    /// The first column of `rows`.
    pub const fn of(rows: &'static [Row]) -> Self {
        Self { rows, column: 0 }
    }

    /// The fields of this column: name, kind and where they appear.
    pub fn fields(self) -> impl Iterator<Item = (&'static str, Kind, Cell)> {
        self.rows.iter().filter_map(move |row| {
            let cell = row.cells.get(self.column).copied().unwrap_or(NONE);
            (cell.may != 0).then_some((row.name, row.kind, cell))
        })
    }

    /// The field `name`, if this column defines it for any kind of file.
    pub fn field(self, name: &str) -> Option<(Kind, Cell)> {
        self.fields()
            .find(|(n, _, _)| *n == name)
            .map(|(_, kind, cell)| (kind, cell))
    }

    /// The fields that answer a test: defined for expected results and responses (`tcId`
    /// aside).
    pub fn answers(self) -> impl Iterator<Item = (&'static str, Kind)> {
        self.fields()
            .filter(|(name, _, cell)| *name != "tcId" && cell.may & (RESULTS | RESPONSE) != 0)
            .map(|(name, kind, _)| (name, kind))
    }

    /// Checks `object` as a file of role `role` holds it: every field is defined for that kind
    /// of file, every required one is present, each has its kind and value.
    ///
    /// `inherited` names fields the enclosing group supplies for this object (the older
    /// ACVP-Server layout puts the decapsulation key on the group): they count as present, and
    /// the object must not repeat them.
    ///
    /// # Errors
    ///
    /// The first violation, as text (`unknown field "zz"`, `missing field k`, ...).
    pub fn check(self, object: &Value, role: Role, inherited: &[&str]) -> Result<(), String> {
        let Value::Object(map) = object else {
            return Err(format!("not a JSON object: {}", short_json(object)));
        };
        for (name, value) in map {
            let Some((kind, cell)) = self.field(name) else {
                return Err(format!("unknown field {name:?}"));
            };
            if cell.may & role.bit() == 0 {
                return Err(format!(
                    "field {name:?} is not defined in {}",
                    role.describe()
                ));
            }
            if inherited.contains(&name.as_str()) {
                return Err(format!(
                    "field {name:?} is given by the group and by the test"
                ));
            }
            check_kind(name, kind, value)?;
        }
        for (name, _, cell) in self.fields() {
            if cell.must & role.bit() != 0 && !map.contains_key(name) && !inherited.contains(&name)
            {
                return Err(format!("missing field {name}"));
            }
        }
        Ok(())
    }
}

/// Checks one value against its kind.
pub(crate) fn check_kind(name: &str, kind: Kind, value: &Value) -> Result<(), String> {
    let ok = match kind {
        Kind::Integer => value.as_u64().is_some(),
        Kind::Boolean => value.is_boolean(),
        Kind::Text => value.is_string(),
        Kind::Array => value.is_array(),
        Kind::Hex => value
            .as_str()
            .is_some_and(|s| s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit())),
        Kind::OneOf(values) => {
            if let Some(text) = value.as_str()
                && !values.contains(&text)
            {
                return Err(format!("unknown {name} {text:?}"));
            }
            value.is_string()
        }
        Kind::Is(expected, why) => {
            if value.as_bool() == Some(!expected) {
                return Err(format!("{name} is {}: {why}", !expected));
            }
            value.is_boolean()
        }
    };
    if ok {
        Ok(())
    } else {
        let wanted = match kind {
            Kind::Integer => "a non-negative integer",
            Kind::Boolean | Kind::Is(..) => "a boolean",
            Kind::Text | Kind::OneOf(_) => "a string",
            Kind::Hex => "a string of hex digits (an even number)",
            Kind::Array => "an array",
        };
        Err(format!(
            "field {name} is not {wanted}: {}",
            short_json(value)
        ))
    }
}

/// A JSON value for an error message, shortened.
pub(crate) fn short_json(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text,
    }
}

/// The session header, element 0 of a JSON array file, before the vector sets: `acvVersion`
/// (the ACVP protocol puts `{"acvVersion": ...}` first in every message; the specifications'
/// vector-set and response examples show it), and `url`, `vectorSetUrls` and `time`
/// (acvptool's on-disk vector-set header, `vectorSetHeader` in acvptool's `acvp.go`). All
/// optional.
pub const HEADER: &[Row] = &[
    Row::new("acvVersion", Kind::Text, &[OPTIONAL]),
    Row::new("url", Kind::Text, &[OPTIONAL]),
    Row::new("vectorSetUrls", Kind::Array, &[OPTIONAL]),
    Row::new("time", Kind::Text, &[OPTIONAL]),
];

/// The vector-set object, every algorithm (ACVP specifications, "Test Vectors": `acvVersion`,
/// `vsId`, `algorithm`, `mode`, `revision`, `testGroups`; "Responses": `acvVersion`, `vsId`,
/// `testGroups`). `isSample` (the test session's sample flag) is on every vector set the
/// ACVP-Server generator writes, prompt, expected results and projection alike. A response
/// carries `algorithm` when acvptool writes it (its output format); the runner needs it to know
/// the algorithm.
pub const VECTOR_SET: &[Row] = &[
    Row::new("acvVersion", Kind::Text, &[OPTIONAL]),
    Row::new("vsId", Kind::Integer, &[EVERY_FILE]),
    Row::new(
        "algorithm",
        Kind::Text,
        &[Cell::new(EVERY, PROMPT | RESULTS | PROJECTION)],
    ),
    Row::new(
        "mode",
        Kind::Text,
        &[Cell::new(EVERY ^ RESPONSE, EVERY ^ RESPONSE)],
    ),
    Row::new(
        "revision",
        Kind::Text,
        &[Cell::new(EVERY ^ RESPONSE, EVERY ^ RESPONSE)],
    ),
    Row::new("isSample", Kind::Boolean, &[Cell::new(EVERY ^ RESPONSE, 0)]),
    Row::new("testGroups", Kind::Array, &[EVERY_FILE]),
];

/// Why a case the ACVP-Server marks `deferred` cannot run.
pub const DEFERRED: &str = "the server computes a deferred case's answer when it validates, so \
                            the file holds none to compare with";

/// The algorithms this runner implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `ML-KEM`, modes `keyGen` and `encapDecap` ([`crate::acvp_mlkem`]).
    MlKem,
    /// `TLS-v1.3`, mode `KDF` ([`crate::acvp_tls_kdf`]).
    Tls13Kdf,
}

impl Algorithm {
    /// The ACVP `algorithm` string.
    pub const fn name(self) -> &'static str {
        match self {
            Self::MlKem => "ML-KEM",
            Self::Tls13Kdf => "TLS-v1.3",
        }
    }

    /// The test tables of `mode` (every mode when `None`: a response does not state it).
    pub(crate) fn test_tables(self, mode: Option<&str>) -> Vec<Table> {
        match self {
            Self::MlKem => super::acvp_mlkem::MlKem::test_tables(mode),
            Self::Tls13Kdf => super::acvp_tls_kdf::Tls13Kdf::test_tables(mode),
        }
    }

    /// The modes this runner implements.
    fn modes(self) -> &'static [&'static str] {
        match self {
            Self::MlKem => super::acvp_mlkem::MlKem::modes(),
            Self::Tls13Kdf => super::acvp_tls_kdf::Tls13Kdf::modes(),
        }
    }

    /// Whether this runner implements `mode` at `revision`.
    fn supports(self, mode: &str, revision: &str) -> bool {
        match self {
            Self::MlKem => super::acvp_mlkem::MlKem::supports(mode, revision),
            Self::Tls13Kdf => super::acvp_tls_kdf::Tls13Kdf::supports(mode, revision),
        }
    }

    /// The group table of `mode` (every mode when `None`).
    pub(crate) fn group_table(self, mode: Option<&str>) -> Table {
        match self {
            Self::MlKem => super::acvp_mlkem::MlKem::group_table(mode),
            Self::Tls13Kdf => super::acvp_tls_kdf::Tls13Kdf::group_table(mode),
        }
    }

    /// [`crate::acvp_run::run`] with this algorithm's format.
    pub fn run(self, prompt: &AcvpSource, results: Option<&AcvpSource>) -> Vec<SuiteReport> {
        match self {
            Self::MlKem => super::acvp_run::run::<super::acvp_mlkem::MlKem>(prompt, results),
            Self::Tls13Kdf => {
                super::acvp_run::run::<super::acvp_tls_kdf::Tls13Kdf>(prompt, results)
            }
        }
    }

    /// [`crate::acvp_run::respond`] with this algorithm's format.
    ///
    /// # Errors
    ///
    /// As [`crate::acvp_run::respond`].
    pub fn respond(self, prompt: &AcvpSource) -> Result<super::acvp_run::Responded, Vec<String>> {
        match self {
            Self::MlKem => super::acvp_run::respond::<super::acvp_mlkem::MlKem>(prompt),
            Self::Tls13Kdf => super::acvp_run::respond::<super::acvp_tls_kdf::Tls13Kdf>(prompt),
        }
    }
}

/// A parsed ACVP vector set: its file, what the file holds, and the set.
#[derive(Clone, Debug)]
pub struct AcvpSource {
    /// The file as given or found.
    pub path: String,
    /// The vector set (`algorithm`, `testGroups`, ...).
    pub set: Value,
    /// What the file holds.
    pub role: Role,
}

impl AcvpSource {
    /// The vector set's `mode` (absent from a response).
    pub fn mode(&self) -> Option<&str> {
        self.set.get("mode").and_then(Value::as_str)
    }

    /// The vector set's `revision` (absent from a response).
    pub fn revision(&self) -> Option<&str> {
        self.set.get("revision").and_then(Value::as_str)
    }
}

/// A recognised ACVP file.
#[derive(Clone, Debug)]
pub struct AcvpFile {
    /// Path, role and vector set.
    pub source: AcvpSource,
    /// Algorithm.
    pub algorithm: Algorithm,
    /// `vsId`.
    pub vs_id: u64,
    /// The session header before the vector set, if the file has one.
    pub header: Option<Value>,
}

impl AcvpFile {
    /// What the file holds.
    pub fn role(&self) -> Role {
        self.source.role
    }

    /// Whether `results` holds the answers to this prompt: NIST's expected results or a
    /// response, for the same algorithm and vector set (and mode, when both state it).
    pub fn answered_by(&self, results: &AcvpFile) -> bool {
        self.role() == Role::Prompt
            && matches!(results.role(), Role::Results | Role::Response)
            && self.algorithm == results.algorithm
            && self.vs_id == results.vs_id
            && match (self.source.mode(), results.source.mode()) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

/// An ACVP JSON document: a vector set alone (ACVP-Server's `gen-val/json-files`), or an array
/// of a session header and vector sets (the ACVP protocol's messages, acvptool's files).
pub struct Document<'a> {
    /// Element 0 of an array when it is not a vector set.
    pub header: Option<&'a Value>,
    /// The vector sets (objects with `testGroups`), in order.
    pub sets: Vec<&'a Value>,
}

/// `Some` when `value` is an ACVP document: an object with `testGroups`, or an array in which
/// some element has `testGroups`.
pub fn document(value: &Value) -> Option<Document<'_>> {
    let is_set = |v: &Value| v.get("testGroups").is_some();
    match value {
        Value::Object(_) if is_set(value) => Some(Document {
            header: None,
            sets: vec![value],
        }),
        Value::Array(items) if items.iter().any(is_set) => {
            let (header, sets) = match items.split_first() {
                Some((first, rest)) if !is_set(first) => (Some(first), rest),
                _ => (None, &items[..]),
            };
            Some(Document {
                header,
                sets: sets.iter().collect(),
            })
        }
        _ => None,
    }
}

/// `Some` when `value` is an ACVP document: `Ok` for one vector set of a supported algorithm,
/// mode and revision whose vector-set fields follow [`VECTOR_SET`] (and whose header follows
/// [`HEADER`]), `Err` (a file error) otherwise. The engine reads one vector set per file.
pub fn classify(path: &str, value: &Value) -> Option<Result<AcvpFile, String>> {
    let document = document(value)?;
    Some(match document.sets[..] {
        [set] => classify_set(path, document.header, set),
        ref sets => Err(format!(
            "{} vector sets in one file: the runner reads one vector set per file",
            sets.len()
        )),
    })
}

/// Recognises one vector set of a document.
///
/// # Errors
///
/// An unknown algorithm, mode or revision, a field [`VECTOR_SET`] or [`HEADER`] does not
/// define for the kind of file, or a set with neither inputs nor answers.
pub fn classify_set(path: &str, header: Option<&Value>, set: &Value) -> Result<AcvpFile, String> {
    let algorithm = match set.get("algorithm").and_then(Value::as_str) {
        Some("ML-KEM") => Algorithm::MlKem,
        Some("TLS-v1.3") => Algorithm::Tls13Kdf,
        Some(other) => {
            return Err(format!(
                "ACVP vector set for an algorithm this runner does not implement: {other}"
            ));
        }
        None => return Err("ACVP vector set without an algorithm".to_owned()),
    };
    let mode = set.get("mode").and_then(Value::as_str);
    let role = role_of(algorithm, set)?;
    Table::of(VECTOR_SET)
        .check(set, role, &[])
        .map_err(|e| format!("vector set: {e}"))?;
    if let Some(header) = header {
        Table::of(HEADER)
            .check(header, role, &[])
            .map_err(|e| format!("session header: {e}"))?;
    }
    if role != Role::Response {
        let revision = set["revision"].as_str().unwrap_or_default();
        let mode = mode.unwrap_or_default();
        if !algorithm.supports(mode, revision) {
            return Err(format!(
                "ACVP vector set this runner does not implement: {} mode {mode:?} revision \
                 {revision:?}",
                algorithm.name()
            ));
        }
    }
    Ok(AcvpFile {
        source: AcvpSource {
            path: path.to_owned(),
            set: set.clone(),
            role,
        },
        algorithm,
        vs_id: set["vsId"].as_u64().unwrap_or_default(),
        header: header.cloned(),
    })
}

/// What a vector set's file holds: inputs (group parameters beyond `tgId` and `tests`),
/// answers (a test field that only answers carry), and, for answers alone, whether the set
/// states its `mode`, `revision` or `isSample` (NIST's expected results) or not (a response).
fn role_of(algorithm: Algorithm, set: &Value) -> Result<Role, String> {
    let mode = set.get("mode").and_then(Value::as_str);
    let modes: Vec<&str> = match mode {
        Some(mode) => vec![mode],
        None => algorithm.modes().to_vec(),
    };
    // A field that answers in some mode's tables and is an input in none of them.
    let answer_only = |name: &str| {
        modes.iter().any(|mode| {
            let tables = algorithm.test_tables(Some(mode));
            let cells: Vec<Cell> = tables
                .iter()
                .filter_map(|t| t.field(name))
                .map(|(_, c)| c)
                .collect();
            cells.iter().all(|c| c.may & PROMPT == 0)
                && cells.iter().any(|c| c.may & (RESULTS | RESPONSE) != 0)
        })
    };
    let groups = groups(set);
    let params = groups.iter().any(|g| {
        g.as_object()
            .is_some_and(|o| o.keys().any(|k| k != "tgId" && k != "tests"))
    });
    let answers = groups
        .iter()
        .filter_map(|g| g.get("tests").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_object)
        .any(|t| t.keys().any(|k| answer_only(k)));
    let stated = ["mode", "revision", "isSample"]
        .iter()
        .any(|k| set.get(k).is_some());
    match (params, answers) {
        (true, true) => Ok(Role::Projection),
        (true, false) => Ok(Role::Prompt),
        (false, true) if stated => Ok(Role::Results),
        (false, true) => Ok(Role::Response),
        (false, false) => {
            Err("ACVP vector set with neither test inputs nor expected results".to_owned())
        }
    }
}

/// Whether `value` is an ACVP vector set of `algorithm` this runner supports (prompt, expected
/// results, projection or response). Pairing prompts with results is [`crate::discover`]'s job.
pub fn detect(value: &Value, algorithm: Algorithm) -> bool {
    matches!(classify("", value), Some(Ok(file)) if file.algorithm == algorithm)
}

/// The test `tc` of the group `tg` in a vector set, by their JSON ids: for tools and tests that
/// join two files by hand.
pub fn find_test<'a>(set: &'a Value, tg: &Value, tc: &Value) -> Option<&'a Value> {
    groups(set)
        .iter()
        .find(|g| g["tgId"] == *tg)
        .and_then(|g| tests(g).iter().find(|t| t["tcId"] == *tc))
}

/// The sources of a suite: the prompt, and the expected results if separate.
pub fn sources(prompt: &AcvpSource, results: Option<&AcvpSource>) -> Vec<String> {
    let mut sources = vec![prompt.path.clone()];
    sources.extend(results.map(|r| r.path.clone()));
    sources
}

/// The groups of a vector set (its `testGroups`; checked by [`VECTOR_SET`]).
pub(crate) fn groups(set: &Value) -> &[Value] {
    set["testGroups"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The tests of a group (its `tests`; checked by the group's table).
pub(crate) fn tests(group: &Value) -> &[Value] {
    group["tests"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The bytes of hex field `name` of a test, or of its group when the group table defines it
/// there (the older ML-KEM layout); the tables have checked the hex.
///
/// # Errors
///
/// A missing field.
pub fn hex_field(test: &Value, group: &Value, name: &str) -> Result<Vec<u8>, String> {
    let value = test
        .get(name)
        .or_else(|| group.get(name))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing field {name}"))?;
    hex::decode(value).map_err(|e| format!("field {name}: not hex: {e}"))
}
