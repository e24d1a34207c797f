//! Layer 1: one small adapter per primitive, each with the same KEM-shaped trio.
//!
//! TLS 1.3 treats every key exchange as a KEM (RFC 8446 section 4.2.8; RFC 10024 section 3): the
//! client generates a key pair and sends a share, the server answers with its own share and
//! learns the secret, the client completes with the server's share. Diffie-Hellman fits the same
//! shape (the server "encapsulates" by generating its own key pair). Each component implements
//! that trio over fixed-length byte slices and validates its own part of the wire.
//!
//! - [`mlkem`], [`x25519`], [`ecdh_nist`]: the primitives, each a declaration of which backend
//!   code implements it (`Implementations`); the code itself is in `crate::backend`.
//! - `key`: choosing the backend and holding its key ([`PrivateKey`]), written once for
//!   every primitive.
//! - [`table`]: the one list of primitives.
//! - [`hybrid`]: the composition of two components into one hybrid key exchange.
//!
//! Public with the `hazmat` feature only: the groups are the API; the components are for
//! known-answer tests, benchmarks and audits that must reach each part alone.

pub mod ecdh_nist;
#[cfg(any_rustls)]
mod fips;
pub mod hybrid;
mod key;
pub mod mlkem;
pub mod table;
pub mod x25519;

use zeroize::ZeroizeOnDrop;

use crate::backend::Backend;
pub use crate::backend::code::ServerStep;
use crate::error::Error;
#[cfg(any_rustls)]
pub(crate) use fips::Fips;
pub(crate) use key::Implementations;
pub use key::PrivateKey;

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// A key exchange in KEM shape over byte slices of fixed, public lengths.
///
/// Every method receives slices of exactly the lengths the associated constants state: the
/// group layer checks peer input against them first (RFC 10024 section 4.1) and sizes its own
/// buffers from them. A component still re-checks and returns an error rather than panic.
///
/// `backend`: `None` runs each primitive on its preferred backend ([`Primitive::backend`]);
/// `Some(b)` runs each primitive that has code on `b` there and the others on the portable
/// reference, so that "everything on libcrux" runs ML-KEM on libcrux and X25519 on
/// `x25519-dalek` ([`Error::BackendUnavailable`] when `b` does not run here).
///
/// Randomness: [`Component::client_keygen`] and [`Component::server_respond`] run on the seed
/// they are given, so code that cannot take a seed does not run them (aws-lc-rs's ML-KEM: its
/// safe API draws `d ‖ z` and `m` itself; the primitive then runs on the next backend of its
/// preference, or on the portable reference for a requested backend,
/// [`Primitive::seeded_backend`]). The `_system` forms are for randomness fresh from the
/// operating system, which such code may replace with its own.
///
/// Sealed: the set of components is fixed by the specifications this crate implements.
pub trait Component: Sealed + 'static {
    /// The primitives this component is made of, in wire order (`["ML-KEM-768", "X25519"]`):
    /// the names FIPS 203, RFC 7748 and SEC 2 give them (`P-256`, `P-384`), for reports and
    /// vector files.
    const PARTS: &'static [&'static str];
    /// Bytes of the client's share (encapsulation key or public key).
    const CLIENT_SHARE_LEN: usize;
    /// Bytes of the server's share (ciphertext or public key).
    const SERVER_SHARE_LEN: usize;
    /// Bytes of the shared secret.
    const SECRET_LEN: usize;
    /// Bytes of randomness the client's key generation consumes (ML-KEM `d ‖ z`, an EC scalar).
    const CLIENT_SEED_LEN: usize;
    /// Bytes of randomness the server consumes (ML-KEM `m`, an EC scalar).
    const SERVER_SEED_LEN: usize;

    /// The client's private state between its share and the server's answer.
    type ClientState: ZeroizeOnDrop + Send + Sync + 'static;

    /// Whether `backend` is compiled in with code for this component (or, for a composition,
    /// for one of its parts), so that running on it differs from running on the reference.
    fn has_backend(backend: Backend) -> bool;

    /// Client key generation from explicit randomness: writes the public share, returns the
    /// private state.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPrivateScalar`] for an EC scalar outside `[1, n-1]`;
    /// [`Error::BackendUnavailable`] as above; [`Error::Internal`] for slices of the wrong
    /// length.
    fn client_keygen(
        backend: Option<Backend>,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<Self::ClientState, Error>;

    /// The server step: validates the client's share, writes the server's share and the
    /// secret (the four slices are named in a [`ServerStep`], so the two outputs cannot be
    /// swapped).
    ///
    /// # Errors
    ///
    /// The client share's defects ([`Error::alert`] gives the alert), the server randomness's
    /// ([`Error::InvalidPrivateScalar`]), [`Error::BackendUnavailable`] as above, or
    /// [`Error::Internal`] for slices of the wrong length.
    fn server_respond(backend: Option<Backend>, step: ServerStep<'_>) -> Result<(), Error>;

    /// [`Component::client_keygen`] for randomness the caller does not choose: `seed` is fresh
    /// from the operating system and used for this one key. A backend with a generator of its
    /// own may run and draw there instead, ignoring `seed` (aws-lc-rs: its DRBG, the one FIPS
    /// 140-3 wants to draw a module's private keys, FIPS 203 section 3.3); where every part
    /// does ([`Component::system_reads_seed`] is `false`), `seed` may be zeros. What
    /// `Group::generate_key_share` and the rustls adapters run.
    ///
    /// # Errors
    ///
    /// As [`Component::client_keygen`].
    fn client_keygen_system(
        backend: Option<Backend>,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<Self::ClientState, Error>;

    /// [`Component::server_respond`] for randomness the caller does not choose (`step.seed` is
    /// fresh from the operating system), as [`Component::client_keygen_system`]. What
    /// `Group::encapsulate` and the rustls adapters run.
    ///
    /// # Errors
    ///
    /// As [`Component::server_respond`].
    fn server_respond_system(backend: Option<Backend>, step: ServerStep<'_>) -> Result<(), Error>;

    /// Whether the `_system` operations on `backend` (or the preferred backends) read the seed
    /// they are given. `false` when every part runs on code that draws from a generator of its
    /// own (aws-lc-rs): the caller may then pass zeros instead of drawing from the operating
    /// system, which saves a system call per operation and is what the group layer does.
    fn system_reads_seed(backend: Option<Backend>) -> bool;

    /// Client completion, on the backends that generated the state: validates the server's
    /// share and writes the secret.
    ///
    /// # Errors
    ///
    /// The server share's defects ([`Error::alert`] gives the alert), or [`Error::Internal`] for
    /// slices of the wrong length.
    fn client_complete(
        state: &Self::ClientState,
        server_share: &[u8],
        secret: &mut [u8],
    ) -> Result<(), Error>;

    /// Bytes of the FIPS 203 expanded decapsulation key (section 7.1) of an ML-KEM primitive;
    /// 0 for anything else (feature `hazmat`).
    #[cfg(feature = "hazmat")]
    const EXPANDED_KEY_LEN: usize;

    /// Shows each primitive key of `state`, in wire order, to `visit` (feature `hazmat`): for
    /// audits that inspect key memory and reports that say which backend holds each key.
    #[cfg(feature = "hazmat")]
    fn keys(state: &Self::ClientState, visit: &mut dyn FnMut(KeyView<'_>));

    /// An ML-KEM primitive's key in its FIPS 203 expanded form, written to `out`
    /// ([`Component::EXPANDED_KEY_LEN`] bytes) (feature `hazmat`).
    ///
    /// # Errors
    ///
    /// [`Error::Internal`] for a component that is not an ML-KEM primitive or an `out` of
    /// another length.
    #[cfg(feature = "hazmat")]
    fn expanded_key(state: &Self::ClientState, out: &mut [u8]) -> Result<(), Error>;

    /// An ML-KEM primitive's state from a FIPS 203 expanded key (feature `hazmat`); see
    /// [`PrivateKey::from_expanded_key`].
    ///
    /// # Errors
    ///
    /// As [`PrivateKey::from_expanded_key`]; [`Error::Internal`] for a component that is not
    /// an ML-KEM primitive.
    #[cfg(feature = "hazmat")]
    fn from_expanded_key(backend: Option<Backend>, dk: &[u8]) -> Result<Self::ClientState, Error>;
}

/// One primitive key of a client state, as [`Component::keys`] shows it (feature `hazmat`).
#[cfg(feature = "hazmat")]
pub struct KeyView<'a> {
    /// The primitive (`ML-KEM-768`, `X25519`, ...).
    pub primitive: &'static str,
    /// The backend that holds the key.
    pub backend: Backend,
    /// The memory of the backend's key object, which holds secrets.
    pub secret: KeyMemory<'a>,
    /// Public values inside [`KeyView::secret`] (an ML-KEM key's encapsulation key), which an
    /// audit must not treat as secret.
    pub public: Option<KeyMemory<'a>>,
}

/// A component made of one primitive, whose backend is chosen per process.
pub trait Primitive: Component<ClientState = PrivateKey<Self>> + Implementations {
    /// The primitive's name: `ML-KEM-768`, `X25519`, `P-256`, ...
    const NAME: &'static str;

    /// The backend this primitive runs on here with randomness from the operating system (the
    /// default entry points, the rustls adapters): the first of its preference order that is
    /// compiled in and that this CPU runs, a backend running a FIPS module in FIPS mode first.
    fn backend() -> Backend {
        key::preferred::<Self>(crate::backend::code::Source::System)
    }

    /// The backend a seeded operation of this primitive runs on (a `_from_seed` entry point, a
    /// caller's generator, the `_on` entry points): `requested` if it has code for this
    /// primitive that takes a seed, the portable reference for a requested backend without,
    /// and for `None` the first of the preference order whose code takes a seed. Differs from
    /// [`Primitive::backend`] only where the preferred code draws its own randomness
    /// (aws-lc-rs's ML-KEM).
    ///
    /// # Errors
    ///
    /// [`Error::BackendUnavailable`] when `requested` does not run here.
    fn seeded_backend(requested: Option<Backend>) -> Result<Backend, Error> {
        key::resolve::<Self>(requested, crate::backend::code::Source::Caller)
    }

    /// Whether `backend` has code for this primitive, is compiled in and runs on this CPU.
    fn supports(backend: Backend) -> bool {
        key::implements::<Self>(backend) && backend.is_usable()
    }
}

/// A Diffie-Hellman primitive whose client share is also a TLS group of its own, so one key
/// generation can serve a hybrid share and a plain ECDHE share (RFC 9954 section 3.2).
pub trait EcdhComponent: Primitive {
    /// The standalone TLS `NamedGroup` codepoint (RFC 8446 section 4.2.7): x25519 `0x001D`,
    /// secp256r1 `0x0017`, secp384r1 `0x0018`.
    const CODEPOINT: u16;
    /// The standalone group's IANA name.
    const GROUP_NAME: &'static str;
}

/// A component whose client key generation accepts every seed: ML-KEM (any `d ‖ z`, FIPS 203
/// section 6.1), X25519 (any 32 bytes, clamped as RFC 7748 section 5 says), and a hybrid of two
/// such. The NIST curves are not: a P-256 or P-384 scalar outside `[1, n-1]` is rejected (FIPS
/// 186-5 appendix A.2.2). The `kem` adapter offers infallible key generation from a seed
/// (`kem::KeyInit`) exactly for the groups whose composition has this marker.
#[cfg(feature = "kem")]
pub trait EverySeedValid: Component {}

/// A computation written once, generic over the primitive, and run for each entry of the
/// component [`table`].
pub trait PrimitiveVisitor {
    /// What the computation returns.
    type Output;
    /// Runs the computation for primitive `P`.
    fn visit<P: Primitive>(self) -> Self::Output;
}

/// Where a backend keeps a private key, for audits that inspect that memory (the constant-time
/// harness marks it secret for valgrind).
#[cfg(feature = "hazmat")]
pub enum KeyMemory<'a> {
    /// A key object (its whole size is the memory).
    Object(&'a dyn core::any::Any),
    /// Key bytes.
    Bytes(&'a [u8]),
}

/// Views `bytes` as an array of exactly `N` bytes, or reports an internal length error.
pub(crate) fn fixed<const N: usize>(bytes: &[u8]) -> Result<&[u8; N], Error> {
    bytes.try_into().map_err(|_| Error::Internal)
}

/// Copies `from` into `to` of the same length, or reports an internal length error.
pub(crate) fn write(to: &mut [u8], from: &[u8]) -> Result<(), Error> {
    if to.len() != from.len() {
        return Err(Error::Internal);
    }
    to.copy_from_slice(from);
    Ok(())
}
