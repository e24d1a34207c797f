//! The libcrux backend: `libcrux-ml-kem`, formally verified (hax/F*), with its AVX2 (x86_64) or
//! NEON (aarch64) code chosen at run time by the crate itself and a portable fallback.
//!
//! The private key is the FIPS 203 expanded decapsulation key `dk` (section 7.1); it is kept in
//! a wrapper that zeroizes it on drop, which `libcrux-ml-kem`'s own type does not do.

use libcrux_ml_kem::{MlKemCiphertext, MlKemPrivateKey, MlKemPublicKey};
use zeroize::Zeroize;

use super::SHARED_KEY_LEN;
use crate::components::{fixed, fixed_mut};
use crate::error::Error;

/// An expanded ML-KEM decapsulation key, zeroized on drop.
pub(super) struct PrivateKey<const N: usize>(MlKemPrivateKey<N>);

impl<const N: usize> PrivateKey<N> {
    /// The FIPS 203 expanded key bytes `dkPKE ‖ ek ‖ H(ek) ‖ z` (export, feature `hazmat`).
    #[cfg(feature = "hazmat")]
    pub(super) fn as_bytes(&self) -> &[u8; N] {
        self.0.as_slice()
    }

    /// Wraps expanded key bytes that were validated elsewhere (FIPS 203 section 7.3).
    pub(super) fn from_bytes(bytes: &[u8; N]) -> Self {
        Self(MlKemPrivateKey::from(bytes))
    }
}

#[cfg(feature = "hazmat")]
impl<const N: usize> Clone for PrivateKey<N> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<const N: usize> Drop for PrivateKey<N> {
    fn drop(&mut self) {
        self.0[0..].zeroize();
    }
}

/// Generates the libcrux operations for one parameter set.
macro_rules! libcrux_ops {
    (
        $keygen:ident, $encaps:ident, $decaps:ident, $module:ident,
        ek = $ek:literal, ct = $ct:literal, dk = $dk:literal
    ) => {
        /// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1.
        pub(super) fn $keygen(seed: &[u8], share: &mut [u8]) -> Result<PrivateKey<$dk>, Error> {
            let mut randomness = *fixed::<64>(seed)?;
            let pair = libcrux_ml_kem::$module::generate_key_pair(randomness);
            randomness.zeroize();
            let (sk, pk) = pair.into_parts();
            let sk = PrivateKey(sk);
            fixed_mut::<$ek>(share)?.copy_from_slice(pk.as_slice());
            Ok(sk)
        }

        /// The FIPS 203 section 7.2 modulus check (`validate_public_key`: libcrux's encapsulate
        /// does not run it itself), then ML-KEM.Encaps_internal(ek, m), FIPS 203 section 6.2.
        pub(super) fn $encaps(
            seed: &[u8],
            client_share: &[u8],
            share: &mut [u8],
            secret: &mut [u8],
        ) -> Result<(), Error> {
            let ek = MlKemPublicKey::<$ek>::from(fixed::<$ek>(client_share)?);
            if !libcrux_ml_kem::$module::validate_public_key(&ek) {
                return Err(Error::EncapsulationKeyModulus);
            }
            let mut m = *fixed::<32>(seed)?;
            let (ct, mut k) = libcrux_ml_kem::$module::encapsulate(&ek, m);
            m.zeroize();
            let written = fixed_mut::<SHARED_KEY_LEN>(secret).map(|out| out.copy_from_slice(&k));
            k.zeroize();
            written?;
            fixed_mut::<$ct>(share)?.copy_from_slice(ct.as_slice());
            Ok(())
        }

        /// ML-KEM.Decaps_internal(dk, c), FIPS 203 section 6.3, with implicit rejection.
        pub(super) fn $decaps(
            dk: &PrivateKey<$dk>,
            server_share: &[u8],
            secret: &mut [u8],
        ) -> Result<(), Error> {
            let ct = MlKemCiphertext::<$ct>::from(fixed::<$ct>(server_share)?);
            let mut k = libcrux_ml_kem::$module::decapsulate(&dk.0, &ct);
            let written = fixed_mut::<SHARED_KEY_LEN>(secret).map(|out| out.copy_from_slice(&k));
            k.zeroize();
            written
        }
    };
}

libcrux_ops!(
    keygen_512,
    encaps_512,
    decaps_512,
    mlkem512,
    ek = 800,
    ct = 768,
    dk = 1632
);
libcrux_ops!(
    keygen_768,
    encaps_768,
    decaps_768,
    mlkem768,
    ek = 1184,
    ct = 1088,
    dk = 2400
);
libcrux_ops!(
    keygen_1024,
    encaps_1024,
    decaps_1024,
    mlkem1024,
    ek = 1568,
    ct = 1568,
    dk = 3168
);
