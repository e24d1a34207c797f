//! ML-KEM (FIPS 203) as a key-exchange primitive.
//!
//! The client's share is the encapsulation key `ek`, the server's share the ciphertext `c`, the
//! secret the 32-byte shared key `K` (draft-ietf-tls-mlkem section 3; RFC 10024 section 4).
//! Every backend validates the encapsulation key with the FIPS 203 section 7.2 modulus check
//! before encapsulating ([`Error::EncapsulationKeyModulus`](crate::Error)), and runs the
//! deterministic FIPS 203 `*_internal` algorithms, so the known-answer tests drive each of them:
//! key generation from the seed `d ‖ z` (64 bytes, section 6.1), encapsulation from `m`
//! (32 bytes, section 6.2), decapsulation with implicit rejection (section 6.3).

use super::key::{Implementations, Shape, padding};
#[cfg(backend_graviola)]
use crate::backend::graviola;
#[cfg(backend_libcrux)]
use crate::backend::libcrux;
use crate::backend::{Backend, portable};

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
    }
}

impl Implementations for MlKem512 {
    const SHAPE: Shape = shape("ML-KEM-512", 800, 768, 1632);
    const PREFERENCE: &'static [Backend] = &[Backend::Libcrux, Backend::Portable];
    type Portable = portable::mlkem::MlKem<ml_kem::MlKem512>;
    type PortablePad = [u8; padding::<Self>(Backend::Portable)];
    #[cfg(backend_libcrux)]
    type Libcrux = libcrux::mlkem::MlKem<1632>;
    #[cfg(backend_libcrux)]
    type LibcruxPad = [u8; padding::<Self>(Backend::Libcrux)];
    #[cfg(backend_graviola)]
    type Graviola = crate::backend::code::Absent<graviola::Graviola>;
    #[cfg(backend_graviola)]
    type GraviolaPad = [u8; 0];
}

impl Implementations for MlKem768 {
    const SHAPE: Shape = shape("ML-KEM-768", 1184, 1088, 2400);
    const PREFERENCE: &'static [Backend] =
        &[Backend::Graviola, Backend::Libcrux, Backend::Portable];
    type Portable = portable::mlkem::MlKem<ml_kem::MlKem768>;
    type PortablePad = [u8; padding::<Self>(Backend::Portable)];
    #[cfg(backend_libcrux)]
    type Libcrux = libcrux::mlkem::MlKem<2400>;
    #[cfg(backend_libcrux)]
    type LibcruxPad = [u8; padding::<Self>(Backend::Libcrux)];
    #[cfg(backend_graviola)]
    type Graviola = graviola::mlkem::MlKem768;
    #[cfg(backend_graviola)]
    type GraviolaPad = [u8; padding::<Self>(Backend::Graviola)];
}

impl Implementations for MlKem1024 {
    const SHAPE: Shape = shape("ML-KEM-1024", 1568, 1568, 3168);
    const PREFERENCE: &'static [Backend] = &[Backend::Libcrux, Backend::Portable];
    type Portable = portable::mlkem::MlKem<ml_kem::MlKem1024>;
    type PortablePad = [u8; padding::<Self>(Backend::Portable)];
    #[cfg(backend_libcrux)]
    type Libcrux = libcrux::mlkem::MlKem<3168>;
    #[cfg(backend_libcrux)]
    type LibcruxPad = [u8; padding::<Self>(Backend::Libcrux)];
    #[cfg(backend_graviola)]
    type Graviola = crate::backend::code::Absent<graviola::Graviola>;
    #[cfg(backend_graviola)]
    type GraviolaPad = [u8; 0];
}
