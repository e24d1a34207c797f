//! X25519 (RFC 7748) as a key-exchange primitive.
//!
//! Both shares are 32-byte u-coordinates; the secret is the 32-byte X25519 output, which RFC 8446
//! section 7.4.2 requires to be checked for all zeros (every backend does, in constant time,
//! and fails with [`Error::X25519ZeroSharedSecret`](crate::Error)). The server's
//! "encapsulation" is its own ephemeral key pair.

use super::EcdhComponent;
use super::key::{Shape, implementations};
use crate::backend::portable;

/// X25519 key and secret length (RFC 7748 section 5).
const LEN: usize = 32;

/// X25519 (RFC 7748) in KEM shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct X25519;

implementations!(X25519 {
    // Shares, secret and both scalars are 32 bytes (RFC 7748 section 5).
    shape: Shape {
        name: "X25519",
        client_share: LEN,
        server_share: LEN,
        secret: LEN,
        client_seed: LEN,
        server_seed: LEN,
        expanded_key: 0,
        // Not an SP 800-56A rev 3 scheme (its appendix D lists the NIST curves only).
        fips_approved: false,
    },
    // graviola before aws-lc: on par, graviola's key generation and server step a few per cent
    // faster (docs/benchmarks.md, the per-primitive table).
    preference: [Graviola, AwsLc, Portable],
    portable: portable::x25519::X25519,
    graviola: crate::backend::graviola::x25519::X25519,
    aws_lc: crate::backend::aws_lc::x25519::X25519,
});

impl EcdhComponent for X25519 {
    const CODEPOINT: u16 = 0x001D;
    const GROUP_NAME: &'static str = "x25519";
}

#[cfg(feature = "kem")]
impl super::EverySeedValid for X25519 {}
