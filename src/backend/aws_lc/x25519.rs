//! X25519 (RFC 7748) on aws-lc-rs: what differs from the NIST curves in the shared agreement
//! code.

use aws_lc_rs::agreement::{self, ParsedPublicKey, UnparsedPublicKey};
use subtle::Choice;

use super::agreement::{Agreement, Curve};
use crate::components::fixed;
use crate::declassify::reject_if;
use crate::error::Error;

/// X25519 on aws-lc-rs.
pub(crate) type X25519 = Agreement<Curve25519>;

/// RFC 7748's curve as aws-lc-rs runs it.
pub struct Curve25519;

impl Curve for Curve25519 {
    const ALGORITHM: &'static agreement::Algorithm = &agreement::X25519;
    /// AWS-LC takes every 32 bytes as a scalar (clamped as RFC 7748 section 5 says), so a
    /// refusal is not the caller's doing.
    const SCALAR_REJECTED: Error = Error::Internal;

    /// Any 32 bytes are a u-coordinate (RFC 7748 section 5: the high bit is masked, values
    /// above p are reduced), as aws-lc-rs decodes them.
    fn peer(share: &[u8]) -> Result<ParsedPublicKey, Error> {
        let share = fixed::<32>(share)?;
        ParsedPublicKey::try_from(UnparsedPublicKey::new(&agreement::X25519, share))
            .map_err(|_| Error::Internal)
    }

    /// AWS-LC refuses an agreement on a 32-byte share only when the result is all zeros (the
    /// check of RFC 7748 section 6.1 and RFC 8446 section 7.4.2, which it makes in constant
    /// time); the abort decision goes through [`reject_if`], as on the other backends.
    fn refusal(refused: bool) -> Result<(), Error> {
        reject_if(
            Choice::from(u8::from(refused)),
            Error::X25519ZeroSharedSecret,
        )
    }
}
