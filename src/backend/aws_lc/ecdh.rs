//! ECDHE on P-256 and P-384 (RFC 8446 sections 4.2.8.2 and 7.4.2) on aws-lc-rs: what differs
//! from X25519 in the shared agreement code. The same validation in the same order as the
//! portable code, the same bytes and errors.

use aws_lc_rs::agreement::{self, ParsedPublicKey, ParsedPublicKeyFormat, UnparsedPublicKey};

use super::agreement::{Agreement, Curve};
use crate::backend::portable::ecdh::UNCOMPRESSED_TAG;
use crate::error::Error;

/// ECDHE on aws-lc-rs's curve `C`.
pub(crate) type Ecdh<C> = Agreement<C>;

/// Checks and parses a peer's point on `algorithm` as RFC 8446 section 4.2.8.2 requires:
/// aws-lc-rs also takes compressed, hybrid and DER (SubjectPublicKeyInfo) encodings, so the
/// uncompressed tag is checked first (and the parsed format again); then aws-lc-rs's full
/// validation (SP 800-56A section 5.6.2.3.4: coordinates reduced, point on the curve, not the
/// identity). The group layer checked the length.
fn peer_point(
    algorithm: &'static agreement::Algorithm,
    share: &[u8],
) -> Result<ParsedPublicKey, Error> {
    if share.first() != Some(&UNCOMPRESSED_TAG) {
        return Err(Error::EcPointNotUncompressed);
    }
    let parsed = ParsedPublicKey::try_from(UnparsedPublicKey::new(algorithm, share))
        .map_err(|_| Error::EcPointNotOnCurve)?;
    if parsed.format() != ParsedPublicKeyFormat::Uncompressed {
        return Err(Error::EcPointNotUncompressed);
    }
    Ok(parsed)
}

/// Implements [`Curve`] for aws-lc-rs's NIST curves.
macro_rules! nist_curve {
    ($($(#[$doc:meta])* $name:ident: $algorithm:ident;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl Curve for $name {
            const ALGORITHM: &'static agreement::Algorithm = &agreement::$algorithm;
            /// AWS-LC refuses a scalar outside `[1, n-1]` (SEC 1 section 3.2.1).
            const SCALAR_REJECTED: Error = Error::InvalidPrivateScalar;

            fn peer(share: &[u8]) -> Result<ParsedPublicKey, Error> {
                peer_point(Self::ALGORITHM, share)
            }

            /// A validated point and a scalar in range give a point other than the identity
            /// (prime-order curve): a refusal is AWS-LC's own failure.
            fn refusal(refused: bool) -> Result<(), Error> {
                if refused { Err(Error::Internal) } else { Ok(()) }
            }
        }
    )*};
}

nist_curve! {
    /// secp256r1 (P-256, FIPS 186-5) on aws-lc-rs.
    P256: ECDH_P256;
    /// secp384r1 (P-384, FIPS 186-5) on aws-lc-rs.
    P384: ECDH_P384;
}
