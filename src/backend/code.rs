//! The contract between a component and one backend's implementation of it.
//!
//! A backend is a [`Family`] (its CPU check) and, for each primitive it implements, one [`Code`]:
//! the three operations of the KEM shape over byte slices (RFC 8446 section 4.2.8: the client
//! generates a key share, the server answers in one step, the client completes). A component
//! names one `Code` per backend (`crate::components::Implementations`); choosing among them is
//! written once, in `crate::components::key`.
//!
//! Randomness: the group layer knows whose randomness an operation runs on ([`Source`]). Every
//! backend's `keygen` and `respond` take it as a seed; a backend that has a generator of its own
//! may use that instead when the operation's randomness is the operating system's
//! ([`Code::keygen_system`], [`Code::respond_system`]), and one that cannot take a seed at all
//! says so ([`Code::TAKES_SEED`]) and is never given one.

use zeroize::ZeroizeOnDrop;

use super::Backend;
use crate::error::Error;

/// A backend family: which [`Backend`] it is and whether this CPU runs it.
pub trait Family: 'static {
    /// The backend this family is.
    const BACKEND: Backend;
    /// Proof that this CPU runs the family's code: `()` where nothing needs checking, a token
    /// that only [`Family::cpu`] hands out where the code would fault without the check.
    type Cpu: Copy + Send + Sync + 'static;
    /// The CPU check, done once per process where it costs anything.
    fn cpu() -> Option<Self::Cpu>;
}

/// The server step's inputs and outputs (RFC 8446 section 4.2.8: the server answers a client
/// share in one step), as one value.
pub struct ServerStep<'a> {
    /// The server's randomness (ML-KEM `m`, an EC scalar).
    pub seed: &'a [u8],
    /// The client's share, to validate.
    pub client_share: &'a [u8],
    /// Where the server's share goes.
    pub share: &'a mut [u8],
    /// Where the shared secret goes.
    pub secret: &'a mut [u8],
}

impl<'a> ServerStep<'a> {
    /// The step with these slices, in the order of the fields.
    pub(crate) fn new(
        seed: &'a [u8],
        client_share: &'a [u8],
        share: &'a mut [u8],
        secret: &'a mut [u8],
    ) -> Self {
        Self {
            seed,
            client_share,
            share,
            secret,
        }
    }
}

/// Whose randomness an operation runs on, which decides the backends that may run it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The caller's: a seed given to a `_from_seed` entry point, or drawn from a generator the
    /// caller passed (`_with_rng`, `kem`). The result must be a function of the seed (known-answer
    /// tests, keys kept as seeds, reproducible generators), so only code that takes a seed
    /// ([`Code::TAKES_SEED`]) runs it.
    Caller,
    /// The operating system's (`generate_key_share()`, `encapsulate()`, the rustls adapters, the
    /// key-share pool): the seed was drawn from it for this one operation, and code with a
    /// generator of its own may draw there instead (FIPS 140-3 wants a validated module's
    /// private keys, ML-KEM's `d`, `z` and `m` included, drawn by the module's own DRBG: FIPS
    /// 203 section 3.3, SP 800-90A).
    System,
}

/// The CPU token of `C`'s family.
pub(crate) type Cpu<C> = <<C as Code>::Family as Family>::Cpu;

/// One backend's implementation of one primitive. Every method receives slices of the
/// primitive's exact lengths (the group layer checks peer input first, RFC 10024 section 4.1)
/// and still returns [`Error::Internal`] rather than panicking on any other length.
pub trait Code: 'static {
    /// The family the code belongs to.
    type Family: Family;
    /// The client's private key between its share and the server's answer: wiped on drop.
    type Key: ZeroizeOnDrop + Send + Sync + 'static;
    /// `false` only for [`Absent`]: the component has no code on this backend.
    const IMPLEMENTED: bool = true;
    /// Whether [`Code::keygen`] and [`Code::respond`] run on the seed they are given. `false`
    /// for code whose only randomness is its own generator (aws-lc-rs's ML-KEM: its safe API
    /// takes no `d ‖ z` and no `m`): it runs only operations of [`Source::System`], and an
    /// operation of [`Source::Caller`] runs on another backend.
    const TAKES_SEED: bool = true;
    /// Whether [`Code::keygen_system`] and [`Code::respond_system`] draw from the code's own
    /// generator and never read the seed they are given (aws-lc-rs: AWS-LC's DRBG). The group
    /// layer then draws no seed from the operating system for an operation that runs here
    /// entirely on such code, and passes zeros: one system call fewer per operation. Code that
    /// says `true` must override both methods.
    const DRAWS_OWN_RANDOMNESS: bool = false;

    /// Client key generation from explicit randomness: writes the public share. Never called
    /// when [`Code::TAKES_SEED`] is `false`.
    fn keygen(cpu: Cpu<Self>, seed: &[u8], share: &mut [u8]) -> Result<Self::Key, Error>;

    /// The server step: validates the client's share, writes the server's share and the secret.
    /// Never called when [`Code::TAKES_SEED`] is `false`.
    fn respond(cpu: Cpu<Self>, step: ServerStep<'_>) -> Result<(), Error>;

    /// Client key generation for an operation of [`Source::System`]: `seed` is fresh from the
    /// operating system. By default [`Code::keygen`] on it; code with a generator of its own
    /// draws there and ignores `seed`.
    fn keygen_system(cpu: Cpu<Self>, seed: &[u8], share: &mut [u8]) -> Result<Self::Key, Error> {
        Self::keygen(cpu, seed, share)
    }

    /// The server step for an operation of [`Source::System`] (`step.seed` is fresh from the
    /// operating system), as [`Code::keygen_system`] is to [`Code::keygen`].
    fn respond_system(cpu: Cpu<Self>, step: ServerStep<'_>) -> Result<(), Error> {
        Self::respond(cpu, step)
    }

    /// Client completion: validates the server's share and writes the secret.
    fn complete(key: &Self::Key, server_share: &[u8], secret: &mut [u8]) -> Result<(), Error>;

    /// The client's public share kept in the key, for a Diffie-Hellman primitive whose share
    /// is offered on its own as well (RFC 9954 section 3.2); empty for a KEM.
    fn public_share(_key: &Self::Key) -> &[u8] {
        &[]
    }

    /// The private key's memory, for audits that mark it (the constant-time harness).
    #[cfg(feature = "hazmat")]
    fn secret_memory(key: &Self::Key) -> crate::components::KeyMemory<'_>;

    /// Public values stored inside [`Code::secret_memory`] (an ML-KEM key's `ek ‖ H(ek)`), for
    /// audits that must not treat them as secret.
    #[cfg(feature = "hazmat")]
    fn public_memory(_key: &Self::Key) -> Option<crate::components::KeyMemory<'_>> {
        None
    }

    /// An ML-KEM key's FIPS 203 expanded form `dkPKE ‖ ek ‖ H(ek) ‖ z` (section 7.1), written
    /// to `out`; [`Error::Internal`] for primitives that have none.
    #[cfg(feature = "hazmat")]
    fn expanded_key(_key: &Self::Key, _out: &mut [u8]) -> Result<(), Error> {
        Err(Error::Internal)
    }

    /// An ML-KEM key from its expanded form, already checked (FIPS 203 section 7.3) by the
    /// portable reference; `None` where this backend cannot import one.
    #[cfg(feature = "hazmat")]
    fn import_expanded_key(_cpu: Cpu<Self>, _dk: &[u8]) -> Option<Result<Self::Key, Error>> {
        None
    }
}

/// No code on this backend for the component that names it (only an optional backend can lack
/// a component, so without one this is unused).
#[allow(unreachable_pub, dead_code)]
pub struct Absent<F>(core::marker::PhantomData<F>);

/// A value that cannot exist: the key of [`Absent`] code.
#[allow(unreachable_pub, dead_code)]
pub enum Never {}

impl ZeroizeOnDrop for Never {}

impl<F: Family> Code for Absent<F> {
    type Family = F;
    type Key = Never;
    const IMPLEMENTED: bool = false;

    fn keygen(_: Cpu<Self>, _: &[u8], _: &mut [u8]) -> Result<Never, Error> {
        Err(Error::BackendUnavailable)
    }

    fn respond(_: Cpu<Self>, _: ServerStep<'_>) -> Result<(), Error> {
        Err(Error::BackendUnavailable)
    }

    fn complete(key: &Never, _: &[u8], _: &mut [u8]) -> Result<(), Error> {
        match *key {}
    }

    #[cfg(feature = "hazmat")]
    fn secret_memory(key: &Never) -> crate::components::KeyMemory<'_> {
        match *key {}
    }
}
