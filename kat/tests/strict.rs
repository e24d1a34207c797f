//! The engine is strict: a case is skipped only for a named, documented reason
//! (`hybrid_kx_kat::SkipReason`); unknown parameter sets, functions, test types, sections and
//! field names, malformed hex, wrong lengths and suites without cases are errors naming the
//! file and the location. Per format: a clean file passes with its exact count, a corrupted
//! expected value fails that case, a misspelled field, an unknown parameter and an empty suite
//! are errors. Inputs are small files derived from the real vector files, in a temp directory.

mod common;

use std::path::PathBuf;

use common::{TempDir, assert_counts, load_json, own_dir, read_text, shared_and_tmp};
use hybrid_kx_kat::{Options, Report, SuiteReport};
use hybrid_kx_support::shared_vectors::shared_vectors_dir;
use serde_json::{Value, json};

/// Runs the engine on one file (without the embedded Wycheproof suites).
fn run(path: PathBuf) -> Report {
    hybrid_kx_kat::run_vector_files(&[path], &Options::default())
}

/// The only suite of `report`.
fn only(report: &Report) -> &SuiteReport {
    assert_eq!(report.suites().len(), 1, "{report}");
    &report.suites()[0]
}

/// A clean file: its exact counts, `ok`, no error.
fn assert_clean(report: &Report, passed: u64, skips: &[(&str, u64)]) {
    assert!(report.ok(), "{report}");
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_counts(only(report), passed, skips);
}

/// Exactly one case failed, on `field`, and nothing was an error.
fn assert_one_failure(report: &Report, field: &str) {
    assert!(!report.ok(), "{report}");
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let failures: Vec<&hybrid_kx_kat::Failure> =
        report.suites().iter().flat_map(|s| s.failures()).collect();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].field, field, "{failures:?}");
}

/// The run is not ok and some error names `file_part` and contains `message` (and, when given,
/// the location `location`).
fn assert_error(report: &Report, file_part: &str, location: &str, message: &str) {
    assert!(!report.ok(), "{report}");
    assert!(
        report.errors().iter().any(|e| e.path.contains(file_part)
            && e.error.contains(location)
            && e.error.contains(message)),
        "no error {file_part}: {location}: {message} in {:#?}",
        report.errors()
    );
}

/// `text` with the first occurrence of `from` replaced by `to` (which must occur).
fn replace_first(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the file");
    text.replacen(from, to, 1)
}

/// Flips the first hex digit of the value of the first line starting with `name =`.
fn corrupt_value(text: &str, name: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if !done && trimmed.starts_with(name) && trimmed[name.len()..].trim_start().starts_with('=')
        {
            let eq = line.find('=').unwrap();
            let (head, value) = line.split_at(eq + 1);
            let value = value.trim_start();
            let first = value.chars().next().unwrap();
            let flipped = if first == '0' { '1' } else { '0' };
            out.push_str(&format!("{head} {flipped}{}", &value[1..]));
            done = true;
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    assert!(done, "no value {name}");
    out
}

/// Flips the first hex digit of the JSON string `value` (which must be one).
fn flip_first_digit(value: &mut Value) {
    let hex = value.as_str().unwrap();
    let flipped = if hex.starts_with('0') { '1' } else { '0' };
    *value = json!(format!("{flipped}{}", &hex[1..]));
}

fn own_text(name: &str) -> String {
    read_text(&own_dir().join(name))
}

// ---------------------------------------------------------------------------------------------
// RFC 5869
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc5869_strict() {
    let tmp = TempDir::new("rfc5869");
    let text = own_text("rfc5869-hkdf-sha256.txt");
    assert_clean(&run(tmp.write("clean.txt", &text)), 3, &[]);
    assert_one_failure(
        &run(tmp.write("corrupt.txt", corrupt_value(&text, "okm"))),
        "okm",
    );
    let misspelled = replace_first(&text, "salt =", "slat =");
    assert_error(
        &run(tmp.write("misspelled.txt", misspelled)),
        "misspelled.txt",
        "test case 1",
        "unknown name \"slat\"",
    );
    let unknown_hash = replace_first(&text, "salt =", "hash = SHA-512\nsalt =");
    assert_error(
        &run(tmp.write("hash.txt", unknown_hash)),
        "hash.txt",
        "test case 1",
        "unknown hash SHA-512",
    );
    let bad_hex = replace_first(&text, "okm = 3cb2", "okm = 3cbz");
    assert_error(
        &run(tmp.write("hex.txt", bad_hex)),
        "hex.txt",
        "okm",
        "not hex",
    );
}

// ---------------------------------------------------------------------------------------------
// RFC 7748
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc7748_strict() {
    let tmp = TempDir::new("rfc7748");
    let text = own_text("rfc7748-x25519.txt");
    const FULL: &str = "1,000,000 iterations: run with --full";
    assert_clean(&run(tmp.write("clean.txt", &text)), 5, &[(FULL, 1)]);
    assert_one_failure(
        &run(tmp.write("corrupt.txt", corrupt_value(&text, "vector1_output"))),
        "vector1_output",
    );
    let misspelled = replace_first(&text, "vector2_output", "vector2_ouptut");
    assert_error(
        &run(tmp.write("misspelled.txt", misspelled)),
        "misspelled.txt",
        "line",
        "unknown name \"vector2_ouptut\"",
    );
    let short = replace_first(&text, "alice_private = 77", "alice_private = ");
    assert_error(
        &run(tmp.write("short.txt", short)),
        "short.txt",
        "section 6.1",
        "",
    );
}

// ---------------------------------------------------------------------------------------------
// RFC 8448
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc8448_strict() {
    let tmp = TempDir::new("rfc8448");
    let text = own_text("rfc8448-simple-1rtt.txt");
    assert_clean(&run(tmp.write("clean.txt", &text)), 39, &[]);
    assert_one_failure(
        &run(tmp.write("corrupt.txt", corrupt_value(&text, "master_secret"))),
        "master_secret",
    );
    let misspelled = replace_first(&text, "\nmaster_secret", "\nmaster_secert");
    assert_error(
        &run(tmp.write("misspelled.txt", misspelled)),
        "misspelled.txt",
        "line",
        "unknown name \"master_secert\"",
    );
}

// ---------------------------------------------------------------------------------------------
// The project's own hybrid vectors
// ---------------------------------------------------------------------------------------------

fn own_json(group: &str) -> Value {
    serde_json::from_str(&own_text(&format!("hybrid/{group}.json"))).unwrap()
}

#[test]
fn own_hybrid_strict() {
    let tmp = TempDir::new("own");
    let file = own_json("MLKEM768");
    assert_clean(&run(tmp.write("clean.json", file.to_string())), 9, &[]);

    let mut corrupt = file.clone();
    flip_first_digit(&mut corrupt["valid"][0]["shared_secret"]);
    // The server's and the client's secret both differ: one case, first field reported.
    assert_one_failure(
        &run(tmp.write("corrupt.json", corrupt.to_string())),
        "shared_secret (server)",
    );

    let mut misspelled = file.clone();
    let vector = misspelled["valid"][0].as_object_mut().unwrap();
    let share = vector.remove("client_share").unwrap();
    vector.insert("client_shar".to_owned(), share);
    assert_error(
        &run(tmp.write("misspelled.json", misspelled.to_string())),
        "misspelled.json",
        "id 1",
        "unknown field \"client_shar\"",
    );

    let mut unknown_op = file.clone();
    unknown_op["invalid"][0]["operation"] = json!("decapsulate");
    assert_error(
        &run(tmp.write("operation.json", unknown_op.to_string())),
        "operation.json",
        "id",
        "unknown operation",
    );

    let mut unknown_component = file.clone();
    unknown_component["components"] = json!(["ML-KEM-2048"]);
    assert_error(
        &run(tmp.write("component.json", unknown_component.to_string())),
        "component.json",
        "",
        "unknown component ML-KEM-2048",
    );

    let mut misspelled_defect = file.clone();
    let vector = misspelled_defect["invalid"][0].as_object_mut().unwrap();
    let defect = vector.remove("defect").unwrap();
    vector.insert("defekt".to_owned(), defect);
    assert_error(
        &run(tmp.write("defekt.json", misspelled_defect.to_string())),
        "defekt.json",
        "id",
        "unknown field \"defekt\"",
    );

    let mut unknown_error = file.clone();
    unknown_error["invalid"][0]["error"] = json!("KeyShareTooLong");
    assert_error(
        &run(tmp.write("error.json", unknown_error.to_string())),
        "error.json",
        "id",
        "unknown error \"KeyShareTooLong\"",
    );

    let mut unknown_group = file.clone();
    unknown_group["group"] = json!("MLKEM2048");
    assert_error(
        &run(tmp.write("group.json", unknown_group.to_string())),
        "group.json",
        "group",
        "unknown group \"MLKEM2048\"",
    );

    let mut empty = file;
    empty["valid"] = json!([]);
    empty["invalid"] = json!([]);
    assert_error(
        &run(tmp.write("empty.json", empty.to_string())),
        "empty.json",
        "hybrid-kx vectors MLKEM768",
        "no test case",
    );
}

// ---------------------------------------------------------------------------------------------
// Shared third-party formats
// ---------------------------------------------------------------------------------------------

fn shared_text(dir: &std::path::Path, name: &str) -> String {
    read_text(&dir.join(name))
}

#[test]
fn cctv_strcmp_and_modulus_strict() {
    let Some((shared, tmp)) = shared_and_tmp("cctv_strcmp_and_modulus_strict") else {
        return;
    };
    let text = shared_text(&shared, "cctv-mlkem/strcmp/ML-KEM-768.txt");
    assert_clean(&run(tmp.write("clean.txt", &text)), 1, &[]);
    assert_one_failure(
        &run(tmp.write("corrupt.txt", corrupt_value(&text, "K"))),
        "K",
    );
    let misspelled = replace_first(&text, "\nK =", "\nKK =");
    assert_error(
        &run(tmp.write("misspelled.txt", misspelled)),
        "misspelled.txt",
        "record 1",
        "unknown name \"KK\"",
    );
    let short_c = replace_first(&text, "\nc = ", "\nc = 00");
    assert_error(
        &run(tmp.write("short.txt", short_c)),
        "short.txt",
        "record 1",
        "c: 1089 bytes, ML-KEM-768 has 1088",
    );

    let unlucky = shared_text(&shared, "cctv-mlkem/unluckysample/ML-KEM-768.txt");
    const DRAFT_KEYGEN: &str = "key generation (d, z -> ek, dk) follows the FIPS 203 draft \
                                (G(d) instead of G(d || k)): not valid under final FIPS 203";
    assert_clean(
        &run(tmp.write("unlucky.txt", &unlucky)),
        2,
        &[(DRAFT_KEYGEN, 1)],
    );
    // A corrupted ciphertext fails encapsulation (c differs) and decapsulation (implicit
    // rejection gives another K).
    let report = run(tmp.write("unlucky-corrupt.txt", corrupt_value(&unlucky, "c")));
    assert!(!report.ok() && report.errors().is_empty(), "{report}");
    let fields: Vec<&str> = only(&report)
        .failures()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["c", "K"]);
    let misspelled = replace_first(&unlucky, "\nm =", "\nmm =");
    assert_error(
        &run(tmp.write("unlucky-misspelled.txt", misspelled)),
        "unlucky-misspelled.txt",
        "record 1",
        "unknown name \"mm\"",
    );

    let modulus = shared_text(&shared, "cctv-mlkem/modulus/ML-KEM-768.txt");
    let first_lines: String = modulus.lines().take(3).map(|l| format!("{l}\n")).collect();
    assert_clean(&run(tmp.write("modulus.txt", &first_lines)), 3, &[]);
    // A line of a key length of no parameter set is an error, not a skip.
    let second = modulus.lines().nth(1).unwrap();
    let broken = first_lines.replacen(second, &second[..second.len() - 2], 1);
    let report = run(tmp.write("modulus-short.txt", broken));
    assert_error(&report, "modulus-short.txt", "line 2", "known length");
}

#[test]
fn cctv_accumulated_strict() {
    let Some((shared, tmp)) = shared_and_tmp("cctv_accumulated_strict") else {
        return;
    };
    let text = shared_text(&shared, "cctv-mlkem/accumulated-hashes.txt");
    // The 100-iteration final-FIPS-203 ML-KEM-768 hash alone: not published by CCTV, computed by
    // the vector suite's maintainers with RustCrypto ml-kem 0.2.3 (see its status line).
    let line = text
        .lines()
        .skip_while(|l| l.trim() != "[fips203-final]")
        .find(|l| l.starts_with("mlkem768_100 "))
        .unwrap();
    let clean = format!("[fips203-final]\n{line}\n");
    assert_clean(&run(tmp.write("clean.txt", &clean)), 1, &[]);
    assert_one_failure(
        &run(tmp.write("corrupt.txt", corrupt_value(&clean, "mlkem768_100"))),
        "hash",
    );
    let unknown_entry = format!("{clean}mlkem768_x100 = {}\n", "00".repeat(32));
    assert_error(
        &run(tmp.write("entry.txt", unknown_entry)),
        "entry.txt",
        "line 3",
        "unknown entry \"mlkem768_x100\"",
    );
    let unknown_section = format!(
        "{clean}[fips203-draft2]\nmlkem768_100 = {}\n",
        "00".repeat(32)
    );
    assert_error(
        &run(tmp.write("section.txt", unknown_section)),
        "section.txt",
        "line 4",
        "outside the known sections",
    );
    let unknown_param = format!("{clean}mlkem2048_100 = {}\n", "00".repeat(32));
    assert_error(
        &run(tmp.write("param.txt", unknown_param)),
        "param.txt",
        "line 3",
        "unknown entry \"mlkem2048_100\"",
    );
    let short = format!("{clean}mlkem1024_100 = {}\n", "00".repeat(31));
    assert_error(
        &run(tmp.write("short.txt", short)),
        "short.txt",
        "line 3",
        "31 bytes, a hash has 32",
    );
}

#[test]
fn s2n_hybrid_strict() {
    let Some((shared, tmp)) = shared_and_tmp("s2n_hybrid_strict") else {
        return;
    };
    let text = shared_text(&shared, "hybrid/s2n-tls-hybrid-handshake-secrets.txt");
    assert_clean(&run(tmp.write("clean.txt", &text)), 9, &[]);
    assert_one_failure(
        &run(tmp.write("corrupt.txt", corrupt_value(&text, "handshake_secret"))),
        "handshake_secret",
    );
    let misspelled = replace_first(&text, "  early_secret =", "  early_secert =");
    assert_error(
        &run(tmp.write("misspelled.txt", misspelled)),
        "misspelled.txt",
        "key schedule",
        "unknown name \"early_secert\"",
    );
    let misspelled_block = replace_first(&text, "\necdh_shared_secret =", "\necdh_shared_secrte =");
    assert_error(
        &run(tmp.write("block.txt", misspelled_block)),
        "block.txt",
        "line",
        "unknown name \"ecdh_shared_secrte\"",
    );
    let unknown_suite = replace_first(&text, "TLS_AES_128_GCM_SHA256]", "TLS_AES_128_GCM_SHA512]");
    assert_error(
        &run(tmp.write("suite.txt", unknown_suite)),
        "suite.txt",
        "key schedule",
        "unknown cipher suite",
    );
}

/// An ACVP vector set reduced to `keep` tests of the first ML-KEM-768 group, prompt and
/// expected results written side by side in `dir`.
fn acvp_keygen(tmp: &TempDir, dir: &str, edit: impl Fn(&mut Value, &mut Value)) -> PathBuf {
    let shared = shared_vectors_dir("acvp").unwrap();
    let base = shared.join("acvp/v1.1.0.40/ML-KEM-keyGen-FIPS203");
    let load = |f: &str| load_json(&base.join(f));
    let (mut prompt, mut results) = (load("prompt.json"), load("expectedResults.json"));
    let group = prompt["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["parameterSet"] == "ML-KEM-768")
        .unwrap()
        .clone();
    let tg = group["tgId"].clone();
    let mut group = group;
    let tests: Vec<Value> = group["tests"].as_array().unwrap()[..2].to_vec();
    group["tests"] = json!(tests);
    prompt["testGroups"] = json!([group]);
    let mut answers = results["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["tgId"] == tg)
        .unwrap()
        .clone();
    let answer_tests: Vec<Value> = answers["tests"].as_array().unwrap()[..2].to_vec();
    answers["tests"] = json!(answer_tests);
    results["testGroups"] = json!([answers]);
    edit(&mut prompt, &mut results);
    tmp.write(&format!("{dir}/expectedResults.json"), results.to_string());
    tmp.write(&format!("{dir}/prompt.json"), prompt.to_string())
}

#[test]
fn acvp_mlkem_strict() {
    if shared_vectors_dir("acvp_mlkem_strict").is_none() {
        return;
    }
    let tmp = TempDir::new("acvp");
    let clean = acvp_keygen(&tmp, "clean", |_, _| {});
    let prompt = load_json(&clean);
    assert!(hybrid_kx_kat::acvp_mlkem::detect(&prompt));
    assert!(!hybrid_kx_kat::acvp_tls_kdf::detect(&prompt));
    assert_clean(&run(clean), 2, &[]);

    let corrupt = acvp_keygen(&tmp, "corrupt", |_, results| {
        flip_first_digit(&mut results["testGroups"][0]["tests"][0]["ek"]);
    });
    assert_one_failure(&run(corrupt), "ek");

    let misspelled = acvp_keygen(&tmp, "misspelled", |prompt, _| {
        let test = prompt["testGroups"][0]["tests"][0].as_object_mut().unwrap();
        let z = test.remove("z").unwrap();
        test.insert("zz".to_owned(), z);
    });
    assert_error(
        &run(misspelled),
        "misspelled",
        "tcId",
        "unknown field \"zz\"",
    );

    let unknown_param = acvp_keygen(&tmp, "param", |prompt, _| {
        prompt["testGroups"][0]["parameterSet"] = json!("ML-KEM-2048");
    });
    assert_error(
        &run(unknown_param),
        "param",
        "tgId",
        "unknown parameterSet \"ML-KEM-2048\"",
    );

    let unknown_type = acvp_keygen(&tmp, "type", |prompt, _| {
        prompt["testGroups"][0]["testType"] = json!("MCT");
    });
    assert_error(&run(unknown_type), "type", "tgId", "unknown testType");

    let empty = acvp_keygen(&tmp, "empty", |prompt, results| {
        prompt["testGroups"] = json!([]);
        results["testGroups"] = json!([]);
    });
    // Discovery already refuses a vector set without tests.
    assert_error(
        &run(empty),
        "empty/prompt.json",
        "",
        "neither test inputs nor expected results",
    );
}

/// The BoringSSL TLS-v1.3 KDF files (vectors, expected answers) and a temp directory; `None`
/// (after a SKIP line) without shared vectors.
fn kdf_files(test: &str) -> Option<(Value, Value, TempDir)> {
    let (shared, tmp) = shared_and_tmp(test)?;
    let base = shared.join("acvp/TLS-v1.3-KDF-RFC8446-boringssl");
    let load = |f: &str| load_json(&base.join(f));
    Some((load("vectors.json"), load("expected.json"), tmp))
}

/// Writes the two files of a TLS-v1.3 KDF vector set into `dir`; the vectors' path.
fn write_kdf(tmp: &TempDir, dir: &str, vectors: &Value, expected: &Value) -> PathBuf {
    tmp.write(&format!("{dir}/expected.json"), expected.to_string());
    tmp.write(&format!("{dir}/vectors.json"), vectors.to_string())
}

#[test]
fn acvp_tls_kdf_strict() {
    let Some((vectors, expected, tmp)) = kdf_files("acvp_tls_kdf_strict") else {
        return;
    };
    let write =
        |dir: &str, vectors: &Value, expected: &Value| write_kdf(&tmp, dir, vectors, expected);
    // Detection by content, per format module.
    for value in [&vectors, &expected] {
        assert!(hybrid_kx_kat::acvp_tls_kdf::detect(value));
        assert!(!hybrid_kx_kat::acvp_mlkem::detect(value));
    }
    assert_clean(&run(write("clean", &vectors, &expected)), 10, &[]);

    let mut corrupt = expected.clone();
    flip_first_digit(&mut corrupt[1]["testGroups"][0]["tests"][0]["exporterMasterSecret"]);
    assert_one_failure(
        &run(write("corrupt", &vectors, &corrupt)),
        "exporterMasterSecret",
    );

    let mut misspelled = expected.clone();
    let test = misspelled[1]["testGroups"][0]["tests"][0]
        .as_object_mut()
        .unwrap();
    let value = test.remove("exporterMasterSecret").unwrap();
    test.insert("exporterMasterSecert".to_owned(), value);
    assert_error(
        &run(write("misspelled", &vectors, &misspelled)),
        "misspelled",
        "tcId",
        "unknown field \"exporterMasterSecert\"",
    );

    let mut unknown_mode = vectors.clone();
    unknown_mode[1]["testGroups"][0]["runningMode"] = json!("ECDHE");
    assert_error(
        &run(write("mode", &unknown_mode, &expected)),
        "mode",
        "tgId",
        "unknown runningMode \"ECDHE\"",
    );

    let mut unknown_hash = vectors;
    unknown_hash[1]["testGroups"][0]["hmacAlg"] = json!("SHA2-512");
    assert_error(
        &run(write("hash", &unknown_hash, &expected)),
        "hash",
        "tgId",
        "unknown hmacAlg \"SHA2-512\"",
    );
}

// ---------------------------------------------------------------------------------------------
// Paths that used to pass silently: each test failed before its fix.
// ---------------------------------------------------------------------------------------------

/// RFC 7748: a value named in the other spelling of the iterated test (`iterated_N` beside
/// `initial_k`/`k_after_N`, or `k_after_N` beside `iterated_start`) was accepted and never
/// checked; a numbered function vector after a gap (`vector3_*` without `vector2_*`) was
/// accepted and never run.
#[test]
fn rfc7748_every_value_is_checked_or_an_error() {
    let Some((shared, tmp)) = shared_and_tmp("rfc7748_every_value_is_checked_or_an_error") else {
        return;
    };
    let sectioned = shared_text(&shared, "rfc/rfc7748-x25519.txt");
    let other_spelling = replace_first(
        &sectioned,
        "k_after_1000 =",
        &format!("iterated_5 = {}\nk_after_1000 =", "00".repeat(32)),
    );
    assert_error(
        &run(tmp.write("sectioned.txt", other_spelling)),
        "sectioned.txt",
        "line",
        "unknown name \"iterated_5\"",
    );
    let flat = own_text("rfc7748-x25519.txt");
    let other_spelling = replace_first(
        &flat,
        "iterated_1000 =",
        &format!("k_after_5 = {}\niterated_1000 =", "00".repeat(32)),
    );
    assert_error(
        &run(tmp.write("flat.txt", other_spelling)),
        "flat.txt",
        "line",
        "unknown name \"k_after_5\"",
    );
    // Vector 2 renumbered 3: it still runs (under its new number).
    let gap = flat.replace("vector2_", "vector3_");
    let report = run(tmp.write("gap.txt", gap));
    const FULL: &str = "1,000,000 iterations: run with --full";
    assert_clean(&report, 5, &[(FULL, 1)]);
    assert!(
        only(&report).passed_cases().iter().any(|c| c == "vector 3"),
        "{:?}",
        only(&report).passed_cases()
    );
}

/// s2n hybrid secrets: a block used only its first curve and its first ML-KEM secret; a second
/// curve's key, an `mlkem1024_*` secret beside `mlkem768_*`, or a section of another group
/// passed unnoticed.
#[test]
fn s2n_hybrid_block_holds_exactly_its_group() {
    let Some((shared, tmp)) = shared_and_tmp("s2n_hybrid_block_holds_exactly_its_group") else {
        return;
    };
    let text = shared_text(&shared, "hybrid/s2n-tls-hybrid-handshake-secrets.txt");
    let second_curve = replace_first(
        &text,
        "\necdh_shared_secret =",
        &format!(
            "\nserver_secp384r1_private = {}\necdh_shared_secret =",
            "11".repeat(48)
        ),
    );
    assert_error(
        &run(tmp.write("curve.txt", second_curve)),
        "curve.txt",
        "block 1",
        "key pairs of two curves",
    );
    let second_secret = replace_first(
        &text,
        "\nhybrid_shared_secret =",
        &format!(
            "\nmlkem1024_shared_secret = {}\nhybrid_shared_secret =",
            "22".repeat(32)
        ),
    );
    assert_error(
        &run(tmp.write("secret.txt", second_secret)),
        "secret.txt",
        "block 1",
        "mlkem1024_shared_secret",
    );
    let other_group = replace_first(
        &text,
        "[X25519MLKEM768 TLS_AES_128_GCM_SHA256]",
        "[SecP256r1MLKEM768 TLS_AES_128_GCM_SHA256]",
    );
    assert_error(
        &run(tmp.write("section.txt", other_group)),
        "section.txt",
        "key schedule",
        "in the block of X25519MLKEM768",
    );
}

/// ACVP TLS-v1.3 KDF: an answer with at least one known secret passed (a missing secret only
/// changed a tally); prompt fields were never checked for unknown names; a projection (inputs
/// and answers in one file) flagged its own inputs as unknown answer fields.
#[test]
fn acvp_tls_kdf_checks_every_field_of_every_file() {
    let Some((vectors, expected, tmp)) = kdf_files("kdf-silent") else {
        return;
    };
    let write =
        |dir: &str, vectors: &Value, expected: &Value| write_kdf(&tmp, dir, vectors, expected);

    let mut missing = expected.clone();
    missing[1]["testGroups"][0]["tests"][0]
        .as_object_mut()
        .unwrap()
        .remove("resumptionMasterSecret");
    assert_error(
        &run(write("missing", &vectors, &missing)),
        "missing",
        "tcId",
        "missing field resumptionMasterSecret",
    );

    let mut unknown_input = vectors.clone();
    unknown_input[1]["testGroups"][0]["tests"][0]["helloClientRandm"] = json!("00");
    assert_error(
        &run(write("input", &unknown_input, &expected)),
        "input",
        "tcId",
        "unknown field \"helloClientRandm\"",
    );

    // The same vector set as one internal projection: the inputs beside the answers.
    let mut projection = vectors.clone();
    for (g, group) in projection[1]["testGroups"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        for (t, test) in group["tests"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            let answer = &expected[1]["testGroups"][g]["tests"][t];
            assert_eq!(answer["tcId"], test["tcId"]);
            for (k, v) in answer.as_object().unwrap() {
                test[k] = v.clone();
            }
        }
    }
    let report = run(tmp.write("projection/internalProjection.json", projection.to_string()));
    assert_clean(&report, 10, &[]);
}

/// ACVP ML-KEM: a test group without `tests` became zero cases; an internal projection with
/// the server-side fields `deferred` and `reason` (every ACVP-Server projection has them) was
/// 165 errors.
#[test]
fn acvp_mlkem_group_without_tests_and_projection_fields() {
    let Some((shared, tmp)) = shared_and_tmp("mlkem-silent") else {
        return;
    };
    let base = shared.join("acvp/v1.1.0.40/ML-KEM-encapDecap-FIPS203");
    let load = |f: &str| load_json(&base.join(f));
    let (prompt, results) = (load("prompt.json"), load("expectedResults.json"));

    let (mut no_tests, mut no_results) = (prompt.clone(), results.clone());
    no_tests["testGroups"][0]
        .as_object_mut()
        .unwrap()
        .remove("tests");
    no_results["testGroups"][0]["tests"] = json!([]);
    no_results["testGroups"].as_array_mut().unwrap().remove(0);
    tmp.write("no-tests/expectedResults.json", no_results.to_string());
    let report = run(tmp.write("no-tests/prompt.json", no_tests.to_string()));
    assert_error(&report, "no-tests", "tgId 1", "missing field tests");

    let mut projection = prompt.clone();
    for group in projection["testGroups"].as_array_mut().unwrap() {
        let tg = group["tgId"].clone();
        for test in group["tests"].as_array_mut().unwrap() {
            let answer = hybrid_kx_kat::acvp::find_test(&results, &tg, &test["tcId"]).unwrap();
            for (k, v) in answer.as_object().unwrap() {
                test[k] = v.clone();
            }
            test["deferred"] = json!(false);
            test["reason"] = json!("no modification");
        }
    }
    let report = run(tmp.write("projection/internalProjection.json", projection.to_string()));
    assert!(report.ok(), "{report}");
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let passed: u64 = report.suites().iter().map(|s| s.passed()).sum();
    assert_eq!(passed, 165);
}

/// Discovery skipped hidden files and folders without a word: now each is listed among the
/// ignored files with its reason.
#[test]
fn hidden_entries_are_listed_as_ignored() {
    let tmp = TempDir::new("hidden");
    let dir = tmp.write("tree/rfc5869.txt", own_text("rfc5869-hkdf-sha256.txt"));
    let dir = dir.parent().unwrap().to_path_buf();
    tmp.write(
        "tree/.rfc5869-copy.txt",
        own_text("rfc5869-hkdf-sha256.txt"),
    );
    tmp.write("tree/.cache/notes.txt", "x = 00\n");
    let report = run(dir);
    assert!(report.ok(), "{report}");
    let ignored: Vec<(&str, &str)> = report
        .ignored()
        .iter()
        .map(|i| (i.path.as_str(), i.reason.as_str()))
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    assert!(
        ignored
            .iter()
            .any(|(p, r)| p.ends_with("tree/.rfc5869-copy.txt") && r.contains("hidden file")),
        "{ignored:?}"
    );
    assert!(
        ignored
            .iter()
            .any(|(p, r)| p.ends_with("tree/.cache") && r.contains("hidden folder")),
        "{ignored:?}"
    );
}
