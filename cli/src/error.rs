//! The two ways a command fails, told apart by the exit status: input the user can fix (an
//! unknown group, a certificate file that is missing, not PEM, encrypted, or not the key's),
//! exit status 2 as for clap's own usage errors; anything else (a server that refuses, a
//! failed handshake), exit status 1. Either way the user gets one line, never a panic.

use std::fmt;
use std::process::ExitCode;

/// Boxed error for the command-line layer.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Input the user gave that the command cannot use, with what to do about it.
#[derive(Debug)]
pub(crate) struct BadInput(pub(crate) String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// A [`BadInput`] error with this message.
pub(crate) fn bad_input(message: impl Into<String>) -> BoxError {
    Box::new(BadInput(message.into()))
}

/// Exit status 2 for [`BadInput`] (as clap's usage errors), 1 for anything else.
pub(crate) fn exit_code(err: &BoxError) -> ExitCode {
    if err.downcast_ref::<BadInput>().is_some() {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}
