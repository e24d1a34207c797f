//! `hybrid-kx-modulewrapper`: hybrid-kx as an ACVP module, driven by BoringSSL's acvptool
//! (`acvptool -wrapper hybrid-kx-modulewrapper -json VECTORS.json`; `docs/acvp.md`).
//!
//! acvptool starts the wrapper without arguments and speaks a framed request/reply protocol
//! over its standard input and output ([`framing`]); the commands are [`commands`]. The
//! backend is the crate's default per component, or the one `HYBRID_KX_BACKEND` names
//! (`portable`, `libcrux`, `graviola`): each component that has code on it runs there, the
//! others on the portable reference.
//!
//! There is no error reply in the protocol, and acvptool records whatever it is answered: so an
//! unknown command, a malformed request, a truncated input or an argument the wrapper cannot
//! answer ends the process with a line on standard error and exit status 1 (and acvptool
//! fails), never with a guess. A backend that does not run here ends it with status 2 before
//! it reads anything. When acvptool closes standard input the wrapper writes a summary line on
//! standard error (requests answered, where expanded ML-KEM keys were decapsulated) and exits
//! with 0.

mod commands;
mod framing;

use std::io::{BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use hybrid_kx::Backend;

use framing::WrapperError;

/// The environment variable that chooses the backend (acvptool passes no arguments).
const BACKEND_VAR: &str = "HYBRID_KX_BACKEND";

fn main() -> ExitCode {
    let backend = match backend_from_env() {
        Ok(backend) => backend,
        Err(e) => {
            eprintln!("hybrid-kx-modulewrapper: {e}");
            return ExitCode::from(2);
        }
    };
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    let served = hybrid_kx_kat::on::with_backend(backend, || {
        serve(&mut BufReader::new(stdin), &mut BufWriter::new(stdout))
    });
    match served {
        Ok(summary) => {
            eprintln!("hybrid-kx-modulewrapper: {summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hybrid-kx-modulewrapper: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The backend `HYBRID_KX_BACKEND` names (unset, empty or `default`: the crate's choice).
fn backend_from_env() -> Result<Option<Backend>, WrapperError> {
    match std::env::var(BACKEND_VAR) {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(e) => Err(WrapperError::Backend(e.to_string())),
        Ok(name) if name.is_empty() || name == "default" => Ok(None),
        Ok(name) => hybrid_kx_kat::on::backend_named(&name)
            .map(Some)
            .map_err(WrapperError::Backend),
    }
}

/// Answers requests until standard input ends; the summary of what was answered.
///
/// Replies are buffered and written out when no further request is waiting in the input
/// buffer (a driver that waits for a reply sends nothing more) and at each `flush`, the command
/// acvptool sends in batch mode; `flush` itself has no reply.
fn serve(
    input: &mut BufReader<impl Read>,
    output: &mut impl Write,
) -> Result<String, WrapperError> {
    let mut tally = commands::Tally::default();
    let mut requests = 0u64;
    while let Some(request) = framing::read_request(input)? {
        if request.command == "flush" {
            if !request.args.is_empty() {
                return Err(WrapperError::Arguments {
                    command: request.command,
                    expected: 0,
                    actual: request.args.len(),
                });
            }
            output.flush()?;
            continue;
        }
        let reply = commands::run(&request.command, &request.args, &mut tally)?;
        framing::write_reply(output, &reply)?;
        requests += 1;
        if input.buffer().is_empty() {
            output.flush()?;
        }
    }
    output.flush()?;
    let backends: Vec<String> = hybrid_kx_kat::tool(hybrid_kx_kat::on::requested())
        .backends
        .iter()
        .map(|(p, b)| format!("{p} {b}"))
        .collect();
    let notes: Vec<String> = tally.0.iter().map(|(n, c)| format!("{n}: {c}")).collect();
    Ok(format!(
        "{requests} requests answered (backends: {}){}",
        backends.join(", "),
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join(", "))
        }
    ))
}
