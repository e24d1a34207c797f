//! `hybrid-kx`: post-quantum TLS 1.3 from the command line.
//!
//! - `handshake`: a loopback (or `--connect`, as `openssl s_client`) TLS 1.3 handshake, with
//!   the negotiated group, cipher suite, ALPN, HelloRetryRequest and certificate;
//! - `serve`: a TLS 1.3 test server with a generated certificate or the user's own;
//! - `bench`: handshakes per second and latency percentiles per group against a server;
//! - `kat`: the known-answer conformance runner;
//! - `acvp`: ACVP vector sets answered (`respond`) and answers compared (`check`);
//! - `speed`: operations per second of every group on every backend, on this CPU.
//!
//! The commands are a library too, so that tests in other workspace members (the OpenSSL
//! interop tests) run `hybrid-kx bench` in their own process, against a server they hold,
//! without a second build of the binary. The package's other binary,
//! `hybrid-kx-modulewrapper`, is the ACVP module wrapper that acvptool drives
//! (`docs/acvp.md`). User documentation: `docs/cli.md`.

mod acvp;
mod bench;
mod certificate;
mod client;
mod error;
mod handshake;
mod kat;
mod serve;
mod speed;
mod tls;

use std::ffi::OsString;
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
    /// Run a TLS 1.3 handshake (loopback by default, or with a server) and report what was
    /// negotiated.
    Handshake(handshake::HandshakeArgs),
    /// Serve TLS 1.3 (a generated or given certificate) and report each handshake.
    Serve(serve::ServeArgs),
    /// Measure handshakes per second and latency per group against a TLS 1.3 server.
    Bench(bench::BenchArgs),
    /// Run known-answer test suites and report pass/fail per suite.
    Kat(kat::KatArgs),
    /// Answer ACVP vector sets, or compare a response with NIST's expected results.
    Acvp(acvp::AcvpArgs),
    /// Measure every group on every backend compiled in, on this CPU.
    Speed(speed::SpeedArgs),
}

/// Runs `hybrid-kx` with these arguments (the first is the program name, as in
/// `std::env::args_os`) and returns its exit status: 0 on success, 2 for input the user can
/// fix (clap's usage errors included), 1 for other failures. The binary is this function;
/// tests of other members call it to run a command in their own process.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let result = match cli.command {
        Command::Handshake(args) => handshake::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Speed(args) => speed::run(&args),
        Command::Kat(args) => return kat::run(args),
        Command::Acvp(args) => return acvp::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hybrid-kx: {err}");
            error::exit_code(&err)
        }
    }
}
