//! The backend a run asks for (`hybrid-kx kat --backend NAME`): every operation of every suite
//! goes through here, so that one switch sends the whole run to the chosen backend (each
//! component that has code on it; the others run the portable reference), and the default run
//! uses the crate's own choice per component.
//!
//! Every operation also notes where it ran, for the report's count of the backends each case
//! ran on ([`take_ran_on`]): a seeded key generation or server step runs only on code that takes
//! a seed, so a backend without (aws-lc-rs's ML-KEM) leaves those to another one, and the report
//! says which.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use hybrid_kx::components::{Component, KeyView, Primitive, PrimitiveVisitor, ServerStep, table};
use hybrid_kx::{AnyClientState, Backend, Error, Group, KeyShareBytes, NamedGroup, SharedSecret};

thread_local! {
    static BACKEND: Cell<Option<Backend>> = const { Cell::new(None) };
    static RAN_ON: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

/// Which side of an exchange ran where: the client's key (key generation or import, and the
/// completion, which runs where the key is), or the server step.
#[derive(Clone, Copy, Debug)]
pub enum Side {
    /// Key generation or import, and completion.
    Client,
    /// The server step (encapsulation, or the server's Diffie-Hellman).
    Server,
}

/// Notes that `side` of `primitive` ran on `backend` in the current case.
pub fn note(side: Side, primitive: &str, backend: Backend) {
    let side = match side {
        Side::Client => "client",
        Side::Server => "server",
    };
    RAN_ON.with_borrow_mut(|ran| ran.insert(format!("{side} {primitive} on {backend}")));
}

/// Takes what the operations since the last call ran on (`client ML-KEM-768 on aws-lc`, ...):
/// the report counts each label once per case.
pub fn take_ran_on() -> BTreeSet<String> {
    RAN_ON.with_borrow_mut(std::mem::take)
}

/// Notes where each key of a client state is held.
fn note_keys(view: KeyView<'_>) {
    note(Side::Client, view.primitive, view.backend);
}

/// Notes where a seeded operation of `side` runs for each primitive named in `parts`, as the
/// crate resolves the run's backend for a seed (`Primitive::seeded_backend`).
fn note_seeded(side: Side, parts: &[&str]) {
    /// A primitive's name and its seeded backend in this run.
    #[derive(Clone)]
    struct Seeded(Option<Backend>);
    impl PrimitiveVisitor for Seeded {
        type Output = (&'static str, Option<Backend>);
        fn visit<P: Primitive>(self) -> Self::Output {
            (P::NAME, P::seeded_backend(self.0).ok())
        }
    }
    for (name, backend) in table::for_each(Seeded(requested())) {
        if let (true, Some(backend)) = (parts.contains(&name), backend) {
            note(side, name, backend);
        }
    }
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
    let result = match requested() {
        Some(b) => group.generate_key_share_from_seed_on(b, seed),
        None => group.generate_key_share_from_seed(seed),
    };
    match &result {
        Ok((_, state)) => state.keys(&mut note_keys),
        Err(_) => note_seeded(Side::Client, group.parts()),
    }
    result
}

/// [`NamedGroup::encapsulate_from_seed`], on the requested backend.
pub(crate) fn encapsulate(
    group: NamedGroup,
    client_share: &[u8],
    seed: &[u8],
) -> Result<(KeyShareBytes, SharedSecret), Error> {
    note_seeded(Side::Server, group.parts());
    match requested() {
        Some(b) => group.encapsulate_from_seed_on(b, client_share, seed),
        None => group.encapsulate_from_seed(client_share, seed),
    }
}

/// [`Group::generate_key_share_from_seed`], on the requested backend.
pub(crate) fn keygen_typed<G: Group>(
    seed: &G::ClientSeed,
) -> Result<(G::ClientShare, hybrid_kx::ClientState<G>), Error> {
    let result = match requested() {
        Some(b) => G::generate_key_share_from_seed_on(b, seed),
        None => G::generate_key_share_from_seed(seed),
    };
    match &result {
        Ok((_, state)) => G::Kx::keys(state.component_state(), &mut note_keys),
        Err(_) => note_seeded(Side::Client, G::Kx::PARTS),
    }
    result
}

/// [`Group::encapsulate_from_seed`], on the requested backend.
pub(crate) fn encapsulate_typed<G: Group>(
    client_share: &[u8],
    seed: &G::ServerSeed,
) -> Result<(G::ServerShare, SharedSecret), Error> {
    note_seeded(Side::Server, G::Kx::PARTS);
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
    let result = C::client_keygen(requested(), seed, share);
    match &result {
        Ok(state) => C::keys(state, &mut note_keys),
        Err(_) => note_seeded(Side::Client, C::PARTS),
    }
    result
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
    note_seeded(Side::Server, C::PARTS);
    C::server_respond(requested(), step)
}
