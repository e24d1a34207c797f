//! The groups as RustCrypto KEMs: the [`kem`](::kem) 0.3 traits (feature `kem`), so that code
//! generic over a KEM (HPKE-style, X-Wing-style, protocol prototypes) can take
//! [`X25519MLKEM768`](crate::X25519MLKEM768) and every other group of this crate.
//!
//! Each group type is a [`::kem::Kem`]: its encapsulation key is the client's share of the TLS
//! exchange, its ciphertext the server's share, its shared key the TLS shared secret (RFC 10024
//! section 4, draft-ietf-tls-mlkem section 3), all byte for byte. The code underneath is the code
//! the TLS path runs, with the same checks, on the same backends.
//!
//! The traits' contracts decide where each check happens:
//! - [`Encapsulate`] cannot fail, so [`EncapsulationKey`]'s [`TryKeyInit`] runs every check of
//!   the client share when the key is built: the ML-KEM modulus check (FIPS 203 section 7.2),
//!   the uncompressed on-curve point of P-256/P-384 (SEC 1 section 2.3.4), the X25519 low-order
//!   point (RFC 8446 section 7.4.2). It does so by running one encapsulation with fixed, public
//!   randomness and discarding the result, so the checks are exactly the TLS server's: building
//!   a key costs one encapsulation, and a key kept for many encapsulations pays it once.
//! - Decapsulation can fail (an EC share off the curve, an all-zero X25519 output), so
//!   [`DecapsulationKey`] implements [`TryDecapsulate`] with this crate's [`Error`], whose
//!   [`Error::alert`] is the TLS alert. A wrong ML-KEM ciphertext is not an error: FIPS 203
//!   section 6.3 answers it with the implicit-rejection key.
//! - Key generation from a seed is infallible ([`KeyInit`], hence [`::kem::FromSeed`]) for the
//!   groups whose every seed is a valid key: the pure ML-KEM groups and X25519MLKEM768. The
//!   NIST-curve hybrids reject an EC scalar outside `[1, n-1]` (FIPS 186-5 appendix A.2.2), so
//!   they load seeds through [`TryKeyInit`] only; random generation ([`Generate`]) draws again,
//!   for every group.
//!
//! The seed is the one [`Group::generate_key_share_from_seed`] takes (each component's, in wire
//! order), and [`KeyExport`] on a decapsulation key returns it. A decapsulation key is static:
//! unlike the one-use [`ClientState`](crate::ClientState) of a TLS handshake, it decapsulates any
//! number of ciphertexts. Its private key and seed are wiped on drop; the shared keys the traits
//! return are plain arrays, the caller's to wipe.
//!
//! ```
//! # #[cfg(feature = "getrandom")] {
//! use hybrid_kx::{Error, MLKEM768, SecP256r1MLKEM768, X25519MLKEM768};
//! use kem::{Decapsulator, Encapsulate, Generate, Kem, KeyExport, TryDecapsulate, TryKeyInit};
//!
//! /// Code written for any KEM whose decapsulation reports this crate's errors.
//! fn exchange<K: Kem>() -> Result<(), Error>
//! where
//!     K::DecapsulationKey: TryDecapsulate<Error = Error>,
//! {
//!     // The receiver generates a key pair and publishes the encapsulation key's bytes.
//!     let dk = K::DecapsulationKey::generate();
//!     let published = dk.encapsulation_key().to_bytes();
//!
//!     // The sender checks those bytes once, when it builds the key...
//!     let ek = K::EncapsulationKey::new(&published).expect("a valid key");
//!     // ...and encapsulations cannot fail afterwards.
//!     let (ciphertext, sent) = ek.encapsulate();
//!
//!     let received = dk.try_decapsulate(&ciphertext)?;
//!     assert_eq!(sent, received);
//!     Ok(())
//! }
//!
//! exchange::<X25519MLKEM768>()?;
//! exchange::<SecP256r1MLKEM768>()?;
//! exchange::<MLKEM768>()?;
//! # }
//! # Ok::<(), hybrid_kx::Error>(())
//! ```

use core::fmt;

use ::kem::common::array::{Array, ArraySize, AssocArraySize};
use ::kem::{
    Ciphertext, Decapsulator, Encapsulate, Generate, InvalidKey, Key, KeyExport, KeyInit,
    KeySizeUser, SharedKey, TryDecapsulate, TryKeyInit,
};
use rand_core::{CryptoRng, TryCryptoRng};
use zeroize::Zeroizing;

use crate::backend::code::Source;
use crate::components::{Component, EverySeedValid};
use crate::error::Error;
use crate::groups::{self, ByteArray, ClientState, Group, group_table};
use crate::scrub::{self, scrubbed};

/// A group as a RustCrypto KEM: the `typenum` sizes the [`kem`](::kem) traits name, for the
/// lengths [`Group`] gives as constants. Implemented for every group of this crate (sealed, as
/// [`Group`] is); the sizes are checked against the constants at compile time.
pub trait KemGroup: Group
    + ::kem::Kem<EncapsulationKey = EncapsulationKey<Self>, DecapsulationKey = DecapsulationKey<Self>>
{
    /// [`Group::CLIENT_SHARE_LEN`]: the encapsulation key's length.
    type EncapsulationKeySize: ArraySize;
    /// The length of [`Group::ClientSeed`]: the decapsulation key's seed.
    type SeedSize: ArraySize;
}

/// The encapsulation key of group `G`: the client's share (RFC 10024 section 4,
/// draft-ietf-tls-mlkem section 3), checked when it was built ([`TryKeyInit`]).
pub struct EncapsulationKey<G: Group> {
    share: G::ClientShare,
}

/// The decapsulation key of group `G`: the client's private key with the seed it came from and
/// its [`EncapsulationKey`]. Wiped on drop; never printed; reusable (a static key).
pub struct DecapsulationKey<G: Group> {
    seed: Zeroizing<G::ClientSeed>,
    state: ClientState<G>,
    encapsulation_key: EncapsulationKey<G>,
}

/// The server randomness `TryKeyInit` uses for its checking encapsulation: public and fixed,
/// since its output is discarded. `0x01` repeated is a valid scalar on every curve here (below
/// the order of P-256 and P-384, and X25519 clamps any bytes), and a valid ML-KEM `m`.
const CHECK_BYTE: u8 = 0x01;

/// Copies `from` into `to`. Every caller's lengths are equal (by a compile-time check on the
/// group's sizes); copying pairwise keeps the code free of a panic path regardless.
fn copy(to: &mut [u8], from: &[u8]) {
    for (to, from) in to.iter_mut().zip(from) {
        *to = *from;
    }
}

/// `bytes` as an array of the traits' sizes (see [`copy`]).
fn array_from<U: ArraySize>(bytes: &[u8]) -> Array<u8, U> {
    let mut out = Array::<u8, U>::default();
    copy(&mut out, bytes);
    out
}

/// The result of an operation whose only failures were ruled out when its key was built.
///
/// # Panics
///
/// On any error: that would be a defect of this crate (an internal length mismatch), not a
/// property of the input, which the key's construction has already checked.
#[track_caller]
fn checked_before<T>(result: Result<T, Error>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => unreachable!("ruled out when the key was built: {error}"),
    }
}

impl<G: Group> EncapsulationKey<G> {
    /// Runs the TLS server's checks of a client share (RFC 10024 section 5) by encapsulating
    /// to it once with fixed randomness; the outputs are dropped (and wiped).
    fn check(share: &[u8]) -> Result<(), Error> {
        let mut seed = G::ServerSeed::zeroed();
        seed.as_mut().fill(CHECK_BYTE);
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            groups::encapsulate::<G>(None, Source::Caller, share, &seed).map(drop)
        })
    }
}

impl<G: KemGroup> KeySizeUser for EncapsulationKey<G> {
    type KeySize = G::EncapsulationKeySize;
}

/// The client share's bytes, checked as a TLS server checks them (see the module
/// documentation); [`InvalidKey`] for a share the server would reject.
impl<G: KemGroup> TryKeyInit for EncapsulationKey<G> {
    fn new(key: &Key<Self>) -> Result<Self, InvalidKey> {
        Self::check(key).map_err(|_| InvalidKey)?;
        let mut share = G::ClientShare::zeroed();
        copy(share.as_mut(), key);
        Ok(Self { share })
    }
}

/// The client share's bytes, as sent in a TLS `KeyShareEntry`.
impl<G: KemGroup> KeyExport for EncapsulationKey<G> {
    fn to_bytes(&self) -> Key<Self> {
        array_from(self.share.as_ref())
    }
}

/// Encapsulation: the TLS server step (RFC 10024 section 4), whose checks of the key already
/// ran in [`TryKeyInit`], so nothing is left to fail. An EC scalar drawn outside `[1, n-1]`
/// (probability below 2^-32 per draw) is drawn again, as FIPS 186-5 appendix A.2.2 says; like
/// every rejection sampler, a generator that only produces such scalars never returns.
impl<G: KemGroup> Encapsulate for EncapsulationKey<G> {
    type Kem = G;

    fn encapsulate_with_rng<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> (Ciphertext<G>, SharedKey<G>) {
        loop {
            let mut seed = Zeroizing::new(G::ServerSeed::zeroed());
            rng.fill_bytes(seed.as_mut());
            let result = scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
                let (share, secret) =
                    groups::encapsulate::<G>(None, Source::Caller, self.share.as_ref(), &seed)?;
                Ok((array_from(share.as_ref()), array_from(secret.as_bytes())))
            });
            match result {
                Err(Error::InvalidPrivateScalar) => continue,
                result => return checked_before(result),
            }
        }
    }
}

impl<G: Group> Clone for EncapsulationKey<G> {
    fn clone(&self) -> Self {
        Self {
            share: self.share.clone(),
        }
    }
}

/// Byte equality of the shares (public values).
impl<G: Group> PartialEq for EncapsulationKey<G> {
    fn eq(&self, other: &Self) -> bool {
        self.share.as_ref() == other.share.as_ref()
    }
}

impl<G: Group> Eq for EncapsulationKey<G> {}

impl<G: Group> fmt::Debug for EncapsulationKey<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "EncapsulationKey<{}>({} bytes)",
            G::NAME,
            G::CLIENT_SHARE_LEN
        )
    }
}

impl<G: Group> DecapsulationKey<G> {
    /// Client key generation from `seed` (as [`Group::generate_key_share_from_seed`]).
    fn from_seed(seed: &[u8]) -> Result<Self, Error> {
        let mut kept = Zeroizing::new(G::ClientSeed::zeroed());
        copy(kept.as_mut(), seed);
        let (share, state) = G::generate_key_share_from_seed(&kept)?;
        Ok(Self {
            seed: kept,
            state,
            encapsulation_key: EncapsulationKey { share },
        })
    }
}

impl<G: KemGroup> KeySizeUser for DecapsulationKey<G> {
    type KeySize = G::SeedSize;
}

/// A key pair from its seed, for the groups whose every seed is a valid key (see the module
/// documentation): the pure ML-KEM groups and X25519MLKEM768.
impl<G: KemGroup> KeyInit for DecapsulationKey<G>
where
    G::Kx: EverySeedValid,
{
    fn new(seed: &Key<Self>) -> Self {
        checked_before(Self::from_seed(seed))
    }
}

/// A key pair from its seed, for every group: [`InvalidKey`] when an EC scalar of the seed is
/// outside `[1, n-1]` (FIPS 186-5 appendix A.2.2).
impl<G: KemGroup> TryKeyInit for DecapsulationKey<G> {
    fn new(seed: &Key<Self>) -> Result<Self, InvalidKey> {
        Self::from_seed(seed).map_err(|_| InvalidKey)
    }
}

/// The seed the key was generated from (each component's, in wire order).
impl<G: KemGroup> KeyExport for DecapsulationKey<G> {
    fn to_bytes(&self) -> Key<Self> {
        array_from(self.seed.as_ref())
    }
}

/// A fresh key pair; a seed with an EC scalar outside `[1, n-1]` is drawn again (FIPS 186-5
/// appendix A.2.2), so the only error is the generator's own.
impl<G: KemGroup> Generate for DecapsulationKey<G> {
    fn try_generate_from_rng<R: TryCryptoRng + ?Sized>(rng: &mut R) -> Result<Self, R::Error> {
        loop {
            let mut seed = Zeroizing::new(G::ClientSeed::zeroed());
            rng.try_fill_bytes(seed.as_mut())?;
            match Self::from_seed(seed.as_ref()) {
                Err(Error::InvalidPrivateScalar) => continue,
                result => return Ok(checked_before(result)),
            }
        }
    }
}

impl<G: KemGroup> Decapsulator for DecapsulationKey<G> {
    type Kem = G;

    fn encapsulation_key(&self) -> &EncapsulationKey<G> {
        &self.encapsulation_key
    }
}

/// Decapsulation: the TLS client's completion (RFC 10024 section 4), by reference, so the key
/// serves again. Fails with the error, and [`Error::alert`] with the alert, that a TLS client
/// would: an EC share not uncompressed or off the curve, an all-zero X25519 output.
impl<G: KemGroup> TryDecapsulate for DecapsulationKey<G> {
    type Error = Error;

    fn try_decapsulate(&self, ciphertext: &Ciphertext<G>) -> Result<SharedKey<G>, Error> {
        scrubbed::<{ scrub::COMPLETION }, _>(|| {
            let secret = self.state.complete_unscrubbed(ciphertext)?;
            Ok(array_from(secret.as_bytes()))
        })
    }
}

impl<G: Group> fmt::Debug for DecapsulationKey<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DecapsulationKey<{}>(..)", G::NAME)
    }
}

/// For each row of the group table: the sizes as `typenum` types, a compile-time check that
/// they are the group's lengths, and the [`::kem::Kem`] impl on the group type.
macro_rules! kem_groups {
    ([] $($(#[$doc:meta])* $group:ident => $rustls:ident $row:tt)*) => {
        $(
            impl KemGroup for crate::$group {
                type EncapsulationKeySize =
                    <<crate::$group as Group>::ClientShare as AssocArraySize>::Size;
                type SeedSize = <<crate::$group as Group>::ClientSeed as AssocArraySize>::Size;
            }

            impl ::kem::Kem for crate::$group {
                type DecapsulationKey = DecapsulationKey<Self>;
                type EncapsulationKey = EncapsulationKey<Self>;
                type SharedKeySize =
                    <[u8; <crate::$group as Group>::SHARED_SECRET_LEN] as AssocArraySize>::Size;
                type CiphertextSize =
                    <<crate::$group as Group>::ServerShare as AssocArraySize>::Size;
            }

            const _: () = {
                use ::kem::common::typenum::Unsigned;
                type G = crate::$group;
                assert!(<G as KemGroup>::EncapsulationKeySize::USIZE == G::CLIENT_SHARE_LEN);
                assert!(
                    <G as KemGroup>::SeedSize::USIZE == <G as Group>::Kx::CLIENT_SEED_LEN
                );
                assert!(<G as ::kem::Kem>::CiphertextSize::USIZE == G::SERVER_SHARE_LEN);
                assert!(<G as ::kem::Kem>::SharedKeySize::USIZE == G::SHARED_SECRET_LEN);
            };
        )*
    };
}

group_table!(kem_groups);
