//! ECDHE over the NIST curves P-256 and P-384 (RFC 8446 sections 4.2.8.2 and 7.4.2) as
//! key-exchange components, on the RustCrypto `p256` and `p384` crates.
//!
//! Shares are uncompressed SEC1 points `0x04 ‖ X ‖ Y` (the only form RFC 8446 section 4.2.8.2
//! allows); the secret is the x-coordinate of the product point (RFC 8446 section 7.4.2).

use p256::elliptic_curve::sec1::ToSec1Point;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::{Component, EcdhComponent, Sealed, fixed, fixed_mut};
use crate::error::Error;

/// The SEC1 tag byte of an uncompressed point (SEC 1 section 2.3.3).
const UNCOMPRESSED_TAG: u8 = 0x04;

macro_rules! nist_component {
    (
        $(#[$doc:meta])*
        $name:ident, $state:ident, $curve:ident, scalar = $scalar:literal, point = $point:literal,
        codepoint = $codepoint:literal, iana = $iana:literal
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
            secret: $curve::SecretKey,
            public: [u8; $point],
        }

        impl $state {
            /// The client's public share, the value a plain ECDHE `KeyShareEntry` carries (RFC
            /// 8446 section 4.2.8.2), reusable beside a hybrid share (RFC 9954 section 3.2).
            pub fn public_share(&self) -> &[u8; $point] {
                &self.public
            }
        }

        // `SecretKey` zeroizes its scalar on drop (elliptic-curve); the point is public.
        impl ZeroizeOnDrop for $state {}

        impl core::fmt::Debug for $state {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($state)).finish_non_exhaustive()
            }
        }

        impl $name {
            /// A private key from a big-endian scalar in `[1, n-1]` (SEC 1 section 3.2.1).
            ///
            /// Declassification point: whether the candidate is in range becomes public (the
            /// random path draws again, FIPS 186-5 appendix A.2.2; a rejected candidate is never
            /// used). Kept out of line so the constant-time harness can name it.
            #[inline(never)]
            fn secret_key(seed: &[u8]) -> Result<$curve::SecretKey, Error> {
                let bytes = Zeroizing::new($curve::FieldBytes::from(*fixed::<$scalar>(seed)?));
                $curve::SecretKey::from_bytes(&bytes).map_err(|_| Error::InvalidPrivateScalar)
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
            /// point, constant time in the `p256`/`p384` crates).
            fn public_point(secret: &$curve::SecretKey) -> Result<[u8; $point], Error> {
                Self::encode_public_point(&secret.public_key())
            }

            /// SEC1 uncompressed encoding of a public key. Declassification point: the public
            /// key is public by definition (it is the key share, RFC 8446 section 4.2.8.2), and
            /// the SEC1 encoder branches on the point's form. Kept out of line so the
            /// constant-time harness can name it.
            #[inline(never)]
            fn encode_public_point(public: &$curve::PublicKey) -> Result<[u8; $point], Error> {
                let point = public.to_sec1_point(false);
                Ok(*fixed::<$point>(point.as_bytes())?)
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

            type ClientState = $state;

            fn client_keygen(seed: &[u8], share: &mut [u8]) -> Result<Self::ClientState, Error> {
                let secret = Self::secret_key(seed)?;
                let public = Self::public_point(&secret)?;
                fixed_mut::<$point>(share)?.copy_from_slice(&public);
                Ok($state { secret, public })
            }

            fn server_respond(
                seed: &[u8],
                client_share: &[u8],
                share: &mut [u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                let peer = Self::peer_point(client_share)?;
                let own = Self::secret_key(seed)?;
                Self::agree(&own, &peer, secret)?;
                fixed_mut::<$point>(share)?.copy_from_slice(&Self::public_point(&own)?);
                Ok(())
            }

            fn client_complete(
                state: &Self::ClientState,
                server_share: &[u8],
                secret: &mut [u8],
            ) -> Result<(), Error> {
                let peer = Self::peer_point(server_share)?;
                Self::agree(&state.secret, &peer, secret)
            }
        }
    };
}

nist_component! {
    /// ECDHE on secp256r1 (P-256, FIPS 186-5): 65-byte uncompressed points, 32-byte secret.
    P256, P256ClientState, p256, scalar = 32, point = 65, codepoint = 0x0017, iana = "secp256r1"
}

nist_component! {
    /// ECDHE on secp384r1 (P-384, FIPS 186-5): 97-byte uncompressed points, 48-byte secret.
    P384, P384ClientState, p384, scalar = 48, point = 97, codepoint = 0x0018, iana = "secp384r1"
}
