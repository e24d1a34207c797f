//! This crate as [`Kx`] implementations: one primitive on one backend (the `components` API),
//! and one group on one backend (`NamedGroup`'s `_on` entry points), with the list of backends
//! each runs on here: every backend of `Backend::ALL` that this CPU runs and that has code for
//! it, so that a new backend joins the comparison without a change here.

use std::marker::PhantomData;

use hybrid_kx::components::{Primitive, PrivateKey, ServerStep};
use hybrid_kx::{AnyClientState, Backend, NamedGroup};

use super::kx::{Generated, Kx};
use super::verdict::Verdict;

/// Primitive `P` on one backend.
pub struct PrimitiveOn<P> {
    backend: Backend,
    primitive: PhantomData<P>,
}

impl<P: Primitive> PrimitiveOn<P> {
    /// `P` on `backend`.
    pub fn new(backend: Backend) -> Self {
        Self {
            backend,
            primitive: PhantomData,
        }
    }

    /// `P` on every backend that runs it here, `Backend::ALL`'s order (the portable reference
    /// first).
    pub fn all() -> Vec<Self> {
        Backend::ALL
            .iter()
            .copied()
            .filter(|&b| b.is_usable() && P::supports(b))
            .map(Self::new)
            .collect()
    }
}

impl<P: Primitive> Kx for PrimitiveOn<P> {
    type State = PrivateKey<P>;

    fn name(&self) -> String {
        format!("{} on {}", P::NAME, self.backend)
    }

    fn keygen(&self, seed: &[u8]) -> Result<Generated<PrivateKey<P>>, Verdict> {
        let mut share = vec![0; P::CLIENT_SHARE_LEN];
        let key = P::client_keygen(Some(self.backend), seed, &mut share).map_err(Verdict::Error)?;
        assert_eq!(
            key.backend(),
            self.backend,
            "{}: key held elsewhere",
            Kx::name(self)
        );
        let mut expanded = vec![0; P::EXPANDED_KEY_LEN];
        if !expanded.is_empty() {
            key.expanded_key(&mut expanded).map_err(Verdict::Error)?;
        }
        Ok((share, expanded, key))
    }

    fn respond(&self, client_share: &[u8], seed: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Verdict> {
        let mut share = vec![0; P::SERVER_SHARE_LEN];
        let mut secret = vec![0; P::SECRET_LEN];
        let step = ServerStep {
            seed,
            client_share,
            share: &mut share,
            secret: &mut secret,
        };
        P::server_respond(Some(self.backend), step).map_err(Verdict::Error)?;
        Ok((share, secret))
    }

    fn complete(&self, key: PrivateKey<P>, server_share: &[u8]) -> Result<Vec<u8>, Verdict> {
        let mut secret = vec![0; P::SECRET_LEN];
        P::client_complete(&key, server_share, &mut secret).map_err(Verdict::Error)?;
        Ok(secret)
    }
}

/// A group on one backend: every component that has code on it runs there, the others on the
/// portable reference.
pub struct GroupOn {
    /// The group.
    pub group: NamedGroup,
    /// The backend.
    pub backend: Backend,
}

impl GroupOn {
    /// `group` on every backend that runs here and has code for one of its components (the
    /// others would repeat the portable run), `Backend::ALL`'s order.
    pub fn all(group: NamedGroup) -> Vec<Self> {
        Backend::ALL
            .iter()
            .copied()
            .filter(|&b| b.is_usable() && (b == Backend::Portable || group.has_backend(b)))
            .map(|backend| Self { group, backend })
            .collect()
    }
}

impl Kx for GroupOn {
    type State = AnyClientState;

    fn name(&self) -> String {
        format!("{} on {}", self.group, self.backend)
    }

    fn keygen(&self, seed: &[u8]) -> Result<Generated<AnyClientState>, Verdict> {
        let (share, state) = self
            .group
            .generate_key_share_from_seed_on(self.backend, seed)
            .map_err(Verdict::Error)?;
        Ok((share.as_bytes().to_vec(), Vec::new(), state))
    }

    fn respond(&self, client_share: &[u8], seed: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Verdict> {
        let (share, secret) = self
            .group
            .encapsulate_from_seed_on(self.backend, client_share, seed)
            .map_err(Verdict::Error)?;
        Ok((share.as_bytes().to_vec(), secret.as_bytes().to_vec()))
    }

    fn complete(&self, state: AnyClientState, server_share: &[u8]) -> Result<Vec<u8>, Verdict> {
        let secret = state.complete(server_share).map_err(Verdict::Error)?;
        Ok(secret.as_bytes().to_vec())
    }
}
