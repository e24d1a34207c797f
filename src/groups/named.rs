//! Run-time selection of a group: look-up by codepoint or name, and the same operations as
//! [`Group`] with the group chosen by a value instead of a type.
//!
//! A TLS stack learns the group from the peer's `supported_groups` or `key_share` extension
//! (RFC 8446 sections 4.2.7 and 4.2.8), and a command line or configuration names it, so both
//! look-ups live here. Shares are returned in a fixed-size buffer: no allocation, `no_std` ready.

use core::fmt;

use rand_core::TryCryptoRng;

use super::{
    ByteArray, ClassicalReuse, ClientState, Group, GroupVisitor, HybridGroupVisitor, MLKEM512,
    MLKEM768, MLKEM1024, SecP256r1MLKEM768, SecP384r1MLKEM1024, X25519MLKEM768, check_len,
    encapsulate, keygen, with_fresh_seed,
};
use crate::backend::Backend;
use crate::components::Component;
use crate::error::{Error, ShareKind};
use crate::scrub::{self, scrubbed};
use crate::shared_secret::SharedSecret;

/// Generates, from the rows of the group table, [`NamedGroup`] with its look-ups, and
/// [`AnyClientState`] with its conversions.
macro_rules! define_named_group {
    (@extra() $(
        $(#[$doc:meta])*
        $group:ident {
            codepoint: $codepoint:literal,
            kx: $kx:ty,
            classical: [$($position:ident $classical:ty)?],
            offered: $offered:ident,
            rustls: $rustls:ident,
        }
    )*) => {
        /// One of the groups this crate implements, chosen at run time.
        ///
        /// The variants are in client preference order, the order of [`NamedGroup::ALL`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        pub enum NamedGroup {
            $(
                #[doc = concat!("[`", stringify!($group), "`], `", stringify!($codepoint), "`.")]
                $group,
            )*
        }

        /// Calls `$body` with `$g` bound to the group type that `$named` names.
        macro_rules! with_group {
            ($named:expr, $g:ident => $body:expr) => {
                match $named {
                    $(
                        NamedGroup::$group => {
                            type $g = $group;
                            $body
                        }
                    )*
                }
            };
        }

        impl NamedGroup {
            /// Every group this crate implements, in the order a client should prefer them:
            /// the hybrids of RFC 10024 before the pure ML-KEM groups of draft-ietf-tls-mlkem,
            /// X25519MLKEM768 first as the most widely deployed. Includes the opt-in
            /// [`MLKEM512`]; [`NamedGroup::DEFAULT`] is what a client offers unless told
            /// otherwise.
            pub const ALL: [Self; [$(stringify!($group)),*].len()] = [$(Self::$group),*];

            /// Whether a client offers this group unless told otherwise (every group but the
            /// opt-in [`MLKEM512`]).
            pub const fn offered_by_default(self) -> bool {
                match self {
                    $(Self::$group => define_named_group!(@offered $offered),)*
                }
            }
        }

        /// A [`ClientState`] of a group chosen at run time.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug)]
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

        /// Calls `$body` with `$s` bound to the typed state inside `$any` and `$g` to its
        /// group type.
        macro_rules! with_state {
            ($any:expr, $s:ident: $g:ident => $body:expr) => {
                match $any {
                    $(
                        AnyClientState::$group($s) => {
                            #[allow(dead_code)] // for the bodies that do not name the type
                            type $g = $group;
                            $body
                        }
                    )*
                }
            };
        }

        impl AnyClientState {
            /// The group this state belongs to.
            pub fn group(&self) -> NamedGroup {
                match self {
                    $(Self::$group(_) => NamedGroup::$group,)*
                }
            }
        }
    };

    (@offered default) => { true };
    (@offered opt_in) => { false };
}

super::group_table!(define_named_group);

/// The longest share of any group, in either direction (SecP384r1MLKEM1024's 1665 bytes).
pub const MAX_SHARE_LEN: usize = {
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

/// `seed` as a group's seed array, or [`Error::SeedLength`] when it has another length: the
/// check every run-time `_from_seed` entry point makes before the typed one runs.
fn exact_seed<'a, S>(seed: &'a [u8], expected: usize) -> Result<&'a S, Error>
where
    &'a S: TryFrom<&'a [u8]>,
{
    seed.try_into().map_err(|_| Error::SeedLength {
        expected,
        actual: seed.len(),
    })
}

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

impl NamedGroup {
    /// The groups a client offers unless told otherwise: [`NamedGroup::ALL`] without the
    /// opt-in [`MLKEM512`], in the same order.
    pub const DEFAULT: [Self; DEFAULT_LEN] = {
        let mut out = [Self::ALL[0]; DEFAULT_LEN];
        let (mut i, mut j) = (0, 0);
        while i < Self::ALL.len() {
            if Self::ALL[i].offered_by_default() {
                out[j] = Self::ALL[i];
                j += 1;
            }
            i += 1;
        }
        out
    };

    /// Runs `visitor` with this group's type: one generic computation for a group chosen at
    /// run time (tests and tools use it to cover every group without naming them).
    pub fn visit<V: GroupVisitor>(self, visitor: V) -> V::Output {
        with_group!(self, G => visitor.visit::<G>())
    }

    /// Runs `visitor` with this group's type if it is a [`HybridGroup`](super::HybridGroup)
    /// (it has a classical half, RFC 9954 section 3.2); `None` for a pure ML-KEM group.
    pub fn visit_hybrid<V: HybridGroupVisitor>(self, visitor: V) -> Option<V::Output> {
        with_group!(self, G => <G as ClassicalReuse>::visit_hybrid(visitor))
    }

    /// Whether this group has a classical half that can be offered on its own beside the
    /// hybrid share (RFC 9954 section 3.2).
    pub const fn is_hybrid(self) -> bool {
        self.classical_codepoint().is_some()
    }

    /// The codepoint of the classical half (x25519 `0x001D`, secp256r1 `0x0017`, secp384r1
    /// `0x0018`) for a hybrid group; `None` for a pure ML-KEM group.
    pub const fn classical_codepoint(self) -> Option<u16> {
        with_group!(self, G => <G as ClassicalReuse>::CLASSICAL_CODEPOINT)
    }

    /// The IANA `NamedGroup` codepoint (RFC 8446 section 4.2.7).
    pub const fn codepoint(self) -> u16 {
        with_group!(self, G => G::CODEPOINT)
    }

    /// The IANA `NamedGroup` name.
    pub const fn name(self) -> &'static str {
        with_group!(self, G => G::NAME)
    }

    /// Bytes of the client's share.
    pub const fn client_share_len(self) -> usize {
        with_group!(self, G => G::CLIENT_SHARE_LEN)
    }

    /// Bytes of the server's share.
    pub const fn server_share_len(self) -> usize {
        with_group!(self, G => G::SERVER_SHARE_LEN)
    }

    /// Bytes of the shared secret.
    pub const fn shared_secret_len(self) -> usize {
        with_group!(self, G => G::SHARED_SECRET_LEN)
    }

    /// Bytes of client randomness the `_from_seed` key generation takes.
    pub const fn client_seed_len(self) -> usize {
        with_group!(self, G => <<G as Group>::ClientSeed as ByteArray>::LEN)
    }

    /// Bytes of server randomness the `_from_seed` encapsulation takes.
    pub const fn server_seed_len(self) -> usize {
        with_group!(self, G => <<G as Group>::ServerSeed as ByteArray>::LEN)
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
            .into_iter()
            .find(|group| group.name().eq_ignore_ascii_case(name))
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
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| self.keygen_from_seed(None, seed))
    }

    /// Key generation from `seed` on `backend` (or the selected backends), without scrubbing:
    /// the public operations scrub once, at the outermost layer (`crate::scrub`).
    fn keygen_from_seed(
        self,
        backend: Option<Backend>,
        seed: &[u8],
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        with_group!(self, G => {
            let seed = exact_seed::<<G as Group>::ClientSeed>(seed, self.client_seed_len())?;
            let (share, state) = keygen::<G>(backend, seed)?;
            Ok((KeyShareBytes::new(&share)?, AnyClientState::from(state)))
        })
    }

    /// Key generation with randomness from `rng`, without scrubbing (as
    /// `NamedGroup::keygen_from_seed`).
    pub(crate) fn keygen_with_rng<R: TryCryptoRng + ?Sized>(
        self,
        rng: &mut R,
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        with_group!(self, G => {
            let (share, state) = with_fresh_seed(rng, |seed| keygen::<G>(None, seed))?;
            Ok((KeyShareBytes::new(&share)?, AnyClientState::from(state)))
        })
    }

    /// The server step, without scrubbing (as `NamedGroup::keygen_from_seed`).
    fn encapsulate_with_seed(
        self,
        backend: Option<Backend>,
        client_share: &[u8],
        seed: &[u8],
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        with_group!(self, G => {
            let seed = exact_seed::<<G as Group>::ServerSeed>(seed, self.server_seed_len())?;
            let (share, secret) = encapsulate::<G>(backend, client_share, seed)?;
            Ok((KeyShareBytes::new(&share)?, secret))
        })
    }

    /// The server step with randomness from `rng`, without scrubbing (as
    /// `NamedGroup::keygen_from_seed`).
    pub(crate) fn encapsulate_with_fresh_seed<R: TryCryptoRng + ?Sized>(
        self,
        client_share: &[u8],
        rng: &mut R,
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        with_group!(self, G => {
            check_len(ShareKind::Client, G::CLIENT_SHARE_LEN, client_share)?;
            let (share, secret) =
                with_fresh_seed(rng, |seed| encapsulate::<G>(None, client_share, seed))?;
            Ok((KeyShareBytes::new(&share)?, secret))
        })
    }

    /// The primitives of this group in wire order (`["ML-KEM-768", "X25519"]` for
    /// X25519MLKEM768, RFC 10024 section 4; `["ML-KEM-768"]` for MLKEM768).
    pub fn parts(self) -> &'static [&'static str] {
        with_group!(self, G => <<G as Group>::Kx as Component>::PARTS)
    }

    /// Whether `backend` implements one of this group's components (compiled in or not), so
    /// that running the group on it differs from running it on the portable reference.
    pub fn has_backend(self, backend: Backend) -> bool {
        with_group!(self, G => <<G as Group>::Kx as Component>::has_backend(backend))
    }

    /// [`Group::generate_key_share_from_seed_on`] for this group.
    ///
    /// # Errors
    ///
    /// [`Error::SeedLength`] for a seed of the wrong length; otherwise as the typed operation.
    #[inline(always)]
    pub fn generate_key_share_from_seed_on(
        self,
        backend: Backend,
        seed: &[u8],
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| self.keygen_from_seed(Some(backend), seed))
    }

    /// [`Group::generate_key_share_with_rng`] for this group.
    ///
    /// # Errors
    ///
    /// [`Error::RandomSource`] when `rng` fails, or keeps producing invalid EC scalars;
    /// [`Error::Internal`] only if a backend fails.
    #[inline(always)]
    pub fn generate_key_share_with_rng<R: TryCryptoRng + ?Sized>(
        self,
        rng: &mut R,
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| self.keygen_with_rng(rng))
    }

    /// [`Group::generate_key_share`] for this group.
    ///
    /// # Errors
    ///
    /// [`Error::RandomSource`] when `rng` fails, or keeps producing invalid EC scalars;
    /// [`Error::Internal`] only if a backend fails.
    #[cfg(feature = "getrandom")]
    #[inline(always)]
    pub fn generate_key_share(self) -> Result<(KeyShareBytes, AnyClientState), Error> {
        self.generate_key_share_with_rng(&mut getrandom::SysRng)
    }

    /// [`Group::encapsulate_from_seed`] for this group; `seed` must have
    /// [`NamedGroup::server_seed_len`] bytes.
    ///
    /// # Errors
    ///
    /// [`Error::SeedLength`] for a seed of the wrong length; otherwise as the typed operation.
    #[inline(always)]
    pub fn encapsulate_from_seed(
        self,
        client_share: &[u8],
        seed: &[u8],
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            self.encapsulate_with_seed(None, client_share, seed)
        })
    }

    /// [`Group::encapsulate_from_seed_on`] for this group.
    ///
    /// # Errors
    ///
    /// [`Error::SeedLength`] for a seed of the wrong length; otherwise as the typed operation.
    #[inline(always)]
    pub fn encapsulate_from_seed_on(
        self,
        backend: Backend,
        client_share: &[u8],
        seed: &[u8],
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            self.encapsulate_with_seed(Some(backend), client_share, seed)
        })
    }

    /// [`Group::encapsulate_with_rng`] for this group.
    ///
    /// # Errors
    ///
    /// The client share's defects, each with the alert RFC 10024 section 5 requires
    /// ([`Error::alert`]): [`Error::KeyShareLength`], [`Error::EncapsulationKeyModulus`]
    /// (FIPS 203 section 7.2), [`Error::EcPointNotUncompressed`], [`Error::EcPointNotOnCurve`],
    /// [`Error::X25519ZeroSharedSecret`]; and the randomness errors of key generation.
    #[inline(always)]
    pub fn encapsulate_with_rng<R: TryCryptoRng + ?Sized>(
        self,
        client_share: &[u8],
        rng: &mut R,
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            self.encapsulate_with_fresh_seed(client_share, rng)
        })
    }

    /// [`Group::encapsulate`] for this group.
    ///
    /// # Errors
    ///
    /// The client share's defects, each with the alert RFC 10024 section 5 requires
    /// ([`Error::alert`]): [`Error::KeyShareLength`], [`Error::EncapsulationKeyModulus`]
    /// (FIPS 203 section 7.2), [`Error::EcPointNotUncompressed`], [`Error::EcPointNotOnCurve`],
    /// [`Error::X25519ZeroSharedSecret`]; and the randomness errors of key generation.
    #[cfg(feature = "getrandom")]
    #[inline(always)]
    pub fn encapsulate(self, client_share: &[u8]) -> Result<(KeyShareBytes, SharedSecret), Error> {
        self.encapsulate_with_rng(client_share, &mut getrandom::SysRng)
    }
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
    /// [`ClientState::complete`]: validates the server's share and returns the secret.
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

    /// [`AnyClientState::complete`] without scrubbing (as `NamedGroup::keygen_from_seed`).
    pub(crate) fn complete_unscrubbed(&self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        with_state!(self, state: G => state.complete_unscrubbed(server_share))
    }

    /// For a hybrid group, the classical half's codepoint and public share, for the key-share
    /// reuse of RFC 9954 section 3.2; `None` for the pure ML-KEM groups.
    pub fn classical_share(&self) -> Option<(u16, &[u8])> {
        with_state!(self, state: G => <G as ClassicalReuse>::reusable_share(state))
    }

    /// [`ClientState::complete_classical`] for a hybrid group. A pure ML-KEM state has no
    /// classical half: [`Error::Internal`].
    ///
    /// # Errors
    ///
    /// The classical server share's defects, as for [`ClientState::complete`]; for a run-time
    /// state of a pure ML-KEM group, [`Error::Internal`] (there is no classical half).
    #[inline(always)]
    pub fn complete_classical(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        scrubbed::<{ scrub::COMPLETION }, _>(|| self.complete_classical_unscrubbed(server_share))
    }

    /// [`AnyClientState::complete_classical`] without scrubbing (as
    /// `NamedGroup::keygen_from_seed`).
    pub(crate) fn complete_classical_unscrubbed(
        &self,
        server_share: &[u8],
    ) -> Result<SharedSecret, Error> {
        with_state!(self, state: G => <G as ClassicalReuse>::complete_reused(state, server_share))
    }
}
