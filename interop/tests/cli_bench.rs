//! `hybrid-kx bench` against OpenSSL 3.6 (vendored) on loopback, as a user runs it against
//! `openssl s_server`: the command runs in this process (`hybrid_kx_cli::run`, what the binary
//! runs), the server is the interop member's load server. Checked: the report's structure and
//! its consistency with what OpenSSL saw (the same handshakes, in the groups measured, as
//! OpenSSL names them), and resumption from OpenSSL's tickets. Not speed: docs/benchmarks.md
//! measures it.

use std::process::ExitCode;

use hybrid_kx_interop::Identity;
use hybrid_kx_interop::load_server::{FAILED, GroupCounts, LoadServer};
use hybrid_kx_support::temp_dir::TempDir;
use serde_json::Value;

/// `hybrid-kx bench` against `server`, trusting `identity`, with `args`: its exit status and
/// its JSON report (in a folder named after `test`: tests run in parallel).
fn bench(test: &str, server: &LoadServer, identity: &Identity, args: &[&str]) -> (ExitCode, Value) {
    let dir = TempDir::new(test);
    let ca = dir.write("ca.pem", &identity.cert_pem);
    let json = dir.path().join("bench.json");
    let address = server.address().to_string();
    let mut all = vec![
        "hybrid-kx",
        "bench",
        "--connect",
        &address,
        "--ca",
        ca.to_str().unwrap(),
        "--server-name",
        "localhost",
        "--json",
        json.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let status = hybrid_kx_cli::run(all);
    let report = std::fs::read_to_string(&json).expect("bench wrote its JSON report");
    (status, serde_json::from_str(&report).unwrap())
}

/// The group entries of a report that must have no error and ordered latencies.
fn clean_groups(report: &Value) -> &Vec<Value> {
    let groups = report["groups"].as_array().unwrap();
    for group in groups {
        assert_eq!(group["errors"], serde_json::json!({}), "{group}");
        let [p50, p90, p99, max] = ["p50", "p90", "p99", "max"].map(|k| group[k].as_f64().unwrap());
        assert!(
            0.0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max,
            "{group}"
        );
        assert!(
            group["handshakes_per_second"].as_f64().unwrap() > 0.0,
            "{group}"
        );
    }
    groups
}

#[test]
fn bench_measures_each_group_against_openssl() {
    let identity = Identity::generate().unwrap();
    let server = LoadServer::start("127.0.0.1:0", &identity, "X25519MLKEM768:X25519", 4).unwrap();
    let (status, report) = bench(
        "interop-bench-groups",
        &server,
        &identity,
        &[
            "--group",
            "X25519MLKEM768",
            "--group",
            "x25519",
            "--handshakes",
            "40",
            "--concurrency",
            "2",
            "--rounds",
            "4",
        ],
    );
    let seen = server.stop();
    assert_eq!(status, ExitCode::SUCCESS, "{report}");
    let groups = clean_groups(&report);
    let measured: Vec<(&str, u64)> = groups
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap(),
                g["handshakes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(measured, [("X25519MLKEM768", 40), ("x25519", 40)]);
    // OpenSSL negotiated each group as often as the client measured it, and nothing failed.
    let expected: GroupCounts = [("X25519MLKEM768".to_owned(), 40), ("x25519".to_owned(), 40)]
        .into_iter()
        .collect();
    assert_eq!(seen, expected, "OpenSSL saw {seen:?}");
    assert!(!seen.contains_key(FAILED));
}

/// OpenSSL's (stateless) tickets resume every connection after the first; a group OpenSSL
/// does not offer fails by kind.
#[test]
fn bench_resumes_with_openssl_tickets_and_counts_refusals() {
    let identity = Identity::generate().unwrap();
    let server = LoadServer::start("127.0.0.1:0", &identity, "X25519MLKEM768", 2).unwrap();
    let (status, report) = bench(
        "interop-bench-resume",
        &server,
        &identity,
        &[
            "--group",
            "X25519MLKEM768",
            "--handshakes",
            "12",
            "--resume",
            "--rounds",
            "3",
        ],
    );
    assert_eq!(status, ExitCode::SUCCESS, "{report}");
    let group = &clean_groups(&report)[0];
    assert_eq!(group["handshakes"], 12, "{group}");
    assert_eq!(group["resumed"], 11, "{group}");

    let (status, report) = bench(
        "interop-bench-refused",
        &server,
        &identity,
        &["--group", "x25519", "--handshakes", "3"],
    );
    assert_eq!(status, ExitCode::FAILURE, "{report}");
    let group = &report["groups"][0];
    assert_eq!(group["handshakes"], 0, "{group}");
    let errors = group["errors"].as_object().unwrap();
    assert_eq!(
        errors.values().map(|n| n.as_u64().unwrap()).sum::<u64>(),
        3,
        "{group}"
    );
    assert!(
        errors.keys().all(|kind| kind.starts_with("alert received")),
        "{group}"
    );
    let seen = server.stop();
    assert_eq!(seen.get("X25519MLKEM768"), Some(&12), "{seen:?}");
    assert_eq!(seen.get(FAILED), Some(&3), "{seen:?}");
}
