//! `hybrid-kx`: post-quantum TLS 1.3 from the command line.
//!
//! - `handshake`: a loopback (or `--connect`) TLS 1.3 handshake with a hybrid group;
//! - `serve`: a TLS 1.3 server with a generated certificate, for testing other clients;
//! - `kat`: the known-answer conformance runner;
//! - `acvp`: ACVP vector sets answered (`respond`) and answers compared (`check`);
//! - `speed`: operations per second of every group on every backend, on this CPU.
//!
//! The package's other binary, `hybrid-kx-modulewrapper`, is the ACVP module wrapper that
//! acvptool drives (`docs/acvp.md`).

mod acvp;
mod handshake;
mod kat;
mod serve;
mod speed;
mod tls;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Post-quantum hybrid key exchange for TLS 1.3 (RFC 10024, draft-ietf-tls-mlkem).
#[derive(Parser)]
#[command(name = "hybrid-kx", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a TLS 1.3 handshake (loopback by default) and report the negotiated group.
    Handshake(handshake::HandshakeArgs),
    /// Serve TLS 1.3 with a generated self-signed certificate and report each handshake.
    Serve(serve::ServeArgs),
    /// Run known-answer test suites and report pass/fail per suite.
    Kat(kat::KatArgs),
    /// Answer ACVP vector sets, or compare a response with NIST's expected results.
    Acvp(acvp::AcvpArgs),
    /// Measure every group on every backend compiled in, on this CPU.
    Speed(speed::SpeedArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Handshake(args) => handshake::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Speed(args) => speed::run(&args),
        Command::Kat(args) => return kat::run(args),
        Command::Acvp(args) => return acvp::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hybrid-kx: {err}");
            ExitCode::FAILURE
        }
    }
}
