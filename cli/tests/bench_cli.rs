//! `hybrid-kx bench` against `hybrid-kx serve` on loopback, as a user runs it: the report's
//! structure and its consistency (counts that add up, with each other and with what the server
//! saw; percentiles in order; the JSON fields; the chart), resumption with and without the
//! server's tickets, failures counted by kind, and bad input refused. Speed is not tested here
//! (docs/benchmarks.md measures it).

mod common;

use common::{Serve, fields, hybrid_kx, show};
use hybrid_kx_support::temp_dir::TempDir;
use serde_json::Value;

/// Runs `hybrid-kx bench --connect ADDRESS --insecure ARGS --json FILE` and returns its exit
/// status, its standard output and the JSON report.
fn bench(address: &str, args: &[&str], dir: &TempDir) -> (Option<i32>, String, Value) {
    let json = dir.path().join("bench.json");
    let _ = std::fs::remove_file(&json);
    let mut all = vec![
        "bench",
        "--connect",
        address,
        "--insecure",
        "--json",
        json.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let out = hybrid_kx(&all);
    let report = std::fs::read_to_string(&json)
        .unwrap_or_else(|_| panic!("{all:?} wrote no JSON: {}", show(&out)));
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        serde_json::from_str(&report).unwrap(),
    )
}

/// A group's latency fields, which must be there and in order.
fn latencies(group: &Value) -> [f64; 4] {
    let [p50, p90, p99, max] = ["p50", "p90", "p99", "max"].map(|k| group[k].as_f64().unwrap());
    assert!(
        0.0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max,
        "{group}"
    );
    [p50, p90, p99, max]
}

#[test]
fn bench_reports_each_group_in_turn_consistently_with_the_server() {
    let dir = TempDir::new("bench-serve");
    let serve = Serve::start(&[]);
    let chart = dir.path().join("bench.svg");
    let (status, stdout, report) = bench(
        &serve.address,
        &[
            "--group",
            "X25519MLKEM768",
            "--group",
            "x25519",
            "--handshakes",
            "60",
            "--concurrency",
            "3",
            "--rounds",
            "4",
            "--chart",
            chart.to_str().unwrap(),
        ],
        &dir,
    );
    assert_eq!(status, Some(0), "{stdout}");
    let cpu = hybrid_kx_support::cpu::describe();
    assert_eq!(
        stdout.lines().next(),
        Some(&*format!("cpu: {cpu}")),
        "{stdout}"
    );
    assert_eq!(report["schema"], "hybrid-kx-bench/1");
    assert_eq!(report["cpu"], cpu.model_name);
    assert_eq!(report["mode"], "full");
    assert_eq!(report["concurrency"], 3);
    assert_eq!(report["rounds"], 4);
    assert_eq!(report["limit"]["handshakes"], 60);
    assert_eq!(report["complete"], true);
    assert_eq!(report["latency_unit"], "ms");
    let groups = report["groups"].as_array().unwrap();
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["X25519MLKEM768", "x25519"]);
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("bench group="))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    for (group, line) in groups.iter().zip(&lines) {
        let f = fields(line);
        assert_eq!(group["handshakes"], 60, "{group}");
        assert_eq!(f["handshakes"], "60", "{line}");
        assert_eq!(group["resumed"], 0, "{group}");
        assert_eq!(group["errors"], serde_json::json!({}), "{group}");
        assert_eq!(f["errors"], "0", "{line}");
        let [p50, _, _, max] = latencies(group);
        assert_eq!(f["p50_ms"], format!("{p50:.3}"), "{line}");
        assert_eq!(f["max_ms"], format!("{max:.3}"), "{line}");
        let seconds = group["seconds"].as_f64().unwrap();
        let rate = group["handshakes_per_second"].as_f64().unwrap();
        assert!((rate * seconds - 60.0).abs() < 1e-6, "{group}");
        // Three workers at once: no handshake can be longer than the group's wall time, and
        // the wall time is at most the sum of the latencies plus the closing exchanges.
        assert!(max <= seconds * 1e3, "{group}");
        if cfg!(target_os = "linux") {
            assert!(
                group["client_cpu_us_per_handshake"].as_f64().unwrap() > 0.0,
                "{group}"
            );
        }
    }
    // The server saw exactly these handshakes, in these groups, none resumed.
    let served = serve.wait_for_lines(120);
    assert_eq!(served.len(), 120, "{served:?}");
    for name in ["X25519MLKEM768", "x25519"] {
        let n = served
            .iter()
            .filter(|l| fields(l).get("group") == Some(&name))
            .count();
        assert_eq!(n, 60, "{name}: {served:?}");
    }
    assert!(
        served.iter().all(|l| fields(l)["resumed"] == "false"),
        "{served:?}"
    );
    // One bar per group, the CPU in the title.
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains(&cpu.summary()), "{svg}");
    for name in names {
        assert!(svg.contains(name), "{name}: {svg}");
    }
}

/// With `--resume` every connection after a worker's first resumes from a ticket; against
/// `serve --no-tickets` none can.
#[test]
fn resumption_uses_the_servers_tickets_and_only_them() {
    let dir = TempDir::new("bench-resume");
    let args = [
        "--group",
        "x25519",
        "--handshakes",
        "20",
        "--resume",
        "--rounds",
        "2",
    ];
    let serve = Serve::start(&[]);
    let (status, stdout, report) = bench(&serve.address, &args, &dir);
    assert_eq!(status, Some(0), "{stdout}");
    assert_eq!(report["mode"], "resume");
    let group = &report["groups"][0];
    assert_eq!(group["handshakes"], 20, "{group}");
    assert_eq!(group["resumed"], 19, "{group}");
    latencies(group);
    let served = serve.wait_for_lines(20);
    let resumed = served
        .iter()
        .filter(|l| fields(l)["resumed"] == "true")
        .count();
    assert_eq!(resumed, 19, "{served:?}");

    let no_tickets = Serve::start(&["--no-tickets"]);
    assert!(
        no_tickets.certificate_line.contains(" tickets=off "),
        "{}",
        no_tickets.certificate_line
    );
    let (status, stdout, report) = bench(&no_tickets.address, &args, &dir);
    assert_eq!(status, Some(0), "{stdout}");
    assert_eq!(report["groups"][0]["handshakes"], 20);
    assert_eq!(report["groups"][0]["resumed"], 0);
}

/// `--duration` measures each group for about that long, whatever the count.
#[test]
fn a_duration_bounds_each_group_in_time() {
    let dir = TempDir::new("bench-duration");
    let serve = Serve::start(&[]);
    let (status, stdout, report) = bench(
        &serve.address,
        &[
            "--group",
            "MLKEM768",
            "--duration",
            "0.4",
            "--rounds",
            "2",
            "--concurrency",
            "2",
        ],
        &dir,
    );
    assert_eq!(status, Some(0), "{stdout}");
    assert_eq!(report["limit"]["seconds"], 0.4);
    let group = &report["groups"][0];
    let seconds = group["seconds"].as_f64().unwrap();
    // Each of the two rounds ends at its slice's end but for the connections in flight.
    assert!((0.4..10.0).contains(&seconds), "{group}");
    assert!(group["handshakes"].as_u64().unwrap() > 0, "{group}");
    latencies(group);
}

/// Failed handshakes are counted by kind, the latencies of none are reported as null, and a
/// group without a completed handshake fails the command (exit status 1) after its report.
#[test]
fn failures_are_counted_by_kind() {
    let dir = TempDir::new("bench-failures");
    let serve = Serve::start(&["--group", "x25519"]);
    let (status, stdout, report) = bench(
        &serve.address,
        &[
            "--group",
            "MLKEM1024",
            "--group",
            "x25519",
            "--handshakes",
            "6",
            "--rounds",
            "2",
        ],
        &dir,
    );
    assert_eq!(status, Some(1), "{stdout}");
    let refused = &report["groups"][0];
    assert_eq!(refused["handshakes"], 0, "{refused}");
    assert_eq!(
        refused["errors"],
        serde_json::json!({ "alert received: HandshakeFailure": 6 }),
        "{refused}"
    );
    assert!(
        refused["p50"].is_null() && refused["max"].is_null(),
        "{refused}"
    );
    assert_eq!(report["groups"][1]["handshakes"], 6);
    assert!(
        stdout.contains("bench group=MLKEM1024 error=\"alert received: HandshakeFailure\" count=6"),
        "{stdout}"
    );

    // Nobody listens: every connection is refused, each counted.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let (status, _, report) = bench(&closed, &["--group", "x25519", "--handshakes", "4"], &dir);
    assert_eq!(status, Some(1));
    assert_eq!(
        report["groups"][0]["errors"],
        serde_json::json!({ "connect: connection refused": 4 })
    );
}

/// Input the command cannot use is refused before any connection, with exit status 2.
#[test]
fn bad_input_is_refused_with_exit_status_2() {
    for args in [
        &["bench", "--connect", "127.0.0.1:1", "--handshakes", "0"][..],
        &[
            "bench",
            "--connect",
            "127.0.0.1:1",
            "--handshakes",
            "10000001",
        ],
        &["bench", "--connect", "127.0.0.1:1", "--concurrency", "0"],
        &["bench", "--connect", "127.0.0.1:1", "--duration", "0"],
        &[
            "bench",
            "--connect",
            "127.0.0.1:1",
            "--duration",
            "1",
            "--handshakes",
            "5",
        ],
        &["bench", "--connect", "127.0.0.1:1", "--group", "X448"],
        &[
            "bench",
            "--connect",
            "127.0.0.1:1",
            "--group",
            "x25519",
            "--group",
            "X25519",
        ],
        &["bench", "--connect", "localhost"],
        &[
            "bench",
            "--connect",
            "127.0.0.1:1",
            "--ca",
            "/nonexistent/ca.pem",
        ],
        &["bench", "--handshakes", "5"],
    ] {
        let out = hybrid_kx(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", show(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", show(&out));
    }
}
