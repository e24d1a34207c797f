//! NIST ACVP ML-KEM (FIPS 203): `ML-KEM-keyGen-FIPS203` and `ML-KEM-encapDecap-FIPS203` (and
//! its revision `FIPS203-tr1`), functions `encapsulation`, `decapsulation`,
//! `encapsulationKeyCheck`, `decapsulationKeyCheck`.
//!
//! # Fields
//!
//! [`GROUPS`] and [`TESTS`] are the specification's tables, per kind of file (`P` prompt, `E`
//! expected results, `I` internal projection, `R` response):
//!
//! - ACVP ML-KEM JSON specification (`draft-celi-acvp-ml-kem`), "Test Vectors" and "Test
//!   Vector Responses": group `tgId`, `testType`, `parameterSet`, `function`, `tests`; test
//!   `tcId`, `d`, `z` (keyGen), `ek` and `m` (encapsulation), `dk` and `c` (decapsulation), `ek`
//!   (encapsulationKeyCheck), `dk` (decapsulationKeyCheck) in P; `ek`, `dk` (keyGen), `c`, `k`,
//!   `testPassed` in R. Test types (its "Test Types"): `AFT` for keyGen and encapsulation, `VAL`
//!   for decapsulation and the key checks.
//! - The same specification before the key checks (its encapDecap test-group table lists `dk`
//!   "when testType VAL"; ACVP-Server v1.1.0.36 and v1.1.0.38 write it so): the
//!   **decapsulation key on the decapsulation group** instead of on each test. Accepted: it is
//!   a real NIST layout. It is a FIPS203 layout only, on decapsulation groups only, and a test
//!   of such a group must not carry a `dk` of its own.
//! - Revision `FIPS203-tr1` (ACVP-Server `ML-KEM-encapDecap-FIPS203-tr1`, registration
//!   `keyFormats`): group `keyFormat`, `seed` or `expanded` on decapsulation groups (`seed`:
//!   the test gives `d` and `z` instead of `dk`), `expanded` on decapsulationKeyCheck groups,
//!   `none` on the others.
//! - E: the answers of R, with the vector-set fields of P (ACVP-Server's result projection).
//! - I: every property of the ACVP-Server generator's test group and test case classes that is
//!   set: P and E together, plus `deferred` (always `false` for ML-KEM: the answer is in the
//!   file), `reason` (why the case exists, free text whose words change between releases:
//!   tallied, not interpreted), the key pair's other half (`dk` beside an encapsulation's `ek`,
//!   `ek` beside a decapsulation's `dk`), and in the older layout `ek` beside the group's `dk`.
//!
//! Values: `parameterSet` one of the three FIPS 203 parameter sets, `d`, `z` and `m` 32 bytes
//! (FIPS 203 sections 7.1 and 7.2), `testPassed` a JSON boolean. Keys of the wrong length are
//! run: the crate's refusal is the answer to a key check, and a failure elsewhere.
//!
//! A prompt is joined with its expected results on `tgId`/`tcId`; an internal projection
//! holds both ([`crate::acvp_run::run`]).

use hybrid_kx::NamedGroup;
use serde_json::Value;

use super::acvp::{
    ANSWER, AcvpSource, DEFERRED, EVERY_FILE, INPUT, INPUT_OPTIONAL, Kind, NONE, Role, Row, SERVER,
    Table, hex_field,
};
use super::acvp_run::{Answer, Format, GroupError, Refusal};
use super::mlkem::{self, DkError, ParamSet};
use super::report::SuiteReport;

/// The FIPS 203 parameter sets (section 8), as ACVP names them.
const PARAMETER_SETS: &[&str] = &["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"];

/// The encapDecap functions.
const FUNCTIONS: &[&str] = &[
    "encapsulation",
    "decapsulation",
    "encapsulationKeyCheck",
    "decapsulationKeyCheck",
];

/// The test-group fields. Columns: keyGen (FIPS203), encapDecap (FIPS203), encapDecap
/// (FIPS203-tr1).
pub const GROUPS: &[Row] = &[
    Row::new("tgId", Kind::Integer, &[EVERY_FILE; 3]),
    Row::new("testType", Kind::OneOf(&["AFT", "VAL"]), &[INPUT; 3]),
    Row::new("parameterSet", Kind::OneOf(PARAMETER_SETS), &[INPUT; 3]),
    Row::new("function", Kind::OneOf(FUNCTIONS), &[NONE, INPUT, INPUT]),
    Row::new(
        "keyFormat",
        Kind::OneOf(&["none", "seed", "expanded"]),
        &[NONE, NONE, INPUT_OPTIONAL],
    ),
    Row::new("dk", Kind::Hex, &[NONE, INPUT_OPTIONAL, NONE]),
    Row::new("ek", Kind::Hex, &[NONE, SERVER, NONE]),
    Row::new("tests", Kind::Array, &[EVERY_FILE; 3]),
];

/// The test fields. Columns: the [`Function`]s in order (keyGen, encapsulation, decapsulation,
/// decapsulation from a seed, encapsulationKeyCheck, decapsulationKeyCheck).
pub const TESTS: &[Row] = &[
    Row::new("tcId", Kind::Integer, &[EVERY_FILE; 6]),
    Row::new("d", Kind::Hex, &[INPUT, NONE, NONE, INPUT, NONE, NONE]),
    Row::new("z", Kind::Hex, &[INPUT, NONE, NONE, INPUT, NONE, NONE]),
    Row::new(
        "ek",
        Kind::Hex,
        &[ANSWER, INPUT, SERVER, SERVER, INPUT, SERVER],
    ),
    Row::new(
        "dk",
        Kind::Hex,
        &[ANSWER, SERVER, INPUT, SERVER, SERVER, INPUT],
    ),
    Row::new("m", Kind::Hex, &[NONE, INPUT, NONE, NONE, NONE, NONE]),
    Row::new("c", Kind::Hex, &[NONE, ANSWER, INPUT, INPUT, NONE, NONE]),
    Row::new("k", Kind::Hex, &[NONE, ANSWER, ANSWER, ANSWER, NONE, NONE]),
    Row::new(
        "testPassed",
        Kind::Boolean,
        &[NONE, NONE, NONE, NONE, ANSWER, ANSWER],
    ),
    Row::new("deferred", Kind::Is(false, DEFERRED), &[SERVER; 6]),
    Row::new(
        "reason",
        Kind::Text,
        &[NONE, SERVER, SERVER, SERVER, SERVER, SERVER],
    ),
];

/// The operation of a test group (and the column of [`TESTS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// ML-KEM.KeyGen_internal(d, z) -> (ek, dk) (FIPS 203 algorithm 16).
    KeyGen,
    /// ML-KEM.Encaps_internal(ek, m) -> (K, c) (algorithm 17).
    Encapsulation,
    /// ML-KEM.Decaps_internal(dk, c) -> K (algorithm 18), `dk` expanded.
    Decapsulation,
    /// The same from the seed form `d ‖ z` of the key (FIPS203-tr1 `keyFormat` `seed`).
    DecapsulationSeed,
    /// The encapsulation-key check of FIPS 203 section 7.2.
    EncapsulationKeyCheck,
    /// The decapsulation-key check of FIPS 203 section 7.3.
    DecapsulationKeyCheck,
}

impl Function {
    /// The encapDecap functions, in [`TESTS`] column order.
    const ALL: [Self; 6] = [
        Self::KeyGen,
        Self::Encapsulation,
        Self::Decapsulation,
        Self::DecapsulationSeed,
        Self::EncapsulationKeyCheck,
        Self::DecapsulationKeyCheck,
    ];

    /// The test type the specification gives the function.
    const fn test_type(self) -> &'static str {
        match self {
            Self::KeyGen | Self::Encapsulation => "AFT",
            _ => "VAL",
        }
    }

    /// The `keyFormat` values FIPS203-tr1 gives the function's groups.
    const fn key_formats(self) -> &'static [&'static str] {
        match self {
            Self::Decapsulation | Self::DecapsulationSeed => &["seed", "expanded"],
            Self::DecapsulationKeyCheck => &["expanded"],
            _ => &["none"],
        }
    }

    /// The function's test table.
    fn tests(self) -> Table {
        Table {
            rows: TESTS,
            column: self as usize,
        }
    }
}

/// A checked test group: its operation and parameter set.
pub struct Group {
    function: Function,
    param: ParamSet,
    named: NamedGroup,
}

/// The ML-KEM format.
pub struct MlKem;

impl Format for MlKem {
    type Group = Group;

    fn supports(mode: &str, revision: &str) -> bool {
        matches!(
            (mode, revision),
            ("keyGen", "FIPS203") | ("encapDecap", "FIPS203" | "FIPS203-tr1")
        )
    }

    fn test_tables(mode: Option<&str>) -> Vec<Table> {
        Function::ALL
            .into_iter()
            .filter(|f| match mode {
                Some("keyGen") => *f == Function::KeyGen,
                Some(_) => *f != Function::KeyGen,
                None => true,
            })
            .map(Function::tests)
            .collect()
    }

    fn modes() -> &'static [&'static str] {
        &["keyGen", "encapDecap"]
    }

    fn group_table(mode: Option<&str>) -> Table {
        Table {
            rows: GROUPS,
            column: usize::from(mode != Some("keyGen")),
        }
    }

    fn suite(set: &AcvpSource, group: &Value) -> String {
        let function = match set.mode() {
            Some("keyGen") => "keyGen",
            _ => group
                .get("function")
                .and_then(Value::as_str)
                .unwrap_or("(no function)"),
        };
        format!("ACVP ML-KEM {function}")
    }

    fn group(set: &AcvpSource, group: &Value) -> Result<Group, GroupError> {
        let tr1 = set.revision() == Some("FIPS203-tr1");
        let column = match set.mode() {
            Some("keyGen") => 0,
            _ if tr1 => 2,
            _ => 1,
        };
        Table {
            rows: GROUPS,
            column,
        }
        .check(group, set.role, &[])?;
        let key_format = group.get("keyFormat").and_then(Value::as_str);
        let function = match group.get("function").and_then(Value::as_str) {
            None => Function::KeyGen,
            Some("encapsulation") => Function::Encapsulation,
            Some("decapsulation") if key_format == Some("seed") => Function::DecapsulationSeed,
            Some("decapsulation") => Function::Decapsulation,
            Some("encapsulationKeyCheck") => Function::EncapsulationKeyCheck,
            Some(_) => Function::DecapsulationKeyCheck,
        };
        let test_type = group["testType"].as_str().unwrap_or_default();
        if test_type != function.test_type() {
            return Err(format!(
                "testType {test_type:?}: the specification tests this function with {:?}",
                function.test_type()
            )
            .into());
        }
        if let Some(format) = key_format
            && !function.key_formats().contains(&format)
        {
            return Err(format!(
                "keyFormat {format:?} on a group of this function (FIPS203-tr1: {})",
                function.key_formats().join(" or ")
            )
            .into());
        }
        if function != Function::Decapsulation
            && let Some(key) = ["dk", "ek"].into_iter().find(|k| group.get(k).is_some())
        {
            return Err(format!(
                "field {key:?} on the group: the older layout puts the key on decapsulation \
                 groups only"
            )
            .into());
        }
        if group.get("ek").is_some() && group.get("dk").is_none() {
            return Err("field \"ek\" on a group without its \"dk\""
                .to_owned()
                .into());
        }
        let param_name = group["parameterSet"].as_str().unwrap_or_default();
        let param = ParamSet::from_name(param_name)
            .ok_or_else(|| format!("unknown parameterSet {param_name:?}"))?;
        let named = param.group();
        Ok(Group {
            function,
            param,
            named,
        })
    }

    fn tests(group: &Group) -> Table {
        group.function.tests()
    }

    fn case_id(group: &Group, tc: u64) -> String {
        format!("tcId {tc} ({})", group.param.name())
    }

    fn answer(group: &Group, tg: &Value, test: &Value, _: Role) -> Result<Answer, Refusal> {
        let named = group.named;
        let mut answer = Answer::default();
        let seed = |name: &str| -> Result<Vec<u8>, Refusal> {
            let bytes = hex_field(test, tg, name)?;
            if bytes.len() == 32 {
                Ok(bytes)
            } else {
                Err(format!("{name}: {} bytes, FIPS 203 gives it 32", bytes.len()).into())
            }
        };
        let failed = |field: &'static str, expected: &str, actual: String| Refusal::Failed {
            field,
            expected: expected.to_owned(),
            actual,
        };
        match group.function {
            Function::KeyGen => {
                let d_z = [seed("d")?, seed("z")?].concat();
                let (ek, dk, _) = mlkem::keygen(named, &d_z)
                    .map_err(|e| failed("ek", "a key pair", e.to_string()))?;
                answer.hex("ek", &ek).hex("dk", &dk);
            }
            Function::Encapsulation => {
                let (c, k) = mlkem::encapsulate(named, &hex_field(test, tg, "ek")?, &seed("m")?)
                    .map_err(|e| failed("c", "a ciphertext", e.to_string()))?;
                answer.hex("c", &c).hex("k", &k);
            }
            Function::Decapsulation => {
                let dk = hex_field(test, tg, "dk")?;
                let c = hex_field(test, tg, "c")?;
                let (k, backend) = mlkem::decapsulate_expanded(named, &dk, &c)
                    .map_err(|e| failed("dk", "a valid decapsulation key", e.to_string()))?;
                let k = k.map_err(|e| failed("k", "a shared secret", e.to_string()))?;
                answer.hex("k", &k);
                answer.notes.push(format!("decapsulation on {backend}"));
            }
            Function::DecapsulationSeed => {
                let d_z = [seed("d")?, seed("z")?].concat();
                let (k, backend) = mlkem::decaps_seed(named, &d_z, &hex_field(test, tg, "c")?)
                    .map_err(|e| failed("k", "a shared secret", e.to_string()))?;
                answer.hex("k", &k);
                answer.notes.push(format!("decapsulation on {backend}"));
            }
            Function::EncapsulationKeyCheck => {
                let passed = mlkem::encapsulation_key_check(named, &hex_field(test, tg, "ek")?)
                    .map_err(|e| failed("testPassed", "true or false", e.to_string()))?;
                answer.fields.insert("testPassed".to_owned(), passed.into());
            }
            Function::DecapsulationKeyCheck => {
                let passed = mlkem::decapsulation_key_check(named, &hex_field(test, tg, "dk")?)
                    .map_err(|e: DkError| e.to_string())?;
                answer.fields.insert("testPassed".to_owned(), passed.into());
            }
        }
        Ok(answer)
    }
}

/// Whether `value` is an ACVP ML-KEM vector set (prompt, expected results, projection or
/// response) this runner supports. Pairing prompts with results is [`crate::discover`]'s job.
pub fn detect(value: &Value) -> bool {
    super::acvp::detect(value, super::acvp::Algorithm::MlKem)
}

/// Runs every group of `prompt` (joined with `results`, or alone if it is a projection).
pub fn run(prompt: &AcvpSource, results: Option<&AcvpSource>) -> Vec<SuiteReport> {
    super::acvp_run::run::<MlKem>(prompt, results)
}
