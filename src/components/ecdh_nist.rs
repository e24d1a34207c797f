//! ECDHE over the NIST curves P-256 and P-384 (RFC 8446 sections 4.2.8.2 and 7.4.2) as
//! key-exchange primitives.
//!
//! Shares are uncompressed SEC1 points `0x04 ‖ X ‖ Y` (the only form RFC 8446 section 4.2.8.2
//! allows), validated in full (SP 800-56A section 5.6.2.3.4: coordinates reduced, point on the
//! curve); the secret is the x-coordinate of the product point (RFC 8446 section 7.4.2). Every
//! backend runs the same checks in the same order and gives the same bytes and errors.

use super::EcdhComponent;
use super::key::{Shape, implementations};
use crate::backend::portable;

/// ECDHE on secp256r1 (P-256, FIPS 186-5): 65-byte uncompressed points, 32-byte secret.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct P256;

/// ECDHE on secp384r1 (P-384, FIPS 186-5): 97-byte uncompressed points, 48-byte secret.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct P384;

/// The shape of a curve whose scalars and coordinates have `scalar` bytes: the big-endian
/// private scalar is the randomness, a share is an uncompressed point, the secret the
/// x-coordinate.
const fn shape(name: &'static str, scalar: usize) -> Shape {
    let point = 1 + 2 * scalar;
    Shape {
        name,
        client_share: point,
        server_share: point,
        secret: scalar,
        client_seed: scalar,
        server_seed: scalar,
        expanded_key: 0,
        // SP 800-56A rev 3, appendix D.
        fips_approved: true,
    }
}

implementations!(P256 {
    shape: shape("P-256", 32),
    preference: [AwsLc, Graviola, Portable],
    portable: portable::ecdh::Ecdh<p256::NistP256>,
    graviola: crate::backend::graviola::ecdh::Ecdh<crate::backend::graviola::ecdh::P256>,
    aws_lc: crate::backend::aws_lc::ecdh::Ecdh<crate::backend::aws_lc::ecdh::P256>,
});

implementations!(P384 {
    shape: shape("P-384", 48),
    preference: [AwsLc, Graviola, Portable],
    portable: portable::ecdh::Ecdh<p384::NistP384>,
    graviola: crate::backend::graviola::ecdh::Ecdh<crate::backend::graviola::ecdh::P384>,
    aws_lc: crate::backend::aws_lc::ecdh::Ecdh<crate::backend::aws_lc::ecdh::P384>,
});

impl EcdhComponent for P256 {
    const CODEPOINT: u16 = 0x0017;
    const GROUP_NAME: &'static str = "secp256r1";
}

impl EcdhComponent for P384 {
    const CODEPOINT: u16 = 0x0018;
    const GROUP_NAME: &'static str = "secp384r1";
}
