//! The `hybrid-kx handshake` and `serve` commands, run as a user would, with their output line
//! checked field by field.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use hybrid_kx::NamedGroup;

fn fields(line: &str) -> std::collections::HashMap<&str, &str> {
    line.split_whitespace()
        .skip(1)
        .filter_map(|kv| kv.split_once('='))
        .collect()
}

#[test]
fn handshake_command_reports_each_group() {
    for &group in NamedGroup::ALL {
        let out = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
            .args(["handshake", "--group", group.name()])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            out.status.success(),
            "{group}: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = stdout.lines().next().unwrap();
        assert!(line.starts_with("handshake "), "{line}");
        let f = fields(line);
        assert_eq!(f["group"], group.name());
        assert_eq!(
            f["client_key_shares"],
            format!("{}:{}", group.name(), group.client_share_len())
        );
        assert_eq!(
            f["server_key_share"],
            format!("{}:{}", group.name(), group.server_share_len())
        );
        assert_eq!(f["secrets_match"], "true");
        assert!(f["handshake_ms"].parse::<f64>().unwrap() > 0.0);
    }
}

#[test]
fn handshake_command_rejects_unknown_group() {
    let out = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(["handshake", "--group", "X448"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown group"));
}

#[test]
fn serve_and_connect_with_the_written_certificate() {
    let dir = std::env::temp_dir().join(format!("hybrid-kx-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("cert.pem");
    // Port 0 is not reported back, so pick a free port first.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(["serve", "--listen", &listen, "--cert-out"])
        .arg(&cert)
        .args(["--max-connections", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for "serving TLS 1.3 on ..." on stderr.
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.starts_with("serving TLS 1.3 on"), "{first}");

    let client = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args([
            "handshake",
            "--connect",
            &listen,
            "--server-name",
            "localhost",
            "--ca",
        ])
        .arg(&cert)
        .output()
        .unwrap();
    let client_out = String::from_utf8(client.stdout).unwrap();
    assert!(
        client.status.success(),
        "{client_out} {}",
        String::from_utf8_lossy(&client.stderr)
    );
    let f = fields(client_out.lines().next().unwrap());
    assert_eq!(f["group"], "X25519MLKEM768");
    assert_eq!(f["secrets_match"], "n/a");

    let server_out = server.wait_with_output().unwrap();
    let server_line = String::from_utf8(server_out.stdout).unwrap();
    let line = server_line.lines().next().unwrap();
    assert!(line.starts_with("serve "), "{line}");
    let f = fields(line);
    assert_eq!(f["group"], "X25519MLKEM768");
    assert!(
        f["client_key_shares"].starts_with("X25519MLKEM768:1216"),
        "{line}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
