//! ML-KEM (FIPS 203) on `libcrux-ml-kem`.
//!
//! The private key is the FIPS 203 expanded decapsulation key `dk` (section 7.1); it is kept in
//! a wrapper that zeroizes it on drop, which `libcrux-ml-kem`'s own type does not do.

use core::marker::PhantomData;

use libcrux_ml_kem::{MlKemCiphertext, MlKemPrivateKey, MlKemPublicKey};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::Libcrux;
use crate::backend::code::{Code, ServerStep};
use crate::components::{fixed, write};
use crate::error::Error;

/// ML-KEM with the libcrux parameter set whose expanded decapsulation key has `DK` bytes
/// (1632, 2400, 3168 for ML-KEM-512, -768, -1024).
pub struct MlKem<const DK: usize>(PhantomData<[u8; DK]>);

/// An expanded ML-KEM decapsulation key, zeroized on drop.
pub struct PrivateKey<const N: usize>(MlKemPrivateKey<N>);

impl<const N: usize> Drop for PrivateKey<N> {
    fn drop(&mut self) {
        self.0[0..].zeroize();
    }
}

impl<const N: usize> ZeroizeOnDrop for PrivateKey<N> {}

/// Implements [`Code`] for `MlKem<DK>` of each parameter set. A macro, not a generic impl:
/// libcrux exposes each parameter set as a module of free functions (`mlkem768::encapsulate`,
/// ...), with no trait to be generic over.
macro_rules! libcrux_mlkem {
    ($($module:ident: ek = $ek:literal, ct = $ct:literal, dk = $dk:literal;)*) => {$(
        impl Code for MlKem<$dk> {
            type Family = Libcrux;
            type Key = PrivateKey<$dk>;

            /// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1.
            fn keygen(_: (), seed: &[u8], share: &mut [u8]) -> Result<Self::Key, Error> {
                let mut randomness = *fixed::<64>(seed)?;
                let pair = libcrux_ml_kem::$module::generate_key_pair(randomness);
                randomness.zeroize();
                let (sk, pk) = pair.into_parts();
                let sk = PrivateKey(sk);
                write(share, pk.as_slice())?;
                Ok(sk)
            }

            /// The FIPS 203 section 7.2 modulus check (`validate_public_key`: libcrux's
            /// encapsulate does not run it itself), then ML-KEM.Encaps_internal(ek, m), FIPS
            /// 203 section 6.2.
            fn respond(_: (), step: ServerStep<'_>) -> Result<(), Error> {
                let ek = MlKemPublicKey::<$ek>::from(fixed::<$ek>(step.client_share)?);
                if !libcrux_ml_kem::$module::validate_public_key(&ek) {
                    return Err(Error::EncapsulationKeyModulus);
                }
                let mut m = *fixed::<32>(step.seed)?;
                let (ct, mut k) = libcrux_ml_kem::$module::encapsulate(&ek, m);
                m.zeroize();
                let written = write(step.secret, &k);
                k.zeroize();
                written?;
                write(step.share, ct.as_slice())
            }

            /// ML-KEM.Decaps_internal(dk, c), FIPS 203 section 6.3, with implicit rejection.
            fn complete(key: &Self::Key, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error> {
                let ct = MlKemCiphertext::<$ct>::from(fixed::<$ct>(server_share)?);
                let mut k = libcrux_ml_kem::$module::decapsulate(&key.0, &ct);
                let written = write(secret, &k);
                k.zeroize();
                written
            }

            #[cfg(feature = "hazmat")]
            fn secret_memory(key: &Self::Key) -> crate::components::KeyMemory<'_> {
                crate::components::KeyMemory::Bytes(key.0.as_slice())
            }

            /// `ek ‖ H(ek)` inside the stored expanded key `dkPKE ‖ ek ‖ H(ek) ‖ z`, where
            /// `dkPKE` is 384·k bytes and `ek` 384·k + 32 (FIPS 203 section 7.1).
            #[cfg(feature = "hazmat")]
            fn public_memory(key: &Self::Key) -> Option<crate::components::KeyMemory<'_>> {
                let start = $ek - 32;
                key.0.as_slice().get(start..start + $ek + 32).map(crate::components::KeyMemory::Bytes)
            }

            #[cfg(feature = "hazmat")]
            fn expanded_key(key: &Self::Key, out: &mut [u8]) -> Result<(), Error> {
                write(out, key.0.as_slice())
            }

            #[cfg(feature = "hazmat")]
            fn import_expanded_key(_: (), dk: &[u8]) -> Option<Result<Self::Key, Error>> {
                Some(fixed::<$dk>(dk).map(|dk| PrivateKey(MlKemPrivateKey::from(dk))))
            }
        }
    )*};
}

libcrux_mlkem! {
    mlkem512: ek = 800, ct = 768, dk = 1632;
    mlkem768: ek = 1184, ct = 1088, dk = 2400;
    mlkem1024: ek = 1568, ct = 1568, dk = 3168;
}
