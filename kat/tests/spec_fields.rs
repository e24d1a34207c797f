//! Per format, the fields its specification defines beyond what the shared copies carry: each
//! optional field, layout and revision is accepted (and checked where it carries an
//! expectation), and a field outside the specification, or in a kind of file that does not
//! define it, is an error. Files are built from the shared NIST and BoringSSL vectors (and, for
//! the seed form of an ML-KEM decapsulation key, from Wycheproof), so every expected value is
//! a published one.
//!
//! Sources of the fields: `kat/src/acvp.rs` (vector set, session header),
//! `kat/src/acvp_mlkem.rs`, `kat/src/acvp_tls_kdf.rs`, `kat/src/rfc7748.rs`,
//! `kat/src/s2n_hybrid.rs` (their module documentation).

mod common;

use std::path::PathBuf;

use common::{TempDir, assert_counts, load_json, own_dir, read_text, shared_and_tmp};
use hybrid_kx_kat::acvp::{self, Role};
use hybrid_kx_kat::{Options, Report};
use serde_json::{Value, json};

/// Runs the engine on one path (without the embedded Wycheproof suites).
fn run(path: PathBuf) -> Report {
    hybrid_kx_kat::run_vector_files(&[path], &Options::default())
}

/// No error, nothing failed, and `passed` cases in all.
fn assert_passes(report: &Report, passed: u64) {
    assert!(report.ok(), "{report}");
    assert!(report.errors().is_empty(), "{:#?}", report.errors());
    let sum: u64 = report.suites().iter().map(|s| s.passed()).sum();
    assert_eq!(sum, passed, "{report}");
}

/// Not ok, and some error contains `location` and `message`.
fn assert_error(report: &Report, location: &str, message: &str) {
    assert!(!report.ok(), "{report}");
    assert!(
        report
            .errors()
            .iter()
            .any(|e| e.error.contains(location) && e.error.contains(message)),
        "no error {location}: {message} in {:#?}",
        report.errors()
    );
}

/// The shared ACVP folder `name` and a temp directory for `test`, or `None` (after a SKIP line)
/// without shared vectors.
fn acvp_dir(test: &str, name: &str) -> Option<(PathBuf, TempDir)> {
    let (shared, tmp) = shared_and_tmp(test)?;
    Some((shared.join("acvp").join(name), tmp))
}

/// Writes `prompt` and `results` as `dir/prompt.json` and `dir/expectedResults.json`; the
/// prompt's path.
fn write_pair(tmp: &TempDir, dir: &str, prompt: &Value, results: &Value) -> PathBuf {
    tmp.write(&format!("{dir}/expectedResults.json"), results.to_string());
    tmp.write(&format!("{dir}/prompt.json"), prompt.to_string())
}

/// `set` with its groups cut to the first `groups` and each group's tests to `tests`.
fn cut(set: &Value, groups: usize, tests: usize) -> Value {
    let mut set = set.clone();
    let kept: Vec<Value> = set["testGroups"].as_array().unwrap()[..groups]
        .iter()
        .map(|g| {
            let mut g = g.clone();
            let t: Vec<Value> = g["tests"].as_array().unwrap()[..tests].to_vec();
            g["tests"] = json!(t);
            g
        })
        .collect();
    set["testGroups"] = json!(kept);
    set
}

/// The prompt's tests with their answers merged in: an internal projection.
fn merge(prompt: &Value, results: &Value) -> Value {
    let mut projection = prompt.clone();
    for group in projection["testGroups"].as_array_mut().unwrap() {
        let tg = group["tgId"].clone();
        for test in group["tests"].as_array_mut().unwrap() {
            let answer = acvp::find_test(results, &tg, &test["tcId"]).unwrap();
            for (k, v) in answer.as_object().unwrap() {
                test[k] = v.clone();
            }
        }
    }
    projection
}

/// `set` as acvptool writes a response: `vsId`, `algorithm`, `testGroups`, lower-case hex.
fn as_response(set: &Value) -> Value {
    let lower = |v: &Value| match v {
        Value::String(s) => json!(s.to_lowercase()),
        other => other.clone(),
    };
    let groups: Vec<Value> = set["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let tests: Vec<Value> = g["tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    let fields: serde_json::Map<String, Value> = t
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(k, v)| (k.clone(), lower(v)))
                        .collect();
                    Value::Object(fields)
                })
                .collect();
            json!({"tgId": g["tgId"], "tests": tests})
        })
        .collect();
    json!({"algorithm": set["algorithm"], "testGroups": groups, "vsId": set["vsId"]})
}

/// The group of `set` whose `function` is `function`, in place.
fn group_of<'a>(set: &'a mut Value, function: &str) -> &'a mut Value {
    set["testGroups"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|g| g["function"] == function)
        .unwrap()
}

/// The ML-KEM keyGen vector set cut to its first group and two tests, and a temp directory.
fn keygen(test: &str) -> Option<(Value, Value, TempDir)> {
    let (dir, tmp) = acvp_dir(test, "v1.1.0.40/ML-KEM-keyGen-FIPS203")?;
    Some((
        cut(&load_json(&dir.join("prompt.json")), 1, 2),
        cut(&load_json(&dir.join("expectedResults.json")), 1, 2),
        tmp,
    ))
}

// ---------------------------------------------------------------------------------------------
// ACVP: vector set, session header, roles
// ---------------------------------------------------------------------------------------------

#[test]
fn acvp_vector_set_and_header_fields() {
    let Some((prompt, results, tmp)) = keygen("acvp_vector_set_and_header_fields") else {
        return;
    };

    // `acvVersion` on the set, a session header of every defined field, `isSample` absent.
    let mut with_version = prompt.clone();
    with_version["acvVersion"] = json!("1.0");
    with_version.as_object_mut().unwrap().remove("isSample");
    let header = json!({"acvVersion": "1.0", "url": "/acvp/v1/testSessions/1",
                        "vectorSetUrls": ["/acvp/v1/testSessions/1/vectorSets/42"],
                        "time": "2025-01-01T00:00:00Z"});
    let file = json!([header, with_version]);
    assert_passes(&run(write_pair(&tmp, "header", &file, &results)), 2);

    // An answer file as acvptool writes it (a response): paired like expected results.
    let response = as_response(&results);
    let file = tmp.write("response/response.json", response.to_string());
    let classified = acvp::classify("", &response).unwrap().unwrap();
    assert_eq!(classified.role(), Role::Response);
    tmp.write("response/prompt.json", prompt.to_string());
    assert_passes(&run(file), 2);

    let mut unknown = prompt.clone();
    unknown["vsid"] = json!(42);
    let report = run(write_pair(&tmp, "unknown", &unknown, &results));
    assert_error(&report, "vector set", "unknown field \"vsid\"");

    let bad_header = json!([{"acvVersion": "1.0", "session": 1}, prompt.clone()]);
    let report = run(write_pair(&tmp, "bad-header", &bad_header, &results));
    assert_error(&report, "session header", "unknown field \"session\"");

    let mut no_revision = results.clone();
    no_revision.as_object_mut().unwrap().remove("revision");
    let report = run(write_pair(&tmp, "no-revision", &prompt, &no_revision));
    assert_error(&report, "vector set", "missing field revision");

    let mut other_revision = prompt.clone();
    other_revision["revision"] = json!("FIPS203-tr1");
    let report = run(write_pair(&tmp, "revision", &other_revision, &results));
    assert_error(&report, "", "revision \"FIPS203-tr1\"");

    let two_sets = json!([{"acvVersion": "1.0"}, prompt.clone(), prompt.clone()]);
    let report = run(write_pair(&tmp, "two", &two_sets, &results));
    assert_error(&report, "", "2 vector sets in one file");

    let mut sample = prompt.clone();
    sample["isSample"] = json!("yes");
    let report = run(write_pair(&tmp, "sample", &sample, &results));
    assert_error(&report, "vector set", "field isSample is not a boolean");
}

// ---------------------------------------------------------------------------------------------
// ACVP ML-KEM
// ---------------------------------------------------------------------------------------------

#[test]
fn acvp_mlkem_keygen_fields() {
    let Some((prompt, results, tmp)) = keygen("acvp_mlkem_keygen_fields") else {
        return;
    };

    // The projection's `deferred` (false: the answer is in the file).
    let mut projection = merge(&prompt, &results);
    for t in projection["testGroups"][0]["tests"].as_array_mut().unwrap() {
        t["deferred"] = json!(false);
    }
    assert_passes(
        &run(tmp.write("projection/p.json", projection.to_string())),
        2,
    );
    projection["testGroups"][0]["tests"][1]["deferred"] = json!(true);
    let report = run(tmp.write("deferred/p.json", projection.to_string()));
    assert_error(&report, "tcId", "deferred is true");

    // Fields of another function or kind of file.
    let mut function = prompt.clone();
    function["testGroups"][0]["function"] = json!("encapsulation");
    assert_error(
        &run(write_pair(&tmp, "function", &function, &results)),
        "tgId",
        "unknown field \"function\"",
    );
    let mut reason = prompt.clone();
    reason["testGroups"][0]["tests"][0]["reason"] = json!("valid");
    assert_error(
        &run(write_pair(&tmp, "reason", &reason, &results)),
        "tcId",
        "unknown field \"reason\"",
    );
    let mut answer_in_prompt = prompt.clone();
    answer_in_prompt["testGroups"][0]["deferred"] = json!(false);
    assert_error(
        &run(write_pair(
            &tmp,
            "group-deferred",
            &answer_in_prompt,
            &results,
        )),
        "tgId",
        "unknown field \"deferred\"",
    );
    let mut deferred_in_results = results.clone();
    deferred_in_results["testGroups"][0]["tests"][0]["deferred"] = json!(false);
    assert_error(
        &run(write_pair(
            &tmp,
            "results-deferred",
            &prompt,
            &deferred_in_results,
        )),
        "tcId",
        "field \"deferred\" is not defined in expected results",
    );

    // Values the specification fixes.
    let mut short_d = prompt.clone();
    let d = short_d["testGroups"][0]["tests"][0]["d"].as_str().unwrap()[2..].to_owned();
    short_d["testGroups"][0]["tests"][0]["d"] = json!(d);
    assert_error(
        &run(write_pair(&tmp, "short-d", &short_d, &results)),
        "tcId",
        "d: 31 bytes, FIPS 203 gives it 32",
    );
    let mut val = prompt.clone();
    val["testGroups"][0]["testType"] = json!("VAL");
    assert_error(
        &run(write_pair(&tmp, "val", &val, &results)),
        "tgId",
        "testType \"VAL\"",
    );
    let mut tgid = prompt.clone();
    tgid["testGroups"][0]["tgId"] = json!("1");
    assert_error(
        &run(write_pair(&tmp, "tgid", &tgid, &results)),
        "",
        "field tgId is not a non-negative integer",
    );
}

/// The encapDecap vector set cut to two tests per group, its groups in file order
/// (encapsulation, decapsulation, encapsulationKeyCheck, decapsulationKeyCheck per parameter
/// set).
fn encap_decap(test: &str) -> Option<(Value, Value, TempDir)> {
    let (dir, tmp) = acvp_dir(test, "v1.1.0.40/ML-KEM-encapDecap-FIPS203")?;
    let prompt = load_json(&dir.join("prompt.json"));
    let groups = prompt["testGroups"].as_array().unwrap().len();
    Some((
        cut(&prompt, groups, 2),
        cut(&load_json(&dir.join("expectedResults.json")), groups, 2),
        tmp,
    ))
}

#[test]
fn acvp_mlkem_encap_decap_fields() {
    let Some((prompt, results, tmp)) = encap_decap("acvp_mlkem_encap_decap_fields") else {
        return;
    };
    let all = 2 * prompt["testGroups"].as_array().unwrap().len() as u64;
    assert_passes(&run(write_pair(&tmp, "clean", &prompt, &results)), all);

    // The projection's fields: `deferred`, `reason` (tallied), the key pair's other half.
    let mut projection = merge(&prompt, &results);
    for group in projection["testGroups"].as_array_mut().unwrap() {
        let function = group["function"].as_str().unwrap().to_owned();
        for t in group["tests"].as_array_mut().unwrap() {
            t["deferred"] = json!(false);
            t["reason"] = json!(format!("{function} case"));
        }
    }
    let report = run(tmp.write("projection/p.json", projection.to_string()));
    assert_passes(&report, all);
    let decaps = report
        .suites()
        .iter()
        .find(|s| s.suite() == "ACVP ML-KEM decapsulation")
        .unwrap();
    assert_eq!(decaps.tally("reason: decapsulation case"), 6);

    // A field of another function: `m` on a decapsulation test, `c` on an encapsulation test.
    let mut m_on_decaps = prompt.clone();
    group_of(&mut m_on_decaps, "decapsulation")["tests"][0]["m"] = json!("00".repeat(32));
    assert_error(
        &run(write_pair(&tmp, "m", &m_on_decaps, &results)),
        "tcId",
        "unknown field \"m\"",
    );
    let mut k_in_prompt = prompt.clone();
    group_of(&mut k_in_prompt, "encapsulation")["tests"][0]["c"] = json!("00");
    assert_error(
        &run(write_pair(&tmp, "c", &k_in_prompt, &results)),
        "tcId",
        "field \"c\" is not defined in a prompt",
    );
    // The specification's test types per function.
    let mut aft = prompt.clone();
    group_of(&mut aft, "decapsulationKeyCheck")["testType"] = json!("AFT");
    assert_error(
        &run(write_pair(&tmp, "aft", &aft, &results)),
        "tgId",
        "testType \"AFT\"",
    );
    // `testPassed` is a JSON boolean.
    let mut text = results.clone();
    for g in text["testGroups"].as_array_mut().unwrap() {
        for t in g["tests"].as_array_mut().unwrap() {
            if let Some(b) = t.get("testPassed").and_then(Value::as_bool) {
                t["testPassed"] = json!(b.to_string());
            }
        }
    }
    assert_error(
        &run(write_pair(&tmp, "text", &prompt, &text)),
        "tcId",
        "field testPassed is not a boolean",
    );
    // Every answer belongs to a test; a tcId is unique in the vector set.
    let mut extra = results.clone();
    let mut answer = extra["testGroups"][0]["tests"][0].clone();
    answer["tcId"] = json!(9999);
    extra["testGroups"][0]["tests"]
        .as_array_mut()
        .unwrap()
        .push(answer);
    assert_error(
        &run(write_pair(&tmp, "extra", &prompt, &extra)),
        "tcId 9999",
        "expected result without a test in the prompt",
    );
    let mut twice = prompt.clone();
    let first = twice["testGroups"][0]["tests"][0]["tcId"].clone();
    twice["testGroups"][1]["tests"][0]["tcId"] = first;
    assert_error(
        &run(write_pair(&tmp, "twice", &twice, &results)),
        "tcId",
        "appears twice in the vector set",
    );
}

/// The older layout (ACVP-Server v1.1.0.36 and v1.1.0.38): the decapsulation key on the
/// decapsulation group.
#[test]
fn acvp_mlkem_group_level_decapsulation_key() {
    let Some((prompt, results, tmp)) = encap_decap("acvp_mlkem_group_level_decapsulation_key")
    else {
        return;
    };
    // One decapsulation group per test, its key on the group.
    let mut layout = prompt.clone();
    let mut groups = Vec::new();
    for group in prompt["testGroups"].as_array().unwrap() {
        if group["function"] != "decapsulation" {
            groups.push(group.clone());
            continue;
        }
        for test in group["tests"].as_array().unwrap() {
            let mut g = group.clone();
            let mut t = test.clone();
            g["dk"] = t.as_object_mut().unwrap().remove("dk").unwrap();
            g["tests"] = json!([t]);
            g["tgId"] = json!(1000 + test["tcId"].as_u64().unwrap());
            groups.push(g);
        }
    }
    layout["testGroups"] = json!(groups);
    let mut answers = results.clone();
    let mut answer_groups = Vec::new();
    for group in results["testGroups"].as_array().unwrap() {
        let function = prompt["testGroups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["tgId"] == group["tgId"])
            .unwrap()["function"]
            .clone();
        if function != "decapsulation" {
            answer_groups.push(group.clone());
            continue;
        }
        for test in group["tests"].as_array().unwrap() {
            answer_groups.push(json!({"tgId": 1000 + test["tcId"].as_u64().unwrap(),
                                      "tests": [test]}));
        }
    }
    answers["testGroups"] = json!(answer_groups);
    let all = 2 * prompt["testGroups"].as_array().unwrap().len() as u64;
    assert_passes(&run(write_pair(&tmp, "layout", &layout, &answers)), all);

    // The key at both levels, or on a group of another function, or in revision FIPS203-tr1.
    let mut both = layout.clone();
    let g = both["testGroups"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|g| g.get("dk").is_some())
        .unwrap();
    g["tests"][0]["dk"] = g["dk"].clone();
    assert_error(
        &run(write_pair(&tmp, "both", &both, &answers)),
        "tcId",
        "given by the group and by the test",
    );
    let mut on_encaps = layout.clone();
    group_of(&mut on_encaps, "encapsulation")["dk"] = json!("00");
    assert_error(
        &run(write_pair(&tmp, "encaps", &on_encaps, &answers)),
        "tgId",
        "decapsulation groups only",
    );
    let mut tr1 = layout.clone();
    tr1["revision"] = json!("FIPS203-tr1");
    let mut tr1_answers = answers.clone();
    tr1_answers["revision"] = json!("FIPS203-tr1");
    assert_error(
        &run(write_pair(&tmp, "tr1", &tr1, &tr1_answers)),
        "tgId",
        "unknown field \"dk\"",
    );
}

/// Revision FIPS203-tr1: `keyFormat` on the groups, and decapsulation from the seed form of the
/// key (`d`, `z`), with Wycheproof's ML-KEM-768 decapsulation vectors (seed, ciphertext, K) as
/// the reference.
#[test]
fn acvp_mlkem_tr1_key_formats() {
    let Some((prompt, results, tmp)) = encap_decap("acvp_mlkem_tr1_key_formats") else {
        return;
    };
    let mut tr1 = prompt.clone();
    tr1["revision"] = json!("FIPS203-tr1");
    for group in tr1["testGroups"].as_array_mut().unwrap() {
        group["keyFormat"] = json!(match group["function"].as_str().unwrap() {
            "decapsulation" | "decapsulationKeyCheck" => "expanded",
            _ => "none",
        });
    }
    let mut tr1_results = results.clone();
    tr1_results["revision"] = json!("FIPS203-tr1");

    // A decapsulation group whose keys are seeds.
    use wycheproof::mlkem::{TestName, TestSet};
    let set = TestSet::load(TestName::MlKem768).unwrap();
    let valid: Vec<&wycheproof::mlkem::Test> = set
        .test_groups
        .iter()
        .flat_map(|g| &g.tests)
        .filter(|t| {
            let len = |b: &Option<wycheproof::ByteString>| b.as_ref().map(|b| b.as_ref().len());
            !t.result.must_fail() && len(&t.seed) == Some(64) && len(&t.ct) == Some(1088)
        })
        .take(5)
        .collect();
    assert_eq!(valid.len(), 5);
    let (mut tests, mut answers) = (Vec::new(), Vec::new());
    for (i, t) in valid.iter().enumerate() {
        let bytes = |b: &Option<wycheproof::ByteString>| hex::encode_upper(b.as_ref().unwrap());
        let seed = bytes(&t.seed);
        let tc = 5000 + i as u64;
        tests.push(json!({"tcId": tc, "d": &seed[..64], "z": &seed[64..], "c": bytes(&t.ct)}));
        answers.push(json!({"tcId": tc, "k": bytes(&t.shared_secret)}));
    }
    tr1["testGroups"].as_array_mut().unwrap().push(json!({
        "tgId": 500, "testType": "VAL", "parameterSet": "ML-KEM-768",
        "function": "decapsulation", "keyFormat": "seed", "tests": tests}));
    tr1_results["testGroups"]
        .as_array_mut()
        .unwrap()
        .push(json!({"tgId": 500, "tests": answers}));
    let all = 2 * prompt["testGroups"].as_array().unwrap().len() as u64 + 5;
    let report = run(write_pair(&tmp, "tr1", &tr1, &tr1_results));
    assert_passes(&report, all);

    // `keyFormat` is a FIPS203-tr1 field, with the values the revision gives each function.
    let mut fips203 = tr1.clone();
    fips203["revision"] = json!("FIPS203");
    let mut fips203_results = tr1_results.clone();
    fips203_results["revision"] = json!("FIPS203");
    assert_error(
        &run(write_pair(&tmp, "fips203", &fips203, &fips203_results)),
        "tgId",
        "unknown field \"keyFormat\"",
    );
    let mut seed_check = tr1.clone();
    group_of(&mut seed_check, "decapsulationKeyCheck")["keyFormat"] = json!("seed");
    assert_error(
        &run(write_pair(&tmp, "seed-check", &seed_check, &tr1_results)),
        "tgId",
        "keyFormat \"seed\"",
    );
    // A seed group's test carries `d` and `z`, not `dk`.
    let mut with_dk = tr1.clone();
    let last = with_dk["testGroups"]
        .as_array_mut()
        .unwrap()
        .last_mut()
        .unwrap();
    last["tests"][0]["dk"] = json!("00");
    assert_error(
        &run(write_pair(&tmp, "seed-dk", &with_dk, &tr1_results)),
        "tcId 5000",
        "field \"dk\" is not defined in a prompt",
    );
}

// ---------------------------------------------------------------------------------------------
// ACVP TLS-v1.3 KDF
// ---------------------------------------------------------------------------------------------

/// The BoringSSL set as NIST files: the prompt alone, its answers as expected results (the
/// prompt's vector-set fields, upper-case hex).
fn tls(test: &str) -> Option<(Value, Value, Value, TempDir)> {
    let (dir, tmp) = acvp_dir(test, "TLS-v1.3-KDF-RFC8446-boringssl")?;
    let vectors = load_json(&dir.join("vectors.json"));
    let expected = load_json(&dir.join("expected.json"));
    let prompt = vectors[1].clone();
    let mut results = expected[1].clone();
    for key in ["mode", "revision", "isSample"] {
        results[key] = prompt[key].clone();
    }
    Some((prompt, results, expected, tmp))
}

#[test]
fn acvp_tls_kdf_fields() {
    let Some((prompt, results, response, tmp)) = tls("acvp_tls_kdf_fields") else {
        return;
    };
    // The BoringSSL expected.json is what it is: a response.
    let classified = acvp::classify("", &response).unwrap().unwrap();
    assert_eq!(classified.role(), Role::Response);
    assert_passes(&run(write_pair(&tmp, "nist", &prompt, &results)), 10);

    // The projection's fields: `randomLength`, `testPassed` (true), `deferred` (false), and
    // `psk`/`dhe` in every mode, zero-filled where the mode does not use them.
    let mut projection = merge(&prompt, &results);
    for group in projection["testGroups"].as_array_mut().unwrap() {
        let len = if group["hmacAlg"] == "SHA2-384" {
            48
        } else {
            32
        };
        let mode = group["runningMode"].as_str().unwrap().to_owned();
        group["randomLength"] = json!(256);
        for t in group["tests"].as_array_mut().unwrap() {
            t["testPassed"] = json!(true);
            t["deferred"] = json!(false);
            if !mode.starts_with("PSK") {
                t["psk"] = json!("00".repeat(len));
            }
            if !mode.ends_with("DHE") {
                t["dhe"] = json!("00".repeat(len));
            }
        }
    }
    let report = run(tmp.write("projection/p.json", projection.to_string()));
    assert_passes(&report, 10);
    assert_counts(&report.suites()[0], 10, &[]);

    let dhe_group = |set: &mut Value| -> usize {
        set["testGroups"]
            .as_array()
            .unwrap()
            .iter()
            .position(|g| g["runningMode"] == "DHE")
            .unwrap()
    };
    let mut nonzero = projection.clone();
    let g = dhe_group(&mut nonzero);
    nonzero["testGroups"][g]["tests"][0]["psk"] = json!("01".repeat(32));
    assert_error(
        &run(tmp.write("nonzero/p.json", nonzero.to_string())),
        "tcId",
        "field psk in a DHE group",
    );
    let mut failed = projection.clone();
    failed["testGroups"][0]["tests"][0]["testPassed"] = json!(false);
    assert_error(
        &run(tmp.write("failed/p.json", failed.to_string())),
        "tcId",
        "testPassed is false",
    );
    // In a prompt, `psk` and `dhe` exactly in the modes that use them.
    let mut psk_in_dhe = prompt.clone();
    let g = dhe_group(&mut psk_in_dhe);
    psk_in_dhe["testGroups"][g]["tests"][0]["psk"] = json!("00".repeat(32));
    assert_error(
        &run(write_pair(&tmp, "psk", &psk_in_dhe, &results)),
        "tcId",
        "field psk in a DHE group",
    );
    let mut no_dhe = prompt.clone();
    let g = dhe_group(&mut no_dhe);
    no_dhe["testGroups"][g]["tests"][0]
        .as_object_mut()
        .unwrap()
        .remove("dhe");
    assert_error(
        &run(write_pair(&tmp, "no-dhe", &no_dhe, &results)),
        "tcId",
        "missing field dhe",
    );
    let mut random_length = prompt.clone();
    random_length["testGroups"][0]["randomLength"] = json!(256);
    assert_error(
        &run(write_pair(&tmp, "random", &random_length, &results)),
        "tgId",
        "field \"randomLength\" is not defined in a prompt",
    );
    let mut mct = prompt;
    mct["testGroups"][0]["testType"] = json!("MCT");
    assert_error(
        &run(write_pair(&tmp, "mct", &mct, &results)),
        "tgId",
        "unknown testType \"MCT\"",
    );
}

// ---------------------------------------------------------------------------------------------
// RFC 7748 and the s2n hybrid secrets
// ---------------------------------------------------------------------------------------------

/// RFC 7748's decimal decodings in the flat spelling (`vectorN_scalar_dec`, `vectorN_u_dec`),
/// with the RFC's values as the sectioned copy carries them.
#[test]
fn rfc7748_decimal_decodings_in_either_spelling() {
    let Some((shared, tmp)) = shared_and_tmp("rfc7748_decimal_decodings_in_either_spelling") else {
        return;
    };
    let sectioned = read_text(&shared.join("rfc/rfc7748-x25519.txt"));
    let value = |name: &str, nth: usize| -> String {
        sectioned
            .lines()
            .filter_map(|l| l.split_once(" = ").filter(|(k, _)| k.trim() == name))
            .nth(nth)
            .unwrap()
            .1
            .trim()
            .to_owned()
    };
    let flat = read_text(&own_dir().join("rfc7748-x25519.txt"));
    let mut with_dec = flat.clone();
    for n in [1usize, 2] {
        with_dec.push_str(&format!(
            "vector{n}_scalar_dec = {}\nvector{n}_u_dec = {}\n",
            value("input_scalar_dec", n - 1),
            value("input_u_dec", n - 1)
        ));
    }
    const FULL: &str = "1,000,000 iterations: run with --full";
    let report = run(tmp.write("dec.txt", &with_dec));
    assert!(report.ok(), "{report}");
    assert_counts(&report.suites()[0], 5, &[(FULL, 1)]);
    // A wrong decoding is a failure of that vector.
    let right = format!("vector1_u_dec = {}", value("input_u_dec", 0));
    let last = right.chars().last().unwrap();
    let other = if last == '0' { '1' } else { '0' };
    let wrong = with_dec.replacen(&right, &format!("{}{other}", &right[..right.len() - 1]), 1);
    assert_ne!(wrong, with_dec);
    let report = run(tmp.write("wrong.txt", &wrong));
    assert_eq!(report.suites()[0].failures()[0].field, "vector1_u_dec");
}

/// The s2n hybrid secrets under every RFC 8446 appendix B.4 suite of the same hash: the
/// published values hold for each.
#[test]
fn s2n_hybrid_sections_of_every_cipher_suite() {
    let Some((shared, tmp)) = shared_and_tmp("s2n_hybrid_sections_of_every_cipher_suite") else {
        return;
    };
    let text = read_text(&shared.join("hybrid/s2n-tls-hybrid-handshake-secrets.txt"));
    for suite in [
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_CCM_SHA256",
        "TLS_AES_128_CCM_8_SHA256",
    ] {
        let renamed = text.replace("TLS_AES_128_GCM_SHA256]", &format!("{suite}]"));
        let report = run(tmp.write(&format!("{suite}.txt"), renamed));
        assert!(report.ok(), "{report}");
        assert_counts(&report.suites()[0], 9, &[]);
    }
}
