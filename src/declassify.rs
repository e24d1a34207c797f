//! The points where a value computed from secrets becomes public by design.
//!
//! Constant-time code never branches on secret data, but a protocol sometimes has to reveal one
//! bit: whether to abort. Each such decision goes through a function here, kept out of line, so
//! the valgrind constant-time harness (`ct/`) can name exactly these places as declassification
//! points and fail on any other branch that depends on a secret.

use subtle::Choice;

use crate::error::Error;

/// Returns `Err(err)` when `reject` is set. The only branch is on `reject`, a bit the peer learns
/// anyway from the abort (for example the X25519 all-zero check of RFC 8446 section 7.4.2).
#[inline(never)]
pub(crate) fn reject_if(reject: Choice, err: Error) -> Result<(), Error> {
    if bool::from(reject) { Err(err) } else { Ok(()) }
}
