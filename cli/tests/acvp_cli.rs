//! `hybrid-kx acvp respond` and `acvp check` as a lab runs them: every ACVP vector set among the
//! shared vectors answered on every backend this CPU runs and compared with its expected
//! results (NIST's, or BoringSSL's response for the TLS-v1.3 KDF set); a response that differs,
//! or holds what a response may not, fails the check.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

// The KAT engine's test helpers, compiled here rather than copied.
#[path = "../../kat/tests/common/mod.rs"]
mod common;
use common::{TempDir, shared_and_tmp};

/// A path for `name` inside `tmp`, as text.
fn file(tmp: &TempDir, name: &str) -> String {
    tmp.path().join(name).display().to_string()
}

/// Runs `hybrid-kx ARGS`.
fn hybrid_kx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(args)
        .output()
        .unwrap()
}

/// Every ACVP vector set among the shared vectors: (name, input, expected answers).
fn vector_sets(shared: &Path) -> Vec<(String, PathBuf, PathBuf)> {
    let mut sets = Vec::new();
    let mut dirs = vec![shared.join("acvp")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(shared).unwrap().display().to_string();
            match path.file_name().and_then(|n| n.to_str()) {
                _ if path.is_dir() => dirs.push(path),
                Some("prompt.json") => {
                    sets.push((name, path.clone(), dir.join("expectedResults.json")));
                }
                Some("vectors.json") => sets.push((name, path.clone(), dir.join("expected.json"))),
                _ => {}
            }
        }
    }
    sets.sort();
    sets
}

/// `acvp respond INPUT -o OUTPUT`, which must succeed; the response it wrote.
fn respond_to_file(input: &Path, output: &str) -> Value {
    let out = hybrid_kx(&["acvp", "respond", input.to_str().unwrap(), "-o", output]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(output).unwrap()).unwrap()
}

/// `(tests compared, mismatches)` from `acvp check`'s summary line.
fn counts(stdout: &str) -> (u64, u64) {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("acvp check: "))
        .unwrap_or_else(|| panic!("no summary: {stdout}"));
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn respond_to_every_shared_vector_set_on_every_backend() {
    let Some((shared, tmp)) = shared_and_tmp("respond-every-set") else {
        return;
    };
    let sets = vector_sets(&shared);
    assert_eq!(sets.len(), 3, "{sets:?}");
    for backend in &hybrid_kx_support::cpu::usable_backends("acvp respond") {
        let mut compared = 0;
        for (name, input, expected) in &sets {
            let response = file(&tmp, "response.json");
            let out = hybrid_kx(&[
                "acvp",
                "respond",
                input.to_str().unwrap(),
                "-o",
                &response,
                "--backend",
                backend.name(),
            ]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{backend} {name}: {stderr}");
            assert!(
                stderr.contains("tests answered in 1 vector sets"),
                "{stderr}"
            );
            let out = hybrid_kx(&["acvp", "check", &response, expected.to_str().unwrap()]);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{backend} {name}: {stdout}");
            let (tests, mismatches) = counts(&stdout);
            assert_eq!(mismatches, 0);
            eprintln!(
                "{backend} {name}: {tests} tests, 0 mismatches; {}",
                stderr.trim()
            );
            compared += tests;
        }
        // 75 keyGen + 165 encapDecap + 10 TLS-v1.3 KDF.
        assert_eq!(compared, 250, "{backend}");
    }
}

#[test]
fn respond_keeps_the_session_header_and_answers_each_function() {
    let Some((shared, tmp)) = shared_and_tmp("respond-shape") else {
        return;
    };
    let tls = shared.join("acvp/TLS-v1.3-KDF-RFC8446-boringssl/vectors.json");
    let value = respond_to_file(&tls, &file(&tmp, "r.json"));
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(&tls).unwrap()).unwrap();
    assert_eq!(value[0], vectors[0], "the session header is echoed");
    assert_eq!(value[1]["vsId"], vectors[1]["vsId"]);
    assert_eq!(value[1]["algorithm"], "TLS-v1.3");

    // A bare prompt gets a header; the answer fields per function are the specification's.
    let prompt = shared.join("acvp/v1.1.0.40/ML-KEM-encapDecap-FIPS203/prompt.json");
    let out = hybrid_kx(&["acvp", "respond", prompt.to_str().unwrap()]);
    assert!(out.status.success());
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value[0], json!({"acvVersion": "1.0"}));
    let prompt: Value = serde_json::from_str(&std::fs::read_to_string(&prompt).unwrap()).unwrap();
    for (group, answered) in prompt["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .zip(value[1]["testGroups"].as_array().unwrap())
    {
        assert_eq!(group["tgId"], answered["tgId"]);
        let mut keys: Vec<&str> = answered["tests"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let want: &[&str] = match group["function"].as_str().unwrap() {
            "encapsulation" => &["c", "k", "tcId"],
            "decapsulation" => &["k", "tcId"],
            _ => &["tcId", "testPassed"],
        };
        assert_eq!(keys, want, "{}", group["function"]);
    }

    // Answers cannot be answered; a file that is not ACVP is refused.
    let results = shared.join("acvp/v1.1.0.40/ML-KEM-keyGen-FIPS203/expectedResults.json");
    let out = hybrid_kx(&["acvp", "respond", results.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to answer"));
    std::fs::write(file(&tmp, "x.json"), "{\"hello\": 1}").unwrap();
    let out = hybrid_kx(&["acvp", "respond", &file(&tmp, "x.json")]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an ACVP vector set file"));
    let keygen = shared.join("acvp/v1.1.0.40/ML-KEM-keyGen-FIPS203/prompt.json");
    let keygen = keygen.to_str().unwrap();
    let out = hybrid_kx(&["acvp", "respond", keygen, "--backend", "quantum"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown backend"));
}

#[test]
fn check_finds_every_difference() {
    let Some((shared, tmp)) = shared_and_tmp("check_finds_every_difference") else {
        return;
    };
    let expected = shared.join("acvp/v1.1.0.40/ML-KEM-encapDecap-FIPS203/expectedResults.json");
    let expected = expected.to_str().unwrap();
    let prompt = shared.join("acvp/v1.1.0.40/ML-KEM-encapDecap-FIPS203/prompt.json");
    let good = respond_to_file(&prompt, &file(&tmp, "r.json"));
    let check = |name: &str, edit: &dyn Fn(&mut Value)| -> (bool, String, String) {
        let mut value = good.clone();
        edit(&mut value);
        let path = file(&tmp, name);
        std::fs::write(&path, value.to_string()).unwrap();
        let out = hybrid_kx(&["acvp", "check", &path, expected]);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Lower-case hex (acvptool's) is the same answer.
    let (ok, stdout, _) = check("lower.json", &|v| {
        let text = v
            .to_string()
            .to_lowercase()
            .replace("testpassed", "testPassed");
        let text = text
            .replace("tgid", "tgId")
            .replace("tcid", "tcId")
            .replace("vsid", "vsId");
        let text = text
            .replace("testgroups", "testGroups")
            .replace("acvversion", "acvVersion");
        *v = serde_json::from_str(&text.replace("ml-kem", "ML-KEM")).unwrap();
    });
    assert!(ok, "{stdout}");
    assert_eq!(counts(&stdout), (165, 0));
    // One answer flipped: one mismatch, named.
    let (ok, stdout, _) = check("flipped.json", &|v| {
        let k = v[1]["testGroups"][0]["tests"][3]["k"]
            .as_str()
            .unwrap()
            .to_owned();
        let flipped = format!("{}{}", if k.starts_with('0') { "1" } else { "0" }, &k[1..]);
        v[1]["testGroups"][0]["tests"][3]["k"] = json!(flipped);
    });
    assert!(!ok);
    assert_eq!(counts(&stdout), (165, 1));
    assert!(
        stdout.contains("MISMATCH tgId 1 tcId 4: k: expected"),
        "{stdout}"
    );
    // A verdict flipped.
    let (ok, stdout, _) = check("verdict.json", &|v| {
        for g in v[1]["testGroups"].as_array_mut().unwrap() {
            for t in g["tests"].as_array_mut().unwrap() {
                if let Some(b) = t.get("testPassed").and_then(Value::as_bool) {
                    t["testPassed"] = json!(!b);
                    return;
                }
            }
        }
    });
    assert!(!ok);
    assert_eq!(counts(&stdout).1, 1, "{stdout}");
    // A test left out, and one answered that was not asked.
    let (ok, stdout, _) = check("missing.json", &|v| {
        let tests = v[1]["testGroups"][0]["tests"].as_array_mut().unwrap();
        let mut last = tests.pop().unwrap();
        last["tcId"] = json!(9999);
        v[1]["testGroups"][1]["tests"]
            .as_array_mut()
            .unwrap()
            .push(last);
    });
    assert!(!ok);
    assert!(stdout.contains("missing from the response"), "{stdout}");
    assert!(stdout.contains("not in the expected results"), "{stdout}");
    // A field no response has.
    let (ok, _, stderr) = check("extra.json", &|v| {
        v[1]["testGroups"][0]["tests"][0]["deferred"] = json!(false);
    });
    assert!(!ok);
    assert!(
        stderr.contains("field \"deferred\" is not defined in a response"),
        "{stderr}"
    );
    // Another vector set.
    let (ok, _, stderr) = check("vsid.json", &|v| v[1]["vsId"] = json!(43));
    assert!(!ok);
    assert!(stderr.contains("vsId 43"), "{stderr}");
}
