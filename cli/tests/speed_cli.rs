//! `hybrid-kx speed` as a user runs it: one short round, the CPU named, a row per group and
//! backend, and the JSON report.

use std::process::Command;

use hybrid_kx::{Backend, NamedGroup};

#[test]
fn speed_reports_every_backend_of_the_group_with_the_cpu() {
    let dir = std::env::temp_dir().join(format!("hybrid-kx-speed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("speed.json");
    let chart = dir.join("speed.svg");
    let out = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args([
            "speed",
            "--rounds",
            "1",
            "--batch-ms",
            "1",
            "--group",
            "X25519MLKEM768",
        ])
        .arg("--json")
        .arg(&json)
        .arg("--chart")
        .arg(&chart)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The CPU line first: model, family/model/stepping, and each backend's features (the one
    // description, as this test's process sees the same CPU and the same build).
    let cpu = hybrid_kx_support::cpu::describe();
    assert_eq!(
        stdout.lines().next(),
        Some(&*format!("cpu: {cpu}")),
        "{stdout}"
    );
    for backend in Backend::ALL {
        assert!(
            stdout.contains(&format!("; {}: ", backend.name())),
            "{stdout}"
        );
    }

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["schema"], "hybrid-kx-speed/1");
    assert!(!report["cpu"].as_str().unwrap().is_empty());
    assert_eq!(report["cpu"], cpu.model_name);
    assert_eq!(
        report["cpu_features"],
        serde_json::json!(cpu.present_features())
    );
    assert_eq!(
        report["cpu_description"],
        serde_json::to_value(&cpu).unwrap()
    );
    let rows = report["results"].as_array().unwrap();
    // The default mix, then every usable backend that implements a component of the group
    // (X25519MLKEM768 has code on all three).
    let mut expected = vec!["default"];
    expected.extend(
        hybrid_kx_support::cpu::usable_backends("speed")
            .into_iter()
            .filter(|b| *b == Backend::Portable || NamedGroup::X25519MLKEM768.has_backend(*b))
            .map(Backend::name),
    );
    let backends: Vec<&str> = rows
        .iter()
        .map(|r| r["backend"].as_str().unwrap())
        .collect();
    assert_eq!(backends, expected);
    for row in rows {
        assert_eq!(row["group"], "X25519MLKEM768");
        for field in [
            "keygen_per_s",
            "encapsulate_per_s",
            "complete_per_s",
            "exchange_us",
        ] {
            let v = row[field].as_f64().unwrap();
            assert!(v.is_finite() && v > 0.0, "{field} = {v}");
        }
    }
    // The chart: the CPU in the title, one bar (and label) per row of the report.
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains(&cpu.summary()), "{svg}");
    for backend in expected {
        assert!(
            svg.contains(&format!("X25519MLKEM768 {backend}")),
            "{backend}: {svg}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn speed_refuses_an_unknown_backend() {
    let out = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(["speed", "--rounds", "1", "--backend", "openssl"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown backend"));
}
