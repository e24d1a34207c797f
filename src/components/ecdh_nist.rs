//! ECDHE over the NIST curves P-256 and P-384 (RFC 8446 sections 4.2.8.2 and 7.4.2) as
//! key-exchange components, on the RustCrypto `p256` and `p384` crates or (feature
//! `backend-graviola`, after the CPU check) graviola's verified s2n-bignum assembly. Both run the
//! same validation in the same order and give the same bytes and errors.
//!
//! Shares are uncompressed SEC1 points `0x04 ‖ X ‖ Y` (the only form RFC 8446 section 4.2.8.2
//! allows); the secret is the x-coordinate of the product point (RFC 8446 section 7.4.2).

use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::{Component, EcdhComponent, Sealed, fixed, fixed_mut};
#[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
use crate::backend::GraviolaCpu;
use crate::backend::{self, Backend};
use crate::declassify::reject_if;
use crate::error::Error;

/// The SEC1 tag byte of an uncompressed point (SEC 1 section 2.3.3).
const UNCOMPRESSED_TAG: u8 = 0x04;

macro_rules! nist_component {
    (
        $(#[$doc:meta])*
        $name:ident, $state:ident, $secret:ident, $curve:ident, scalar = $scalar:literal,
        point = $point:literal, codepoint = $codepoint:literal, iana = $iana:literal,
        part = $part:literal
    ) => {
        impl EcdhComponent for $name {
            const CODEPOINT: u16 = $codepoint;
            const NAME: &'static str = $iana;
            fn public_share(state: &Self::ClientState) -> &[u8] {
                state.public_share()
            }
        }

        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        #[doc = concat!("The client's ", stringify!($name), " private scalar and its uncompressed public point.")]
        pub struct $state {
            secret: $secret,
            public: [u8; $point],
        }

        /// The private scalar, held by the backend that made it (each zeroizes it on drop).
        enum $secret {
            Portable($curve::SecretKey),
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            Graviola((GraviolaCpu, ::graviola::key_agreement::$curve::StaticPrivateKey)),
        }

        impl $state {
            /// The private scalar's object in whichever backend holds it, as `Any` so that an
            /// audit can find its size: the constant-time harness marks exactly this memory
            /// secret (feature `hazmat`).
            #[cfg(feature = "hazmat")]
            pub fn secret_memory(&self) -> &dyn core::any::Any {
                match &self.secret {
                    $secret::Portable(s) => s,
                    #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                    $secret::Graviola(s) => s,
                }
            }

            /// The client's public share, the value a plain ECDHE `KeyShareEntry` carries (RFC
            /// 8446 section 4.2.8.2), reusable beside a hybrid share (RFC 9954 section 3.2).
            pub fn public_share(&self) -> &[u8; $point] {
                &self.public
            }

            /// The backend that holds the scalar and runs the completion.
            pub fn backend(&self) -> Backend {
                match &self.secret {
                    $secret::Portable(_) => Backend::Portable,
                    #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                    $secret::Graviola(_) => Backend::Graviola,
                }
            }
        }

        // `SecretKey` zeroizes its scalar on drop (elliptic-curve), so does graviola's
        // `StaticPrivateKey` (its `Scalar`'s `Drop`); the point is public.
        impl ZeroizeOnDrop for $state {}

        impl core::fmt::Debug for $state {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($state))
                    .field("backend", &self.backend())
                    .finish_non_exhaustive()
            }
        }

        impl $name {
            /// The backends with an implementation of this curve.
            const BACKENDS: &'static [Backend] = &[Backend::Portable, Backend::Graviola];

            /// The backend this curve runs on here: graviola when it is compiled in and this CPU
            /// runs it, else the RustCrypto crate.
            pub fn backend() -> Backend {
                backend::preferred(Self::BACKENDS)
            }

            /// Whether `backend` implements this curve, is compiled in and runs on this CPU.
            pub fn supports(backend: Backend) -> bool {
                Self::BACKENDS.contains(&backend) && backend.is_usable()
            }

            /// Key generation on `backend`, which implements this curve.
            fn keygen_on(backend: Backend, seed: &[u8], share: &mut [u8]) -> Result<$state, Error> {
                let share = fixed_mut::<$point>(share)?;
                let state = match backend {
                    Backend::Portable => {
                        let secret = Self::secret_key(seed)?;
                        let public = Self::public_point(&secret)?;
                        $state { secret: $secret::Portable(secret), public }
                    }
                    #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                    Backend::Graviola => {
                        let cpu = backend::graviola_cpu().ok_or(Error::BackendUnavailable)?;
                        let secret = Self::graviola_secret_key(cpu, seed)?;
                        let public = secret.public_key_uncompressed();
                        $state { secret: $secret::Graviola((cpu, secret)), public }
                    }
                    #[allow(unreachable_patterns)]
                    _ => return Err(Error::BackendUnavailable),
                };
                share.copy_from_slice(&state.public);
                Ok(state)
            }

            /// The server step on `backend`, which implements this curve: the peer's point is
            /// validated first, then the server's scalar.
            fn respond_on(
                backend: Backend,
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                match backend {
                    Backend::Portable => {
                        let peer = Self::peer_point(client_share)?;
                        let own = Self::secret_key(seed)?;
                        Self::agree(&own, &peer, secret)?;
                        fixed_mut::<$point>(share)?.copy_from_slice(&Self::public_point(&own)?);
                        Ok(())
                    }
                    #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                    Backend::Graviola => {
                        let cpu = backend::graviola_cpu().ok_or(Error::BackendUnavailable)?;
                        let peer = Self::graviola_peer_point(cpu, client_share)?;
                        let own = Self::graviola_secret_key(cpu, seed)?;
                        Self::graviola_agree(cpu, &own, &peer, secret)?;
                        fixed_mut::<$point>(share)?.copy_from_slice(&own.public_key_uncompressed());
                        Ok(())
                    }
                    #[allow(unreachable_patterns)]
                    _ => Err(Error::BackendUnavailable),
                }
            }

            /// graviola's private key from a big-endian scalar in `[1, n-1]` (its range check
            /// is the same declassification point as [`Self::secret_key`]'s).
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            #[inline(never)]
            fn graviola_secret_key(
                _: GraviolaCpu,
                seed: &[u8],
            ) -> Result<::graviola::key_agreement::$curve::StaticPrivateKey, Error> {
                ::graviola::key_agreement::$curve::StaticPrivateKey::from_bytes(fixed::<$scalar>(seed)?)
                    .map_err(|_| Error::InvalidPrivateScalar)
            }

            /// Peer public-key validation with graviola, as [`Self::peer_point`]: the tag first,
            /// then graviola's check that both coordinates are reduced and the point is on the
            /// curve.
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            fn graviola_peer_point(
                _: GraviolaCpu,
                share: &[u8],
            ) -> Result<::graviola::key_agreement::$curve::PublicKey, Error> {
                if share.first() != Some(&UNCOMPRESSED_TAG) {
                    return Err(Error::EcPointNotUncompressed);
                }
                ::graviola::key_agreement::$curve::PublicKey::from_x962_uncompressed(share)
                    .map_err(|_| Error::EcPointNotOnCurve)
            }

            /// ECDH with graviola: the x-coordinate of `secret · peer` (RFC 8446 section 7.4.2).
            /// graviola reports a product off the curve (a fault) as an error.
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            fn graviola_agree(
                _: GraviolaCpu,
                secret: &::graviola::key_agreement::$curve::StaticPrivateKey,
                peer: &::graviola::key_agreement::$curve::PublicKey,
                out: &mut [u8],
            ) -> Result<(), Error> {
                // `SharedSecret` zeroizes itself on drop.
                let shared = secret.diffie_hellman(peer).map_err(|_| Error::Internal)?;
                fixed_mut::<$scalar>(out)?.copy_from_slice(&shared.0);
                Ok(())
            }

            /// A private key from a big-endian scalar in `[1, n-1]` (SEC 1 section 3.2.1).
            ///
            /// The range check is constant time (`NonZeroScalar::from_repr` gives a
            /// `CtOption`); its one public bit, whether the candidate is in range (the random
            /// path draws again, FIPS 186-5 appendix A.2.2; a rejected candidate is never used),
            /// is declassified only by [`reject_if`]. The key is then selected without a branch.
            /// Out of line so that the constant-time harness can name it as a caller.
            #[inline(never)]
            fn secret_key(seed: &[u8]) -> Result<$curve::SecretKey, Error> {
                let bytes = Zeroizing::new($curve::FieldBytes::from(*fixed::<$scalar>(seed)?));
                let scalar = $curve::NonZeroScalar::from_repr(*bytes);
                reject_if(!scalar.is_some(), Error::InvalidPrivateScalar)?;
                // A fixed valid scalar for `unwrap_or`'s constant-time select (never chosen
                // once the candidate passed).
                let one = Option::from($curve::NonZeroScalar::new($curve::Scalar::ONE))
                    .ok_or(Error::Internal)?;
                Ok($curve::SecretKey::from(scalar.unwrap_or(one)))
            }

            /// Peer public-key validation (RFC 8446 section 4.2.8.2, SP 800-56A section
            /// 5.6.2.3.4): uncompressed form only, coordinates reduced, point on the curve and
            /// not the identity.
            fn peer_point(share: &[u8]) -> Result<$curve::PublicKey, Error> {
                if share.first() != Some(&UNCOMPRESSED_TAG) {
                    return Err(Error::EcPointNotUncompressed);
                }
                $curve::PublicKey::from_sec1_bytes(share).map_err(|_| Error::EcPointNotOnCurve)
            }

            /// The uncompressed public point of `secret` (scalar multiplication of the base
            /// point, constant time in the `p256`/`p384` crates), encoded as SEC1 `0x04 ‖ X ‖ Y`
            /// (SEC 1 section 2.3.3) without a branch: the point is never the identity (the
            /// scalar is non-zero and the group has prime order), so the tag is a constant and
            /// the coordinates are copied from their constant-time big-endian forms. (The
            /// crates' own SEC1 encoder branches on the point's form.)
            fn public_point(secret: &$curve::SecretKey) -> Result<[u8; $point], Error> {
                use $curve::elliptic_curve::point::AffineCoordinates;
                let public = secret.public_key();
                let affine = public.as_affine();
                let mut encoded = [0u8; $point];
                let (tag, coordinates) = encoded.split_at_mut(1);
                let (x, y) = coordinates.split_at_mut($scalar);
                tag[0] = UNCOMPRESSED_TAG;
                x.copy_from_slice(&affine.x());
                y.copy_from_slice(&affine.y());
                Ok(encoded)
            }

            /// ECDH: the x-coordinate of `secret · peer` (RFC 8446 section 7.4.2). The product
            /// cannot be the identity: the curve has prime order and the scalar is non-zero.
            fn agree(
                secret: &$curve::SecretKey,
                peer: &$curve::PublicKey,
                out: &mut [u8],
            ) -> Result<(), Error> {
                let shared = secret.diffie_hellman(peer);
                fixed_mut::<$scalar>(out)?.copy_from_slice(shared.raw_secret_bytes());
                Ok(())
            }
        }

        impl Sealed for $name {}

        impl Component for $name {
            const CLIENT_SHARE_LEN: usize = $point;
            const SERVER_SHARE_LEN: usize = $point;
            const SECRET_LEN: usize = $scalar;
            /// The big-endian private scalar.
            const CLIENT_SEED_LEN: usize = $scalar;
            /// The server's big-endian private scalar.
            const SERVER_SEED_LEN: usize = $scalar;
            const PARTS: &'static [&'static str] = &[$part];

            type ClientState = $state;

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

            fn server_respond(
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                Self::respond_on(Self::backend(), seed, client_share, share, secret)
            }

            fn server_respond_on(
                backend: Backend,
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                let backend = backend::resolve(backend, Self::BACKENDS)?;
                Self::respond_on(backend, seed, client_share, share, secret)
            }

            fn client_complete(
                state: &Self::ClientState,
                server_share: &[u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                match &state.secret {
                    $secret::Portable(own) => {
                        let peer = Self::peer_point(server_share)?;
                        Self::agree(own, &peer, secret)
                    }
                    #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
                    $secret::Graviola((cpu, own)) => {
                        let peer = Self::graviola_peer_point(*cpu, server_share)?;
                        Self::graviola_agree(*cpu, own, &peer, secret)
                    }
                }
            }
        }
    };
}

nist_component! {
    /// ECDHE on secp256r1 (P-256, FIPS 186-5): 65-byte uncompressed points, 32-byte secret.
    P256, P256ClientState, P256Secret, p256, scalar = 32, point = 65, codepoint = 0x0017,
    iana = "secp256r1", part = "P-256"
}

nist_component! {
    /// ECDHE on secp384r1 (P-384, FIPS 186-5): 97-byte uncompressed points, 48-byte secret.
    P384, P384ClientState, P384Secret, p384, scalar = 48, point = 97, codepoint = 0x0018,
    iana = "secp384r1", part = "P-384"
}
