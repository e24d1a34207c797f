//! ML-KEM-768 on graviola (graviola has no ML-KEM-512 or -1024).
//!
//! After each `*_internal` call, [`clear_simd_registers`] runs one of graviola's public secret
//! entry points, whose exit clears the SIMD registers (`vzeroall`) as graviola's own public
//! ML-KEM functions do.

use graviola::key_agreement::mlkem768::{Ciphertext, DecapKey, EncapKey, Message};
use graviola::key_agreement::x25519::StaticPrivateKey;
use zeroize::ZeroizeOnDrop;

use super::{Graviola, GraviolaCpu};
use crate::backend::code::{Code, ServerStep};
use crate::components::{fixed, write};
use crate::error::Error;

/// ML-KEM-768 on graviola.
pub struct MlKem768;

/// Runs a graviola public secret entry point with a dummy key: its exit clears the SIMD
/// registers, which the `*_internal` functions skip.
fn clear_simd_registers(_: GraviolaCpu) {
    drop(StaticPrivateKey::from_array(&[0u8; 32]));
}

/// A graviola decapsulation key (graviola zeroizes its secret parts, `dkPKE` and `z`, on drop;
/// the rest is public) and the token that lets it be used.
pub struct Key {
    dk: DecapKey,
    cpu: GraviolaCpu,
}

impl ZeroizeOnDrop for Key {}

impl Code for MlKem768 {
    type Family = Graviola;
    type Key = Key;

    /// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1.
    fn keygen(cpu: GraviolaCpu, seed: &[u8], share: &mut [u8]) -> Result<Key, Error> {
        let key = Key {
            dk: DecapKey::keygen_internal(fixed::<64>(seed)?),
            cpu,
        };
        let written = write(share, &key.dk.encapsulation_key().as_bytes());
        clear_simd_registers(cpu);
        written.map(|()| key)
    }

    /// The FIPS 203 section 7.2 modulus check (`EncapKey::from_bytes`), then
    /// ML-KEM.Encaps_internal(ek, m), FIPS 203 section 6.2.
    fn respond(cpu: GraviolaCpu, step: ServerStep<'_>) -> Result<(), Error> {
        let ek = EncapKey::from_bytes(fixed::<1184>(step.client_share)?)
            .map_err(|_| Error::EncapsulationKeyModulus)?;
        // `Message` and graviola's `SharedSecret` zeroize themselves on drop.
        let (k, ct) = ek.encaps_internal(Message(*fixed::<32>(step.seed)?));
        clear_simd_registers(cpu);
        write(step.secret, k.as_ref())?;
        write(step.share, ct.as_ref())
    }

    /// ML-KEM.Decaps_internal(dk, c), FIPS 203 section 6.3, with implicit rejection.
    fn complete(key: &Key, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
        let ct = Ciphertext::from(*fixed::<1088>(server_share)?);
        let k = key.dk.decaps_internal(&ct);
        clear_simd_registers(key.cpu);
        write(secret, k.as_ref())
    }

    /// The whole key: graviola keeps `ek`, `H(ek)` and the expanded matrix in private fields,
    /// so none of it is declared public (a stricter check; decapsulation only does arithmetic
    /// on them).
    #[cfg(feature = "hazmat")]
    fn secret_memory(key: &Key) -> crate::components::KeyMemory<'_> {
        crate::components::KeyMemory::Object(&key.dk)
    }

    #[cfg(feature = "hazmat")]
    fn expanded_key(key: &Key, out: &mut [u8]) -> Result<(), Error> {
        let mut bytes = key.dk.as_bytes();
        let written = write(out, &bytes);
        zeroize::Zeroize::zeroize(&mut bytes);
        written
    }
}
