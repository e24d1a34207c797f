//! ML-KEM (FIPS 203) as a key-exchange component.
//!
//! The client's share is the encapsulation key `ek`, the server's share the ciphertext `c`, the
//! secret the 32-byte shared key `K` (draft-ietf-tls-mlkem section 3; RFC 10024 section 4).
//!
//! ## Backends
//!
//! The implementation is chosen at build time by features, and among those at run time by the
//! CPU ([`crate::backend`]); callers see the same types, bytes and errors whichever runs:
//! graviola (ML-KEM-768 only), then libcrux, then the portable RustCrypto `ml-kem`. Every backend validates the encapsulation key
//! with the FIPS 203 section 7.2 modulus check before encapsulating
//! ([`Error::EncapsulationKeyModulus`]), uses the deterministic FIPS 203 `*_internal`
//! algorithms (so the `_from_seed` known-answer tests drive each of them), keeps its private key
//! in a value that is zeroized on drop and never printed.
//!
//! [`Component::client_keygen_on`] and [`Component::server_respond_on`] run one named backend,
//! so that tests can compare them byte for byte.

mod portable;

#[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
pub(crate) mod graviola;
#[cfg(feature = "backend-libcrux")]
mod libcrux;

use core::fmt;

#[allow(deprecated)] // the FIPS 203 expanded key encoding, for known-answer tests
#[cfg(feature = "hazmat")]
use ml_kem::ExpandedKeyEncoding;
#[cfg(feature = "hazmat")]
use ml_kem::array::Array;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{Component, Padded, Sealed, max_size};
use crate::backend::{self, Backend};
use crate::error::Error;

/// FIPS 203 shared-key length, the same for every parameter set (section 2.3: `K ∈ B^32`).
const SHARED_KEY_LEN: usize = 32;

macro_rules! mlkem_component {
    (
        $(#[$doc:meta])*
        $name:ident, $state:ident, $inner:ident, $params:ty,
        part = $part:literal, ek = $ek:literal, ct = $ct:literal, dk = $dk:literal,
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
        // Every variant is padded to the largest one's size (see `Padded`).
        enum $inner {
            Portable(
                Padded<
                    ml_kem::DecapsulationKey<$params>,
                    { $name::PAYLOAD - size_of::<ml_kem::DecapsulationKey<$params>>() },
                >,
            ),
            #[cfg(feature = "backend-libcrux")]
            Libcrux(Padded<libcrux::PrivateKey<$dk>, { $name::PAYLOAD - size_of::<libcrux::PrivateKey<$dk>>() }>),
            $(
                #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                Graviola(Padded<$gty, { $name::PAYLOAD - size_of::<$gty>() }>),
            )?
        }

        impl $name {
            /// The size of the largest backend's key, which every variant of the state is
            /// padded to.
            const PAYLOAD: usize = {
                #[allow(unused_mut)]
                let mut size = max_size(0, size_of::<ml_kem::DecapsulationKey<$params>>());
                #[cfg(feature = "backend-libcrux")]
                {
                    size = max_size(size, size_of::<libcrux::PrivateKey<$dk>>());
                }
                $(
                    #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                    {
                        size = max_size(size, size_of::<$gty>());
                    }
                )?
                size
            };

            /// The backends with an implementation of this parameter set, graviola only where
            /// it has one.
            const BACKENDS: &'static [Backend] = if $has_graviola {
                &[Backend::Portable, Backend::Libcrux, Backend::Graviola]
            } else {
                &[Backend::Portable, Backend::Libcrux]
            };

            /// The backend this parameter set runs on here: the most preferred one that is
            /// compiled in, runs on this CPU and implements it.
            pub fn backend() -> Backend {
                backend::preferred(Self::BACKENDS)
            }

            /// Whether `backend` implements this parameter set, is compiled in and runs on this
            /// CPU.
            pub fn supports(backend: Backend) -> bool {
                Self::BACKENDS.contains(&backend) && backend.is_usable()
            }

            /// Key generation on `backend`, which implements this parameter set.
            fn keygen_on(backend: Backend, seed: &[u8], share: &mut [u8]) -> Result<$state, Error> {
                let inner = match backend {
                    Backend::Portable => $inner::Portable(Padded::new(portable::$pk(seed, share)?)),
                    #[cfg(feature = "backend-libcrux")]
                    Backend::Libcrux => $inner::Libcrux(Padded::new(libcrux::$lk(seed, share)?)),
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        Backend::Graviola => {
                            let cpu = backend::graviola_cpu().ok_or(Error::BackendUnavailable)?;
                            $inner::Graviola(Padded::new(graviola::$gk(cpu, seed, share)?))
                        }
                    )?
                    #[allow(unreachable_patterns)]
                    _ => return Err(Error::BackendUnavailable),
                };
                Ok($state(inner))
            }

            /// The server step on `backend`, which implements this parameter set.
            fn encaps_on(
                backend: Backend,
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                match backend {
                    Backend::Portable => portable::$pe(seed, client_share, share, secret),
                    #[cfg(feature = "backend-libcrux")]
                    Backend::Libcrux => libcrux::$le(seed, client_share, share, secret),
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        Backend::Graviola => {
                            let cpu = backend::graviola_cpu().ok_or(Error::BackendUnavailable)?;
                            graviola::$ge(cpu, seed, client_share, share, secret)
                        }
                    )?
                    #[allow(unreachable_patterns)]
                    _ => Err(Error::BackendUnavailable),
                }
            }
        }

        impl $state {
            /// The backend that generated this key, and runs its decapsulation.
            pub fn backend(&self) -> Backend {
                match &self.0 {
                    $inner::Portable(_) => Backend::Portable,
                    #[cfg(feature = "backend-libcrux")]
                    $inner::Libcrux(_) => Backend::Libcrux,
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        $inner::Graviola(_) => { let _ = stringify!($gk); Backend::Graviola }
                    )?
                }
            }

            /// The private key object of whichever backend holds it (the RustCrypto
            /// `DecapsulationKey`, the libcrux key bytes, graviola's key), as `Any` so that an
            /// audit can find its size: the constant-time harness marks exactly this memory
            /// secret (feature `hazmat`).
            #[cfg(feature = "hazmat")]
            pub fn secret_memory(&self) -> &dyn core::any::Any {
                match &self.0 {
                    $inner::Portable(dk) => &**dk,
                    #[cfg(feature = "backend-libcrux")]
                    $inner::Libcrux(sk) => &**sk,
                    $(
                        #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                        $inner::Graviola(key) => { let _ = stringify!($gk); key }
                    )?
                }
            }

            /// The libcrux key's stored FIPS 203 expanded bytes `dkPKE ‖ ek ‖ H(ek) ‖ z`, in
            /// place, when this state runs on libcrux (for the constant-time harness, which
            /// marks the public `ek ‖ H(ek)` in them as public; feature `hazmat`).
            #[cfg(all(feature = "hazmat", feature = "backend-libcrux"))]
            pub fn as_libcrux_bytes(&self) -> Option<&[u8]> {
                match &self.0 {
                    $inner::Libcrux(sk) => Some(&sk.as_bytes()[..]),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The RustCrypto key, when this state runs on the portable backend (for audits that
            /// inspect its memory, such as the constant-time harness; feature `hazmat`).
            #[cfg(feature = "hazmat")]
            pub fn as_portable(&self) -> Option<&ml_kem::DecapsulationKey<$params>> {
                match &self.0 {
                    $inner::Portable(dk) => Some(&**dk),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        /// A copy of the key on the same backend (graviola's is regenerated from its seed). The
        /// copy is zeroized on drop like the original. Feature `hazmat`: a client state serves
        /// one handshake, and a copy would let it serve two.
        #[cfg(feature = "hazmat")]
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

        impl $state {
            /// A RustCrypto key (for example one parsed from the FIPS 203 expanded form, which
            /// `ml-kem` validates per section 7.3) as a client state on `backend`, for
            /// known-answer tests that start from a private key: a key with its seed is
            /// regenerated there; an expanded key without a seed goes to libcrux when libcrux is
            /// asked for, else stays on the portable reference (graviola cannot import one).
            /// [`Self::backend`] says where it landed.
            ///
            /// # Errors
            ///
            /// [`Error::BackendUnavailable`] when `backend` is not compiled in or this CPU cannot
            /// run it.
            pub fn from_decapsulation_key_on(
                backend: Backend,
                dk: ml_kem::DecapsulationKey<$params>,
            ) -> Result<Self, Error> {
                let backend = backend::resolve(backend, $name::BACKENDS)?;
                Ok(Self::moved_to(backend, dk, false))
            }

            /// `dk` on `backend` (usable, implementing this parameter set) where it can go; an
            /// expanded key without a seed goes to libcrux if `backend` is libcrux or
            /// `prefer_libcrux`, else stays portable.
            #[allow(unreachable_code, unused_variables)] // the tails, by compiled features
            fn moved_to(
                backend: Backend,
                dk: ml_kem::DecapsulationKey<$params>,
                prefer_libcrux: bool,
            ) -> Self {
                if backend == Backend::Portable {
                    return Self($inner::Portable(Padded::new(dk)));
                }
                if let Some(mut seed) = dk.to_seed() {
                    let mut share = [0u8; $ek];
                    let state = $name::keygen_on(backend, &seed, &mut share);
                    seed.zeroize();
                    if let Ok(state) = state {
                        return state;
                    }
                }
                #[cfg(feature = "backend-libcrux")]
                if backend == Backend::Libcrux || prefer_libcrux {
                    #[allow(deprecated)]
                    let mut bytes = ml_kem::ExpandedKeyEncoding::to_expanded_bytes(&dk);
                    let state = libcrux::PrivateKey::from_bytes(&bytes.0);
                    bytes.zeroize();
                    return Self($inner::Libcrux(Padded::new(state)));
                }
                Self($inner::Portable(Padded::new(dk)))
            }
        }

        /// A RustCrypto key as a client state, moved to the selected backend when it can be: a
        /// key made from a seed is regenerated there from the seed; a key parsed from the
        /// expanded form (already validated by `ml-kem`, FIPS 203 section 7.3) goes to libcrux
        /// when it is compiled in, else stays portable (graviola cannot import one).
        impl From<ml_kem::DecapsulationKey<$params>> for $state {
            fn from(dk: ml_kem::DecapsulationKey<$params>) -> Self {
                Self::moved_to($name::backend(), dk, true)
            }
        }

        /// The FIPS 203 expanded decapsulation key `dkPKE ‖ ek ‖ H(ek) ‖ z` (section 7.1), the
        /// form NIST ACVP and the C2SP CCTV accumulated vectors use, from every backend. Feature
        /// `hazmat`: it exports the private key.
        #[cfg(feature = "hazmat")]
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
            const PARTS: &'static [&'static str] = &[$part];

            type ClientState = $state;

            /// ML-KEM.KeyGen_internal(d, z), FIPS 203 section 6.1 (Algorithm 16), on the
            /// selected backend.
            fn has_backend(backend: Backend) -> bool {
                Self::BACKENDS.contains(&backend)
            }

            fn client_keygen(seed: &[u8], share: &mut [u8]) -> Result<Self::ClientState, Error> {
                Self::keygen_on(Self::backend(), seed, share)
            }

            fn client_keygen_on(
                backend: Backend,
                seed: &[u8],
                share: &mut [u8],
            ) -> Result<Self::ClientState, Error> {
                Self::keygen_on(backend::resolve(backend, Self::BACKENDS)?, seed, share)
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
                Self::encaps_on(Self::backend(), seed, client_share, share, secret)
            }

            fn server_respond_on(
                backend: Backend,
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                let backend = backend::resolve(backend, Self::BACKENDS)?;
                Self::encaps_on(backend, seed, client_share, share, secret)
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
    part = "ML-KEM-512", ek = 800, ct = 768, dk = 1632,
    portable = (keygen_512, encaps_512, decaps_512),
    libcrux = (keygen_512, encaps_512, decaps_512),
    graviola = false
}

mlkem_component! {
    /// ML-KEM-768 (FIPS 203, NIST security category 3): 1184-byte encapsulation key, 1088-byte
    /// ciphertext.
    MlKem768, MlKem768ClientState, Inner768, ml_kem::MlKem768,
    part = "ML-KEM-768", ek = 1184, ct = 1088, dk = 2400,
    portable = (keygen_768, encaps_768, decaps_768),
    libcrux = (keygen_768, encaps_768, decaps_768),
    graviola = true (keygen_768, encaps_768, decaps_768, expanded_768,
        graviola::Key768)
}

mlkem_component! {
    /// ML-KEM-1024 (FIPS 203, NIST security category 5): 1568-byte encapsulation key, 1568-byte
    /// ciphertext.
    MlKem1024, MlKem1024ClientState, Inner1024, ml_kem::MlKem1024,
    part = "ML-KEM-1024", ek = 1568, ct = 1568, dk = 3168,
    portable = (keygen_1024, encaps_1024, decaps_1024),
    libcrux = (keygen_1024, encaps_1024, decaps_1024),
    graviola = false
}

/// Without the `hazmat` feature no ML-KEM client state (nor a hybrid or group state built on
/// one) can be copied: this fails to compile if any of them implements `Clone` (two blanket
/// impls of a helper trait become ambiguous, the technique of `static_assertions`'
/// `assert_not_impl_any!`).
#[cfg(not(feature = "hazmat"))]
const _: fn() = || {
    trait AmbiguousIfClone<A> {
        fn some_item() {}
    }
    impl<T: ?Sized> AmbiguousIfClone<()> for T {}
    #[allow(dead_code)]
    struct IsClone;
    impl<T: Clone> AmbiguousIfClone<IsClone> for T {}
    let _ = <MlKem512ClientState as AmbiguousIfClone<_>>::some_item;
    let _ = <MlKem768ClientState as AmbiguousIfClone<_>>::some_item;
    let _ = <MlKem1024ClientState as AmbiguousIfClone<_>>::some_item;
    let _ = <crate::ClientState<crate::X25519MLKEM768> as AmbiguousIfClone<_>>::some_item;
    let _ = <crate::AnyClientState as AmbiguousIfClone<_>>::some_item;
};
