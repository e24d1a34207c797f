//! X25519 (RFC 7748) as a key-exchange component.
//!
//! Both shares are 32-byte u-coordinates; the secret is the 32-byte X25519 output, which RFC 8446
//! section 7.4.2 requires to be checked for all zeros.
//!
//! ## Backends
//!
//! [`Backend::Portable`] (`x25519-dalek`) is the default and the fallback; [`Backend::Graviola`]
//! (feature `backend-graviola`, x86_64 with the CPU features graviola requires, checked at run
//! time) is preferred when present. Same bytes and errors either way.

#[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
mod graviola;

use core::fmt;

use subtle::ConstantTimeEq;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::ZeroizeOnDrop;

use super::{Component, EcdhComponent, Sealed, fixed, fixed_mut};
#[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
use crate::backend::GraviolaCpu;
use crate::backend::{self, Backend};
use crate::declassify::reject_if;
use crate::error::Error;

/// X25519 key and secret length (RFC 7748 section 5).
const LEN: usize = 32;

/// X25519 (RFC 7748) in KEM shape: the server's "encapsulation" is its own ephemeral key pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct X25519;

/// The client's X25519 private scalar and its public u-coordinate.
pub struct X25519ClientState {
    secret: Secret,
    public: [u8; LEN],
}

/// The private scalar, held by the backend that made it (each zeroizes it on drop).
enum Secret {
    Portable(StaticSecret),
    #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
    Graviola(
        (
            GraviolaCpu,
            ::graviola::key_agreement::x25519::StaticPrivateKey,
        ),
    ),
}

impl X25519ClientState {
    /// The private scalar's object in whichever backend holds it, as `Any` so that an audit can
    /// find its size: the constant-time harness marks exactly this memory secret (feature
    /// `hazmat`).
    #[cfg(feature = "hazmat")]
    pub fn secret_memory(&self) -> &dyn core::any::Any {
        match &self.secret {
            Secret::Portable(s) => s,
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            Secret::Graviola(s) => s,
        }
    }

    /// The client's public share, the value a plain X25519 `KeyShareEntry` carries (RFC 8446
    /// section 4.2.8.2), reusable beside a hybrid share (RFC 9954 section 3.2).
    pub fn public_share(&self) -> &[u8; LEN] {
        &self.public
    }

    /// The backend that holds the scalar and runs the completion.
    pub fn backend(&self) -> Backend {
        match &self.secret {
            Secret::Portable(_) => Backend::Portable,
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            Secret::Graviola(_) => Backend::Graviola,
        }
    }
}

// `StaticSecret` zeroizes its scalar on drop (x25519-dalek's `zeroize` feature), so does
// graviola's `StaticPrivateKey`; the public value is public.
impl ZeroizeOnDrop for X25519ClientState {}

impl fmt::Debug for X25519ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("X25519ClientState")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

/// X25519(k, u) with the all-zero check of RFC 7748 section 6.1 / RFC 8446 section 7.4.2, done
/// in constant time; the only branch is on the abort decision, which the peer learns anyway.
fn agree_portable(secret: &StaticSecret, peer: &[u8; LEN], out: &mut [u8]) -> Result<(), Error> {
    let shared = secret.diffie_hellman(&PublicKey::from(*peer));
    reject_if(
        shared.as_bytes().ct_eq(&[0u8; LEN]),
        Error::X25519ZeroSharedSecret,
    )?;
    fixed_mut::<LEN>(out)?.copy_from_slice(shared.as_bytes());
    Ok(())
}

impl X25519 {
    /// The backends with an X25519 implementation.
    const BACKENDS: &'static [Backend] = &[Backend::Portable, Backend::Graviola];

    /// The backend X25519 runs on here: graviola when it is compiled in and this CPU runs it,
    /// else `x25519-dalek`.
    pub fn backend() -> Backend {
        backend::preferred(Self::BACKENDS)
    }

    /// Whether `backend` implements X25519, is compiled in and runs on this CPU.
    pub fn supports(backend: Backend) -> bool {
        Self::BACKENDS.contains(&backend) && backend.is_usable()
    }

    /// Key generation on `backend`, which implements X25519.
    fn keygen_on(
        backend: Backend,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<X25519ClientState, Error> {
        let seed = fixed::<LEN>(seed)?;
        let share = fixed_mut::<LEN>(share)?;
        let state = match backend {
            Backend::Portable => {
                let secret = StaticSecret::from(*seed);
                let public = PublicKey::from(&secret).to_bytes();
                X25519ClientState {
                    secret: Secret::Portable(secret),
                    public,
                }
            }
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            Backend::Graviola => {
                let cpu = backend::graviola_cpu().ok_or(Error::BackendUnavailable)?;
                let (secret, public) = graviola::keygen(cpu, seed);
                X25519ClientState {
                    secret: Secret::Graviola(secret),
                    public,
                }
            }
            #[allow(unreachable_patterns)]
            _ => return Err(Error::BackendUnavailable),
        };
        share.copy_from_slice(&state.public);
        Ok(state)
    }

    /// The server step on `backend`, which implements X25519.
    fn respond_on(
        backend: Backend,
        seed: &[u8],
        client_share: &[u8],
        share: &mut [u8],
        secret: &mut [u8],
    ) -> Result<(), Error> {
        let peer = fixed::<LEN>(client_share)?;
        let seed = fixed::<LEN>(seed)?;
        let share = fixed_mut::<LEN>(share)?;
        match backend {
            Backend::Portable => {
                let own = StaticSecret::from(*seed);
                agree_portable(&own, peer, secret)?;
                share.copy_from_slice(PublicKey::from(&own).as_bytes());
                Ok(())
            }
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            Backend::Graviola => {
                let cpu = backend::graviola_cpu().ok_or(Error::BackendUnavailable)?;
                let ((_, own), public) = graviola::keygen(cpu, seed);
                graviola::agree(cpu, &own, peer, secret)?;
                share.copy_from_slice(&public);
                Ok(())
            }
            #[allow(unreachable_patterns)]
            _ => Err(Error::BackendUnavailable),
        }
    }
}

impl Sealed for X25519 {}

impl Component for X25519 {
    const CLIENT_SHARE_LEN: usize = LEN;
    const SERVER_SHARE_LEN: usize = LEN;
    const SECRET_LEN: usize = LEN;
    /// The 32-byte scalar `k` of RFC 7748 section 5 (clamped by X25519 itself).
    const CLIENT_SEED_LEN: usize = LEN;
    /// The server's 32-byte scalar.
    const SERVER_SEED_LEN: usize = LEN;
    const PARTS: &'static [&'static str] = &["X25519"];

    type ClientState = X25519ClientState;

    fn has_backend(backend: Backend) -> bool {
        Self::BACKENDS.contains(&backend)
    }

    fn client_keygen(seed: &[u8], share: &mut [u8]) -> Result<Self::ClientState, Error> {
        Self::keygen_on(Self::backend(), seed, share)
    }

    fn client_keygen_on(
        backend: Backend,
        seed: &[u8],
        share: &mut [u8],
    ) -> Result<Self::ClientState, Error> {
        Self::keygen_on(backend::resolve(backend, Self::BACKENDS)?, seed, share)
    }

    fn server_respond(
        seed: &[u8],
        client_share: &[u8],
        share: &mut [u8],
        secret: &mut [u8],
    ) -> Result<(), Error> {
        Self::respond_on(Self::backend(), seed, client_share, share, secret)
    }

    fn server_respond_on(
        backend: Backend,
        seed: &[u8],
        client_share: &[u8],
        share: &mut [u8],
        secret: &mut [u8],
    ) -> Result<(), Error> {
        let backend = backend::resolve(backend, Self::BACKENDS)?;
        Self::respond_on(backend, seed, client_share, share, secret)
    }

    fn client_complete(
        state: &Self::ClientState,
        server_share: &[u8],
        secret: &mut [u8],
    ) -> Result<(), Error> {
        let peer = fixed::<LEN>(server_share)?;
        match &state.secret {
            Secret::Portable(own) => agree_portable(own, peer, secret),
            #[cfg(all(feature = "backend-graviola", target_arch = "x86_64"))]
            Secret::Graviola((cpu, own)) => graviola::agree(*cpu, own, peer, secret),
        }
    }
}

impl EcdhComponent for X25519 {
    const CODEPOINT: u16 = 0x001D;
    const NAME: &'static str = "x25519";
    fn public_share(state: &Self::ClientState) -> &[u8] {
        state.public_share()
    }
}
