//! `openssl-server`: the interop member's OpenSSL 3.6 TLS 1.3 server for load tests
//! (`hybrid_kx_interop::load_server`), to measure `hybrid-kx bench` against an independent
//! stack beside `hybrid-kx serve`:
//!
//! ```sh
//! cargo run --release -p hybrid-kx-interop --bin openssl-server -- --listen 127.0.0.1:4433 --cert-out /tmp/openssl-server.pem
//! hybrid-kx bench --connect 127.0.0.1:4433 --ca /tmp/openssl-server.pem --server-name localhost
//! ```
//!
//! Options: `--listen ADDR` (127.0.0.1:4433), `--groups LIST` (an OpenSSL group list,
//! X25519MLKEM768:X25519), `--workers N` (8, as `hybrid-kx serve`), `--cert-out FILE` (the
//! generated ECDSA P-256 certificate, as `serve` makes it). Serves until killed.

use std::process::ExitCode;

use hybrid_kx_interop::Identity;
use hybrid_kx_interop::load_server::LoadServer;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("openssl-server: {err}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), hybrid_kx_interop::BoxError> {
    let (mut listen, mut groups, mut workers, mut cert_out) = (
        "127.0.0.1:4433".to_owned(),
        "X25519MLKEM768:X25519".to_owned(),
        8usize,
        None,
    );
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--listen" => listen = value()?,
            "--groups" => groups = value()?,
            "--workers" => workers = value()?.parse().map_err(|_| "--workers N")?,
            "--cert-out" => cert_out = Some(value()?),
            other => {
                return Err(format!(
                    "unknown argument {other:?} (--listen ADDR, --groups LIST, --workers N, \
                     --cert-out FILE)"
                )
                .into());
            }
        }
    }
    let identity = Identity::generate()?;
    if let Some(path) = cert_out {
        std::fs::write(&path, &identity.cert_pem).map_err(|e| format!("{path}: {e}"))?;
    }
    let server = LoadServer::start(&listen, &identity, &groups, workers)?;
    eprintln!(
        "serving TLS 1.3 ({}) on {} with groups {groups}",
        openssl::version::version(),
        server.address()
    );
    loop {
        std::thread::park();
    }
}
