//! NIST ACVP ML-KEM (FIPS 203): `ML-KEM-keyGen-FIPS203` and `ML-KEM-encapDecap-FIPS203`
//! (functions `encapsulation`, `decapsulation`, `encapsulationKeyCheck`,
//! `decapsulationKeyCheck`).
//!
//! A prompt is joined with its expected results on `tgId`/`tcId`; an internal projection holds
//! both. Inputs are looked up on the test first and then on its group, since ACVP releases
//! differ in where they put keys.

use hybrid_kx::Error;
use serde_json::Value;

use super::acvp::{AcvpSource, ExpectedResults, field, hex_field};
use super::mlkem::{self, DkError, ParamSet};
use super::report::{Case, SkipReason, SuiteReport, SuiteRun};

/// The operations this runner knows.
const FUNCTIONS: [&str; 5] = [
    "keyGen",
    "encapsulation",
    "decapsulation",
    "encapsulationKeyCheck",
    "decapsulationKeyCheck",
];

/// The fields a test group may have (keys may sit at group level).
const GROUP_FIELDS: [&str; 7] = [
    "tgId",
    "testType",
    "parameterSet",
    "function",
    "tests",
    "ek",
    "dk",
];

/// The fields a test (prompt, expected result, or both in a projection) may have.
const TEST_FIELDS: [&str; 9] = ["tcId", "d", "z", "ek", "dk", "m", "c", "k", "testPassed"];

/// Every field of the JSON object `value` is one of `known`.
fn known_fields(value: &Value, known: &[&str]) -> Result<(), String> {
    match value
        .as_object()
        .and_then(|o| o.keys().find(|k| !known.contains(&k.as_str())))
    {
        Some(field) => Err(format!("unknown field {field:?}")),
        None => Ok(()),
    }
}

/// The `m` passed when only the encapsulation-key check matters.
const ANY_M: [u8; 32] = [0x42; 32];

/// Whether `value` is an ACVP ML-KEM vector set (prompt, expected results or projection) this
/// runner supports (`keyGen` or `encapDecap`). Pairing prompts with results is
/// [`crate::discover`]'s job.
pub fn detect(value: &Value) -> bool {
    matches!(
        super::acvp::classify("", value),
        Some(Ok(super::acvp::AcvpFile {
            algorithm: super::acvp::Algorithm::MlKem,
            ..
        }))
    )
}

/// Runs every group of `prompt` (joined with `results`, or alone if it is a projection).
pub fn run(prompt: &AcvpSource, results: Option<&AcvpSource>) -> Vec<SuiteReport> {
    let expected = ExpectedResults::new(results);
    let sources = super::acvp::sources(prompt, results);
    let mode = prompt.set["mode"].as_str().unwrap_or_default();
    let steps = super::acvp::count_tests(&prompt.set);
    let mut suites: Vec<(String, SuiteRun)> = Vec::new();

    for group in super::acvp::groups(&prompt.set) {
        let function = match mode {
            "keyGen" => "keyGen",
            _ => group["function"].as_str().unwrap_or("unknown function"),
        };
        let name = format!("ACVP ML-KEM {function}");
        let index = match suites.iter().position(|(n, _)| *n == name) {
            Some(index) => index,
            None => {
                suites.push((name.clone(), SuiteRun::new(name, sources.clone(), steps)));
                suites.len() - 1
            }
        };
        let run = &mut suites[index].1;
        let param = group["parameterSet"].as_str().unwrap_or_default();
        let tests = group["tests"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let tg = &group["tgId"];
        if let Err(e) = known_fields(group, &GROUP_FIELDS) {
            run.error(format!("tgId {tg}"), e);
            continue;
        }
        let test_type = group["testType"].as_str();
        if !matches!(test_type, None | Some("AFT" | "VAL")) {
            run.error(
                format!("tgId {tg}"),
                format!("unknown testType {:?}", group["testType"]),
            );
            continue;
        }
        if !FUNCTIONS.contains(&function) {
            run.error(
                format!("tgId {tg}"),
                format!("unknown function {function:?}"),
            );
            continue;
        }
        let Some(param_set) = ParamSet::from_name(param) else {
            run.error(
                format!("tgId {tg}"),
                format!("unknown parameter set {param:?}"),
            );
            continue;
        };
        let Some(named) = param_set.group() else {
            run.skip_many(SkipReason::MlKem512, tests.len() as u64);
            continue;
        };
        for test in tests {
            let tc = test["tcId"].as_u64().unwrap_or_default();
            let mut case = run.case(format!("tcId {tc} ({param})"));
            match expected.get(group, test) {
                Err(e) => {
                    case.fail("expected result", "present", e);
                }
                Ok(want) => {
                    let outcome = known_fields(test, &TEST_FIELDS)
                        .and_then(|()| known_fields(want, &TEST_FIELDS))
                        .and_then(|()| check(function, named, group, test, want, &mut case));
                    if let Err(e) = outcome {
                        case.malformed(e);
                    }
                }
            }
            run.record(case);
        }
    }
    suites.into_iter().map(|(_, run)| run.finish()).collect()
}

/// Runs one test of `function`.
fn check(
    function: &str,
    group: hybrid_kx::NamedGroup,
    tg: &Value,
    test: &Value,
    want: &Value,
    case: &mut Case,
) -> Result<(), String> {
    match function {
        "keyGen" => {
            let mut d_z = hex_field(test, tg, "d")?;
            d_z.extend(hex_field(test, tg, "z")?);
            match mlkem::keygen(group, &d_z) {
                Ok((ek, dk, _)) => {
                    case.eq("ek", &hex_field(want, want, "ek")?, &ek);
                    case.eq("dk", &hex_field(want, want, "dk")?, &dk);
                }
                Err(e) => {
                    case.fail("ek", "a key pair", e.to_string());
                }
            }
        }
        "encapsulation" => {
            let ek = hex_field(test, tg, "ek")?;
            let m = hex_field(test, tg, "m")?;
            match crate::on::encapsulate(group, &ek, &m) {
                Ok((c, k)) => {
                    case.eq("c", &hex_field(want, want, "c")?, c.as_bytes());
                    case.eq("k", &hex_field(want, want, "k")?, k.as_bytes());
                }
                Err(e) => {
                    case.fail("c", "a ciphertext", e.to_string());
                }
            }
        }
        "decapsulation" => {
            let dk = hex_field(test, tg, "dk")?;
            let c = hex_field(test, tg, "c")?;
            let k_want = hex_field(want, want, "k")?;
            match mlkem::decaps_expanded(case, group, &dk, &c) {
                Ok(Ok(k)) => {
                    case.eq("k", &k_want, &k);
                }
                Ok(Err(e)) => {
                    case.fail("k", hex::encode(&k_want), e.to_string());
                }
                Err(e) => {
                    case.fail("dk", "a valid decapsulation key", e.to_string());
                }
            }
        }
        "encapsulationKeyCheck" => {
            let ek = hex_field(test, tg, "ek")?;
            let passed = match crate::on::encapsulate(group, &ek, &ANY_M) {
                Ok(_) => true,
                Err(Error::EncapsulationKeyModulus | Error::KeyShareLength { .. }) => false,
                Err(e) => {
                    case.fail("testPassed", "true or false", e.to_string());
                    return Ok(());
                }
            };
            case.eq_display("testPassed", expected_bool(want)?, passed);
        }
        "decapsulationKeyCheck" => {
            let dk = hex_field(test, tg, "dk")?;
            let passed = match mlkem::state_from_expanded_dk(group, &dk) {
                Ok(_) => true,
                Err(DkError::Invalid | DkError::Length { .. }) => false,
                Err(e @ DkError::BackendUnavailable) => return Err(e.to_string()),
            };
            case.eq_display("testPassed", expected_bool(want)?, passed);
        }
        _ => {}
    }
    Ok(())
}

/// `testPassed` as a boolean (ACVP writes a JSON boolean; a string is accepted too).
fn expected_bool(want: &Value) -> Result<bool, String> {
    match field(want, want, "testPassed") {
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "true" || s == "false" => Ok(s == "true"),
        _ => Err("missing or malformed testPassed".to_owned()),
    }
}
