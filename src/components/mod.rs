//! Layer 1: one small adapter per primitive, each with the same KEM-shaped trio.
//!
//! TLS 1.3 treats every key exchange as a KEM (RFC 8446 section 4.2.8; RFC 10024 section 3): the
//! client generates a key pair and sends a share, the server answers with its own share and
//! learns the secret, the client completes with the server's share. Diffie-Hellman fits the same
//! shape (the server "encapsulates" by generating its own key pair). Each component here
//! implements that trio over fixed-length byte slices and validates its own part of the wire.
//!
//! The components are composed into the public groups by [`crate::groups`]; they are exposed so
//! that benchmarks and audits can reach each part alone.

pub mod ecdh_nist;
pub mod hybrid;
pub mod mlkem;
pub mod x25519;

use zeroize::ZeroizeOnDrop;

use crate::backend::Backend;
use crate::error::Error;

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
/// Sealed: the set of components is fixed by the specifications this crate implements.
pub trait Component: Sealed {
    /// The primitives this component is made of, in wire order (`["ML-KEM-768", "X25519"]`):
    /// the names FIPS 203 and RFC 7748 / SEC 2 give them (`P-256`, `P-384`), for reports and
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
    type ClientState: ZeroizeOnDrop;

    /// Whether `backend` has an implementation of this component (or, for a composition, of
    /// one of its parts), whether or not it is compiled in.
    fn has_backend(backend: Backend) -> bool;

    /// Client key generation from explicit randomness on this component's preferred backend
    /// ([`crate::backend`]): writes the public share, returns the private state.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPrivateScalar`] for an EC scalar outside `[1, n-1]`; [`Error::Internal`]
    /// for slices of the wrong length.
    fn client_keygen(seed: &[u8], share: &mut [u8]) -> Result<Self::ClientState, Error>;

    /// [`Component::client_keygen`] on `backend` where this component has it, else on the
    /// portable reference (a composition passes the request on to each part).
    ///
    /// # Errors
    ///
    /// [`Error::BackendUnavailable`] when `backend` is not compiled in or this CPU cannot run it;
    /// otherwise as [`Component::client_keygen`].
    fn client_keygen_on(
        backend: Backend,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<Self::ClientState, Error>;

    /// Server step on this component's preferred backend: validates the client's share, writes
    /// the server's share and the secret.
    ///
    /// # Errors
    ///
    /// The client share's defects ([`Error::alert`] gives the alert), the server randomness's
    /// ([`Error::InvalidPrivateScalar`]), or [`Error::Internal`] for slices of the wrong length.
    fn server_respond(
        seed: &[u8],
        client_share: &[u8],
        share: &mut [u8],
        secret: &mut [u8],
    ) -> Result<(), Error>;

    /// [`Component::server_respond`] on `backend` where this component has it, else on the
    /// portable reference.
    ///
    /// # Errors
    ///
    /// [`Error::BackendUnavailable`] when `backend` is not compiled in or this CPU cannot run it;
    /// otherwise as [`Component::server_respond`].
    fn server_respond_on(
        backend: Backend,
        seed: &[u8],
        client_share: &[u8],
        share: &mut [u8],
        secret: &mut [u8],
    ) -> Result<(), Error>;

    /// Client completion, on the backend that generated the state: validates the server's
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
}

/// A Diffie-Hellman component whose client share is also a TLS group of its own, so one key
/// generation can serve a hybrid share and a plain ECDHE share (RFC 9954 section 3.2).
pub trait EcdhComponent: Component {
    /// The standalone TLS `NamedGroup` codepoint (RFC 8446 section 4.2.7): x25519 `0x001D`,
    /// secp256r1 `0x0017`, secp384r1 `0x0018`.
    const CODEPOINT: u16;
    /// The standalone group's IANA name.
    const NAME: &'static str;
    /// The client's public share held in its state.
    fn public_share(state: &Self::ClientState) -> &[u8];
}

/// A value followed by `P` zero bytes, so that the variants of a state enum can all be made as
/// large as the largest one.
///
/// An enum is as large as its largest variant; a smaller variant leaves the rest of the storage
/// unwritten, and that tail travels with every move of the value, carrying whatever the stack
/// held there before, such as a copy of the key-generation seed made inside a backend. Zeroizing
/// the variant's fields on drop cannot reach that tail (safe Rust cannot write it). Padding every
/// variant to the full size leaves no unwritten tail: `tests/secret_lifetime.rs` checks the
/// freed memory of every client state.
#[derive(Clone)]
pub(crate) struct Padded<T, const P: usize> {
    value: T,
    pad: [u8; P],
}

impl<T, const P: usize> Padded<T, P> {
    /// `value` and `P` zero bytes.
    pub(crate) const fn new(value: T) -> Self {
        Self { value, pad: [0; P] }
    }
}

impl<T, const P: usize> core::ops::Deref for Padded<T, P> {
    type Target = T;
    fn deref(&self) -> &T {
        // The padding is written once, as zeros, and never read.
        let _ = &self.pad;
        &self.value
    }
}

/// The larger of two sizes, for [`Padded`] state enums.
pub(crate) const fn max_size(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

/// Views `bytes` as an array of exactly `N` bytes, or reports an internal length error.
pub(crate) fn fixed<const N: usize>(bytes: &[u8]) -> Result<&[u8; N], Error> {
    bytes.try_into().map_err(|_| Error::Internal)
}

/// Mutable counterpart of [`fixed`].
pub(crate) fn fixed_mut<const N: usize>(bytes: &mut [u8]) -> Result<&mut [u8; N], Error> {
    bytes.try_into().map_err(|_| Error::Internal)
}
