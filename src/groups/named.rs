//! Run-time selection of a group: look-up by codepoint or name, and the same operations as
//! [`Group`] with the group chosen by a value instead of a type.
//!
//! A TLS stack learns the group from the peer's `supported_groups` or `key_share` extension
//! (RFC 8446 sections 4.2.7 and 4.2.8), and a command line or configuration names it, so both
//! look-ups live here. Shares are returned in a fixed-size buffer: no allocation, `no_std` ready.

use core::fmt;

use rand_core::TryCryptoRng;

use super::{
    ByteArray, ClientState, Group, MLKEM768, MLKEM1024, SecP256r1MLKEM768, SecP384r1MLKEM1024,
    X25519MLKEM768,
};
use crate::error::Error;
use crate::shared_secret::SharedSecret;

/// The longest share of any group: SecP384r1MLKEM1024's 1665 bytes (both directions).
pub const MAX_SHARE_LEN: usize = 1665;

/// One of the five groups this crate implements, chosen at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
pub enum NamedGroup {
    /// [`X25519MLKEM768`], `0x11EC`.
    X25519MLKEM768,
    /// [`SecP256r1MLKEM768`], `0x11EB`.
    SecP256r1MLKEM768,
    /// [`SecP384r1MLKEM1024`], `0x11ED`.
    SecP384r1MLKEM1024,
    /// [`MLKEM768`], `0x0201`.
    MLKEM768,
    /// [`MLKEM1024`], `0x0202`.
    MLKEM1024,
}

/// Calls `$body` with `$g` bound to the group type that `$group` names.
macro_rules! with_group {
    ($group:expr, $g:ident => $body:expr) => {
        match $group {
            NamedGroup::X25519MLKEM768 => {
                type $g = X25519MLKEM768;
                $body
            }
            NamedGroup::SecP256r1MLKEM768 => {
                type $g = SecP256r1MLKEM768;
                $body
            }
            NamedGroup::SecP384r1MLKEM1024 => {
                type $g = SecP384r1MLKEM1024;
                $body
            }
            NamedGroup::MLKEM768 => {
                type $g = MLKEM768;
                $body
            }
            NamedGroup::MLKEM1024 => {
                type $g = MLKEM1024;
                $body
            }
        }
    };
}

impl NamedGroup {
    /// Every group, in the order a client should prefer them: the hybrids (RFC 10024) before
    /// the pure ML-KEM groups, X25519MLKEM768 first as the most widely deployed.
    pub const ALL: [Self; 5] = [
        Self::X25519MLKEM768,
        Self::SecP256r1MLKEM768,
        Self::SecP384r1MLKEM1024,
        Self::MLKEM768,
        Self::MLKEM1024,
    ];

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
    pub fn generate_key_share_from_seed(
        self,
        seed: &[u8],
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        with_group!(self, G => {
            let seed = seed.try_into().map_err(|_| Error::SeedLength {
                expected: self.client_seed_len(),
                actual: seed.len(),
            })?;
            let (share, state) = G::generate_key_share_from_seed(seed)?;
            Ok((KeyShareBytes::new(&share)?, AnyClientState::from(state)))
        })
    }

    /// [`Group::generate_key_share_with_rng`] for this group.
    pub fn generate_key_share_with_rng<R: TryCryptoRng + ?Sized>(
        self,
        rng: &mut R,
    ) -> Result<(KeyShareBytes, AnyClientState), Error> {
        with_group!(self, G => {
            let (share, state) = G::generate_key_share_with_rng(rng)?;
            Ok((KeyShareBytes::new(&share)?, AnyClientState::from(state)))
        })
    }

    /// [`Group::generate_key_share`] for this group.
    #[cfg(feature = "getrandom")]
    pub fn generate_key_share(self) -> Result<(KeyShareBytes, AnyClientState), Error> {
        self.generate_key_share_with_rng(&mut getrandom::SysRng)
    }

    /// [`Group::encapsulate_from_seed`] for this group; `seed` must have
    /// [`NamedGroup::server_seed_len`] bytes.
    pub fn encapsulate_from_seed(
        self,
        client_share: &[u8],
        seed: &[u8],
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        with_group!(self, G => {
            let seed = seed.try_into().map_err(|_| Error::SeedLength {
                expected: self.server_seed_len(),
                actual: seed.len(),
            })?;
            let (share, secret) = G::encapsulate_from_seed(client_share, seed)?;
            Ok((KeyShareBytes::new(&share)?, secret))
        })
    }

    /// [`Group::encapsulate_with_rng`] for this group.
    pub fn encapsulate_with_rng<R: TryCryptoRng + ?Sized>(
        self,
        client_share: &[u8],
        rng: &mut R,
    ) -> Result<(KeyShareBytes, SharedSecret), Error> {
        with_group!(self, G => {
            let (share, secret) = G::encapsulate_with_rng(client_share, rng)?;
            Ok((KeyShareBytes::new(&share)?, secret))
        })
    }

    /// [`Group::encapsulate`] for this group.
    #[cfg(feature = "getrandom")]
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

/// A [`ClientState`] of a group chosen at run time.
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug)]
pub enum AnyClientState {
    /// State of an [`X25519MLKEM768`] exchange.
    X25519MLKEM768(ClientState<X25519MLKEM768>),
    /// State of a [`SecP256r1MLKEM768`] exchange.
    SecP256r1MLKEM768(ClientState<SecP256r1MLKEM768>),
    /// State of a [`SecP384r1MLKEM1024`] exchange.
    SecP384r1MLKEM1024(ClientState<SecP384r1MLKEM1024>),
    /// State of an [`MLKEM768`] exchange.
    MLKEM768(ClientState<MLKEM768>),
    /// State of an [`MLKEM1024`] exchange.
    MLKEM1024(ClientState<MLKEM1024>),
}

macro_rules! any_state_from {
    ($($g:ident),*) => {$(
        impl From<ClientState<$g>> for AnyClientState {
            fn from(state: ClientState<$g>) -> Self {
                Self::$g(state)
            }
        }
    )*};
}
any_state_from!(
    X25519MLKEM768,
    SecP256r1MLKEM768,
    SecP384r1MLKEM1024,
    MLKEM768,
    MLKEM1024
);

impl AnyClientState {
    /// The group this state belongs to.
    pub fn group(&self) -> NamedGroup {
        match self {
            Self::X25519MLKEM768(_) => NamedGroup::X25519MLKEM768,
            Self::SecP256r1MLKEM768(_) => NamedGroup::SecP256r1MLKEM768,
            Self::SecP384r1MLKEM1024(_) => NamedGroup::SecP384r1MLKEM1024,
            Self::MLKEM768(_) => NamedGroup::MLKEM768,
            Self::MLKEM1024(_) => NamedGroup::MLKEM1024,
        }
    }

    /// [`ClientState::complete`]: validates the server's share and returns the secret.
    pub fn complete(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        match self {
            Self::X25519MLKEM768(s) => s.complete(server_share),
            Self::SecP256r1MLKEM768(s) => s.complete(server_share),
            Self::SecP384r1MLKEM1024(s) => s.complete(server_share),
            Self::MLKEM768(s) => s.complete(server_share),
            Self::MLKEM1024(s) => s.complete(server_share),
        }
    }

    /// For a hybrid group, the classical half's codepoint and public share, for the key-share
    /// reuse of RFC 9954 section 3.2; `None` for the pure ML-KEM groups.
    pub fn classical_share(&self) -> Option<(u16, &[u8])> {
        match self {
            Self::X25519MLKEM768(s) => Some((s.classical_codepoint(), s.classical_share())),
            Self::SecP256r1MLKEM768(s) => Some((s.classical_codepoint(), s.classical_share())),
            Self::SecP384r1MLKEM1024(s) => Some((s.classical_codepoint(), s.classical_share())),
            Self::MLKEM768(_) | Self::MLKEM1024(_) => None,
        }
    }

    /// [`ClientState::complete_classical`] for a hybrid group. A pure ML-KEM state has no
    /// classical half: [`Error::Internal`].
    pub fn complete_classical(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        match self {
            Self::X25519MLKEM768(s) => s.complete_classical(server_share),
            Self::SecP256r1MLKEM768(s) => s.complete_classical(server_share),
            Self::SecP384r1MLKEM1024(s) => s.complete_classical(server_share),
            Self::MLKEM768(_) | Self::MLKEM1024(_) => Err(Error::Internal),
        }
    }
}
