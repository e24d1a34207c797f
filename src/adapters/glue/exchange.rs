//! The key exchange as every rustls adapter runs it, without rustls types: the client's state
//! boxed once, completed by reference, and each operation scrubbed once (`crate::scrub`).

use alloc::boxed::Box;

use crate::error::{Alert, Error};
use crate::groups::{
    AnyClientState, KeyShareBytes, NamedGroup, NoRng, Randomness, TableGroup, TableVisitor,
};
use crate::scrub::{self, scrubbed};
use crate::shared_secret::SharedSecret;

/// A client key exchange in progress: the share sent in the ClientHello and the private state
/// kept for the server's answer (RFC 8446 section 4.2.8). Each rustls adapter implements its
/// `ActiveKeyExchange` trait on it, so the box rustls holds is this value.
pub(crate) struct ClientExchange {
    share: KeyShareBytes,
    state: AnyClientState,
}

impl ClientExchange {
    /// A fresh key share of `group`, with randomness from the operating system.
    pub(crate) fn start(group: NamedGroup) -> Result<Box<Self>, Error> {
        Self::start_with(|| group.keygen::<NoRng>(None, Randomness::System))
    }

    /// A client exchange for a share that `keygen` makes now or takes from a
    /// [`crate::pool::KeySharePool`]. Scrubbed once, here, with the move of the state into its
    /// box.
    pub(crate) fn start_with(
        keygen: impl FnOnce() -> Result<(KeyShareBytes, AnyClientState), Error>,
    ) -> Result<Box<Self>, Error> {
        scrubbed::<{ scrub::KEY_GENERATION }, _>(|| {
            let (share, state) = keygen()?;
            Ok(Box::new(Self { share, state }))
        })
    }

    /// The client's share (`KeyShareEntry.key_exchange`).
    pub(crate) fn share(&self) -> &[u8] {
        self.share.as_bytes()
    }

    /// The group this exchange belongs to.
    pub(crate) fn group(&self) -> NamedGroup {
        self.state.group()
    }

    /// The classical half's codepoint and share, for the key-share reuse of RFC 9954 section
    /// 3.2; `None` for a pure ML-KEM group.
    pub(crate) fn classical_share(&self) -> Option<(u16, &[u8])> {
        self.state.classical_share()
    }

    /// Completes with the server's share of the group and hands the secret to `out` (the
    /// adapter's copy of it). By reference and scrubbed: the state is wiped in its box when the
    /// box drops, no copy of it is moved onto the stack, and `out` runs inside the scrubbed call,
    /// so the stack that held the adapter's copy is zeroed too.
    pub(crate) fn complete<T>(
        &self,
        server_share: &[u8],
        out: impl FnOnce(&SharedSecret) -> T,
    ) -> Result<T, Error> {
        scrubbed::<{ scrub::COMPLETION }, _>(|| {
            Ok(out(&self.state.complete_unscrubbed(server_share)?))
        })
    }

    /// Completes with a server that chose the classical half's group (RFC 9954 section 3.2),
    /// like [`Self::complete`].
    pub(crate) fn complete_classical<T>(
        &self,
        server_share: &[u8],
        out: impl FnOnce(&SharedSecret) -> T,
    ) -> Result<T, Error> {
        scrubbed::<{ scrub::COMPLETION }, _>(|| {
            Ok(out(&self
                .state
                .complete_classical_unscrubbed(server_share)?))
        })
    }
}

/// The server step of `group` in one go (the KEM shape of RFC 10024 section 3): validate the
/// client's share, encapsulate with randomness from the operating system, return the server's
/// share and the secret. Scrubbed once, here; `secret_out` receives the secret inside the
/// scrubbed call, so the adapter's copy is made there too.
pub(crate) fn respond<T>(
    group: NamedGroup,
    client_share: &[u8],
    out: impl FnOnce(&KeyShareBytes, &SharedSecret) -> T,
) -> Result<T, Error> {
    scrubbed::<{ scrub::ENCAPSULATION }, _>(|| {
        let (share, secret) =
            group.encapsulate_on::<NoRng>(None, client_share, Randomness::System)?;
        Ok(out(&share, &secret))
    })
}

/// How a failure reaches rustls: the peer's bad key share (`illegal_parameter`, RFC 10024
/// section 5), a failed random source, or anything else that is not the peer's fault
/// (`internal_error`). Each adapter maps these to its rustls version's error values.
pub(crate) enum Failure {
    /// `PeerMisbehaved::InvalidKeyShare`.
    InvalidKeyShare,
    /// `FailedToGetRandomBytes`.
    RandomSource,
    /// `Error::General`, with this message.
    Internal(Error),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        match (err, err.alert()) {
            (Error::RandomSource, _) => Self::RandomSource,
            (_, Alert::IllegalParameter) => Self::InvalidKeyShare,
            _ => Self::Internal(err),
        }
    }
}

/// One of this crate's groups as a rustls key-exchange group: each adapter implements its
/// version's `SupportedKxGroup` on it.
#[derive(Clone, Copy)]
pub(crate) struct KxGroup {
    /// The core group.
    pub(crate) group: NamedGroup,
}

impl KxGroup {
    /// Whether the group counts as FIPS 140-3 key establishment here: every component runs on
    /// a validated module in FIPS mode, and the secret that comes first is an approved scheme's
    /// (SP 800-56C rev 2 section 2; the rule and its sources: `components::Fips`). What each
    /// adapter's `SupportedKxGroup::fips` reports in its rustls version's type.
    pub(crate) fn fips(&self) -> bool {
        /// The typed answer.
        struct Fips;
        impl TableVisitor for Fips {
            type Output = bool;
            fn visit<G: TableGroup>(self) -> bool {
                G::fips()
            }
        }
        self.group.dispatch(Fips)
    }
}

impl core::fmt::Debug for KxGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "hybrid_kx::{}", self.group.name())
    }
}

/// One [`KxGroup`] per row of the group table, indexed by [`NamedGroup`] discriminant (the
/// variants are declared in [`NamedGroup::ALL`] order).
pub(crate) static KX_GROUPS: [KxGroup; NamedGroup::ALL.len()] = {
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
