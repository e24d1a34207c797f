//! Layer 2: the generic composition of two components into one hybrid key exchange.
//!
//! RFC 10024 section 4 defines each hybrid group as the concatenation of two component key
//! exchanges: the client's share is `first ‖ second` client shares, the server's share
//! `first ‖ second` server shares, and the shared secret `first ‖ second` secrets, with the same
//! order in all three. The three hybrid groups are three instantiations of [`Hybrid`]; only the
//! order of the type parameters differs (ML-KEM first for X25519MLKEM768, ECDH first for the NIST
//! curves).

use core::marker::PhantomData;

use zeroize::ZeroizeOnDrop;

use super::{Component, Sealed, ServerStep};
use crate::backend::Backend;
use crate::backend::code::Source;
use crate::error::Error;

/// Two components concatenated in wire order: `A` first, `B` second (RFC 10024 section 4).
pub struct Hybrid<A, B>(PhantomData<(A, B)>);

/// The client state of a [`Hybrid`]: both components' states.
pub struct HybridClientState<A: Component, B: Component> {
    pub(crate) first: A::ClientState,
    pub(crate) second: B::ClientState,
}

impl<A: Component, B: Component> HybridClientState<A, B> {
    /// The state of the component that comes first on the wire.
    pub fn first(&self) -> &A::ClientState {
        &self.first
    }

    /// The state of the component that comes second on the wire.
    pub fn second(&self) -> &B::ClientState {
        &self.second
    }
}

// Both fields zeroize themselves on drop.
impl<A: Component, B: Component> ZeroizeOnDrop for HybridClientState<A, B> {}

/// Splits `bytes` at `mid`, reporting an internal length error instead of panicking.
fn split(bytes: &[u8], mid: usize) -> Result<(&[u8], &[u8]), Error> {
    bytes.split_at_checked(mid).ok_or(Error::Internal)
}

/// Mutable counterpart of [`split`].
fn split_mut(bytes: &mut [u8], mid: usize) -> Result<(&mut [u8], &mut [u8]), Error> {
    bytes.split_at_mut_checked(mid).ok_or(Error::Internal)
}

/// One component's key generation, on the seed or on its own randomness as `source` allows.
fn keygen<C: Component>(
    backend: Option<Backend>,
    source: Source,
    seed: &[u8],
    share: &mut [u8],
) -> Result<C::ClientState, Error> {
    match source {
        Source::Caller => C::client_keygen(backend, seed, share),
        Source::System => C::client_keygen_system(backend, seed, share),
    }
}

/// One component's server step, as [`keygen`].
fn respond<C: Component>(
    backend: Option<Backend>,
    source: Source,
    step: ServerStep<'_>,
) -> Result<(), Error> {
    match source {
        Source::Caller => C::server_respond(backend, step),
        Source::System => C::server_respond_system(backend, step),
    }
}

impl<A: Component, B: Component> Hybrid<A, B> {
    /// Both key generations, each on its part of `seed` and of `share` in wire order.
    fn keygen(
        backend: Option<Backend>,
        source: Source,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<HybridClientState<A, B>, Error> {
        let (seed_a, seed_b) = split(seed, A::CLIENT_SEED_LEN)?;
        let (share_a, share_b) = split_mut(share, A::CLIENT_SHARE_LEN)?;
        Ok(HybridClientState {
            first: keygen::<A>(backend, source, seed_a, share_a)?,
            second: keygen::<B>(backend, source, seed_b, share_b)?,
        })
    }

    /// Both server steps, each on its part of every slice in wire order.
    fn respond(
        backend: Option<Backend>,
        source: Source,
        step: ServerStep<'_>,
    ) -> Result<(), Error> {
        let (seed_a, seed_b) = split(step.seed, A::SERVER_SEED_LEN)?;
        let (client_a, client_b) = split(step.client_share, A::CLIENT_SHARE_LEN)?;
        let (share_a, share_b) = split_mut(step.share, A::SERVER_SHARE_LEN)?;
        let (secret_a, secret_b) = split_mut(step.secret, A::SECRET_LEN)?;
        respond::<A>(
            backend,
            source,
            ServerStep::new(seed_a, client_a, share_a, secret_a),
        )?;
        respond::<B>(
            backend,
            source,
            ServerStep::new(seed_b, client_b, share_b, secret_b),
        )
    }
}

impl<A: Component, B: Component> Sealed for Hybrid<A, B> {}

#[cfg(feature = "kem")]
impl<A: super::EverySeedValid, B: super::EverySeedValid> super::EverySeedValid for Hybrid<A, B> {}

impl<A: Component, B: Component> Component for Hybrid<A, B> {
    const CLIENT_SHARE_LEN: usize = A::CLIENT_SHARE_LEN + B::CLIENT_SHARE_LEN;
    const SERVER_SHARE_LEN: usize = A::SERVER_SHARE_LEN + B::SERVER_SHARE_LEN;
    const SECRET_LEN: usize = A::SECRET_LEN + B::SECRET_LEN;
    /// `A`'s client randomness followed by `B`'s.
    const CLIENT_SEED_LEN: usize = A::CLIENT_SEED_LEN + B::CLIENT_SEED_LEN;
    /// `A`'s server randomness followed by `B`'s.
    const SERVER_SEED_LEN: usize = A::SERVER_SEED_LEN + B::SERVER_SEED_LEN;
    /// `A`'s parts, then `B`'s (each is a single primitive in every group of RFC 10024).
    const PARTS: &'static [&'static str] = &[A::PARTS[0], B::PARTS[0]];

    type ClientState = HybridClientState<A, B>;

    fn has_backend(backend: Backend) -> bool {
        A::has_backend(backend) || B::has_backend(backend)
    }

    fn client_keygen(
        backend: Option<Backend>,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<Self::ClientState, Error> {
        Self::keygen(backend, Source::Caller, seed, share)
    }

    fn server_respond(backend: Option<Backend>, step: ServerStep<'_>) -> Result<(), Error> {
        Self::respond(backend, Source::Caller, step)
    }

    fn client_keygen_system(
        backend: Option<Backend>,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<Self::ClientState, Error> {
        Self::keygen(backend, Source::System, seed, share)
    }

    fn server_respond_system(backend: Option<Backend>, step: ServerStep<'_>) -> Result<(), Error> {
        Self::respond(backend, Source::System, step)
    }

    /// Either part's reading is enough: the seed is drawn whole, for both.
    fn system_reads_seed(backend: Option<Backend>) -> bool {
        A::system_reads_seed(backend) || B::system_reads_seed(backend)
    }

    fn client_complete(
        state: &Self::ClientState,
        server_share: &[u8],
        secret: &mut [u8],
    ) -> Result<(), Error> {
        let (share_a, share_b) = split(server_share, A::SERVER_SHARE_LEN)?;
        let (secret_a, secret_b) = split_mut(secret, A::SECRET_LEN)?;
        A::client_complete(&state.first, share_a, secret_a)?;
        B::client_complete(&state.second, share_b, secret_b)
    }

    #[cfg(feature = "hazmat")]
    const EXPANDED_KEY_LEN: usize = 0;

    #[cfg(feature = "hazmat")]
    fn keys(state: &Self::ClientState, visit: &mut dyn FnMut(super::KeyView<'_>)) {
        A::keys(&state.first, visit);
        B::keys(&state.second, visit);
    }

    /// A hybrid has no expanded form of its own.
    #[cfg(feature = "hazmat")]
    fn expanded_key(_: &Self::ClientState, _: &mut [u8]) -> Result<(), Error> {
        Err(Error::Internal)
    }

    /// A hybrid has no expanded form of its own.
    #[cfg(feature = "hazmat")]
    fn from_expanded_key(_: Option<Backend>, _: &[u8]) -> Result<Self::ClientState, Error> {
        Err(Error::Internal)
    }
}
