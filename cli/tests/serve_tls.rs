//! `hybrid-kx serve` as a TLS test server, and `hybrid-kx handshake --connect` as its client
//! (`s_server`/`s_client`): certificates generated of each key type or read from files that
//! the system's `openssl` makes (RSA, ECDSA P-256/P-384, Ed25519; PKCS#8, PKCS#1, SEC1; a
//! chain), a client that offers only RSA-PSS signature schemes, every way the files can be
//! wrong (one line, exit status 2), ALPN, HelloRetryRequest, `--insecure`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use common::{Serve, fields, handshake_line, hybrid_kx, openssl, quoted, show};
use hybrid_kx_support::temp_dir::TempDir;
use rustls::SignatureScheme;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

/// A path as an argument (the temporary folders' paths are UTF-8).
fn path(path: &std::path::Path) -> &str {
    path.to_str().unwrap()
}

/// `openssl req -x509` makes a CA certificate unless told otherwise, which webpki refuses as
/// a server's (`CaUsedAsEndEntity`).
const LEAF: &str = "basicConstraints=critical,CA:FALSE";

/// Every generated key type serves a handshake that verifies the certificate it wrote, and
/// the client names the key type.
#[test]
fn generated_certificates_of_each_type_verify() {
    let dir = TempDir::new("serve-generated");
    for key in ["ecdsa-p256", "ecdsa-p384", "ed25519"] {
        let cert = dir.path().join(format!("{key}.pem"));
        let cert = path(&cert);
        let serve = Serve::start(&["--generate-cert", key, "--cert-out", cert]);
        assert!(
            serve.certificate_line.contains(&format!("key={key} ")),
            "{}",
            serve.certificate_line
        );
        let line = handshake_line(&[
            "--connect",
            &serve.address,
            "--ca",
            cert,
            "--server-name",
            "localhost",
        ]);
        let f = fields(&line);
        assert_eq!(f["cert_key"], key, "{line}");
        assert_eq!(f["group"], "X25519MLKEM768", "{line}");
        assert_eq!(f["hrr"], "false", "{line}");
        assert_eq!(quoted(&line, "subject"), Some("CN=rcgen self signed cert"));
    }
}

/// Certificates and keys made by `openssl` (each key type, each key encoding) are served as
/// given; the client names the key type.
#[test]
fn certificates_from_files_of_each_key_type_and_encoding_verify() {
    let dir = TempDir::new("serve-files");
    let (rsa, p256, p384) = (
        "-newkey rsa:2048",
        "-newkey ec -pkeyopt ec_paramgen_curve:P-256",
        "-newkey ec -pkeyopt ec_paramgen_curve:P-384",
    );
    // (name, key options, key re-encoded as PKCS#1 or SEC1 by `openssl pkey -traditional`)
    let cases = [
        ("rsa-2048", rsa, false),
        ("rsa-2048", rsa, true),
        ("ecdsa-p256", p256, false),
        ("ecdsa-p384", p384, false),
        ("ecdsa-p384", p384, true),
        ("ed25519", "-newkey ed25519", false),
    ];
    for (i, (key_type, key_options, traditional)) in cases.into_iter().enumerate() {
        openssl(
            dir.path(),
            &format!(
                "req -x509 -nodes -days 1 -subj /CN=localhost/O=hybrid-kx-test {key_options} \
                 -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -addext {LEAF} \
                 -keyout key{i}.pem -out cert{i}.pem"
            ),
        );
        let mut key = format!("key{i}.pem");
        if traditional {
            openssl(
                dir.path(),
                &format!("pkey -in {key} -traditional -out key{i}-1.pem"),
            );
            key = format!("key{i}-1.pem");
            let pem = std::fs::read_to_string(dir.path().join(&key)).unwrap();
            assert!(
                pem.starts_with("-----BEGIN RSA PRIVATE KEY-----")
                    || pem.starts_with("-----BEGIN EC PRIVATE KEY-----"),
                "{pem}"
            );
        }
        let cert = dir.path().join(format!("cert{i}.pem"));
        let key = dir.path().join(key);
        let serve = Serve::start(&["--cert", path(&cert), "--key", path(&key)]);
        let line = handshake_line(&[
            "--connect",
            &serve.address,
            "--ca",
            path(&cert),
            "--server-name",
            "localhost",
        ]);
        assert_eq!(fields(&line)["cert_key"], key_type, "case {i}: {line}");
        assert_eq!(
            quoted(&line, "subject"),
            Some("O=hybrid-kx-test,CN=localhost"),
            "case {i}: {line}"
        );
    }
}

/// A chain (leaf, then its issuer) is sent whole: a client that trusts only the issuer
/// verifies the leaf.
#[test]
fn a_chain_is_served_leaf_first() {
    let dir = TempDir::new("serve-chain");
    let ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
    openssl(
        dir.path(),
        &format!("req -x509 -days 1 -subj /CN=hybrid-kx-test-CA {ec} -keyout ca.key -out ca.pem"),
    );
    openssl(
        dir.path(),
        &format!("req -new -subj /CN=localhost {ec} -keyout leaf.key -out leaf.csr"),
    );
    dir.write("san.ext", "subjectAltName=DNS:localhost\n");
    openssl(
        dir.path(),
        "x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -days 1 -extfile san.ext -out leaf.pem",
    );
    let leaf = std::fs::read_to_string(dir.path().join("leaf.pem")).unwrap();
    let issuer = std::fs::read_to_string(dir.path().join("ca.pem")).unwrap();
    let chain = dir.write("chain.pem", leaf + &issuer);
    let key = dir.path().join("leaf.key");
    let serve = Serve::start(&["--cert", path(&chain), "--key", path(&key)]);
    let line = handshake_line(&[
        "--connect",
        &serve.address,
        "--ca",
        path(&dir.path().join("ca.pem")),
        "--server-name",
        "localhost",
    ]);
    assert_eq!(quoted(&line, "subject"), Some("CN=localhost"), "{line}");
}

/// The RSA-PSS signature schemes, the only ones the client of [`rsa_pss_only_request`] offers
/// (as most of tlsfuzzer's TLS 1.3 scripts and some embedded clients do).
const RSA_PSS: [SignatureScheme; 3] = [
    SignatureScheme::RSA_PSS_SHA256,
    SignatureScheme::RSA_PSS_SHA384,
    SignatureScheme::RSA_PSS_SHA512,
];

/// A TLS 1.3 request to `serve` from a rustls client on our provider that trusts the
/// certificates in `ca` and verifies with RSA-PSS alone (so its `signature_algorithms` offers
/// only those, and a signature of another scheme fails it): the reply, or the client's error.
fn rsa_pss_only_request(address: &str, ca: &[u8]) -> Result<Vec<u8>, rustls::Error> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca) {
        roots.add(cert.unwrap()).unwrap();
    }
    let mut provider = hybrid_kx::rustls::default_provider();
    let algorithms = provider.signature_verification_algorithms;
    let rsa_pss: Vec<_> = algorithms
        .mapping
        .iter()
        .filter(|(scheme, _)| RSA_PSS.contains(scheme))
        .copied()
        .collect();
    assert_eq!(rsa_pss.len(), RSA_PSS.len());
    provider.signature_verification_algorithms = WebPkiSupportedAlgorithms {
        all: algorithms.all,
        mapping: Box::leak(rsa_pss.into_boxed_slice()),
    };
    let config = hybrid_kx_support::tls::client_config(Arc::new(provider), roots).unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let mut tcp = TcpStream::connect(address).unwrap();
    let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
    let unwrap_tls = |err: std::io::Error| -> rustls::Error {
        match err
            .into_inner()
            .map(|inner| inner.downcast::<rustls::Error>())
        {
            Some(Ok(tls)) => *tls,
            other => panic!("not a TLS error: {other:?}"),
        }
    };
    tls.write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .map_err(unwrap_tls)?;
    let mut reply = Vec::new();
    tls.read_to_end(&mut reply).map_err(unwrap_tls)?;
    Ok(reply)
}

/// An RSA certificate made by `openssl req` serves a client that offers only RSA-PSS; the
/// same client fails against the generated ECDSA certificate (handshake_failure): what
/// clients of this kind saw before `serve` took certificates from files.
#[test]
fn an_rsa_certificate_serves_a_client_that_offers_only_rsa_pss() {
    let dir = TempDir::new("serve-rsa-pss");
    openssl(
        dir.path(),
        &format!(
            "req -x509 -nodes -days 1 -newkey rsa:2048 -subj /CN=localhost \
             -addext subjectAltName=DNS:localhost -addext {LEAF} -keyout key.pem -out cert.pem"
        ),
    );
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let rsa = Serve::start(&["--cert", path(&cert), "--key", path(&key)]);
    let reply = rsa_pss_only_request(&rsa.address, &std::fs::read(&cert).unwrap())
        .expect("an RSA-PSS-only client against an RSA certificate");
    assert!(
        reply.starts_with(b"HTTP/1.1 200 OK"),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    let lines = rsa.wait_for_lines(1);
    assert_eq!(fields(&lines[0])["group"], "X25519MLKEM768", "{lines:?}");

    let ecdsa_cert = dir.path().join("ecdsa.pem");
    let ecdsa = Serve::start(&["--cert-out", path(&ecdsa_cert)]);
    let err = rsa_pss_only_request(&ecdsa.address, &std::fs::read(&ecdsa_cert).unwrap())
        .expect_err("no RSA-PSS signature from an ECDSA key");
    assert_eq!(
        err,
        rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure)
    );
}

/// Every way the certificate and key files can be wrong: one line on standard error that
/// names the file and what is wrong, exit status 2, no panic.
#[test]
fn bad_certificate_files_are_one_line_and_exit_status_2() {
    let dir = TempDir::new("serve-bad-files");
    for name in ["one", "two"] {
        openssl(
            dir.path(),
            &format!(
                "req -x509 -nodes -days 1 -subj /CN=localhost -addext {LEAF} \
                 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout {name}.key -out {name}.pem"
            ),
        );
    }
    openssl(
        dir.path(),
        "pkey -in one.key -aes-256-cbc -passout pass:secret -out encrypted.key",
    );
    openssl(
        dir.path(),
        "pkey -in one.key -traditional -aes-256-cbc -passout pass:secret -out legacy-encrypted.key",
    );
    openssl(
        dir.path(),
        "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key",
    );
    openssl(
        dir.path(),
        &format!(
            "req -x509 -days 1 -subj /CN=localhost -addext {LEAF} -key rsa1024.key -out rsa1024.pem"
        ),
    );
    let one = std::fs::read_to_string(dir.path().join("one.pem")).unwrap();
    dir.write("truncated.pem", &one[..one.len() - 30]);
    dir.write("text.pem", "not a certificate\n");
    dir.write(
        "garbage.pem",
        "-----BEGIN CERTIFICATE-----\nMIIBdGFyZ2V0\n-----END CERTIFICATE-----\n",
    );
    let file = |name: &str| path(&dir.path().join(name)).to_owned();
    // (certificate, key, what the message must say)
    let cases = [
        (file("missing.pem"), file("one.key"), "cannot read"),
        (file("one.pem"), file("missing.key"), "cannot read"),
        (file("text.pem"), file("one.key"), "no CERTIFICATE block"),
        (file("truncated.pem"), file("one.key"), "not PEM"),
        (file("garbage.pem"), file("one.key"), "not X.509"),
        (file("one.pem"), file("one.pem"), "no PRIVATE KEY block"),
        (
            file("one.pem"),
            file("two.key"),
            "not the key of the certificate",
        ),
        (file("one.pem"), file("encrypted.key"), "encrypted"),
        (file("one.pem"), file("legacy-encrypted.key"), "encrypted"),
        (
            file("rsa1024.pem"),
            file("rsa1024.key"),
            "cannot be used for signing",
        ),
    ];
    for (cert, key, message) in cases {
        let out = hybrid_kx([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--cert",
            cert.as_str(),
            "--key",
            key.as_str(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cert} {key}: {}", show(&out));
        assert_eq!(stderr.lines().count(), 1, "{cert} {key}: {stderr}");
        assert!(stderr.starts_with("hybrid-kx: --"), "{stderr}");
        assert!(
            stderr.contains(message),
            "{cert} {key}: expected {message:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{}", show(&out));
    }
    // Usage errors are clap's, with the same status.
    for (args, message) in [
        (
            vec!["--generate-cert", "rsa"],
            "RSA certificates come from files",
        ),
        (vec!["--cert", "one.pem"], "--key"),
        (
            vec!["--generate-cert", "ed25519", "--cert", "a", "--key", "b"],
            "cannot be used with",
        ),
    ] {
        let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
        all.extend_from_slice(&args);
        let out = hybrid_kx(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", show(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// The server's ALPN list chooses among the client's; a client that offers only others is
/// refused with no_application_protocol (RFC 7301 section 3.2).
#[test]
fn alpn_is_negotiated_and_reported_by_both_sides() {
    let serve = Serve::start(&["--alpn", "h2", "--alpn", "http/1.1"]);
    assert!(
        serve.certificate_line.contains(" alpn=h2,http/1.1 "),
        "{}",
        serve.certificate_line
    );
    let connect = ["--connect", &serve.address, "--insecure"];
    let line = handshake_line(&[&connect[..], &["--alpn", "http/1.1", "--alpn", "h2"]].concat());
    assert_eq!(fields(&line)["alpn"], "h2", "{line}");
    let line = handshake_line(&[&connect[..], &["--alpn", "http/1.1"]].concat());
    assert_eq!(fields(&line)["alpn"], "http/1.1", "{line}");
    let line = handshake_line(&connect);
    assert_eq!(fields(&line)["alpn"], "none", "{line}");
    let out = hybrid_kx([&["handshake"][..], &connect, &["--alpn", "h3"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("NoApplicationProtocol"),
        "{}",
        show(&out)
    );
    let lines = serve.wait_for_lines(4);
    let alpns: Vec<&str> = lines
        .iter()
        .filter_map(|l| fields(l).get("alpn").copied())
        .collect();
    assert_eq!(alpns, ["h2", "http/1.1", "none"], "{lines:?}");
}

/// A client whose first choice the server lacks is sent a HelloRetryRequest, and says so;
/// the shares reported are the first ClientHello's and the ServerHello's.
#[test]
fn a_hello_retry_request_is_reported() {
    let serve = Serve::start(&["--group", "x25519"]);
    let connect = ["--connect", &serve.address, "--insecure"];
    let line =
        handshake_line(&[&connect[..], &["--group", "MLKEM768", "--group", "X25519"]].concat());
    let f = fields(&line);
    assert_eq!(f["hrr"], "true", "{line}");
    assert_eq!(f["group"], "x25519", "{line}");
    assert_eq!(f["client_key_shares"], "MLKEM768:1184", "{line}");
    assert_eq!(f["server_key_share"], "x25519:32", "{line}");
    let line = handshake_line(&[&connect[..], &["--group", "x25519"]].concat());
    assert_eq!(fields(&line)["hrr"], "false", "{line}");
}

/// Without `--ca` the webpki roots do not know a generated certificate; `--insecure` accepts
/// it (and still checks the server's signature).
#[test]
fn insecure_accepts_an_unknown_certificate() {
    let serve = Serve::start(&[]);
    let out = hybrid_kx(["handshake", "--connect", &serve.address]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("UnknownIssuer"),
        "{}",
        show(&out)
    );
    let line = handshake_line(&["--connect", &serve.address, "--insecure"]);
    assert_eq!(fields(&line)["cert_key"], "ecdsa-p256", "{line}");
    // Without --connect there is nothing to trust or name.
    let out = hybrid_kx(["handshake", "--insecure"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
}
