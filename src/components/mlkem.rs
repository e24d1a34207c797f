//! ML-KEM (FIPS 203) as a key-exchange component, on the RustCrypto `ml-kem` crate.
//!
//! The client's share is the encapsulation key `ek`, the server's share the ciphertext `c`, the
//! secret the 32-byte shared key `K` (draft-ietf-tls-mlkem section 3; RFC 10024 section 4).

use ml_kem::array::Array;
use ml_kem::{B32, Decapsulate, DecapsulationKey, EncapsulationKey, KeyExport, Seed};
use zeroize::Zeroize;

use super::{Component, Sealed, fixed, fixed_mut};
use crate::error::Error;

/// FIPS 203 shared-key length, the same for every parameter set (section 2.3: `K ∈ B^32`).
const SHARED_KEY_LEN: usize = 32;

macro_rules! mlkem_component {
    (
        $(#[$doc:meta])*
        $name:ident, $params:ty, ek = $ek:literal, ct = $ct:literal
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl Sealed for $name {}

        impl Component for $name {
            const CLIENT_SHARE_LEN: usize = $ek;
            const SERVER_SHARE_LEN: usize = $ct;
            const SECRET_LEN: usize = SHARED_KEY_LEN;
            /// `d ‖ z`, the 64-byte seed of ML-KEM.KeyGen_internal (FIPS 203 section 6.1).
            const CLIENT_SEED_LEN: usize = 64;
            /// `m`, the 32-byte message of ML-KEM.Encaps_internal (FIPS 203 section 6.2).
            const SERVER_SEED_LEN: usize = 32;

            /// The decapsulation key (zeroized on drop by `ml-kem`'s `zeroize` feature).
            type ClientState = DecapsulationKey<$params>;

            /// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1 (Algorithm 16).
            fn client_keygen(seed: &[u8], share: &mut [u8]) -> Result<Self::ClientState, Error> {
                let mut seed = Seed::from(*fixed::<64>(seed)?);
                let dk = DecapsulationKey::<$params>::from_seed(seed);
                seed.zeroize();
                fixed_mut::<$ek>(share)?.copy_from_slice(&dk.encapsulation_key().to_bytes());
                Ok(dk)
            }

            /// Encapsulation-key check (FIPS 203 section 7.2: length, then modulus), then
            /// ML-KEM.Encaps_internal(ek, m), FIPS 203 section 6.2 (Algorithm 17).
            fn server_respond(
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                let ek_bytes: &Array<u8, _> =
                    client_share.try_into().map_err(|_| Error::Internal)?;
                // `EncapsulationKey::new` runs ByteEncode12(ByteDecode12(ek)) == ek: the modulus
                // check that RFC 10024 section 5 makes a MUST for the server.
                let ek = EncapsulationKey::<$params>::new(ek_bytes)
                    .map_err(|_| Error::EncapsulationKeyModulus)?;
                let mut m = B32::from(*fixed::<32>(seed)?);
                let (ct, mut k) = ek.encapsulate_deterministic(&m);
                m.zeroize();
                fixed_mut::<$ct>(share)?.copy_from_slice(&ct);
                let written = fixed_mut::<SHARED_KEY_LEN>(secret).map(|out| out.copy_from_slice(&k));
                k.zeroize();
                written
            }

            /// ML-KEM.Decaps_internal(dk, c), FIPS 203 section 6.3 (Algorithm 18), with implicit
            /// rejection. The ciphertext length was checked by the caller (RFC 10024 section 5).
            fn client_complete(
                state: &Self::ClientState,
                server_share: &[u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                let ct: &Array<u8, _> = server_share.try_into().map_err(|_| Error::Internal)?;
                let mut k = state.decapsulate(ct);
                let written = fixed_mut::<SHARED_KEY_LEN>(secret).map(|out| out.copy_from_slice(&k));
                k.zeroize();
                written
            }
        }
    };
}

mlkem_component! {
    /// ML-KEM-768 (FIPS 203, NIST security category 3): 1184-byte encapsulation key, 1088-byte
    /// ciphertext.
    MlKem768, ml_kem::MlKem768, ek = 1184, ct = 1088
}

mlkem_component! {
    /// ML-KEM-1024 (FIPS 203, NIST security category 5): 1568-byte encapsulation key, 1568-byte
    /// ciphertext.
    MlKem1024, ml_kem::MlKem1024, ek = 1568, ct = 1568
}
