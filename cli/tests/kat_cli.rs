//! `hybrid-kx kat`, run as a user would: the table, the JSON report, the exit status, content
//! (not name) recognition, ACVP pairing and field placement, failure reporting, and the errors
//! for unusable files and PATHs without vectors.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

// The KAT engine's test helpers, compiled here rather than copied.
#[path = "../../kat/tests/common/mod.rs"]
mod common;
use common::{TempDir, shared_and_tmp};

/// Runs `hybrid-kx kat ARGS --json <tmp>/report.json`: (success, stdout, report).
fn kat(tmp: &TempDir, args: &[&Path]) -> (bool, String, Value) {
    let report = tmp.path().join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .arg("kat")
        .args(args)
        .arg("--json")
        .arg(&report)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let _ = std::fs::remove_file(&report);
    (out.status.success(), stdout, json)
}

fn own_vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-vectors")
}

fn suite<'a>(report: &'a Value, name: &str, source_part: &str) -> &'a Value {
    report["suites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["suite"] == name
                && s["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p.as_str().unwrap().contains(source_part))
        })
        .unwrap_or_else(|| panic!("no suite {name} from {source_part}"))
}

fn counts(suite: &Value) -> (u64, u64, u64) {
    (
        suite["passed"].as_u64().unwrap(),
        suite["failed"].as_u64().unwrap(),
        suite["skipped"].as_u64().unwrap(),
    )
}

#[test]
fn own_vectors_pass_with_table_and_report() {
    let tmp = TempDir::new("own");
    let (ok, stdout, report) = kat(&tmp, &[&own_vectors()]);
    assert!(ok, "{stdout}");
    assert_eq!(report["schema"], "hybrid-kx-kat-report/2");
    // The CLI is built with every backend: the report names what ran for each component.
    assert_eq!(report["tool"]["backends"].as_object().unwrap().len(), 6);
    // And the CPU it ran on, in the table and in the report (this process sees the same CPU
    // and the same build).
    let cpu = hybrid_kx_support::cpu::describe();
    assert_eq!(report["tool"]["cpu"], serde_json::to_value(&cpu).unwrap());
    assert!(
        stdout.lines().any(|l| l == format!("cpu: {cpu}")),
        "{stdout}"
    );
    assert_eq!(report["ok"], true);
    assert_eq!(report["full"], false);
    assert_eq!(report["totals"]["failed"], 0);
    assert_eq!(report["totals"]["errors"], 0);
    // 6 hybrid files (one per group) + the RFC 5869, 7748 and 8448 extracts; the README is
    // documentation.
    assert_eq!(report["paths"][0]["recognised_files"], 9);
    let ignored = report["ignored"].as_array().unwrap();
    assert_eq!(ignored.len(), 1);
    assert!(
        ignored[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("hybrid/README.md")
    );
    assert_eq!(
        counts(suite(&report, "hybrid-kx vectors X25519MLKEM768", "X25519")),
        (22, 0, 0)
    );
    assert_eq!(
        counts(suite(&report, "hybrid-kx vectors MLKEM768", "MLKEM768")),
        (9, 0, 0)
    );
    assert_eq!(
        counts(suite(&report, "RFC 5869 HKDF", "rfc5869")),
        (3, 0, 0)
    );
    let rfc7748 = suite(&report, "RFC 7748 X25519", "rfc7748");
    assert_eq!(counts(rfc7748), (5, 0, 1));
    assert_eq!(
        rfc7748["skip_reasons"][0]["reason"],
        "1,000,000 iterations: run with --full"
    );
    // The Wycheproof suites always run, ML-KEM-512 among them since MLKEM512 exists.
    assert_eq!(
        counts(suite(&report, "Wycheproof x25519", "x25519")),
        (518, 0, 0)
    );
    assert_eq!(
        counts(suite(&report, "Wycheproof mlkem_512_encaps", "mlkem_512")),
        (261, 0, 0)
    );
    assert_eq!(
        counts(suite(&report, "hybrid-kx vectors MLKEM512", "MLKEM512")),
        (9, 0, 0)
    );
    // The table: header, a row per suite, the ignored file, the totals line.
    assert!(stdout.starts_with("suite "), "{stdout}");
    assert!(
        stdout.contains("hybrid-kx vectors SecP384r1MLKEM1024"),
        "{stdout}"
    );
    assert!(stdout.contains("ignored: "), "{stdout}");
    assert!(stdout.contains("README.md: not a vector file"), "{stdout}");
    let totals = format!(
        "kat: {} passed, 0 failed, {} skipped",
        report["totals"]["passed"], report["totals"]["skipped"]
    );
    assert!(stdout.lines().any(|l| l == totals), "{stdout}");
}

#[test]
fn a_failure_names_the_case_and_first_differing_field() {
    let tmp = TempDir::new("fail");
    let path = own_vectors().join("hybrid/MLKEM768.json");
    let mut file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // Corrupt the shared secret of valid vector 1 and the expected error of the first negative.
    let secret = file["valid"][0]["shared_secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = format!(
        "{}{}",
        if secret.starts_with('0') { "1" } else { "0" },
        &secret[1..]
    );
    file["valid"][0]["shared_secret"] = json!(flipped);
    file["invalid"][0]["error"] = json!("EncapsulationKeyModulus");
    // Content, not the name, decides: the file is renamed.
    let renamed = tmp.write("vectors/data.bin", serde_json::to_string(&file).unwrap());
    let (ok, stdout, report) = kat(&tmp, &[&renamed]);
    assert!(!ok, "{stdout}");
    assert_eq!(report["ok"], false);
    let s = suite(&report, "hybrid-kx vectors MLKEM768", "data.bin");
    assert_eq!(counts(s), (7, 2, 0));
    let failures = s["failures"].as_array().unwrap();
    assert_eq!(failures[0]["case"], "id 1");
    assert_eq!(failures[0]["field"], "shared_secret (server)");
    assert_eq!(failures[0]["expected"], flipped.as_str());
    assert_eq!(failures[0]["actual"], secret.as_str());
    assert_eq!(failures[1]["case"], "id 4 (client_share_truncated)");
    assert_eq!(failures[1]["field"], "error");
    assert!(
        stdout.contains("FAILED id 1: shared_secret (server): expected "),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("kat: ") && l.contains(" passed, 2 failed, ")),
        "{stdout}"
    );
}

#[test]
fn unusable_files_and_empty_paths_are_errors() {
    let tmp = TempDir::new("errors");
    let mixed = tmp.path().join("mixed");
    tmp.write("mixed/notes.md", "# Notes\n\nNothing to run here.\n");
    tmp.write("mixed/values.txt", "alpha = 00112233\nbeta = 44556677\n");
    tmp.write("mixed/broken.json", "{ \"format\": ");
    tmp.write("mixed/other.json", "{\"hello\": \"world\"}");
    tmp.write(
        "mixed/rfc5869.txt",
        "[test case 1]\nikm = 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b\n\
         salt = 000102030405060708090a0b0c\ninfo = f0f1f2f3f4f5f6f7f8f9\nl = 42\n\
         prk = 077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5\n\
         okm = 3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865\n",
    );
    let docs_only = tmp.path().join("docs");
    tmp.write("docs/README.md", "Documentation only.\n");
    let missing = tmp.path().join("does-not-exist");
    let (ok, stdout, report) = kat(&tmp, &[&mixed, &docs_only, &missing]);
    assert!(!ok, "{stdout}");
    assert_eq!(report["totals"]["failed"], 0);
    assert_eq!(
        counts(suite(&report, "RFC 5869 HKDF", "rfc5869.txt")),
        (1, 0, 0)
    );
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_owned(),
                e["error"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let error_for = |suffix: &str| {
        errors
            .iter()
            .find(|(p, _)| p.ends_with(suffix))
            .map(|(_, e)| e.clone())
            .unwrap_or_else(|| panic!("no error for {suffix}: {errors:?}"))
    };
    assert!(error_for("values.txt").contains("no known vector format"));
    assert!(error_for("broken.json").contains("invalid JSON"));
    assert!(error_for("other.json").contains("no known vector format"));
    assert!(error_for("does-not-exist").contains("cannot read"));
    assert!(error_for("docs").contains("no recognised vector suite"));
    assert_eq!(errors.len(), 5, "{errors:?}");
    let ignored: Vec<&str> = report["ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    assert!(stdout.contains("error: "), "{stdout}");
}

#[test]
fn acvp_pairing_projection_and_group_level_fields() {
    let Some((shared, tmp)) = shared_and_tmp("acvp_pairing_projection_and_group_level_fields")
    else {
        return;
    };
    let keygen = shared.join("acvp/v1.1.0.40/ML-KEM-keyGen-FIPS203");
    let kdf = shared.join("acvp/TLS-v1.3-KDF-RFC8446-boringssl");
    let encap = shared.join("acvp/v1.1.0.40/ML-KEM-encapDecap-FIPS203");
    let load = |p: PathBuf| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };

    // An internal projection (inputs and answers together) in the older ACVP-Server layout:
    // one group per test, a decapsulation group's `dk` at group level (the other functions
    // keep their keys on the test, as that layout does).
    let prompt = load(encap.join("prompt.json"));
    let answers = load(encap.join("expectedResults.json"));
    let mut groups = Vec::new();
    for group in prompt["testGroups"].as_array().unwrap() {
        for test in group["tests"].as_array().unwrap() {
            let tc = &test["tcId"];
            let answer = answers["testGroups"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|g| g["tests"].as_array().unwrap())
                .find(|t| t["tcId"] == *tc)
                .unwrap();
            let mut g = group.clone();
            let mut t = test.clone();
            if group["function"] == "decapsulation" {
                g["dk"] = t.as_object_mut().unwrap().remove("dk").unwrap();
            }
            for (k, v) in answer.as_object().unwrap() {
                t[k] = v.clone();
            }
            g["tgId"] = tc.clone();
            g["tests"] = json!([t]);
            groups.push(g);
        }
    }
    let mut projection = prompt.clone();
    projection["testGroups"] = json!(groups);
    let projection = tmp.write("projection/internalProjection.json", projection.to_string());

    // A prompt named alone pairs with the expected results beside it, and expected results
    // named alone with the prompt beside them.
    let (ok, stdout, report) = kat(
        &tmp,
        &[
            &keygen.join("prompt.json"),
            &kdf.join("expected.json"),
            &projection,
        ],
    );
    assert!(ok, "{stdout}");
    let keygen_suite = suite(&report, "ACVP ML-KEM keyGen", "ML-KEM-keyGen-FIPS203");
    // 25 per parameter set: ML-KEM-512, -768 and -1024.
    assert_eq!(counts(keygen_suite), (75, 0, 0));
    assert_eq!(keygen_suite["sources"].as_array().unwrap().len(), 2);
    assert_eq!(
        counts(suite(&report, "ACVP TLS-v1.3-KDF", "expected.json")),
        (10, 0, 0)
    );
    for (function, n) in [
        ("encapsulation", 75),
        ("decapsulation", 30),
        ("encapsulationKeyCheck", 30),
        ("decapsulationKeyCheck", 30),
    ] {
        let s = suite(
            &report,
            &format!("ACVP ML-KEM {function}"),
            "internalProjection",
        );
        assert_eq!(s["sources"].as_array().unwrap().len(), 1);
        assert_eq!(counts(s).0, n, "{function}");
        assert_eq!(counts(s).1, 0, "{function}");
    }
    for path in report["paths"].as_array().unwrap() {
        assert_eq!(path["recognised_files"], 1, "{path}");
    }

    // A prompt without its expected results is an error.
    let lonely = tmp.write(
        "lonely/prompt.json",
        std::fs::read(keygen.join("prompt.json")).unwrap(),
    );
    let (ok, stdout, report) = kat(&tmp, &[&lonely]);
    assert!(!ok, "{stdout}");
    let error = report["errors"][0]["error"].as_str().unwrap();
    assert!(error.contains("without expected results"), "{error}");
}

/// `--backend NAME` sends every operation to that backend and the report says so; `all` runs
/// once per usable backend; an unknown name is refused.
#[test]
fn backend_option_runs_each_backend_and_names_it() {
    let dir = std::env::temp_dir().join(format!("hybrid-kx-kat-backend-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("report.json");
    let vectors = concat!(env!("CARGO_MANIFEST_DIR"), "/../test-vectors");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(["kat", vectors, "--backend", "all", "--json"])
        .arg(&json)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let reports: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let reports = reports.as_array().unwrap();
    let usable: Vec<&str> = hybrid_kx_support::cpu::usable_backends("kat --backend all")
        .into_iter()
        .map(hybrid_kx::Backend::name)
        .collect();
    assert_eq!(reports.len(), usable.len());
    // Every backend not run is listed with its reason.
    for backend in hybrid_kx::Backend::ALL {
        if let Some(reason) = backend.unusable_reason() {
            assert!(
                stdout.contains(&format!("=== backend {backend}: not run: {reason}\n")),
                "{stdout}"
            );
        }
    }
    for (report, backend) in reports.iter().zip(&usable) {
        assert!(
            stdout.contains(&format!("=== backend {backend}\n")),
            "{stdout}"
        );
        assert_eq!(report["ok"], true, "{backend}");
        assert_eq!(report["tool"]["requested_backend"], *backend);
        let per_component = report["tool"]["backends"].as_object().unwrap();
        // ML-KEM-768 has code on every backend, so it ran on the one asked for.
        assert_eq!(per_component["ML-KEM-768"], *backend);
        for component in per_component.values() {
            let c = component.as_str().unwrap();
            assert!(c == *backend || c == "portable", "{backend}: {c}");
        }
        assert_eq!(report["totals"]["failed"], 0);
        assert!(report["totals"]["passed"].as_u64().unwrap() > 1000);
        // Decapsulation from an expanded key: the report says where it ran. graviola cannot
        // import an expanded key without its seed, so those ran on the portable reference.
        let semi = report["suites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["suite"] == "Wycheproof mlkem_768_semi_expanded_decaps")
            .unwrap();
        let ran_on = if *backend == "graviola" {
            "portable"
        } else {
            backend
        };
        // Every passed case decapsulated there, but those whose key itself was refused.
        let tally = |label: &str| semi["tallies"][label].as_u64().unwrap_or(0);
        assert_eq!(
            tally(&format!("decapsulation on {ran_on}")),
            semi["passed"].as_u64().unwrap() - tally("rejected: decapsulation key"),
            "{backend}: {semi}"
        );
        assert!(tally(&format!("decapsulation on {ran_on}")) > 0, "{semi}");
    }
    // Every backend checks the same cases.
    let passed: Vec<&serde_json::Value> = reports.iter().map(|r| &r["totals"]["passed"]).collect();
    assert!(passed.windows(2).all(|w| w[0] == w[1]), "{passed:?}");

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(["kat", vectors, "--backend", "openssl"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown backend"));
    std::fs::remove_dir_all(&dir).ok();
}
