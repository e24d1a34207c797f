//! ML-KEM (FIPS 203) as a key-exchange primitive.
//!
//! The client's share is the encapsulation key `ek`, the server's share the ciphertext `c`, the
//! secret the 32-byte shared key `K` (draft-ietf-tls-mlkem section 3; RFC 10024 section 4).
//! Every backend validates the encapsulation key with the FIPS 203 section 7.2 modulus check
//! before encapsulating ([`Error::EncapsulationKeyModulus`](crate::Error)), and runs the
//! deterministic FIPS 203 `*_internal` algorithms, so the known-answer tests drive each of them:
//! key generation from the seed `d ‖ z` (64 bytes, section 6.1), encapsulation from `m`
//! (32 bytes, section 6.2), decapsulation with implicit rejection (section 6.3).

use super::key::{Shape, implementations};
use crate::backend::portable;

/// FIPS 203 section 2.3: the shared key `K` is 32 bytes for every parameter set.
const SHARED_KEY_LEN: usize = 32;
/// FIPS 203 section 6.1: the key-generation seed `d ‖ z`.
const SEED_LEN: usize = 64;
/// FIPS 203 section 6.2: the encapsulation randomness `m`.
const MESSAGE_LEN: usize = 32;

/// ML-KEM-512 (FIPS 203, NIST security category 1): 800-byte encapsulation key, 768-byte
/// ciphertext. Used only by the opt-in MLKEM512 group of draft-ietf-tls-mlkem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MlKem512;

/// ML-KEM-768 (FIPS 203, NIST security category 3): 1184-byte encapsulation key, 1088-byte
/// ciphertext.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MlKem768;

/// ML-KEM-1024 (FIPS 203, NIST security category 5): 1568-byte encapsulation key, 1568-byte
/// ciphertext.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MlKem1024;

/// The shape of a parameter set with these encapsulation-key, ciphertext and expanded
/// decapsulation-key lengths (FIPS 203 section 8, table 3).
const fn shape(name: &'static str, ek: usize, ct: usize, dk: usize) -> Shape {
    Shape {
        name,
        client_share: ek,
        server_share: ct,
        secret: SHARED_KEY_LEN,
        client_seed: SEED_LEN,
        server_seed: MESSAGE_LEN,
        expanded_key: dk,
        // FIPS 203.
        fips_approved: true,
    }
}

implementations!(MlKem512 {
    shape: shape("ML-KEM-512", 800, 768, 1632),
    preference: [AwsLc, Libcrux, Portable],
    portable: portable::mlkem::MlKem<ml_kem::MlKem512>,
    libcrux: crate::backend::libcrux::mlkem::MlKem<1632>,
    aws_lc: crate::backend::aws_lc::mlkem::MlKem<1632>,
});

implementations!(MlKem768 {
    shape: shape("ML-KEM-768", 1184, 1088, 2400),
    preference: [Graviola, AwsLc, Libcrux, Portable],
    portable: portable::mlkem::MlKem<ml_kem::MlKem768>,
    libcrux: crate::backend::libcrux::mlkem::MlKem<2400>,
    graviola: crate::backend::graviola::mlkem::MlKem768,
    aws_lc: crate::backend::aws_lc::mlkem::MlKem<2400>,
});

implementations!(MlKem1024 {
    shape: shape("ML-KEM-1024", 1568, 1568, 3168),
    preference: [AwsLc, Libcrux, Portable],
    portable: portable::mlkem::MlKem<ml_kem::MlKem1024>,
    libcrux: crate::backend::libcrux::mlkem::MlKem<3168>,
    aws_lc: crate::backend::aws_lc::mlkem::MlKem<3168>,
});

#[cfg(feature = "kem")]
impl super::EverySeedValid for MlKem512 {}
#[cfg(feature = "kem")]
impl super::EverySeedValid for MlKem768 {}
#[cfg(feature = "kem")]
impl super::EverySeedValid for MlKem1024 {}
