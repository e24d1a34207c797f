//! The `hybrid-kx` binary: the library's [`hybrid_kx_cli::run`] on the process's arguments.

use std::process::ExitCode;

fn main() -> ExitCode {
    hybrid_kx_cli::run(std::env::args_os())
}
