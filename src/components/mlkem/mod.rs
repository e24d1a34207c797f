//! ML-KEM (FIPS 203) as a key-exchange component.
//!
//! The client's share is the encapsulation key `ek`, the server's share the ciphertext `c`, the
//! secret the 32-byte shared key `K` (draft-ietf-tls-mlkem section 3; RFC 10024 section 4).
//!
//! ## Backends
//!
//! The implementation is chosen at build time by features, and among those at run time by the
//! CPU; callers see the same types, bytes and errors whichever runs ([`MlKemBackend`]):
//!
//! | backend | feature | ML-KEM-512 | ML-KEM-768 | ML-KEM-1024 |
//! |---|---|---|---|---|
//! | [`MlKemBackend::Graviola`] | `backend-graviola` | no | x86_64 with AES-NI, PCLMULQDQ, BMI1, ADX, AVX, AVX2 | no |
//! | [`MlKemBackend::Libcrux`] | `backend-libcrux` | yes | yes | yes |
//! | [`MlKemBackend::Portable`] (RustCrypto `ml-kem`) | always | yes | yes | yes |
//!
//! Priority: graviola, then libcrux, then portable. Every backend validates the encapsulation key
//! with the FIPS 203 section 7.2 modulus check before encapsulating
//! ([`Error::EncapsulationKeyModulus`]), uses the deterministic FIPS 203 `*_internal`
//! algorithms (so the `_from_seed` known-answer tests drive each of them), keeps its private key
//! in a value that is zeroized on drop and never printed.
//!
//! [`MlKem768::client_keygen_with`] and [`MlKem768::server_respond_with`] (and the ML-KEM-1024
//! equivalents) run one named backend, so that tests can compare them byte for byte.

mod portable;

#[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
pub(crate) mod graviola;
#[cfg(feature = "backend-libcrux")]
mod libcrux;

use core::fmt;

#[allow(deprecated)] // the FIPS 203 expanded key encoding, for known-answer tests
use ml_kem::ExpandedKeyEncoding;
use ml_kem::array::Array;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{Component, Sealed};
use crate::error::Error;

/// FIPS 203 shared-key length, the same for every parameter set (section 2.3: `K ∈ B^32`).
const SHARED_KEY_LEN: usize = 32;

/// An implementation of ML-KEM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MlKemBackend {
    /// RustCrypto `ml-kem`: portable, `no_std`, the default and the fallback.
    Portable,
    /// `libcrux-ml-kem` (feature `backend-libcrux`): formally verified, AVX2/NEON at run time.
    Libcrux,
    /// `graviola` (feature `backend-graviola`): verified assembly, ML-KEM-768 on x86_64 only.
    Graviola,
}

impl MlKemBackend {
    /// Every backend, in priority order (lowest first).
    pub const ALL: [Self; 3] = [Self::Portable, Self::Libcrux, Self::Graviola];

    /// The crate behind this backend.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Portable => "ml-kem",
            Self::Libcrux => "libcrux-ml-kem",
            Self::Graviola => "graviola",
        }
    }

    /// Whether this backend was compiled in (its feature is on; graviola also needs x86_64).
    /// Whether it runs on this CPU is [`MlKem768::supports`] / [`MlKem1024::supports`].
    pub const fn is_compiled(self) -> bool {
        match self {
            Self::Portable => true,
            Self::Libcrux => cfg!(feature = "backend-libcrux"),
            Self::Graviola => cfg!(all(feature = "backend-graviola", target_arch = "x86_64")),
        }
    }
}

impl fmt::Display for MlKemBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether graviola is compiled in and this CPU has what it requires.
fn graviola_usable() -> bool {
    #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
    {
        graviola::cpu_supported()
    }
    #[cfg(not(all(feature = "backend-graviola", target_arch = "x86_64")))]
    {
        false
    }
}

macro_rules! mlkem_component {
    (
        $(#[$doc:meta])*
        $name:ident, $state:ident, $inner:ident, $params:ty,
        ek = $ek:literal, ct = $ct:literal, dk = $dk:literal,
        portable = ($pk:ident, $pe:ident, $pd:ident),
        libcrux = ($lk:ident, $le:ident, $ld:ident),
        graviola = $has_graviola:literal $(($gk:ident, $ge:ident, $gd:ident, $gx:ident, $gty:ty))?
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        #[doc = concat!("The client's private state of [`", stringify!($name), "`]: the decapsulation key of ")]
        /// whichever backend generated it. Zeroized on drop; `Debug` shows the backend only.
        pub struct $state($inner);

        // The variants differ in size (graviola keeps the expanded matrix for decapsulation);
        // boxing would allocate, which the core never does.
        #[allow(clippy::large_enum_variant)]
        enum $inner {
            Portable(ml_kem::DecapsulationKey<$params>),
            #[cfg(feature = "backend-libcrux")]
            Libcrux(libcrux::PrivateKey<$dk>),
            $(
                #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                Graviola($gty),
            )?
        }

        impl $name {
            const HAS_GRAVIOLA: bool = $has_graviola;

            /// The backend the groups use on this machine: the highest-priority one compiled in
            /// and supported by this CPU.
            pub fn backend() -> MlKemBackend {
                if Self::HAS_GRAVIOLA && graviola_usable() {
                    MlKemBackend::Graviola
                } else if cfg!(feature = "backend-libcrux") {
                    MlKemBackend::Libcrux
                } else {
                    MlKemBackend::Portable
                }
            }

            /// Whether `backend` is compiled in, implements this parameter set and runs on this
            /// CPU.
            pub fn supports(backend: MlKemBackend) -> bool {
                match backend {
                    MlKemBackend::Portable => true,
                    MlKemBackend::Libcrux => cfg!(feature = "backend-libcrux"),
                    MlKemBackend::Graviola => Self::HAS_GRAVIOLA && graviola_usable(),
                }
            }

            /// [`Component::client_keygen`] on the given backend ([`Error::Internal`] if it is not
            /// [supported](Self::supports)).
            ///
            /// # Errors
            ///
            /// [`Error::Internal`] when `backend` is not [supported](Self::supports) or the slices have
            /// the wrong lengths.
            pub fn client_keygen_with(
                backend: MlKemBackend,
                seed: &[u8],
                share: &mut [u8],
            ) -> Result<$state, Error> {
                let inner = match backend {
                    MlKemBackend::Portable => $inner::Portable(portable::$pk(seed, share)?),
                    #[cfg(feature = "backend-libcrux")]
                    MlKemBackend::Libcrux => $inner::Libcrux(libcrux::$lk(seed, share)?),
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        MlKemBackend::Graviola if graviola_usable() => {
                            $inner::Graviola(graviola::$gk(seed, share)?)
                        }
                    )?
                    #[allow(unreachable_patterns)]
                    _ => return Err(Error::Internal),
                };
                Ok($state(inner))
            }

            /// [`Component::server_respond`] on the given backend ([`Error::Internal`] if it is
            /// not [supported](Self::supports)).
            ///
            /// # Errors
            ///
            /// [`Error::Internal`] when `backend` is not [supported](Self::supports); otherwise the client
            /// share's defects, as in [`Component::server_respond`].
            pub fn server_respond_with(
                backend: MlKemBackend,
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                match backend {
                    MlKemBackend::Portable => portable::$pe(seed, client_share, share, secret),
                    #[cfg(feature = "backend-libcrux")]
                    MlKemBackend::Libcrux => libcrux::$le(seed, client_share, share, secret),
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        MlKemBackend::Graviola if graviola_usable() => {
                            graviola::$ge(seed, client_share, share, secret)
                        }
                    )?
                    #[allow(unreachable_patterns)]
                    _ => Err(Error::Internal),
                }
            }
        }

        impl $state {
            /// The backend that generated this key, and runs its decapsulation.
            pub fn backend(&self) -> MlKemBackend {
                match &self.0 {
                    $inner::Portable(_) => MlKemBackend::Portable,
                    #[cfg(feature = "backend-libcrux")]
                    $inner::Libcrux(_) => MlKemBackend::Libcrux,
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        $inner::Graviola(_) => { let _ = stringify!($gk); MlKemBackend::Graviola }
                    )?
                }
            }

            /// The RustCrypto key, when this state runs on the portable backend (for audits that
            /// inspect its memory, such as the constant-time harness).
            pub fn as_portable(&self) -> Option<&ml_kem::DecapsulationKey<$params>> {
                match &self.0 {
                    $inner::Portable(dk) => Some(dk),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        /// A copy of the key on the same backend (graviola's is regenerated from its seed). The
        /// copy is zeroized on drop like the original.
        impl Clone for $state {
            fn clone(&self) -> Self {
                Self(match &self.0 {
                    $inner::Portable(dk) => $inner::Portable(dk.clone()),
                    #[cfg(feature = "backend-libcrux")]
                    $inner::Libcrux(sk) => $inner::Libcrux(sk.clone()),
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        $inner::Graviola(key) => { let _ = stringify!($gk); $inner::Graviola(key.clone()) }
                    )?
                })
            }
        }

        impl fmt::Debug for $state {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($state))
                    .field("backend", &self.backend())
                    .finish_non_exhaustive()
            }
        }

        // Every variant zeroizes its secret parts on drop: `ml-kem` (feature `zeroize`), the
        // libcrux wrapper's `Drop`, graviola's `DecapKey` (`dkPKE` and `z`; the rest is public).
        impl ZeroizeOnDrop for $state {}

        /// A RustCrypto key as a client state, moved to the selected backend when it can be: a
        /// key made from a seed is regenerated there from the seed; a key parsed from the
        /// expanded form (already validated by `ml-kem`, FIPS 203 section 7.3) goes to libcrux
        /// when it is compiled in and selected, else stays portable (graviola cannot import one).
        impl From<ml_kem::DecapsulationKey<$params>> for $state {
            #[allow(unreachable_code)] // the portable tail, when libcrux is compiled in
            fn from(dk: ml_kem::DecapsulationKey<$params>) -> Self {
                let backend = $name::backend();
                if backend == MlKemBackend::Portable {
                    return Self($inner::Portable(dk));
                }
                if let Some(mut seed) = dk.to_seed() {
                    let mut share = [0u8; $ek];
                    let state = $name::client_keygen_with(backend, &seed, &mut share);
                    seed.zeroize();
                    if let Ok(state) = state {
                        return state;
                    }
                }
                #[cfg(feature = "backend-libcrux")]
                {
                    #[allow(deprecated)]
                    let mut bytes = dk.to_expanded_bytes();
                    let state = libcrux::PrivateKey::from_bytes(&bytes.0);
                    bytes.zeroize();
                    return Self($inner::Libcrux(state));
                }
                Self($inner::Portable(dk))
            }
        }

        /// The FIPS 203 expanded decapsulation key `dkPKE ‖ ek ‖ H(ek) ‖ z` (section 7.1), the
        /// form NIST ACVP and the C2SP CCTV accumulated vectors use, from every backend.
        #[allow(deprecated)]
        impl ExpandedKeyEncoding for $state {
            type EncodedSize =
                <ml_kem::DecapsulationKey<$params> as ExpandedKeyEncoding>::EncodedSize;

            /// Parses and validates (FIPS 203 section 7.3) with `ml-kem`, then moves the key to
            /// the selected backend as [`From`] does.
            fn from_expanded_bytes(
                enc: &Array<u8, Self::EncodedSize>,
            ) -> Result<Self, ml_kem::InvalidKey> {
                ml_kem::DecapsulationKey::<$params>::from_expanded_bytes(enc).map(Self::from)
            }

            fn to_expanded_bytes(&self) -> Array<u8, Self::EncodedSize> {
                match &self.0 {
                    $inner::Portable(dk) => dk.to_expanded_bytes(),
                    #[cfg(feature = "backend-libcrux")]
                    $inner::Libcrux(sk) => Array(*sk.as_bytes()),
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        $inner::Graviola(dk) => {
                            let mut bytes = graviola::$gx(dk);
                            let out = Array(bytes);
                            bytes.zeroize();
                            out
                        }
                    )?
                }
            }
        }

        impl Sealed for $name {}

        impl Component for $name {
            const CLIENT_SHARE_LEN: usize = $ek;
            const SERVER_SHARE_LEN: usize = $ct;
            const SECRET_LEN: usize = SHARED_KEY_LEN;
            /// `d ‖ z`, the 64-byte seed of ML-KEM.KeyGen_internal (FIPS 203 section 6.1).
            const CLIENT_SEED_LEN: usize = 64;
            /// `m`, the 32-byte message of ML-KEM.Encaps_internal (FIPS 203 section 6.2).
            const SERVER_SEED_LEN: usize = 32;

            type ClientState = $state;

            /// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1 (Algorithm 16), on the
            /// selected backend.
            fn client_keygen(seed: &[u8], share: &mut [u8]) -> Result<Self::ClientState, Error> {
                Self::client_keygen_with(Self::backend(), seed, share)
            }

            /// Encapsulation-key check (FIPS 203 section 7.2: length, then modulus), then
            /// ML-KEM.Encaps_internal(ek, m), FIPS 203 section 6.2 (Algorithm 17), on the
            /// selected backend.
            fn server_respond(
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                Self::server_respond_with(Self::backend(), seed, client_share, share, secret)
            }

            /// ML-KEM.Decaps_internal(dk, c), FIPS 203 section 6.3 (Algorithm 18), with implicit
            /// rejection, on the backend that generated the key. The ciphertext length was
            /// checked by the caller (RFC 10024 section 5).
            fn client_complete(
                state: &Self::ClientState,
                server_share: &[u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                match &state.0 {
                    $inner::Portable(dk) => portable::$pd(dk, server_share, secret),
                    #[cfg(feature = "backend-libcrux")]
                    $inner::Libcrux(sk) => libcrux::$ld(sk, server_share, secret),
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        $inner::Graviola(dk) => graviola::$gd(dk, server_share, secret),
                    )?
                }
            }
        }
    };
}

mlkem_component! {
    /// ML-KEM-512 (FIPS 203, NIST security category 1): 800-byte encapsulation key, 768-byte
    /// ciphertext. Used only by the opt-in MLKEM512 group of draft-ietf-tls-mlkem.
    MlKem512, MlKem512ClientState, Inner512, ml_kem::MlKem512,
    ek = 800, ct = 768, dk = 1632,
    portable = (keygen_512, encaps_512, decaps_512),
    libcrux = (keygen_512, encaps_512, decaps_512),
    graviola = false
}

mlkem_component! {
    /// ML-KEM-768 (FIPS 203, NIST security category 3): 1184-byte encapsulation key, 1088-byte
    /// ciphertext.
    MlKem768, MlKem768ClientState, Inner768, ml_kem::MlKem768,
    ek = 1184, ct = 1088, dk = 2400,
    portable = (keygen_768, encaps_768, decaps_768),
    libcrux = (keygen_768, encaps_768, decaps_768),
    graviola = true (keygen_768, encaps_768, decaps_768, expanded_768,
        graviola::Key768)
}

mlkem_component! {
    /// ML-KEM-1024 (FIPS 203, NIST security category 5): 1568-byte encapsulation key, 1568-byte
    /// ciphertext.
    MlKem1024, MlKem1024ClientState, Inner1024, ml_kem::MlKem1024,
    ek = 1568, ct = 1568, dk = 3168,
    portable = (keygen_1024, encaps_1024, decaps_1024),
    libcrux = (keygen_1024, encaps_1024, decaps_1024),
    graviola = false
}
