//! The `hybrid-kx handshake` and `serve` commands, run as a user would, with their output line
//! checked field by field.

mod common;

use std::process::Command;

use common::{Serve, fields, handshake_line, quoted, refused};
use hybrid_kx::NamedGroup;
use hybrid_kx_support::temp_dir::TempDir;

/// Each group's key shares on the wire (client, server), in bytes: RFC 10024 section 4 for the
/// hybrids (ML-KEM's FIPS 203 sizes beside 32-byte X25519 and 65/97-byte uncompressed
/// SEC1 points), draft-ietf-tls-mlkem section 3 for ML-KEM alone.
const SHARE_SIZES: [(&str, usize, usize); 6] = [
    ("X25519MLKEM768", 1184 + 32, 1088 + 32),
    ("SecP256r1MLKEM768", 65 + 1184, 65 + 1088),
    ("SecP384r1MLKEM1024", 97 + 1568, 97 + 1568),
    ("MLKEM512", 800, 768),
    ("MLKEM768", 1184, 1088),
    ("MLKEM1024", 1568, 1568),
];

/// Every group, on loopback, on each rustls adapter (`--rustls 0.23`, the default, and
/// `--rustls 0.24`): negotiated on both sides with the same secrets, shares of the sizes the
/// RFCs give.
#[test]
fn handshake_command_reports_each_group_on_both_rustls_versions() {
    assert_eq!(SHARE_SIZES.len(), NamedGroup::ALL.len());
    for version in ["0.23", "0.24"] {
        for (name, client_share, server_share) in SHARE_SIZES {
            let out = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
                .args(["handshake", "--rustls", version, "--group", name])
                .output()
                .unwrap();
            let stdout = String::from_utf8(out.stdout).unwrap();
            assert!(
                out.status.success(),
                "{name} on {version}: {stdout} {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let line = stdout.lines().next().unwrap();
            assert!(line.starts_with("handshake "), "{line}");
            let f = fields(line);
            assert_eq!(f["rustls"], version, "{line}");
            assert_eq!(f["group"], name, "{line}");
            assert_eq!(
                f["client_key_shares"],
                format!("{name}:{client_share}"),
                "{line}"
            );
            assert_eq!(
                f["server_key_share"],
                format!("{name}:{server_share}"),
                "{line}"
            );
            assert_eq!(f["secrets_match"], "true", "{line}");
            assert_eq!(f["hrr"], "false", "{line}");
            assert_eq!(f["cert_key"], "ecdsa-p256", "{line}");
            assert!(f["suite"].starts_with("TLS13_"), "{line}");
            assert!(f["handshake_ms"].parse::<f64>().unwrap() > 0.0, "{line}");
        }
    }
}

/// On 0.24 as on 0.23, a hybrid offered first with X25519 after it also sends a plain X25519
/// share (the hybrid's own X25519 key, reused, as rustls does for its hybrids), and ALPN is
/// negotiated.
#[test]
fn handshake_on_rustls_0_24_reuses_the_classical_share_and_negotiates_alpn() {
    let line = handshake_line(&[
        "--rustls",
        "0.24",
        "--group",
        "X25519MLKEM768",
        "--group",
        "x25519",
        "--alpn",
        "h2",
    ]);
    let f = fields(&line);
    assert_eq!(
        f["client_key_shares"], "X25519MLKEM768:1216,x25519:32",
        "{line}"
    );
    assert_eq!(f["alpn"], "h2", "{line}");
    assert_eq!(f["secrets_match"], "true", "{line}");
}

/// `--connect` runs on 0.23 alone: asking for 0.24 with it is refused, exit status 2.
#[test]
fn handshake_connect_on_rustls_0_24_is_refused() {
    refused(
        &["handshake", "--rustls", "0.24", "--connect", "127.0.0.1:1"],
        "--rustls 0.24",
    );
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
    refused(&["handshake", "--group", "X448"], "unknown group");
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
