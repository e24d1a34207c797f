//! The `hybrid-kx handshake` and `serve` commands, run as a user would, with their output line
//! checked field by field.

mod common;

use std::process::Command;

use common::{Serve, fields, handshake_line, quoted};
use hybrid_kx::NamedGroup;
use hybrid_kx_support::temp_dir::TempDir;

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
        assert_eq!(f["hrr"], "false");
        assert_eq!(f["cert_key"], "ecdsa-p256");
        assert!(f["suite"].starts_with("TLS13_"), "{line}");
        assert!(f["handshake_ms"].parse::<f64>().unwrap() > 0.0);
    }
}

/// On loopback both sides take the ALPN protocols given, and the first is chosen.
#[test]
fn handshake_on_loopback_negotiates_alpn() {
    let line = handshake_line(&["--alpn", "h2", "--alpn", "http/1.1"]);
    assert_eq!(fields(&line)["alpn"], "h2", "{line}");
    assert_eq!(fields(&line)["secrets_match"], "true", "{line}");
}

#[test]
fn handshake_command_rejects_unknown_group() {
    let out = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(["handshake", "--group", "X448"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown group"));
}

#[test]
fn serve_and_connect_with_the_written_certificate() {
    let dir = TempDir::new("serve");
    let cert = dir.path().join("cert.pem");
    let serve = Serve::start(&[
        "--cert-out",
        cert.to_str().unwrap(),
        "--max-connections",
        "1",
    ]);
    let line = handshake_line(&[
        "--connect",
        &serve.address,
        "--server-name",
        "localhost",
        "--ca",
        cert.to_str().unwrap(),
    ]);
    let f = fields(&line);
    assert_eq!(f["group"], "X25519MLKEM768");
    assert_eq!(f["secrets_match"], "n/a");
    assert_eq!(f["cert_key"], "ecdsa-p256");
    assert_eq!(quoted(&line, "subject"), Some("CN=rcgen self signed cert"));

    let lines = serve.wait_for_lines(1);
    let line = &lines[0];
    assert!(line.starts_with("serve "), "{line}");
    let f = fields(line);
    assert_eq!(f["group"], "X25519MLKEM768");
    assert_eq!(f["resumed"], "false");
    assert!(
        f["client_key_shares"].starts_with("X25519MLKEM768:1216"),
        "{line}"
    );
}
