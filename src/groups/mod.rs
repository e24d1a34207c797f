//! Layer 3: the public groups, their codepoints and names, and the key-exchange API.
//!
//! | group | codepoint | client share | server share | secret |
//! |---|---|---|---|---|
//! | [`X25519MLKEM768`] | `0x11EC` | ek (1184) ‖ X25519 (32) = 1216 | ct (1088) ‖ X25519 (32) = 1120 | K ‖ X25519 = 64 |
//! | [`SecP256r1MLKEM768`] | `0x11EB` | P-256 point (65) ‖ ek (1184) = 1249 | point (65) ‖ ct (1088) = 1153 | ECDH x ‖ K = 64 |
//! | [`SecP384r1MLKEM1024`] | `0x11ED` | P-384 point (97) ‖ ek (1568) = 1665 | point (97) ‖ ct (1568) = 1665 | ECDH x (48) ‖ K = 80 |
//! | [`MLKEM768`] | `0x0201` | ek (1184) | ct (1088) | K (32) |
//! | [`MLKEM1024`] | `0x0202` | ek (1568) | ct (1568) | K (32) |
//!
//! Sources: RFC 10024 sections 3-5 (the hybrids), draft-ietf-tls-mlkem section 3 (pure ML-KEM),
//! FIPS 203, RFC 8446 sections 4.2.8.2 and 7.4.2, RFC 7748.

mod named;

pub use named::{AnyClientState, KeyShareBytes, MAX_SHARE_LEN, NamedGroup};

use core::fmt;

use rand_core::TryCryptoRng;
use zeroize::{Zeroize, Zeroizing};

use crate::components::ecdh_nist::{P256, P384};
use crate::components::hybrid::Hybrid;
use crate::components::mlkem::{MlKem768, MlKem1024};
use crate::components::x25519::X25519;
use crate::components::{Component, EcdhComponent, Sealed};
use crate::error::{Error, ShareKind};
use crate::shared_secret::SharedSecret;

/// How many fresh draws the random entry points make when a draw is rejected (an EC scalar
/// outside `[1, n-1]`, probability below 2^-32 per draw for P-256): rejection sampling as in
/// FIPS 186-5 appendix A.2.2.
const MAX_DRAWS: usize = 64;

/// A fixed-size byte array: the type of every share and seed, so that no operation allocates.
pub trait ByteArray: AsRef<[u8]> + AsMut<[u8]> + Clone + Zeroize + Send + Sync + 'static {
    /// The array's length.
    const LEN: usize;
    /// An all-zero array.
    fn zeroed() -> Self;
}

impl<const N: usize> ByteArray for [u8; N] {
    const LEN: usize = N;
    fn zeroed() -> Self {
        [0; N]
    }
}

/// A TLS 1.3 key-exchange group of RFC 10024 or draft-ietf-tls-mlkem, as a zero-sized type.
///
/// The three operations follow the KEM shape TLS 1.3 uses (RFC 8446 section 4.2.8):
/// [`Group::generate_key_share`] (client), [`Group::encapsulate`] (server, one step), and
/// [`ClientState::complete`] (client). Each has a `_from_seed` variant taking the randomness
/// explicitly, so known-answer tests drive the same code as production, and a `_with_rng`
/// variant taking any `rand_core` generator.
///
/// Every method checks the exact share length first, then each component's validation, and
/// returns a typed [`Error`] whose [`Error::alert`] is the alert RFC 10024 section 5 requires.
pub trait Group: Sealed + Copy + Default + fmt::Debug + Send + Sync + 'static {
    /// The composition of components that implements this group.
    type Kx: Component;
    /// The client's share: `KeyShareEntry.key_exchange` in the ClientHello.
    type ClientShare: ByteArray;
    /// The server's share: `KeyShareEntry.key_exchange` in the ServerHello.
    type ServerShare: ByteArray;
    /// The client's randomness: each component's, in wire order (ML-KEM `d ‖ z`, EC scalars).
    type ClientSeed: ByteArray;
    /// The server's randomness: each component's, in wire order (ML-KEM `m`, EC scalars).
    type ServerSeed: ByteArray;

    /// The IANA `NamedGroup` name (TLS Supported Groups registry).
    const NAME: &'static str;
    /// The IANA `NamedGroup` codepoint (RFC 8446 section 4.2.7).
    const CODEPOINT: u16;
    /// Bytes of the client's share.
    const CLIENT_SHARE_LEN: usize = <Self::Kx as Component>::CLIENT_SHARE_LEN;
    /// Bytes of the server's share.
    const SERVER_SHARE_LEN: usize = <Self::Kx as Component>::SERVER_SHARE_LEN;
    /// Bytes of the shared secret.
    const SHARED_SECRET_LEN: usize = <Self::Kx as Component>::SECRET_LEN;

    /// Client key generation from explicit randomness (for known-answer tests).
    fn generate_key_share_from_seed(
        seed: &Self::ClientSeed,
    ) -> Result<(Self::ClientShare, ClientState<Self>), Error> {
        let mut share = Self::ClientShare::zeroed();
        let inner = Self::Kx::client_keygen(seed.as_ref(), share.as_mut())?;
        Ok((share, ClientState { inner }))
    }

    /// Client key generation with randomness from `rng`.
    fn generate_key_share_with_rng<R: TryCryptoRng + ?Sized>(
        rng: &mut R,
    ) -> Result<(Self::ClientShare, ClientState<Self>), Error> {
        with_fresh_seed(rng, Self::generate_key_share_from_seed)
    }

    /// Client key generation with randomness from the operating system.
    #[cfg(feature = "getrandom")]
    fn generate_key_share() -> Result<(Self::ClientShare, ClientState<Self>), Error> {
        Self::generate_key_share_with_rng(&mut getrandom::SysRng)
    }

    /// Server step from explicit randomness (for known-answer tests): validates the client's
    /// share and returns the server's share and the shared secret.
    fn encapsulate_from_seed(
        client_share: &[u8],
        seed: &Self::ServerSeed,
    ) -> Result<(Self::ServerShare, SharedSecret), Error> {
        check_len(ShareKind::Client, Self::CLIENT_SHARE_LEN, client_share)?;
        let mut share = Self::ServerShare::zeroed();
        let secret = SharedSecret::filled_by(Self::SHARED_SECRET_LEN, |secret| {
            Self::Kx::server_respond(seed.as_ref(), client_share, share.as_mut(), secret)
        })?;
        Ok((share, secret))
    }

    /// Server step with randomness from `rng`.
    fn encapsulate_with_rng<R: TryCryptoRng + ?Sized>(
        client_share: &[u8],
        rng: &mut R,
    ) -> Result<(Self::ServerShare, SharedSecret), Error> {
        check_len(ShareKind::Client, Self::CLIENT_SHARE_LEN, client_share)?;
        with_fresh_seed(rng, |seed| Self::encapsulate_from_seed(client_share, seed))
    }

    /// Server step with randomness from the operating system.
    #[cfg(feature = "getrandom")]
    fn encapsulate(client_share: &[u8]) -> Result<(Self::ServerShare, SharedSecret), Error> {
        Self::encapsulate_with_rng(client_share, &mut getrandom::SysRng)
    }
}

/// Draws a fresh seed from `rng` and runs `op` on it, drawing again only when `op` rejects the
/// draw itself ([`Error::InvalidPrivateScalar`]). The seed is zeroized after use.
fn with_fresh_seed<S: ByteArray, T, R: TryCryptoRng + ?Sized>(
    rng: &mut R,
    mut op: impl FnMut(&S) -> Result<T, Error>,
) -> Result<T, Error> {
    for _ in 0..MAX_DRAWS {
        let mut seed = Zeroizing::new(S::zeroed());
        rng.try_fill_bytes(seed.as_mut())
            .map_err(|_| Error::RandomSource)?;
        match op(&seed) {
            Err(Error::InvalidPrivateScalar) => continue,
            result => return result,
        }
    }
    Err(Error::RandomSource)
}

/// The exact-length check RFC 10024 section 4.1 and draft-ietf-tls-mlkem section 3 imply: a
/// share of any other length is malformed.
fn check_len(share: ShareKind, expected: usize, actual: &[u8]) -> Result<(), Error> {
    if actual.len() == expected {
        Ok(())
    } else {
        Err(Error::KeyShareLength {
            share,
            expected,
            actual: actual.len(),
        })
    }
}

/// The client's private state between sending its share and receiving the server's.
///
/// Holds the ML-KEM decapsulation key and/or EC private scalar; zeroized on drop, never printed.
/// Consumed by [`ClientState::complete`], so a key share is used for exactly one exchange.
pub struct ClientState<G: Group> {
    inner: <G::Kx as Component>::ClientState,
}

impl<G: Group> ClientState<G> {
    /// Client completion: checks the server share's exact length (for ML-KEM this is the
    /// ciphertext length check of RFC 10024 section 5), validates each component and returns
    /// the shared secret in RFC order.
    pub fn complete(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        check_len(ShareKind::Server, G::SERVER_SHARE_LEN, server_share)?;
        SharedSecret::filled_by(G::SHARED_SECRET_LEN, |secret| {
            G::Kx::client_complete(&self.inner, server_share, secret)
        })
    }
}

impl<G: Group> ClientState<G> {
    /// The components' private states, for known-answer tests and audits that must compare
    /// key material (for example an ML-KEM decapsulation key against NIST ACVP `dk` values).
    /// Secret bytes can only leave through the underlying crates' explicit export methods.
    pub fn component_state(&self) -> &<G::Kx as Component>::ClientState {
        &self.inner
    }

    /// Wraps component state built outside this crate, for known-answer tests that start from
    /// a private key rather than a seed (NIST ACVP decapsulation gives an expanded ML-KEM `dk`,
    /// which `ml_kem::DecapsulationKey::from_expanded` validates per FIPS 203 section 7.3).
    /// Completion then runs exactly the production path. Anything that converts into the
    /// component state is accepted (an `ml_kem::DecapsulationKey` for the ML-KEM groups, moved
    /// to the selected backend).
    pub fn from_component_state(inner: impl Into<<G::Kx as Component>::ClientState>) -> Self {
        Self {
            inner: inner.into(),
        }
    }
}

impl<G: Group> fmt::Debug for ClientState<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("group", &G::NAME)
            .finish_non_exhaustive()
    }
}

// The inner state is `ZeroizeOnDrop` (a `Component` bound).
impl<G: Group> zeroize::ZeroizeOnDrop for ClientState<G> {}

/// A hybrid group whose classical half is also a TLS group of its own.
///
/// RFC 9954 section 3.2 lets a client send one hybrid share and one plain ECDHE share built from
/// the same EC key pair, so that a server without post-quantum support still completes without a
/// HelloRetryRequest. [`ClientState::classical_share`] and [`ClientState::complete_classical`]
/// give that half on its own.
pub trait HybridGroup: Group {
    /// The classical component.
    type Classical: EcdhComponent;
    /// Borrows the classical component's state.
    fn classical_state(
        state: &<Self::Kx as Component>::ClientState,
    ) -> &<Self::Classical as Component>::ClientState;
}

impl<G: HybridGroup> ClientState<G> {
    /// The `NamedGroup` codepoint of the classical half alone (x25519 `0x001D`, secp256r1
    /// `0x0017`, secp384r1 `0x0018`).
    pub fn classical_codepoint(&self) -> u16 {
        G::Classical::CODEPOINT
    }

    /// The classical half's public share: the `key_exchange` of a plain ECDHE `KeyShareEntry`
    /// (RFC 8446 section 4.2.8.2) sent beside the hybrid one.
    pub fn classical_share(&self) -> &[u8] {
        G::Classical::public_share(G::classical_state(&self.inner))
    }

    /// Completes with a server that chose the plain classical group: checks the length,
    /// validates the point (or the X25519 all-zero result) and returns that group's secret.
    pub fn complete_classical(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        check_len(
            ShareKind::Server,
            G::Classical::SERVER_SHARE_LEN,
            server_share,
        )?;
        SharedSecret::filled_by(G::Classical::SECRET_LEN, |secret| {
            G::Classical::client_complete(G::classical_state(&self.inner), server_share, secret)
        })
    }
}

macro_rules! group {
    (
        $(#[$doc:meta])*
        $name:ident = $kx:ty, $iana:literal, $codepoint:literal,
        client_share = $cs:literal, server_share = $ss:literal,
        client_seed = $cseed:literal, server_seed = $sseed:literal
    ) => {
        $(#[$doc])*
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $name;

        impl Sealed for $name {}

        impl Group for $name {
            type Kx = $kx;
            type ClientShare = [u8; $cs];
            type ServerShare = [u8; $ss];
            type ClientSeed = [u8; $cseed];
            type ServerSeed = [u8; $sseed];
            const NAME: &'static str = $iana;
            const CODEPOINT: u16 = $codepoint;
        }

        // The declared array sizes must match the composition, checked at compile time.
        const _: () = {
            assert!($cs == <$kx as Component>::CLIENT_SHARE_LEN);
            assert!($ss == <$kx as Component>::SERVER_SHARE_LEN);
            assert!($cseed == <$kx as Component>::CLIENT_SEED_LEN);
            assert!($sseed == <$kx as Component>::SERVER_SEED_LEN);
            assert!(<$kx as Component>::SECRET_LEN <= crate::shared_secret::MAX_SHARED_SECRET_LEN);
            assert!($cs <= named::MAX_SHARE_LEN && $ss <= named::MAX_SHARE_LEN);
        };
    };
}

group! {
    /// X25519MLKEM768 (`0x11EC`, RFC 10024 section 4): ML-KEM-768 first, X25519 second, in the
    /// shares and in the secret (the only hybrid with the post-quantum part first, kept for FIPS
    /// compliance of the ML-KEM secret's position). The main post-quantum group of TLS 1.3.
    ///
    /// Client seed: `d ‖ z` (64) ‖ X25519 scalar (32). Server seed: `m` (32) ‖ X25519 scalar (32).
    X25519MLKEM768 = Hybrid<MlKem768, X25519>, "X25519MLKEM768", 0x11EC,
    client_share = 1216, server_share = 1120, client_seed = 96, server_seed = 64
}

group! {
    /// SecP256r1MLKEM768 (`0x11EB`, RFC 10024 section 4): P-256 ECDHE first, ML-KEM-768 second.
    ///
    /// Client seed: P-256 scalar (32) ‖ `d ‖ z` (64). Server seed: P-256 scalar (32) ‖ `m` (32).
    SecP256r1MLKEM768 = Hybrid<P256, MlKem768>, "SecP256r1MLKEM768", 0x11EB,
    client_share = 1249, server_share = 1153, client_seed = 96, server_seed = 64
}

group! {
    /// SecP384r1MLKEM1024 (`0x11ED`, RFC 10024 section 4): P-384 ECDHE first, ML-KEM-1024
    /// second.
    ///
    /// Client seed: P-384 scalar (48) ‖ `d ‖ z` (64). Server seed: P-384 scalar (48) ‖ `m` (32).
    SecP384r1MLKEM1024 = Hybrid<P384, MlKem1024>, "SecP384r1MLKEM1024", 0x11ED,
    client_share = 1665, server_share = 1665, client_seed = 112, server_seed = 80
}

group! {
    /// MLKEM768 (`0x0201`, draft-ietf-tls-mlkem section 3): pure ML-KEM-768.
    ///
    /// Client seed: `d ‖ z` (64). Server seed: `m` (32).
    MLKEM768 = MlKem768, "MLKEM768", 0x0201,
    client_share = 1184, server_share = 1088, client_seed = 64, server_seed = 32
}

group! {
    /// MLKEM1024 (`0x0202`, draft-ietf-tls-mlkem section 3): pure ML-KEM-1024.
    ///
    /// Client seed: `d ‖ z` (64). Server seed: `m` (32).
    MLKEM1024 = MlKem1024, "MLKEM1024", 0x0202,
    client_share = 1568, server_share = 1568, client_seed = 64, server_seed = 32
}

impl HybridGroup for X25519MLKEM768 {
    type Classical = X25519;
    fn classical_state(
        state: &<Self::Kx as Component>::ClientState,
    ) -> &<Self::Classical as Component>::ClientState {
        state.second()
    }
}

impl HybridGroup for SecP256r1MLKEM768 {
    type Classical = P256;
    fn classical_state(
        state: &<Self::Kx as Component>::ClientState,
    ) -> &<Self::Classical as Component>::ClientState {
        state.first()
    }
}

impl HybridGroup for SecP384r1MLKEM1024 {
    type Classical = P384;
    fn classical_state(
        state: &<Self::Kx as Component>::ClientState,
    ) -> &<Self::Classical as Component>::ClientState {
        state.first()
    }
}
