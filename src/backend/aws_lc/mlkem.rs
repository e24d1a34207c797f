//! ML-KEM (FIPS 203) on aws-lc-rs's `kem` module.
//!
//! Key generation and encapsulation draw their randomness from AWS-LC's DRBG (the safe API takes
//! no `d ‖ z` and no `m`), so they run only for operations on the operating system's randomness
//! (`Code::TAKES_SEED` is `false`); decapsulation and the import of an expanded key run for
//! every key this backend holds.

use aws_lc_rs::kem::{
    Algorithm, AlgorithmId, Ciphertext, DecapsulationKey, EncapsulationKey, ML_KEM_512, ML_KEM_768,
    ML_KEM_1024,
};
use zeroize::ZeroizeOnDrop;

use super::AwsLc;
use crate::backend::code::{Code, ServerStep};
use crate::components::write;
use crate::error::Error;

/// ML-KEM with the aws-lc-rs parameter set whose expanded decapsulation key has `DK` bytes
/// (1632, 2400, 3168 for ML-KEM-512, -768, -1024).
pub struct MlKem<const DK: usize>;

/// An aws-lc-rs decapsulation key: a handle to AWS-LC's key object, which AWS-LC wipes when it
/// frees it (see the module docs of `aws_lc`); no public-key object shares it.
pub struct Key(DecapsulationKey<AlgorithmId>);

impl ZeroizeOnDrop for Key {}

/// Implements [`Code`] for `MlKem<DK>` of each parameter set. A macro, not a generic impl: the
/// error path asks the portable reference whether the encapsulation key failed the modulus
/// check, and `ml-kem` keeps the bound its key types need private.
macro_rules! aws_lc_mlkem {
    ($($algorithm:ident: portable = $portable:ty, dk = $dk:literal;)*) => {$(
        impl MlKem<$dk> {
            /// The aws-lc-rs parameter set.
            const ALGORITHM: &'static Algorithm<AlgorithmId> = &$algorithm;

            /// Why aws-lc-rs refused to encapsulate to `ek` (a length-checked encapsulation
            /// key): it gives no reason, and the one the peer can cause is the FIPS 203 section
            /// 7.2 modulus check, so the portable reference runs that check to tell it apart
            /// from a failure of AWS-LC itself (only on this error path).
            fn encapsulation_error(ek: &[u8]) -> Error {
                let Ok(ek) = ek.try_into() else {
                    return Error::Internal;
                };
                match ml_kem::EncapsulationKey::<$portable>::new(ek) {
                    Err(_) => Error::EncapsulationKeyModulus,
                    Ok(_) => Error::Internal,
                }
            }
        }

        impl Code for MlKem<$dk> {
            type Family = AwsLc;
            type Key = Key;
            const TAKES_SEED: bool = false;
            const DRAWS_OWN_RANDOMNESS: bool = true;

            /// Never called (`TAKES_SEED` is `false`): aws-lc-rs cannot generate a key from `d ‖ z`.
            fn keygen(_: (), _: &[u8], _: &mut [u8]) -> Result<Key, Error> {
                Err(Error::Internal)
            }

            /// Never called (`TAKES_SEED` is `false`): aws-lc-rs cannot encapsulate with a given `m`.
            fn respond(_: (), _: ServerStep<'_>) -> Result<(), Error> {
                Err(Error::Internal)
            }

            /// ML-KEM.KeyGen, FIPS 203 section 7.1 (Algorithm 19): `d` and `z` from AWS-LC's
            /// DRBG; `seed` is not used. The encapsulation-key object shares the key's
            /// `EVP_PKEY`, so it is dropped as soon as its bytes are written.
            fn keygen_system(_: (), _: &[u8], share: &mut [u8]) -> Result<Key, Error> {
                let dk = DecapsulationKey::generate(Self::ALGORITHM).map_err(|_| Error::Internal)?;
                {
                    let ek = dk.encapsulation_key().map_err(|_| Error::Internal)?;
                    let bytes = ek.key_bytes().map_err(|_| Error::Internal)?;
                    write(share, bytes.as_ref())?;
                }
                Ok(Key(dk))
            }

            /// ML-KEM.Encaps, FIPS 203 section 7.2 (Algorithm 20): the encapsulation-key
            /// check (length, then modulus; AWS-LC runs the modulus check inside
            /// `encapsulate`), `m` from AWS-LC's DRBG; `step.seed` is not used.
            fn respond_system(_: (), step: ServerStep<'_>) -> Result<(), Error> {
                let ek = EncapsulationKey::new(Self::ALGORITHM, step.client_share)
                    .map_err(|_| Error::Internal)?;
                // `k` is wiped on drop by aws-lc-rs.
                let (ct, k) = ek
                    .encapsulate()
                    .map_err(|_| Self::encapsulation_error(step.client_share))?;
                write(step.secret, k.as_ref())?;
                write(step.share, ct.as_ref())
            }

            /// ML-KEM.Decaps, FIPS 203 section 7.3 (Algorithm 21), with implicit rejection.
            /// aws-lc-rs fails only on a ciphertext of another length (the group checked it)
            /// or on a key whose `H(ek)` does not match (the portable reference checked every
            /// imported key): [`Error::Decapsulation`] all the same, never a silent success.
            fn complete(key: &Key, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
                let k = key
                    .0
                    .decapsulate(Ciphertext::from(server_share))
                    .map_err(|_| Error::Decapsulation)?;
                write(secret, k.as_ref())
            }

            /// The handle to AWS-LC's key object: the key itself is on the C heap, which the
            /// constant-time harness does not reach (docs/verification.md).
            #[cfg(feature = "hazmat")]
            fn secret_memory(key: &Key) -> crate::components::KeyMemory<'_> {
                crate::components::KeyMemory::Object(&key.0)
            }

            /// AWS-LC's export of the expanded key `dkPKE ‖ ek ‖ H(ek) ‖ z` (aws-lc-rs wipes
            /// its copy on drop).
            #[cfg(feature = "hazmat")]
            fn expanded_key(key: &Key, out: &mut [u8]) -> Result<(), Error> {
                let bytes = key.0.key_bytes().map_err(|_| Error::Internal)?;
                write(out, bytes.as_ref())
            }

            /// aws-lc-rs checks only the length of an imported key; the section 7.3 checks ran
            /// on the portable reference first.
            #[cfg(feature = "hazmat")]
            fn import_expanded_key(_: (), dk: &[u8]) -> Option<Result<Key, Error>> {
                Some(
                    DecapsulationKey::new(Self::ALGORITHM, dk)
                        .map(Key)
                        .map_err(|_| Error::DecapsulationKeyCheck),
                )
            }
        }
    )*};
}

aws_lc_mlkem! {
    ML_KEM_512: portable = ml_kem::MlKem512, dk = 1632;
    ML_KEM_768: portable = ml_kem::MlKem768, dk = 2400;
    ML_KEM_1024: portable = ml_kem::MlKem1024, dk = 3168;
}
