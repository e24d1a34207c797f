//! `hybrid-kx serve` writes no key material and keeps none of a finished connection.
//!
//! - Keeps: `serve` runs in this process (`hybrid_kx_cli::run`) under an allocator that knows
//!   every live heap block (`hybrid_kx_support::live_memory`). A rustls client here, which logs
//!   every secret of each connection (client and server handshake and application traffic
//!   secrets, the exporter secret: the secrets both sides share), connects once per group,
//!   full handshakes and resumed ones. Once `serve` has finished with them and sits idle, no
//!   live block of the process may hold one of those secrets. The search is checked to find a
//!   secret that is still held.
//! - Writes: `serve` as a user runs it, with `SSLKEYLOGFILE` set (which rustls's `KeyLogFile`
//!   would honour): no key log file appears, and nothing it prints holds a secret, in hex or
//!   raw.

mod common;

use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::Serve;
use hybrid_kx::NamedGroup;
use hybrid_kx_support::live_memory::{Tracking, find};
use hybrid_kx_support::temp_dir::TempDir;
use hybrid_kx_support::tls::RecordingKeyLog;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use zeroize::Zeroizing;

#[global_allocator]
static ALLOCATOR: Tracking = Tracking;

/// Connections per group: the first full, the next resumed with its ticket.
const PER_GROUP: usize = 3;

/// A client on our provider offering `group` alone, trusting the PEM certificates in `pem`,
/// logging every secret to `log`.
fn client_config(
    pem: &[u8],
    group: NamedGroup,
    log: &Arc<RecordingKeyLog>,
) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let mut provider = hybrid_kx::rustls::default_provider();
    provider.kx_groups = vec![hybrid_kx::rustls::kx_group(group)];
    let mut config = hybrid_kx_support::tls::client_config(Arc::new(provider), roots).unwrap();
    config.key_log = log.clone();
    Arc::new(config)
}

/// `--group NAME` for every group (MLKEM512 is not among `serve`'s defaults).
fn every_group() -> Vec<String> {
    NamedGroup::ALL
        .iter()
        .flat_map(|g| ["--group".to_owned(), g.name().to_owned()])
        .collect()
}

/// One connection (`common::request`): whether the handshake was resumed.
fn connect(config: &Arc<rustls::ClientConfig>, address: &str) -> bool {
    common::request(config, address).0.handshake_kind() == Some(rustls::HandshakeKind::Resumed)
}

/// Each logged secret's label and where it is in the buffer of [`collect`].
type Index = Vec<(String, std::ops::Range<usize>)>;

/// The secrets logged, moved into one buffer (wiped on drop), and where each one is in it.
fn collect(log: &RecordingKeyLog) -> (Zeroizing<Vec<u8>>, Index) {
    let entries = log.take_entries();
    let mut all = Zeroizing::new(Vec::with_capacity(
        entries.iter().map(|(_, s)| s.len()).sum(),
    ));
    let mut at = Vec::with_capacity(entries.len());
    for (label, secret) in &entries {
        at.push((label.clone(), all.len()..all.len() + secret.len()));
        all.extend_from_slice(secret);
    }
    (all, at)
}

#[test]
fn serve_keeps_no_secret_of_a_finished_connection() {
    let dir = TempDir::new("serve-key-material");
    let cert = dir.path().join("cert.pem");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    drop(listener);
    let connections = NamedGroup::ALL.len() * PER_GROUP;
    let server = {
        let (address, cert) = (address.clone(), cert.clone());
        std::thread::spawn(move || {
            let mut args = vec![
                "hybrid-kx".to_owned(),
                "serve".to_owned(),
                "--listen".to_owned(),
                address,
                "--cert-out".to_owned(),
                cert.to_str().unwrap().to_owned(),
                "--max-connections".to_owned(),
                // The probe below, the connections, the last one.
                (connections + 2).to_string(),
            ];
            args.extend(every_group());
            hybrid_kx_cli::run(args)
        })
    };
    let start = Instant::now();
    while !cert.exists() || TcpStream::connect(&address).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The probe that connected was a connection too: serve reports it and goes on.
    let pem = std::fs::read(&cert).unwrap();

    let log = Arc::new(RecordingKeyLog::default());
    let mut resumed = 0;
    for &group in NamedGroup::ALL {
        let config = client_config(&pem, group, &log);
        for _ in 0..PER_GROUP {
            resumed += usize::from(connect(&config, &address));
        }
    }
    assert!(resumed > 0, "no handshake was resumed");
    // serve closes a connection, then drops it: give its workers a moment to go idle.
    std::thread::sleep(Duration::from_millis(500));

    let (all, at) = collect(&log);
    assert!(
        at.len() >= 5 * connections,
        "{} secrets logged for {connections} connections",
        at.len()
    );
    let needles: Vec<&[u8]> = at.iter().map(|(_, r)| &all[r.clone()]).collect();
    let own = all.as_ptr() as usize..all.as_ptr() as usize + all.capacity();

    // The search finds a secret that is still held.
    let held = needles[0].to_vec();
    let (found, untracked) = find(&needles[..1], std::slice::from_ref(&own), 4);
    assert_eq!(untracked, 0, "blocks the table could not track");
    assert!(
        found.iter().any(|f| f.block_size == held.len()),
        "a held copy of a secret was not found: {found:?}"
    );
    drop(held);

    let (found, untracked) = find(&needles, &[own], 16);
    assert_eq!(untracked, 0, "blocks the table could not track");
    let kept: Vec<String> = found
        .iter()
        .map(|f| format!("{} in a block of {} bytes", at[f.needle].0, f.block_size))
        .collect();
    assert!(
        kept.is_empty(),
        "{} secrets of finished connections still in memory: {kept:?}",
        kept.len()
    );

    // The last connection lets serve stop.
    let config = client_config(&pem, NamedGroup::X25519MLKEM768, &log);
    connect(&config, &address);
    let status = server.join().unwrap();
    assert_eq!(
        format!("{status:?}"),
        format!("{:?}", std::process::ExitCode::SUCCESS)
    );
}

#[test]
fn serve_writes_no_key_material() {
    let dir = TempDir::new("serve-key-log");
    let key_log_file = dir.path().join("keys.log");
    let cert = dir.path().join("cert.pem");
    let groups = every_group();
    let mut args = vec!["--cert-out", cert.to_str().unwrap()];
    args.extend(groups.iter().map(String::as_str));
    let serve = Serve::start_with_env(&args, &[("SSLKEYLOGFILE", key_log_file.to_str().unwrap())]);
    let pem = std::fs::read(&cert).unwrap();
    let log = Arc::new(RecordingKeyLog::default());
    for &group in NamedGroup::ALL {
        connect(&client_config(&pem, group, &log), &serve.address);
    }
    let lines = serve.wait_for_lines(NamedGroup::ALL.len());
    let mut printed = lines.join("\n");
    printed.push_str(&serve.certificate_line);
    printed.push_str(&serve.error_lines().join("\n"));
    drop(serve);

    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("serve group="))
            .count(),
        NamedGroup::ALL.len(),
        "{lines:?}"
    );
    assert!(
        !key_log_file.exists(),
        "serve wrote {}",
        key_log_file.display()
    );
    let (all, at) = collect(&log);
    assert!(at.len() >= 5 * NamedGroup::ALL.len());
    let printed_lower = printed.to_ascii_lowercase();
    for (label, range) in &at {
        let secret = &all[range.clone()];
        let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        assert!(!printed_lower.contains(&hex), "serve printed {label}");
        assert!(
            !printed
                .as_bytes()
                .windows(secret.len())
                .any(|w| w == secret),
            "serve printed {label} raw"
        );
    }
}
