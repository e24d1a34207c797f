//! Run-time selection of a group: look-up by codepoint or name, and the same operations as
//! [`Group`] with the group chosen by a value instead of a type.
//!
//! A TLS stack learns the group from the peer's `supported_groups` or `key_share` extension
//! (RFC 8446 sections 4.2.7 and 4.2.8), and a command line or configuration names it, so both
//! look-ups live here. Shares are returned in a fixed-size buffer: no allocation, `no_std` ready.

use core::fmt;

use rand_core::TryCryptoRng;

use zeroize::Zeroizing;

#[cfg(feature = "getrandom")]
use super::with_system_seed;
use super::{
    AnyClientState, ByteArray, ClientState, Group, GroupVisitor, HybridGroupVisitor, NamedGroup,
    TableGroup, check_len, encapsulate, keygen, with_fresh_seed,
};
use crate::backend::Backend;
use crate::backend::code::Source;
use crate::components::Component;
use crate::error::{Error, ShareKind};
use crate::scrub::{self, scrubbed};
use crate::shared_secret::SharedSecret;

/// A group's constants, for the `const` methods of [`NamedGroup`].
pub(crate) struct Info {
    codepoint: u16,
    name: &'static str,
    client_share_len: usize,
    server_share_len: usize,
    shared_secret_len: usize,
    client_seed_len: usize,
    server_seed_len: usize,
    classical_codepoint: Option<u16>,
    offered_by_default: bool,
}

impl Info {
    /// The constants of group `G`.
    pub(crate) const fn of<G: TableGroup>(offered_by_default: bool) -> Self {
        Self {
            codepoint: G::CODEPOINT,
            name: G::NAME,
            client_share_len: G::CLIENT_SHARE_LEN,
            server_share_len: G::SERVER_SHARE_LEN,
            shared_secret_len: G::SHARED_SECRET_LEN,
            client_seed_len: <G::ClientSeed as ByteArray>::LEN,
            server_seed_len: <G::ServerSeed as ByteArray>::LEN,
            classical_codepoint: G::CLASSICAL_CODEPOINT,
            offered_by_default,
        }
    }
}

/// A computation generic over the group, run for a group chosen at run time with
/// `NamedGroup::dispatch`: [`GroupVisitor`] with the crate's own bound.
pub(crate) trait TableVisitor {
    /// What the computation returns.
    type Output;
    /// Runs the computation for group `G`.
    fn visit<G: TableGroup>(self) -> Self::Output;
}

/// A public [`GroupVisitor`] run through `NamedGroup::dispatch`.
struct Public<V>(V);

impl<V: GroupVisitor> TableVisitor for Public<V> {
    type Output = V::Output;
    fn visit<G: TableGroup>(self) -> V::Output {
        self.0.visit::<G>()
    }
}

/// An operation on a run-time client state, written once generic over its group and run with
/// `AnyClientState::visit`.
pub(crate) trait StateVisitor {
    /// What the operation returns.
    type Output<'a>;
    /// Runs the operation on `state`.
    fn visit<G: TableGroup>(self, state: &ClientState<G>) -> Self::Output<'_>;
}

/// The longest share of any group, in either direction (SecP384r1MLKEM1024's 1665 bytes).
pub(crate) const MAX_SHARE_LEN: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < NamedGroup::ALL.len() {
        let group = NamedGroup::ALL[i];
        if group.client_share_len() > max {
            max = group.client_share_len();
        }
        if group.server_share_len() > max {
            max = group.server_share_len();
        }
        i += 1;
    }
    max
};

/// How many groups a client offers unless told otherwise.
const DEFAULT_LEN: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < NamedGroup::ALL.len() {
        if NamedGroup::ALL[i].offered_by_default() {
            count += 1;
        }
        i += 1;
    }
    count
};

/// [`NamedGroup::DEFAULT`] as an array, filtered from [`NamedGroup::ALL`] at compile time.
const DEFAULT: [NamedGroup; DEFAULT_LEN] = {
    let mut out = [NamedGroup::ALL[0]; DEFAULT_LEN];
    let (mut i, mut j) = (0, 0);
    while i < NamedGroup::ALL.len() {
        if NamedGroup::ALL[i].offered_by_default() {
            out[j] = NamedGroup::ALL[i];
            j += 1;
        }
        i += 1;
    }
    out
};

/// `seed` as a group's seed array (wiped on drop), or [`Error::SeedLength`] when it has another
/// length: the check every run-time `_from_seed` entry point makes before the typed one runs.
fn exact_seed<S: ByteArray>(seed: &[u8]) -> Result<Zeroizing<S>, Error> {
    let mut array = Zeroizing::new(S::zeroed());
    if seed.len() != S::LEN {
        return Err(Error::SeedLength {
            expected: S::LEN,
            actual: seed.len(),
        });
    }
    array.as_mut().copy_from_slice(seed);
    Ok(array)
}

impl NamedGroup {
    /// The groups a client offers unless told otherwise: [`NamedGroup::ALL`] without the
    /// opt-in [`MLKEM512`](crate::MLKEM512), in the same order.
    pub const DEFAULT: &'static [Self] = &DEFAULT;

    /// This group's constants.
    const fn info(self) -> &'static Info {
        &Self::INFO[self as usize]
    }

    /// Whether a client offers this group unless told otherwise (every group but the opt-in
    /// [`MLKEM512`](crate::MLKEM512)).
    pub const fn offered_by_default(self) -> bool {
        self.info().offered_by_default
    }

    /// Runs `visitor` with this group's type: one generic computation for a group chosen at
    /// run time (tests and tools loop over [`NamedGroup::ALL`] with one to cover every group
    /// without naming them).
    pub fn visit<V: GroupVisitor>(self, visitor: V) -> V::Output {
        self.dispatch(Public(visitor))
    }

    /// Runs `visitor` with this group's type if it is a [`HybridGroup`](super::HybridGroup)
    /// (it has a classical half, RFC 9954 section 3.2); `None` for a pure ML-KEM group.
    pub fn visit_hybrid<V: HybridGroupVisitor>(self, visitor: V) -> Option<V::Output> {
        /// Forwards to the group's [`TableGroup::visit_hybrid`].
        struct Hybrid<V>(V);
        impl<V: HybridGroupVisitor> TableVisitor for Hybrid<V> {
            type Output = Option<V::Output>;
            fn visit<G: TableGroup>(self) -> Self::Output {
                G::visit_hybrid(self.0)
            }
        }
        self.dispatch(Hybrid(visitor))
    }

    /// Whether this group has a classical half that can be offered on its own beside the
    /// hybrid share (RFC 9954 section 3.2).
    pub const fn is_hybrid(self) -> bool {
        self.classical_codepoint().is_some()
    }

    /// The codepoint of the classical half (x25519 `0x001D`, secp256r1 `0x0017`, secp384r1
    /// `0x0018`) for a hybrid group; `None` for a pure ML-KEM group.
    pub const fn classical_codepoint(self) -> Option<u16> {
        self.info().classical_codepoint
    }

    /// The IANA `NamedGroup` codepoint (RFC 8446 section 4.2.7).
    pub const fn codepoint(self) -> u16 {
        self.info().codepoint
    }

    /// The IANA `NamedGroup` name.
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// Bytes of the client's share.
    pub const fn client_share_len(self) -> usize {
        self.info().client_share_len
    }

    /// Bytes of the server's share.
    pub const fn server_share_len(self) -> usize {
        self.info().server_share_len
    }

    /// Bytes of the shared secret.
    pub const fn shared_secret_len(self) -> usize {
        self.info().shared_secret_len
    }

    /// Bytes of client randomness the `_from_seed` key generation takes.
    pub const fn client_seed_len(self) -> usize {
        self.info().client_seed_len
    }

    /// Bytes of server randomness the server step consumes.
    pub const fn server_seed_len(self) -> usize {
        self.info().server_seed_len
    }

    /// The group with this codepoint, if this crate implements it.
    pub const fn from_codepoint(codepoint: u16) -> Option<Self> {
        let mut i = 0;
        while i < Self::ALL.len() {
            if Self::ALL[i].codepoint() == codepoint {
                return Some(Self::ALL[i]);
            }
            i += 1;
        }
        None
    }

    /// The group with this IANA name, compared ASCII case-insensitively (`x25519mlkem768`
    /// works too).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|group| group.name().eq_ignore_ascii_case(name))
    }

    /// The primitives of this group in wire order (`["ML-KEM-768", "X25519"]` for
    /// X25519MLKEM768, RFC 10024 section 4; `["ML-KEM-768"]` for MLKEM768).
    pub fn parts(self) -> &'static [&'static str] {
        /// The composition's parts.
        struct Parts;
        impl GroupVisitor for Parts {
            type Output = &'static [&'static str];
            fn visit<G: Group>(self) -> Self::Output {
                <G::Kx as Component>::PARTS
            }
        }
        self.visit(Parts)
    }

    /// [`Group::generate_key_share`] for this group.
    ///
    /// # Errors
    ///
    /// As [`Group::generate_key_share`].
    #[cfg(feature = "getrandom")]
    #[inline(always)]
    pub fn generate_key_share(self) -> Result<(KeyShareBytes, AnyClientState), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| self.keygen::<NoRng>(None, Randomness::System))
    }

    /// [`Group::generate_key_share_with_rng`] for this group.
    ///
    /// # Errors
    ///
    /// As [`Group::generate_key_share_with_rng`].
    #[inline(always)]
    pub fn generate_key_share_with_rng<R: TryCryptoRng + ?Sized>(
        self,
        rng: &mut R,
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| self.keygen(None, Randomness::Rng(rng)))
    }

    /// [`Group::generate_key_share_from_seed`] for this group; `seed` must have
    /// [`NamedGroup::client_seed_len`] bytes.
    ///
    /// # Errors
    ///
    /// [`Error::SeedLength`] for a seed of the wrong length; otherwise as the typed operation.
    #[inline(always)]
    pub fn generate_key_share_from_seed(
        self,
        seed: &[u8],
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| {
            self.keygen::<NoRng>(None, Randomness::Seed(seed))
        })
    }

    /// [`Group::generate_key_share_from_seed_on`] for this group (feature `hazmat`).
    ///
    /// # Errors
    ///
    /// [`Error::SeedLength`] for a seed of the wrong length; otherwise as the typed operation.
    #[cfg(feature = "hazmat")]
    #[inline(always)]
    pub fn generate_key_share_from_seed_on(
        self,
        backend: Backend,
        seed: &[u8],
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| {
            self.keygen::<NoRng>(Some(backend), Randomness::Seed(seed))
        })
    }

    /// `Group::encapsulate` for this group (randomness from the operating system).
    ///
    /// # Errors
    ///
    /// As [`Group::encapsulate_with_rng`].
    #[cfg(feature = "getrandom")]
    #[inline(always)]
    pub fn encapsulate(self, client_share: &[u8]) -> Result<(KeyShareBytes, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            self.encapsulate_on::<NoRng>(None, client_share, Randomness::System)
        })
    }

    /// [`Group::encapsulate_with_rng`] for this group.
    ///
    /// # Errors
    ///
    /// As [`Group::encapsulate_with_rng`].
    #[inline(always)]
    pub fn encapsulate_with_rng<R: TryCryptoRng + ?Sized>(
        self,
        client_share: &[u8],
        rng: &mut R,
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            self.encapsulate_on(None, client_share, Randomness::Rng(rng))
        })
    }

    /// [`Group::encapsulate_from_seed`] for this group (feature `hazmat`).
    ///
    /// # Errors
    ///
    /// [`Error::SeedLength`] for a seed of the wrong length; otherwise as the typed operation.
    #[cfg(feature = "hazmat")]
    #[inline(always)]
    pub fn encapsulate_from_seed(
        self,
        client_share: &[u8],
        seed: &[u8],
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            self.encapsulate_on::<NoRng>(None, client_share, Randomness::Seed(seed))
        })
    }

    /// [`Group::encapsulate_from_seed_on`] for this group (feature `hazmat`).
    ///
    /// # Errors
    ///
    /// [`Error::SeedLength`] for a seed of the wrong length; otherwise as the typed operation.
    #[cfg(feature = "hazmat")]
    #[inline(always)]
    pub fn encapsulate_from_seed_on(
        self,
        backend: Backend,
        client_share: &[u8],
        seed: &[u8],
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            self.encapsulate_on::<NoRng>(Some(backend), client_share, Randomness::Seed(seed))
        })
    }

    /// Whether `backend` has code for one of this group's components (compiled in or not), so
    /// that running the group on it differs from running it on the portable reference
    /// (feature `hazmat`).
    #[cfg(feature = "hazmat")]
    pub fn has_backend(self, backend: Backend) -> bool {
        /// The composition's answer.
        struct Has(Backend);
        impl GroupVisitor for Has {
            type Output = bool;
            fn visit<G: Group>(self) -> bool {
                <G::Kx as Component>::has_backend(self.0)
            }
        }
        self.visit(Has(backend))
    }

    /// Key generation on `backend` (or the preferred backends), without scrubbing: the public
    /// operations scrub once, at the outermost layer (`crate::scrub`).
    pub(crate) fn keygen<R: TryCryptoRng + ?Sized>(
        self,
        backend: Option<Backend>,
        randomness: Randomness<'_, R>,
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        /// The typed key generation.
        struct Keygen<'a, R: ?Sized> {
            backend: Option<Backend>,
            randomness: Randomness<'a, R>,
        }
        impl<R: TryCryptoRng + ?Sized> TableVisitor for Keygen<'_, R> {
            type Output = Result<(KeyShareBytes, AnyClientState), Error>;
            fn visit<G: TableGroup>(self) -> Self::Output {
                let backend = self.backend;
                let (share, state) = match self.randomness {
                    Randomness::Seed(seed) => keygen::<G>(
                        backend,
                        Source::Caller,
                        &*exact_seed::<G::ClientSeed>(seed)?,
                    )?,
                    Randomness::Rng(rng) => {
                        with_fresh_seed(rng, |seed| keygen::<G>(backend, Source::Caller, seed))?
                    }
                    #[cfg(feature = "getrandom")]
                    Randomness::System => with_system_seed::<G::Kx, _, _>(backend, |seed| {
                        keygen::<G>(backend, Source::System, seed)
                    })?,
                };
                Ok((KeyShareBytes::new(&share)?, G::into_any(state)))
            }
        }
        self.dispatch(Keygen {
            backend,
            randomness,
        })
    }

    /// The server step, without scrubbing (as `NamedGroup::keygen`).
    pub(crate) fn encapsulate_on<R: TryCryptoRng + ?Sized>(
        self,
        backend: Option<Backend>,
        client_share: &[u8],
        randomness: Randomness<'_, R>,
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        /// The typed server step.
        struct Encapsulate<'a, R: ?Sized> {
            backend: Option<Backend>,
            client_share: &'a [u8],
            randomness: Randomness<'a, R>,
        }
        impl<R: TryCryptoRng + ?Sized> TableVisitor for Encapsulate<'_, R> {
            type Output = Result<(KeyShareBytes, SharedSecret), Error>;
            fn visit<G: TableGroup>(self) -> Self::Output {
                let (backend, client_share) = (self.backend, self.client_share);
                let (share, secret) = match self.randomness {
                    Randomness::Seed(seed) => encapsulate::<G>(
                        backend,
                        Source::Caller,
                        client_share,
                        &*exact_seed::<G::ServerSeed>(seed)?,
                    )?,
                    Randomness::Rng(rng) => {
                        check_len(ShareKind::Client, G::CLIENT_SHARE_LEN, client_share)?;
                        with_fresh_seed(rng, |seed| {
                            encapsulate::<G>(backend, Source::Caller, client_share, seed)
                        })?
                    }
                    #[cfg(feature = "getrandom")]
                    Randomness::System => {
                        check_len(ShareKind::Client, G::CLIENT_SHARE_LEN, client_share)?;
                        with_system_seed::<G::Kx, _, _>(backend, |seed| {
                            encapsulate::<G>(backend, Source::System, client_share, seed)
                        })?
                    }
                };
                Ok((KeyShareBytes::new(&share)?, secret))
            }
        }
        self.dispatch(Encapsulate {
            backend,
            client_share,
            randomness,
        })
    }
}

/// Where an operation's randomness comes from: a seed given by the caller (its length is
/// checked against the group's), the caller's generator, or the operating system (the only one
/// a backend may replace with its own randomness, `crate::backend::code::Source`).
pub(crate) enum Randomness<'a, R: ?Sized> {
    /// The caller's seed.
    Seed(&'a [u8]),
    /// Fresh draws from the caller's generator.
    Rng(&'a mut R),
    /// Fresh draws from the operating system.
    #[cfg(feature = "getrandom")]
    System,
}

/// The generator type of [`Randomness::Seed`], which draws nothing.
pub(crate) type NoRng = no_rng::Never;

/// A generator that never exists, for the seeded operations' `Randomness` type.
mod no_rng {
    use core::convert::Infallible;

    /// No value of this type exists.
    pub(crate) enum Never {}

    impl rand_core::TryRng for Never {
        type Error = Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Infallible> {
            match *self {}
        }
        fn try_next_u64(&mut self) -> Result<u64, Infallible> {
            match *self {}
        }
        fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Infallible> {
            match *self {}
        }
    }

    impl rand_core::TryCryptoRng for Never {}
}

impl fmt::Display for NamedGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A key share of any group in a fixed buffer (shares are public; no zeroization needed).
#[derive(Clone)]
pub struct KeyShareBytes {
    bytes: [u8; MAX_SHARE_LEN],
    len: usize,
}

impl KeyShareBytes {
    fn new(share: &impl AsRef<[u8]>) -> Result<Self, Error> {
        let share = share.as_ref();
        let mut bytes = [0; MAX_SHARE_LEN];
        bytes
            .get_mut(..share.len())
            .ok_or(Error::Internal)?
            .copy_from_slice(share);
        Ok(Self {
            bytes,
            len: share.len(),
        })
    }

    /// The share, the `key_exchange` field of a `KeyShareEntry` (RFC 8446 section 4.2.8).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl AsRef<[u8]> for KeyShareBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for KeyShareBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyShareBytes")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl AnyClientState {
    /// The group this state belongs to.
    pub fn group(&self) -> NamedGroup {
        /// The state's group.
        struct Which;
        impl StateVisitor for Which {
            type Output<'a> = NamedGroup;
            fn visit<G: TableGroup>(self, _: &ClientState<G>) -> NamedGroup {
                G::NAMED
            }
        }
        self.visit(Which)
    }

    /// [`ClientState::complete`]: validates the server's share and returns the secret.
    ///
    /// # Errors
    ///
    /// As [`ClientState::complete`].
    #[inline(always)]
    pub fn complete(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        // By reference: `self` stays where it is and wipes itself there when this returns.
        scrubbed::<{ scrub::COMPLETION }, _>(|| self.complete_unscrubbed(server_share))
    }

    /// [`AnyClientState::complete`] without scrubbing (as `NamedGroup::keygen`).
    pub(crate) fn complete_unscrubbed(&self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        /// The typed completion.
        struct Complete<'s>(&'s [u8]);
        impl StateVisitor for Complete<'_> {
            type Output<'a> = Result<SharedSecret, Error>;
            fn visit<G: TableGroup>(self, state: &ClientState<G>) -> Self::Output<'_> {
                state.complete_unscrubbed(self.0)
            }
        }
        self.visit(Complete(server_share))
    }

    /// For a hybrid group, the classical half's codepoint and public share, for the key-share
    /// reuse of RFC 9954 section 3.2; `None` for the pure ML-KEM groups.
    pub fn classical_share(&self) -> Option<(u16, &[u8])> {
        /// The typed share.
        struct Share;
        impl StateVisitor for Share {
            type Output<'a> = Option<(u16, &'a [u8])>;
            fn visit<G: TableGroup>(self, state: &ClientState<G>) -> Self::Output<'_> {
                G::reusable_share(state)
            }
        }
        self.visit(Share)
    }

    /// [`ClientState::complete_classical`] for a hybrid group.
    ///
    /// # Errors
    ///
    /// The classical server share's defects, as for [`ClientState::complete`]; for a run-time
    /// state of a pure ML-KEM group, [`Error::Internal`] (there is no classical half).
    #[inline(always)]
    pub fn complete_classical(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        scrubbed::<{ scrub::COMPLETION }, _>(|| self.complete_classical_unscrubbed(server_share))
    }

    /// [`AnyClientState::complete_classical`] without scrubbing (as `NamedGroup::keygen`).
    pub(crate) fn complete_classical_unscrubbed(
        &self,
        server_share: &[u8],
    ) -> Result<SharedSecret, Error> {
        /// The typed classical completion.
        struct Complete<'s>(&'s [u8]);
        impl StateVisitor for Complete<'_> {
            type Output<'a> = Result<SharedSecret, Error>;
            fn visit<G: TableGroup>(self, state: &ClientState<G>) -> Self::Output<'_> {
                G::complete_reused(state, self.0)
            }
        }
        self.visit(Complete(server_share))
    }
}

/// Known-answer and audit hooks at run time (feature `hazmat`).
#[cfg(feature = "hazmat")]
impl NamedGroup {
    /// Bytes of the FIPS 203 expanded decapsulation key (section 7.1) of a pure ML-KEM group;
    /// `None` for a hybrid.
    pub fn expanded_key_len(self) -> Option<usize> {
        /// The composition's expanded-key length.
        struct Len;
        impl GroupVisitor for Len {
            type Output = usize;
            fn visit<G: Group>(self) -> usize {
                <G::Kx as Component>::EXPANDED_KEY_LEN
            }
        }
        Some(self.visit(Len)).filter(|&len| len > 0)
    }

    /// A client state of this pure ML-KEM group from a FIPS 203 expanded decapsulation key
    /// (NIST ACVP and CCTV publish keys in this form), after the section 7.3 checks, on
    /// `backend` where it can import one (see
    /// [`PrivateKey::from_expanded_key`](crate::components::PrivateKey::from_expanded_key)).
    ///
    /// # Errors
    ///
    /// [`Error::DecapsulationKeyCheck`] for a key that fails the checks or has the wrong length,
    /// [`Error::BackendUnavailable`] for a backend that does not run here, [`Error::Internal`]
    /// for a hybrid group.
    pub fn client_state_from_expanded_key(
        self,
        backend: Option<Backend>,
        dk: &[u8],
    ) -> Result<AnyClientState, Error> {
        /// The typed import.
        struct Import<'d>(Option<Backend>, &'d [u8]);
        impl TableVisitor for Import<'_> {
            type Output = Result<AnyClientState, Error>;
            fn visit<G: TableGroup>(self) -> Self::Output {
                let inner = <G::Kx as Component>::from_expanded_key(self.0, self.1)?;
                Ok(G::into_any(ClientState::from_component_state(inner)))
            }
        }
        self.dispatch(Import(backend, dk))
    }
}

/// Known-answer and audit hooks at run time (feature `hazmat`).
#[cfg(feature = "hazmat")]
impl AnyClientState {
    /// A pure ML-KEM state's key in its FIPS 203 expanded form, written to `out`
    /// ([`NamedGroup::expanded_key_len`] bytes); from every backend. The caller wipes `out`.
    ///
    /// # Errors
    ///
    /// [`Error::Internal`] for a hybrid state or an `out` of another length.
    pub fn expanded_key(&self, out: &mut [u8]) -> Result<(), Error> {
        /// The typed export.
        struct Export<'o>(&'o mut [u8]);
        impl StateVisitor for Export<'_> {
            type Output<'a> = Result<(), Error>;
            fn visit<G: TableGroup>(self, state: &ClientState<G>) -> Self::Output<'_> {
                <G::Kx as Component>::expanded_key(state.component_state(), self.0)
            }
        }
        self.visit(Export(out))
    }

    /// Shows each primitive key of the state, in wire order (see
    /// [`Component::keys`](crate::components::Component::keys)).
    pub fn keys(&self, visit: &mut dyn FnMut(crate::components::KeyView<'_>)) {
        /// The typed walk.
        struct Keys<'v>(&'v mut dyn FnMut(crate::components::KeyView<'_>));
        impl StateVisitor for Keys<'_> {
            type Output<'a> = ();
            fn visit<G: TableGroup>(self, state: &ClientState<G>) {
                <G::Kx as Component>::keys(state.component_state(), self.0);
            }
        }
        self.visit(Keys(visit));
    }
}
