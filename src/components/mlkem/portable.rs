//! The portable backend: RustCrypto `ml-kem` (`no_std`, no heap: its default features, which box
//! the key material, stay off).

use ml_kem::array::Array;
use ml_kem::{B32, Decapsulate, DecapsulationKey, EncapsulationKey, KeyExport, Seed};
use zeroize::Zeroize;

use super::SHARED_KEY_LEN;
use crate::components::{fixed, fixed_mut};
use crate::error::Error;

/// Generates the portable operations for one parameter set.
macro_rules! portable_ops {
    ($keygen:ident, $encaps:ident, $decaps:ident, $params:ty, ek = $ek:literal, ct = $ct:literal) => {
        /// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1 (Algorithm 16).
        pub(super) fn $keygen(
            seed: &[u8],
            share: &mut [u8],
        ) -> Result<DecapsulationKey<$params>, Error> {
            let mut seed = Seed::from(*fixed::<64>(seed)?);
            let dk = DecapsulationKey::<$params>::from_seed(seed);
            seed.zeroize();
            fixed_mut::<$ek>(share)?.copy_from_slice(&dk.encapsulation_key().to_bytes());
            Ok(dk)
        }

        /// Encapsulation-key check (FIPS 203 section 7.2: length, then modulus), then
        /// ML-KEM.Encaps_internal(ek, m), FIPS 203 section 6.2 (Algorithm 17).
        pub(super) fn $encaps(
            seed: &[u8],
            client_share: &[u8],
            share: &mut [u8],
            secret: &mut [u8],
        ) -> Result<(), Error> {
            let ek_bytes: &Array<u8, _> = client_share.try_into().map_err(|_| Error::Internal)?;
            // `EncapsulationKey::new` runs ByteEncode12(ByteDecode12(ek)) == ek: the modulus
            // check that RFC 10024 section 5 makes a MUST for the server.
            let ek = EncapsulationKey::<$params>::new(ek_bytes)
                .map_err(|_| Error::EncapsulationKeyModulus)?;
            let mut m = B32::from(*fixed::<32>(seed)?);
            let (ct, mut k) = ek.encapsulate_deterministic(&m);
            m.zeroize();
            let written = fixed_mut::<SHARED_KEY_LEN>(secret).map(|out| out.copy_from_slice(&k));
            k.zeroize();
            written?;
            fixed_mut::<$ct>(share)?.copy_from_slice(&ct);
            Ok(())
        }

        /// ML-KEM.Decaps_internal(dk, c), FIPS 203 section 6.3 (Algorithm 18), with implicit
        /// rejection.
        pub(super) fn $decaps(
            dk: &DecapsulationKey<$params>,
            server_share: &[u8],
            secret: &mut [u8],
        ) -> Result<(), Error> {
            let ct: &Array<u8, _> = server_share.try_into().map_err(|_| Error::Internal)?;
            let mut k = dk.decapsulate(ct);
            let written = fixed_mut::<SHARED_KEY_LEN>(secret).map(|out| out.copy_from_slice(&k));
            k.zeroize();
            written
        }
    };
}

portable_ops!(
    keygen_512,
    encaps_512,
    decaps_512,
    ml_kem::MlKem512,
    ek = 800,
    ct = 768
);
portable_ops!(
    keygen_768,
    encaps_768,
    decaps_768,
    ml_kem::MlKem768,
    ek = 1184,
    ct = 1088
);
portable_ops!(
    keygen_1024,
    encaps_1024,
    decaps_1024,
    ml_kem::MlKem1024,
    ek = 1568,
    ct = 1568
);
