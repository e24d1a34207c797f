//! X25519 (RFC 7748) as a key-exchange component, on `x25519-dalek`.
//!
//! Both shares are 32-byte u-coordinates; the secret is the 32-byte X25519 output, which RFC 8446
//! section 7.4.2 requires to be checked for all zeros.

use subtle::ConstantTimeEq;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::ZeroizeOnDrop;

use super::{Component, EcdhComponent, Sealed, fixed, fixed_mut};
use crate::declassify::reject_if;
use crate::error::Error;

/// X25519 key and secret length (RFC 7748 section 5).
const LEN: usize = 32;

/// X25519 (RFC 7748) in KEM shape: the server's "encapsulation" is its own ephemeral key pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct X25519;

/// The client's X25519 private scalar and its public u-coordinate.
pub struct X25519ClientState {
    secret: StaticSecret,
    public: [u8; LEN],
}

impl X25519ClientState {
    /// The client's public share, the value a plain X25519 `KeyShareEntry` carries (RFC 8446
    /// section 4.2.8.2), reusable beside a hybrid share (RFC 9954 section 3.2).
    pub fn public_share(&self) -> &[u8; LEN] {
        &self.public
    }
}

// `StaticSecret` zeroizes its scalar on drop (x25519-dalek's `zeroize` feature); the public value
// is public.
impl ZeroizeOnDrop for X25519ClientState {}

impl core::fmt::Debug for X25519ClientState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("X25519ClientState").finish_non_exhaustive()
    }
}

/// X25519(k, u) with the all-zero check of RFC 7748 section 6.1 / RFC 8446 section 7.4.2, done
/// in constant time; the only branch is on the abort decision, which the peer learns anyway.
fn agree(secret: &StaticSecret, peer: &[u8; LEN], out: &mut [u8]) -> Result<(), Error> {
    let shared = secret.diffie_hellman(&PublicKey::from(*peer));
    reject_if(
        shared.as_bytes().ct_eq(&[0u8; LEN]),
        Error::X25519ZeroSharedSecret,
    )?;
    fixed_mut::<LEN>(out)?.copy_from_slice(shared.as_bytes());
    Ok(())
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

    type ClientState = X25519ClientState;

    fn client_keygen(seed: &[u8], share: &mut [u8]) -> Result<Self::ClientState, Error> {
        let secret = StaticSecret::from(*fixed::<LEN>(seed)?);
        let public = PublicKey::from(&secret).to_bytes();
        fixed_mut::<LEN>(share)?.copy_from_slice(&public);
        Ok(X25519ClientState { secret, public })
    }

    fn server_respond(
        seed: &[u8],
        client_share: &[u8],
        share: &mut [u8],
        secret: &mut [u8],
    ) -> Result<(), Error> {
        let peer = fixed::<LEN>(client_share)?;
        let own = StaticSecret::from(*fixed::<LEN>(seed)?);
        agree(&own, peer, secret)?;
        fixed_mut::<LEN>(share)?.copy_from_slice(PublicKey::from(&own).as_bytes());
        Ok(())
    }

    fn client_complete(
        state: &Self::ClientState,
        server_share: &[u8],
        secret: &mut [u8],
    ) -> Result<(), Error> {
        agree(&state.secret, fixed::<LEN>(server_share)?, secret)
    }
}

impl EcdhComponent for X25519 {
    const CODEPOINT: u16 = 0x001D;
    const NAME: &'static str = "x25519";
    fn public_share(state: &Self::ClientState) -> &[u8] {
        state.public_share()
    }
}
