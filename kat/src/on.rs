//! The backend a run asks for (`hybrid-kx kat --backend NAME`): every operation of every suite
//! goes through here, so that one switch sends the whole run to the chosen backend (each
//! component that has code on it; the others run the portable reference), and the default run
//! uses the crate's own choice per component.

use std::cell::Cell;

use hybrid_kx::components::{Component, ServerStep};
use hybrid_kx::{AnyClientState, Backend, Error, Group, KeyShareBytes, NamedGroup, SharedSecret};

thread_local! {
    static BACKEND: Cell<Option<Backend>> = const { Cell::new(None) };
}

/// Runs `f` with every operation on `backend` (`None`: the crate's default per component).
pub fn with_backend<T>(backend: Option<Backend>, f: impl FnOnce() -> T) -> T {
    let previous = BACKEND.replace(backend);
    let out = f();
    BACKEND.set(previous);
    out
}

/// The backend named `name` as the runners accept it (`portable`, `libcrux`, `graviola`), if it
/// runs here: one spelling and one refusal for every front end that lets a user choose.
///
/// # Errors
///
/// An unknown name, or a backend not compiled in or not supported by this CPU (with the
/// reason).
pub fn backend_named(name: &str) -> Result<Backend, String> {
    let backend = Backend::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Backend::ALL.iter().map(|b| b.name()).collect();
        format!("unknown backend {name:?} ({})", names.join(", "))
    })?;
    match backend.unusable_reason() {
        None => Ok(backend),
        Some(reason) => Err(format!("backend {backend} does not run here: {reason}")),
    }
}

/// The backend of the current run, if one was asked for.
pub fn requested() -> Option<Backend> {
    BACKEND.get()
}

/// [`NamedGroup::generate_key_share_from_seed`], on the requested backend.
pub(crate) fn keygen(
    group: NamedGroup,
    seed: &[u8],
) -> Result<(KeyShareBytes, AnyClientState), Error> {
    match requested() {
        Some(b) => group.generate_key_share_from_seed_on(b, seed),
        None => group.generate_key_share_from_seed(seed),
    }
}

/// [`NamedGroup::encapsulate_from_seed`], on the requested backend.
pub(crate) fn encapsulate(
    group: NamedGroup,
    client_share: &[u8],
    seed: &[u8],
) -> Result<(KeyShareBytes, SharedSecret), Error> {
    match requested() {
        Some(b) => group.encapsulate_from_seed_on(b, client_share, seed),
        None => group.encapsulate_from_seed(client_share, seed),
    }
}

/// [`Group::generate_key_share_from_seed`], on the requested backend.
pub(crate) fn keygen_typed<G: Group>(
    seed: &G::ClientSeed,
) -> Result<(G::ClientShare, hybrid_kx::ClientState<G>), Error> {
    match requested() {
        Some(b) => G::generate_key_share_from_seed_on(b, seed),
        None => G::generate_key_share_from_seed(seed),
    }
}

/// [`Group::encapsulate_from_seed`], on the requested backend.
pub(crate) fn encapsulate_typed<G: Group>(
    client_share: &[u8],
    seed: &G::ServerSeed,
) -> Result<(G::ServerShare, SharedSecret), Error> {
    match requested() {
        Some(b) => G::encapsulate_from_seed_on(b, client_share, seed),
        None => G::encapsulate_from_seed(client_share, seed),
    }
}

/// [`Component::client_keygen`], on the requested backend.
pub(crate) fn component_keygen<C: Component>(
    seed: &[u8],
    share: &mut [u8],
) -> Result<C::ClientState, Error> {
    C::client_keygen(requested(), seed, share)
}

/// [`Component::server_respond`], on the requested backend.
pub(crate) fn component_respond<C: Component>(
    seed: &[u8],
    client_share: &[u8],
    share: &mut [u8],
    secret: &mut [u8],
) -> Result<(), Error> {
    let step = ServerStep {
        seed,
        client_share,
        share,
        secret,
    };
    C::server_respond(requested(), step)
}
