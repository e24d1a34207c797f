//! ML-KEM (FIPS 203) on RustCrypto `ml-kem` (its default features, which box the key material,
//! stay off).

use core::marker::PhantomData;

use ml_kem::array::Array;
use ml_kem::kem::{Decapsulate, KeyExport};
use ml_kem::{B32, DecapsulationKey, EncapsulationKey, Seed};
use zeroize::Zeroize;

use super::Portable;
use crate::backend::code::{Code, ServerStep};
use crate::components::{fixed, write};
use crate::error::Error;

/// ML-KEM with `ml-kem`'s parameter set `P` (`ml_kem::MlKem768`, ...).
pub struct MlKem<P>(PhantomData<P>);

/// Implements [`Code`] for `MlKem<P>` of each parameter set. A macro, not a generic impl:
/// `ml-kem` keeps its parameter trait (`KemParams`) private, so code generic over the three
/// sets cannot name the bound its key types need.
macro_rules! portable_mlkem {
    ($($params:ty),*) => {$(
        impl Code for MlKem<$params> {
            type Family = Portable;
            type Key = DecapsulationKey<$params>;

            /// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1 (Algorithm 16).
            fn keygen(_: (), seed: &[u8], share: &mut [u8]) -> Result<Self::Key, Error> {
                let mut seed = Seed::from(*fixed::<64>(seed)?);
                let dk = DecapsulationKey::<$params>::from_seed(seed);
                seed.zeroize();
                write(share, &dk.encapsulation_key().to_bytes())?;
                Ok(dk)
            }

            /// Encapsulation-key check (FIPS 203 section 7.2: length, then modulus), then
            /// ML-KEM.Encaps_internal(ek, m), FIPS 203 section 6.2 (Algorithm 17).
            fn respond(_: (), step: ServerStep<'_>) -> Result<(), Error> {
                let ek: &Array<u8, _> = step.client_share.try_into().map_err(|_| Error::Internal)?;
                // `EncapsulationKey::new` runs ByteEncode12(ByteDecode12(ek)) == ek: the
                // modulus check that RFC 10024 section 5 makes a MUST for the server.
                let ek = EncapsulationKey::<$params>::new(ek)
                    .map_err(|_| Error::EncapsulationKeyModulus)?;
                let mut m = B32::from(*fixed::<32>(step.seed)?);
                let (ct, mut k) = ek.encapsulate_deterministic(&m);
                m.zeroize();
                let written = write(step.secret, &k);
                k.zeroize();
                written?;
                write(step.share, &ct)
            }

            /// ML-KEM.Decaps_internal(dk, c), FIPS 203 section 6.3 (Algorithm 18), with
            /// implicit rejection.
            fn complete(key: &Self::Key, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
                let ct: &Array<u8, _> = server_share.try_into().map_err(|_| Error::Internal)?;
                let mut k = key.decapsulate(ct);
                let written = write(secret, &k);
                k.zeroize();
                written
            }

            #[cfg(feature = "hazmat")]
            fn secret_memory(key: &Self::Key) -> crate::components::KeyMemory<'_> {
                crate::components::KeyMemory::Object(key)
            }

            /// The encapsulation key object inside the decapsulation key (public: it is the
            /// client's share, FIPS 203 section 7.1).
            #[cfg(feature = "hazmat")]
            fn public_memory(key: &Self::Key) -> Option<crate::components::KeyMemory<'_>> {
                Some(crate::components::KeyMemory::Object(key.encapsulation_key()))
            }

            #[cfg(feature = "hazmat")]
            #[allow(deprecated)] // the FIPS 203 expanded form, which ACVP and CCTV publish
            fn expanded_key(key: &Self::Key, out: &mut [u8]) -> Result<(), Error> {
                use ml_kem::ExpandedKeyEncoding;
                let mut bytes = key.to_expanded_bytes();
                let written = write(out, &bytes);
                bytes.zeroize();
                written
            }

            /// The FIPS 203 section 7.3 checks `ml-kem` runs on an expanded key: the embedded
            /// `ek` decodes (modulus check) and `H(ek)` matches the stored hash.
            #[cfg(feature = "hazmat")]
            #[allow(deprecated)] // the FIPS 203 expanded form, which ACVP and CCTV publish
            fn import_expanded_key(_: (), dk: &[u8]) -> Option<Result<Self::Key, Error>> {
                use ml_kem::ExpandedKeyEncoding;
                let Ok(bytes) = dk.try_into() else {
                    return Some(Err(Error::DecapsulationKeyCheck));
                };
                Some(
                    DecapsulationKey::<$params>::from_expanded_bytes(bytes)
                        .map_err(|_| Error::DecapsulationKeyCheck),
                )
            }
        }
    )*};
}

portable_mlkem!(ml_kem::MlKem512, ml_kem::MlKem768, ml_kem::MlKem1024);
