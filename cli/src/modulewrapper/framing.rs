//! The module-wrapper framing acvptool speaks over the wrapper's standard input and output
//! (BoringSSL `util/fipstools/acvp/ACVP.md`, "Testing other FIPS modules"): a request is a
//! 32-bit little-endian count of byte strings, that many 32-bit little-endian lengths, then the
//! strings; string 0 is the command, the others its arguments. A reply has the same shape,
//! without a command.

use std::fmt;
use std::io::{self, Read, Write};

/// More byte strings than any command takes (acvptool's take at most 5).
const MAX_STRINGS: u32 = 64;

/// More bytes than any request acvptool sends for the registered algorithms (its largest are
/// ML-KEM-1024 decapsulation keys and TLS transcripts, a few KiB).
const MAX_REQUEST_BYTES: u64 = 64 << 20;

/// Why the wrapper stops: every one is reported on standard error and ends the process with a
/// non-zero status, so that acvptool fails loudly instead of recording a wrong answer.
#[derive(Debug)]
pub(crate) enum WrapperError {
    /// Reading standard input or writing standard output failed.
    Io(io::Error),
    /// Standard input ended inside a request.
    Truncated {
        /// What was being read.
        reading: &'static str,
    },
    /// A request that breaks the framing (no command, too many strings, too many bytes).
    Framing(String),
    /// A command this wrapper does not implement.
    UnknownCommand(String),
    /// A known command with the wrong number of arguments.
    Arguments {
        /// The command.
        command: String,
        /// The arguments it takes.
        expected: usize,
        /// The arguments it got.
        actual: usize,
    },
    /// A well-framed command whose arguments cannot be answered (a key of the wrong length, a
    /// key the crate refuses where the command has no negative answer).
    Input {
        /// The command.
        command: String,
        /// Why.
        reason: String,
    },
    /// `HYBRID_KX_BACKEND` names a backend that is unknown or does not run here.
    Backend(String),
}

impl fmt::Display for WrapperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "i/o error: {e}"),
            Self::Truncated { reading } => {
                write!(
                    f,
                    "standard input ended inside a request (reading {reading})"
                )
            }
            Self::Framing(e) => write!(f, "malformed request: {e}"),
            Self::UnknownCommand(c) => write!(f, "unknown command {c:?}"),
            Self::Arguments {
                command,
                expected,
                actual,
            } => write!(
                f,
                "{command}: {actual} arguments, the command takes {expected}"
            ),
            Self::Input { command, reason } => write!(f, "{command}: {reason}"),
            Self::Backend(e) => write!(f, "HYBRID_KX_BACKEND: {e}"),
        }
    }
}

impl From<io::Error> for WrapperError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// One request: the command and its arguments.
pub(crate) struct Request {
    /// The command (string 0), as text.
    pub(crate) command: String,
    /// The arguments (strings 1..).
    pub(crate) args: Vec<Vec<u8>>,
}

/// Fills `buf`, or reports where standard input ended; `Ok(false)` when it ended before the
/// first byte and `at_start` allows a clean end.
fn fill(
    input: &mut impl Read,
    buf: &mut [u8],
    reading: &'static str,
    at_start: bool,
) -> Result<bool, WrapperError> {
    let mut done = 0;
    while done < buf.len() {
        match input.read(&mut buf[done..]) {
            Ok(0) if done == 0 && at_start => return Ok(false),
            Ok(0) => return Err(WrapperError::Truncated { reading }),
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(true)
}

/// A little-endian `u32` from 4 bytes.
fn u32_le(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[..4]);
    u32::from_le_bytes(word)
}

/// The next request, or `None` when standard input ends between requests.
///
/// # Errors
///
/// [`WrapperError::Truncated`], [`WrapperError::Framing`], [`WrapperError::Io`].
pub(crate) fn read_request(input: &mut impl Read) -> Result<Option<Request>, WrapperError> {
    let mut word = [0u8; 4];
    if !fill(input, &mut word, "the string count", true)? {
        return Ok(None);
    }
    let count = u32::from_le_bytes(word);
    if count == 0 {
        return Err(WrapperError::Framing("no command (0 strings)".into()));
    }
    if count > MAX_STRINGS {
        return Err(WrapperError::Framing(format!(
            "{count} strings (at most {MAX_STRINGS})"
        )));
    }
    let mut lengths = vec![0u8; 4 * count as usize];
    fill(input, &mut lengths, "the string lengths", false)?;
    let lengths: Vec<u32> = lengths.chunks_exact(4).map(u32_le).collect();
    let total: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
    if total > MAX_REQUEST_BYTES {
        return Err(WrapperError::Framing(format!(
            "{total} bytes (at most {MAX_REQUEST_BYTES})"
        )));
    }
    let mut strings = Vec::with_capacity(lengths.len());
    for len in lengths {
        let mut string = vec![0u8; len as usize];
        fill(input, &mut string, "a string", false)?;
        strings.push(string);
    }
    let mut strings = strings.into_iter();
    let command = strings.next().unwrap_or_default();
    let command = String::from_utf8(command)
        .map_err(|_| WrapperError::Framing("the command is not UTF-8 text".into()))?;
    Ok(Some(Request {
        command,
        args: strings.collect(),
    }))
}

/// Writes one reply.
///
/// # Errors
///
/// [`WrapperError::Io`], or [`WrapperError::Framing`] for a reply too large for the framing.
pub(crate) fn write_reply(output: &mut impl Write, reply: &[Vec<u8>]) -> Result<(), WrapperError> {
    let too_large = |_| WrapperError::Framing("a reply too large for 32-bit lengths".into());
    output.write_all(&u32::try_from(reply.len()).map_err(too_large)?.to_le_bytes())?;
    for string in reply {
        output.write_all(
            &u32::try_from(string.len())
                .map_err(too_large)?
                .to_le_bytes(),
        )?;
    }
    for string in reply {
        output.write_all(string)?;
    }
    Ok(())
}
