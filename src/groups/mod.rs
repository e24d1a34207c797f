//! Layer 3: the public groups, their codepoints and names, and the key-exchange API.
//!
//! | group | codepoint | client share | server share | secret |
//! |---|---|---|---|---|
//! | [`X25519MLKEM768`] | `0x11EC` | ek (1184) ‖ X25519 (32) = 1216 | ct (1088) ‖ X25519 (32) = 1120 | K ‖ X25519 = 64 |
//! | [`SecP256r1MLKEM768`] | `0x11EB` | P-256 point (65) ‖ ek (1184) = 1249 | point (65) ‖ ct (1088) = 1153 | ECDH x ‖ K = 64 |
//! | [`SecP384r1MLKEM1024`] | `0x11ED` | P-384 point (97) ‖ ek (1568) = 1665 | point (97) ‖ ct (1568) = 1665 | ECDH x (48) ‖ K = 80 |
//! | [`MLKEM768`] | `0x0201` | ek (1184) | ct (1088) | K (32) |
//! | [`MLKEM1024`] | `0x0202` | ek (1568) | ct (1568) | K (32) |
//! | [`MLKEM512`] (opt-in) | `0x0200` | ek (800) | ct (768) | K (32) |
//!
//! Each group is one row of the table in `table.rs`; the types, [`NamedGroup`],
//! [`AnyClientState`] and the rustls statics are generated from it.
//!
//! Sources: RFC 10024 sections 3-5 (the hybrids), draft-ietf-tls-mlkem section 3 (pure ML-KEM),
//! FIPS 203, RFC 8446 sections 4.2.8.2 and 7.4.2, RFC 7748.

mod named;
mod table;

pub use named::KeyShareBytes;
pub(crate) use named::StateVisitor;
#[cfg(any_rustls)]
pub(crate) use named::{NoRng, Randomness, TableVisitor};
#[cfg(any(any_rustls, feature = "kem"))]
pub(crate) use table::group_table;

use core::fmt;

use rand_core::TryCryptoRng;
use zeroize::{Zeroize, Zeroizing};

use crate::backend::Backend;
use crate::backend::code::Source;
use crate::components::ecdh_nist::{P256, P384};
use crate::components::hybrid::Hybrid;
use crate::components::mlkem::{MlKem512, MlKem768, MlKem1024};
use crate::components::x25519::X25519;
use crate::components::{Component, EcdhComponent, Sealed, ServerStep};
use crate::error::{Error, ShareKind};
use crate::scrub::{self, scrubbed};
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
/// The three operations follow the KEM shape TLS 1.3 uses (RFC 8446 section 4.2.8): key share
/// generation (client), encapsulation (server, one step), and [`ClientState::complete`]
/// (client). `generate_key_share` and `encapsulate` take their randomness from the operating
/// system (feature `getrandom`), [`Group::generate_key_share_with_rng`] and
/// [`Group::encapsulate_with_rng`] from any `rand_core` generator; key generation also takes the
/// FIPS 203 / SEC 1 private-key form itself, the seed ([`Group::generate_key_share_from_seed`]).
///
/// Only the operating-system forms may run on a backend that draws its own randomness
/// (`backend-aws-lc`: AWS-LC's DRBG, which FIPS mode requires); with a seed or the caller's
/// generator, the result must follow from the caller's bytes, so such a primitive runs on the
/// next backend (`hybrid_kx::backend`).
///
/// Every method checks the exact share length first, then each component's validation, and
/// returns a typed [`Error`] whose [`Error::alert`] is the alert RFC 10024 section 5 requires.
pub trait Group: Sealed + Copy + Default + fmt::Debug + Send + Sync + 'static {
    /// The composition of components that implements this group (feature `hazmat` documents
    /// its trait, `components::Component`).
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

    /// Client key generation with randomness from the operating system.
    ///
    /// # Errors
    ///
    /// [`Error::RandomSource`] when the random source fails, or keeps producing invalid EC
    /// scalars; [`Error::Internal`] only if a backend fails.
    #[cfg(feature = "getrandom")]
    #[inline(always)]
    fn generate_key_share() -> Result<(Self::ClientShare, ClientState<Self>), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| {
            with_system_seed::<Self::Kx, _, _>(None, |seed| {
                keygen::<Self>(None, Source::System, seed)
            })
        })
    }

    /// Client key generation with randomness from `rng`.
    ///
    /// # Errors
    ///
    /// [`Error::RandomSource`] when `rng` fails, or keeps producing invalid EC scalars;
    /// [`Error::Internal`] only if a backend fails.
    #[inline(always)]
    fn generate_key_share_with_rng<R: TryCryptoRng + ?Sized>(
        rng: &mut R,
    ) -> Result<(Self::ClientShare, ClientState<Self>), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| {
            with_fresh_seed(rng, |seed| keygen::<Self>(None, Source::Caller, seed))
        })
    }

    /// Client key generation from the private key's seed: each component's in wire order, the
    /// FIPS 203 section 6.1 seed `d ‖ z` for ML-KEM, the big-endian scalar for an EC curve
    /// (SEC 1 section 3.2.1), the 32-byte scalar for X25519 (RFC 7748 section 5). For keys kept
    /// as seeds and for known-answer tests; the same code as the random forms.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPrivateScalar`] when an EC scalar in `seed` is outside `[1, n-1]`
    /// (FIPS 186-5 appendix A.2.2; draw again); [`Error::Internal`] only if a backend fails.
    #[inline(always)]
    fn generate_key_share_from_seed(
        seed: &Self::ClientSeed,
    ) -> Result<(Self::ClientShare, ClientState<Self>), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| keygen::<Self>(None, Source::Caller, seed))
    }

    /// [`Group::generate_key_share_from_seed`] with every component on `backend` where it has
    /// code (the others on the portable reference): for differential tests and for running a
    /// known-answer suite on each backend. Completion then runs on the same backends. Feature
    /// `hazmat`.
    ///
    /// # Errors
    ///
    /// [`Error::BackendUnavailable`] when `backend` is not compiled in or this CPU cannot run it;
    /// otherwise as [`Group::generate_key_share_from_seed`].
    #[cfg(feature = "hazmat")]
    #[inline(always)]
    fn generate_key_share_from_seed_on(
        backend: Backend,
        seed: &Self::ClientSeed,
    ) -> Result<(Self::ClientShare, ClientState<Self>), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| {
            keygen::<Self>(Some(backend), Source::Caller, seed)
        })
    }

    /// Server step with randomness from the operating system: validates the client's share
    /// and returns the server's share and the shared secret.
    ///
    /// # Errors
    ///
    /// As [`Group::encapsulate_with_rng`].
    #[cfg(feature = "getrandom")]
    #[inline(always)]
    fn encapsulate(client_share: &[u8]) -> Result<(Self::ServerShare, SharedSecret), Error> {
        check_len(ShareKind::Client, Self::CLIENT_SHARE_LEN, client_share)?;
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            with_system_seed::<Self::Kx, _, _>(None, |seed| {
                encapsulate::<Self>(None, Source::System, client_share, seed)
            })
        })
    }

    /// Server step with randomness from `rng`: validates the client's share and returns the
    /// server's share and the shared secret.
    ///
    /// # Errors
    ///
    /// The client share's defects, each with the alert RFC 10024 section 5 requires
    /// ([`Error::alert`]): [`Error::KeyShareLength`], [`Error::EncapsulationKeyModulus`]
    /// (FIPS 203 section 7.2), [`Error::EcPointNotUncompressed`], [`Error::EcPointNotOnCurve`],
    /// [`Error::X25519ZeroSharedSecret`]; [`Error::RandomSource`] when `rng` fails.
    #[inline(always)]
    fn encapsulate_with_rng<R: TryCryptoRng + ?Sized>(
        client_share: &[u8],
        rng: &mut R,
    ) -> Result<(Self::ServerShare, SharedSecret), Error> {
        check_len(ShareKind::Client, Self::CLIENT_SHARE_LEN, client_share)?;
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            with_fresh_seed(rng, |seed| {
                encapsulate::<Self>(None, Source::Caller, client_share, seed)
            })
        })
    }

    /// Server step from explicit randomness (ML-KEM `m`, the server's EC scalars): for
    /// known-answer tests only, since a repeated `m` repeats the shared secret. Feature
    /// `hazmat`.
    ///
    /// # Errors
    ///
    /// As [`Group::encapsulate_with_rng`], with [`Error::InvalidPrivateScalar`] for an EC
    /// scalar of `seed` outside `[1, n-1]`.
    #[cfg(feature = "hazmat")]
    #[inline(always)]
    fn encapsulate_from_seed(
        client_share: &[u8],
        seed: &Self::ServerSeed,
    ) -> Result<(Self::ServerShare, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            encapsulate::<Self>(None, Source::Caller, client_share, seed)
        })
    }

    /// [`Group::encapsulate_from_seed`] with every component on `backend` where it has code
    /// (the others on the portable reference). Feature `hazmat`.
    ///
    /// # Errors
    ///
    /// [`Error::BackendUnavailable`] when `backend` is not compiled in or this CPU cannot run it;
    /// otherwise as [`Group::encapsulate_from_seed`].
    #[cfg(feature = "hazmat")]
    #[inline(always)]
    fn encapsulate_from_seed_on(
        backend: Backend,
        client_share: &[u8],
        seed: &Self::ServerSeed,
    ) -> Result<(Self::ServerShare, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            encapsulate::<Self>(Some(backend), Source::Caller, client_share, seed)
        })
    }
}

/// Client key generation on `backend` (or the preferred backends), with `seed` of `source`
/// (the operating system's may be replaced by a backend's own randomness), without
/// scrubbing: the public operations scrub once, at the outermost layer (`crate::scrub`).
pub(crate) fn keygen<G: Group>(
    backend: Option<Backend>,
    source: Source,
    seed: &G::ClientSeed,
) -> Result<(G::ClientShare, ClientState<G>), Error> {
    let mut share = G::ClientShare::zeroed();
    let (seed, out) = (seed.as_ref(), share.as_mut());
    let inner = match source {
        Source::Caller => G::Kx::client_keygen(backend, seed, out)?,
        Source::System => G::Kx::client_keygen_system(backend, seed, out)?,
    };
    Ok((share, ClientState { inner }))
}

/// The server step on `backend` (or the preferred backends), with `seed` of `source`, without
/// scrubbing (as [`keygen`]).
pub(crate) fn encapsulate<G: Group>(
    backend: Option<Backend>,
    source: Source,
    client_share: &[u8],
    seed: &G::ServerSeed,
) -> Result<(G::ServerShare, SharedSecret), Error> {
    check_len(ShareKind::Client, G::CLIENT_SHARE_LEN, client_share)?;
    let mut share = G::ServerShare::zeroed();
    let secret = SharedSecret::filled_by(G::SHARED_SECRET_LEN, |secret| {
        let step = ServerStep::new(seed.as_ref(), client_share, share.as_mut(), secret);
        match source {
            Source::Caller => G::Kx::server_respond(backend, step),
            Source::System => G::Kx::server_respond_system(backend, step),
        }
    })?;
    Ok((share, secret))
}

/// Draws a fresh seed from `rng` and runs `op` on it, drawing again only when `op` rejects the
/// draw itself ([`Error::InvalidPrivateScalar`]). The seed is zeroized after use.
pub(crate) fn with_fresh_seed<S: ByteArray, T, R: TryCryptoRng + ?Sized>(
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

/// Runs `op` on the seed of an operation of [`Source::System`] on `backend` (or the preferred
/// backends): fresh from the operating system, as [`with_fresh_seed`], when the code that will
/// run it reads one; zeros it never reads when every part of `K` runs on code with a generator
/// of its own ([`Component::system_reads_seed`]; aws-lc-rs draws from AWS-LC's DRBG), which
/// saves the system call.
#[cfg(feature = "getrandom")]
pub(crate) fn with_system_seed<K: Component, S: ByteArray, T>(
    backend: Option<Backend>,
    mut op: impl FnMut(&S) -> Result<T, Error>,
) -> Result<T, Error> {
    if K::system_reads_seed(backend) {
        with_fresh_seed(&mut getrandom::SysRng, op)
    } else {
        op(&S::zeroed())
    }
}

/// The exact-length check RFC 10024 section 4.1 and draft-ietf-tls-mlkem section 3 imply: a
/// share of any other length is malformed.
pub(crate) fn check_len(share: ShareKind, expected: usize, actual: &[u8]) -> Result<(), Error> {
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
/// Holds the ML-KEM decapsulation key and/or EC private scalar; zeroized on drop, never printed,
/// never copied (it is not `Clone`). Consumed by [`ClientState::complete`], so a key share is
/// used for exactly one exchange.
pub struct ClientState<G: Group> {
    inner: <G::Kx as Component>::ClientState,
}

impl<G: Group> ClientState<G> {
    /// Client completion: checks the server share's exact length (for ML-KEM this is the
    /// ciphertext length check of RFC 10024 section 5), validates each component and returns
    /// the shared secret in RFC order.
    ///
    /// # Errors
    ///
    /// The server share's defects ([`Error::alert`] gives the alert): [`Error::KeyShareLength`]
    /// (for ML-KEM, the ciphertext length check of RFC 10024 section 5),
    /// [`Error::EcPointNotUncompressed`], [`Error::EcPointNotOnCurve`],
    /// [`Error::X25519ZeroSharedSecret`].
    #[inline(always)]
    pub fn complete(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        // By reference: `self` stays where it is and wipes itself there when this returns.
        scrubbed::<{ scrub::COMPLETION }, _>(|| self.complete_unscrubbed(server_share))
    }

    /// [`ClientState::complete`] without scrubbing (as [`keygen`]).
    pub(crate) fn complete_unscrubbed(&self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        check_len(ShareKind::Server, G::SERVER_SHARE_LEN, server_share)?;
        SharedSecret::filled_by(G::SHARED_SECRET_LEN, |secret| {
            G::Kx::client_complete(&self.inner, server_share, secret)
        })
    }
}

/// Test and audit hooks (feature `hazmat`): they reach the private key material, so they are
/// not part of the default API.
#[cfg(feature = "hazmat")]
impl<G: Group> ClientState<G> {
    /// The components' private states, for known-answer tests and audits that must compare
    /// key material (an ML-KEM key's expanded form against NIST ACVP `dk` values) or inspect
    /// its memory (the constant-time harness).
    pub fn component_state(&self) -> &<G::Kx as Component>::ClientState {
        &self.inner
    }

    /// Wraps a component state built outside the group (an ML-KEM key imported from its
    /// expanded form, [`crate::components::PrivateKey::from_expanded_key`]), so that completion
    /// runs exactly the production path.
    pub fn from_component_state(inner: <G::Kx as Component>::ClientState) -> Self {
        Self { inner }
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
    /// The classical component (feature `hazmat` documents its trait,
    /// `components::EcdhComponent`).
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
        G::classical_state(&self.inner).public_share()
    }

    /// Completes with a server that chose the plain classical group: checks the length,
    /// validates the point (or the X25519 all-zero result) and returns that group's secret.
    ///
    /// # Errors
    ///
    /// The classical server share's defects, as for [`ClientState::complete`].
    #[inline(always)]
    pub fn complete_classical(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        scrubbed::<{ scrub::COMPLETION }, _>(|| self.complete_classical_unscrubbed(server_share))
    }

    /// [`ClientState::complete_classical`] without scrubbing (as [`keygen`]).
    pub(crate) fn complete_classical_unscrubbed(
        &self,
        server_share: &[u8],
    ) -> Result<SharedSecret, Error> {
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

/// What the code that chooses the group at run time ([`NamedGroup`], [`AnyClientState`]) needs
/// of every group of the table: its run-time state, and how it takes part in the key-share reuse
/// of RFC 9954 section 3.2 (a hybrid delegates to its [`HybridGroup`] impl; a pure ML-KEM group
/// has no classical half). Generated per table row.
pub(crate) trait TableGroup: Group {
    /// The group's variant of [`NamedGroup`].
    const NAMED: NamedGroup;
    /// The state as a run-time state.
    fn into_any(state: ClientState<Self>) -> AnyClientState;
    /// The classical half's standalone codepoint, if the group has one.
    const CLASSICAL_CODEPOINT: Option<u16>;
    /// The classical half's codepoint and public share, if the group has one.
    fn reusable_share(state: &ClientState<Self>) -> Option<(u16, &[u8])>;
    /// [`ClientState::complete_classical`], or [`Error::Internal`] without a classical half.
    fn complete_reused(
        state: &ClientState<Self>,
        server_share: &[u8],
    ) -> Result<SharedSecret, Error>;
    /// Runs `visitor` if the group is a [`HybridGroup`].
    fn visit_hybrid<V: HybridGroupVisitor>(visitor: V) -> Option<V::Output>;
    /// Whether the group counts as FIPS 140-3 key establishment here (`components::Fips`).
    #[cfg(any_rustls)]
    fn fips() -> bool;
}

/// A computation written once, generic over the group type, and run for a group chosen at run
/// time with [`NamedGroup::visit`]: code that must cover every group (tests, benchmarks, tools)
/// loops over [`NamedGroup::ALL`] with one.
pub trait GroupVisitor {
    /// What the computation returns.
    type Output;
    /// Runs the computation for group `G`.
    fn visit<G: Group>(self) -> Self::Output;
}

/// [`GroupVisitor`] for the hybrid groups only (those with a classical half), run with
/// [`NamedGroup::visit_hybrid`].
pub trait HybridGroupVisitor {
    /// What the computation returns.
    type Output;
    /// Runs the computation for hybrid group `G`.
    fn visit<G: HybridGroup>(self) -> Self::Output;
}

/// Generates, from the rows of [`table::group_table`], each group's type with its [`Group`],
/// [`HybridGroup`] and [`TableGroup`] impls, the [`NamedGroup`] and [`AnyClientState`]
/// enums with the one `match` over each that everything else at run time goes through
/// ([`NamedGroup::visit`], `AnyClientState::visit`), and the per-group constants.
macro_rules! define_groups {
    ([] $(
        $(#[$doc:meta])*
        $group:ident => $rustls:ident {
            codepoint: $codepoint:literal,
            kx: $kx:ty,
            classical: [$($position:ident $classical:ty)?],
            offered: $offered:ident,
        }
    )*) => {
        $(
            $(#[$doc])*
            #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
            pub struct $group;

            impl Sealed for $group {}

            impl Group for $group {
                type Kx = $kx;
                type ClientShare = [u8; <$kx as Component>::CLIENT_SHARE_LEN];
                type ServerShare = [u8; <$kx as Component>::SERVER_SHARE_LEN];
                type ClientSeed = [u8; <$kx as Component>::CLIENT_SEED_LEN];
                type ServerSeed = [u8; <$kx as Component>::SERVER_SEED_LEN];
                const NAME: &'static str = stringify!($group);
                const CODEPOINT: u16 = $codepoint;
            }

            define_groups!(@classical $group [$($position $classical)?]);
        )*

        /// One of the groups this crate implements, chosen at run time.
        ///
        /// The variants are in client preference order, the order of [`NamedGroup::ALL`].
        /// `#[non_exhaustive]`: a new group is a new variant.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[non_exhaustive]
        pub enum NamedGroup {
            $(
                #[doc = concat!("[`", stringify!($group), "`], `", stringify!($codepoint), "`.")]
                $group,
            )*
        }

        impl NamedGroup {
            /// Every group this crate implements, in the order a client should prefer them:
            /// the hybrids of RFC 10024 before the pure ML-KEM groups of draft-ietf-tls-mlkem,
            /// X25519MLKEM768 first as the most widely deployed. Includes the opt-in
            /// [`MLKEM512`]; [`NamedGroup::DEFAULT`] is what a client offers unless told
            /// otherwise.
            pub const ALL: &'static [Self] = &[$(Self::$group),*];

            /// Each group's constants, indexed by the variant's discriminant.
            const INFO: &'static [named::Info] = &[$(
                named::Info::of::<$group>(define_groups!(@offered $offered)),
            )*];

            /// Runs `visitor` with this group's type.
            pub(crate) fn dispatch<V: named::TableVisitor>(self, visitor: V) -> V::Output {
                match self {
                    $(Self::$group => visitor.visit::<$group>(),)*
                }
            }
        }

        /// A [`ClientState`] of a group chosen at run time.
        ///
        /// `#[non_exhaustive]`: a new group is a new variant.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum AnyClientState {
            $(
                #[doc = concat!("State of a [`", stringify!($group), "`] exchange.")]
                $group(ClientState<$group>),
            )*
        }


        $(
            impl From<ClientState<$group>> for AnyClientState {
                fn from(state: ClientState<$group>) -> Self {
                    Self::$group(state)
                }
            }
        )*

        impl AnyClientState {
            /// Runs `visitor` on the typed state inside.
            pub(crate) fn visit<V: StateVisitor>(&self, visitor: V) -> V::Output<'_> {
                match self {
                    $(Self::$group(state) => visitor.visit(state),)*
                }
            }
        }
    };

    (@offered default) => { true };
    (@offered opt_in) => { false };

    (@classical $group:ident []) => {
        impl TableGroup for $group {
            const NAMED: NamedGroup = NamedGroup::$group;
            fn into_any(state: ClientState<Self>) -> AnyClientState {
                AnyClientState::$group(state)
            }
            const CLASSICAL_CODEPOINT: Option<u16> = None;
            fn reusable_share(_: &ClientState<Self>) -> Option<(u16, &[u8])> {
                None
            }
            fn complete_reused(_: &ClientState<Self>, _: &[u8]) -> Result<SharedSecret, Error> {
                Err(Error::Internal)
            }
            fn visit_hybrid<V: HybridGroupVisitor>(_: V) -> Option<V::Output> {
                None
            }
            #[cfg(any_rustls)]
            fn fips() -> bool {
                <Self::Kx as crate::components::Fips>::fips()
            }
        }
    };

    (@classical $group:ident [$position:ident $classical:ty]) => {
        impl HybridGroup for $group {
            type Classical = $classical;
            fn classical_state(
                state: &<Self::Kx as Component>::ClientState,
            ) -> &<Self::Classical as Component>::ClientState {
                state.$position()
            }
        }

        impl TableGroup for $group {
            const NAMED: NamedGroup = NamedGroup::$group;
            fn into_any(state: ClientState<Self>) -> AnyClientState {
                AnyClientState::$group(state)
            }
            const CLASSICAL_CODEPOINT: Option<u16> = Some(<$classical as EcdhComponent>::CODEPOINT);
            fn reusable_share(state: &ClientState<Self>) -> Option<(u16, &[u8])> {
                Some((state.classical_codepoint(), state.classical_share()))
            }
            fn complete_reused(
                state: &ClientState<Self>,
                server_share: &[u8],
            ) -> Result<SharedSecret, Error> {
                state.complete_classical_unscrubbed(server_share)
            }
            fn visit_hybrid<V: HybridGroupVisitor>(visitor: V) -> Option<V::Output> {
                Some(visitor.visit::<Self>())
            }
            #[cfg(any_rustls)]
            fn fips() -> bool {
                <Self::Kx as crate::components::Fips>::fips()
            }
        }
    };
}

table::group_table!(define_groups);

/// Without the `hazmat` feature nothing can copy a client state: this fails to compile if a
/// group state, a run-time state or a primitive's key implements `Clone` (two blanket impls of
/// a helper trait become ambiguous, the technique of `static_assertions`' `assert_not_impl_any!`).
const _: fn() = || {
    trait AmbiguousIfClone<A> {
        fn some_item() {}
    }
    impl<T: ?Sized> AmbiguousIfClone<()> for T {}
    #[allow(dead_code)]
    struct IsClone;
    impl<T: Clone> AmbiguousIfClone<IsClone> for T {}
    let _ = <crate::components::PrivateKey<MlKem768> as AmbiguousIfClone<_>>::some_item;
    let _ = <crate::components::PrivateKey<X25519> as AmbiguousIfClone<_>>::some_item;
    let _ = <ClientState<X25519MLKEM768> as AmbiguousIfClone<_>>::some_item;
    let _ = <AnyClientState as AmbiguousIfClone<_>>::some_item;
};
