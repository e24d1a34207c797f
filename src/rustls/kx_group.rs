//! The groups of the table as `rustls::crypto::SupportedKxGroup` values.
//!
//! A thin translation: bytes in, bytes out, errors mapped by their TLS alert. The core decides
//! everything else (lengths, validation, secret order).

use alloc::boxed::Box;
use core::fmt;

use ::rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SupportedKxGroup};
use ::rustls::{NamedGroup as RustlsNamedGroup, PeerMisbehaved, ProtocolVersion};

use crate::error::{Alert, Error};
use crate::groups::{AnyClientState, KeyShareBytes, NamedGroup, Randomness};
use crate::scrub::{self, scrubbed};
use crate::shared_secret::SharedSecret;

/// Maps a core error to the rustls error that produces its alert.
///
/// `illegal_parameter` failures become `PeerMisbehaved::InvalidKeyShare`, the error rustls's own
/// providers use for a bad key share; the rest become `Error::General`. (rustls 0.23 sends
/// `illegal_parameter` for every key-exchange failure whatever the error, so the distinction
/// shows in the local error, not on the wire.)
fn to_rustls_error(err: Error) -> ::rustls::Error {
    match err.alert() {
        Alert::IllegalParameter => PeerMisbehaved::InvalidKeyShare.into(),
        Alert::InternalError => ::rustls::Error::General(alloc::format!("hybrid-kx: {err}")),
    }
}

fn to_rustls_secret(secret: &SharedSecret) -> ::rustls::crypto::SharedSecret {
    // rustls copies the bytes and zeroizes its copy on drop; ours is zeroized when `secret` drops.
    ::rustls::crypto::SharedSecret::from(secret.as_bytes())
}

/// One of this crate's groups as a rustls key-exchange group (TLS 1.3 only).
#[derive(Clone, Copy)]
pub(crate) struct KxGroup {
    group: NamedGroup,
}

impl fmt::Debug for KxGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "hybrid_kx::{}", self.group.name())
    }
}

impl SupportedKxGroup for KxGroup {
    /// Client side: a fresh key share (RFC 8446 section 4.2.8).
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, ::rustls::Error> {
        start_client(|| {
            self.group
                .keygen(None, Randomness::Rng(&mut getrandom::SysRng))
        })
    }

    /// Server side in one step (the KEM shape of RFC 10024 section 3): validate the client's
    /// share, encapsulate, return our share and the secret.
    fn start_and_complete(
        &self,
        client_share: &[u8],
    ) -> Result<CompletedKeyExchange, ::rustls::Error> {
        scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
            let (share, secret) = self
                .group
                .encapsulate_on(None, client_share, Randomness::Rng(&mut getrandom::SysRng))
                .map_err(to_rustls_error)?;
            Ok(CompletedKeyExchange {
                group: self.name(),
                pub_key: share.as_bytes().to_vec(),
                secret: to_rustls_secret(&secret),
            })
        })
    }

    fn name(&self) -> RustlsNamedGroup {
        RustlsNamedGroup::from(self.group.codepoint())
    }

    /// These groups are defined for TLS 1.3 only (RFC 10024 section 1; draft-ietf-tls-mlkem).
    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

/// A client key exchange in progress, for a share that `keygen` generates now or takes from
/// [`crate::pool::KeySharePool`]. Scrubbed once, here, with the move of the state into its box
/// (`crate::scrub`).
pub(crate) fn start_client(
    keygen: impl FnOnce() -> Result<(KeyShareBytes, AnyClientState), Error>,
) -> Result<Box<dyn ActiveKeyExchange>, ::rustls::Error> {
    scrubbed::<{ scrub::KEY_GENERATION }, _>(|| {
        let (share, state) = keygen().map_err(to_rustls_error)?;
        Ok(Box::new(ActiveKx { share, state }) as Box<dyn ActiveKeyExchange>)
    })
}

/// A client key exchange in progress.
struct ActiveKx {
    share: KeyShareBytes,
    state: AnyClientState,
}

impl ActiveKx {
    /// Runs `complete` on the state by reference, scrubbed (`crate::scrub`): the state is wiped
    /// in its box when the box drops, and no copy of it is moved onto the stack.
    fn completed(
        &self,
        complete: impl FnOnce(&AnyClientState) -> Result<SharedSecret, Error>,
    ) -> Result<::rustls::crypto::SharedSecret, ::rustls::Error> {
        scrubbed::<{ scrub::COMPLETION }, _>(|| {
            let secret = complete(&self.state).map_err(to_rustls_error)?;
            Ok(to_rustls_secret(&secret))
        })
    }
}

impl ActiveKeyExchange for ActiveKx {
    fn complete(
        self: Box<Self>,
        server_share: &[u8],
    ) -> Result<::rustls::crypto::SharedSecret, ::rustls::Error> {
        self.completed(|state| state.complete_unscrubbed(server_share))
    }

    /// The classical half as a standalone share (RFC 9954 section 3.2), so rustls can offer it
    /// beside the hybrid share from one key generation.
    fn hybrid_component(&self) -> Option<(RustlsNamedGroup, &[u8])> {
        self.state
            .classical_share()
            .map(|(codepoint, share)| (RustlsNamedGroup::from(codepoint), share))
    }

    fn complete_hybrid_component(
        self: Box<Self>,
        server_share: &[u8],
    ) -> Result<::rustls::crypto::SharedSecret, ::rustls::Error> {
        self.completed(|state| state.complete_classical_unscrubbed(server_share))
    }

    fn pub_key(&self) -> &[u8] {
        self.share.as_bytes()
    }

    fn group(&self) -> RustlsNamedGroup {
        RustlsNamedGroup::from(self.state.group().codepoint())
    }
}

/// Generates, from the rows of the group table, each group's `SupportedKxGroup` static, in the
/// shape of rustls's own (`&'static dyn SupportedKxGroup`).
macro_rules! define_kx_groups {
    ($($(#[$doc:meta])* $group:ident => $rustls:ident $row:tt)*) => {$(
        #[doc = concat!(
            "[`", stringify!($group), "`](crate::", stringify!($group), ") as a rustls ",
            "key-exchange group (with the reused classical share of RFC 9954 section 3.2 for a ",
            "hybrid).",
        )]
        pub static $rustls: &dyn SupportedKxGroup = &KX_GROUPS[NamedGroup::$group as usize];
    )*};
}

crate::groups::group_table!(define_kx_groups);

/// One [`KxGroup`] per row of the group table, indexed by [`NamedGroup`] discriminant (the
/// variants are declared in [`NamedGroup::ALL`] order).
static KX_GROUPS: [KxGroup; NamedGroup::ALL.len()] = {
    let mut out = [KxGroup {
        group: NamedGroup::ALL[0],
    }; NamedGroup::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        assert!(NamedGroup::ALL[i] as usize == i);
        out[i] = KxGroup {
            group: NamedGroup::ALL[i],
        };
        i += 1;
    }
    out
};

/// Every group this crate implements, in the preference order of [`NamedGroup::ALL`]
/// (including the opt-in MLKEM512).
pub static ALL_KX_GROUPS: &[&dyn SupportedKxGroup] = &{
    let mut out: [&'static dyn SupportedKxGroup; NamedGroup::ALL.len()] =
        [&KX_GROUPS[0]; NamedGroup::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = &KX_GROUPS[i];
        i += 1;
    }
    out
};

/// The groups a client offers unless told otherwise, in the order of [`NamedGroup::DEFAULT`]:
/// [`ALL_KX_GROUPS`] without the opt-in MLKEM512.
pub static DEFAULT_KX_GROUPS: &[&dyn SupportedKxGroup] = &{
    let mut out: [&'static dyn SupportedKxGroup; NamedGroup::DEFAULT.len()] =
        [&KX_GROUPS[0]; NamedGroup::DEFAULT.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = &KX_GROUPS[NamedGroup::DEFAULT[i] as usize];
        i += 1;
    }
    out
};

/// The rustls group for a core group.
pub fn kx_group(group: NamedGroup) -> &'static dyn SupportedKxGroup {
    &KX_GROUPS[group as usize]
}
