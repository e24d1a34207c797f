//! rustls 0.24 plumbing of the crate's handshake tests, on `hybrid-kx-support`'s certificate,
//! configurations and 0.24 driver: providers with chosen groups, one in-memory run, and a
//! key-exchange group that corrupts its share before sending it (a malicious peer), as
//! `tls.rs` has them for rustls 0.23.

use std::borrow::Cow;
use std::sync::Arc;

use hybrid_kx::NamedGroup;
use hybrid_kx_support::tls::Identity;
pub use hybrid_kx_support::tls_0_24::Outcome;
use hybrid_kx_support::tls_0_24::{client_config, drive, server_config};
use rustls_0_24::crypto::CryptoProvider;
use rustls_0_24::crypto::kx::{
    ActiveKeyExchange, CompletedKeyExchange, NamedGroup as RustlsNamedGroup, SharedSecret,
    StartedKeyExchange, SupportedKxGroup,
};
use rustls_0_24::error::{AlertDescription, Error, PeerMisbehaved};

/// rustls-ring 0.24's provider (classical groups only).
pub fn ring() -> CryptoProvider {
    rustls_ring_0_24::DEFAULT_PROVIDER
}

/// Our default provider (rustls-ring with our groups and HKDF) with exactly `groups`.
pub fn provider_with(groups: Vec<&'static dyn SupportedKxGroup>) -> CryptoProvider {
    CryptoProvider {
        kx_groups: Cow::Owned(groups),
        ..hybrid_kx::rustls_0_24::default_provider()
    }
}

/// One in-memory handshake between a client on `client` and a server on `server`, with a fresh
/// certificate.
pub fn run(client: CryptoProvider, server: CryptoProvider) -> Outcome {
    let id = Identity::generate().unwrap();
    let client = Arc::new(client_config(Arc::new(client), &id).unwrap());
    let server = Arc::new(server_config(Arc::new(server), &id).unwrap());
    drive(&client, &server, |_, _| {}).unwrap()
}

/// Every ClientHello the client sent, as handshake messages (header included).
pub fn client_hellos(outcome: &Outcome) -> Vec<Vec<u8>> {
    outcome
        .flights
        .iter()
        .filter(|(side, _)| *side == hybrid_kx_support::tls::Side::Client)
        .flat_map(|(_, flight)| super::hello::plaintext_handshake_messages(flight))
        .filter(|m| m[0] == 1)
        .collect()
}

/// A corruption applied to a share on its way out.
pub type Corrupt = Box<dyn Fn(&[u8]) -> Vec<u8> + Send + Sync>;

/// A client key exchange whose public share is corrupted before it is sent.
struct CorruptActive {
    inner: Box<dyn ActiveKeyExchange>,
    share: Vec<u8>,
}

impl ActiveKeyExchange for CorruptActive {
    fn complete(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, Error> {
        self.inner.complete(peer)
    }
    fn pub_key(&self) -> &[u8] {
        &self.share
    }
    fn group(&self) -> RustlsNamedGroup {
        self.inner.group()
    }
}

/// A group that corrupts its share: as a client (`start`, sent as a single share) or as a
/// server (`start_and_complete`).
#[derive(Debug)]
pub struct CorruptGroup {
    inner: &'static dyn SupportedKxGroup,
    corrupt: CorruptFn,
}

/// [`Corrupt`] with a `Debug` that rustls's trait bound asks for.
struct CorruptFn(Corrupt);

impl std::fmt::Debug for CorruptFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("corrupt")
    }
}

impl SupportedKxGroup for CorruptGroup {
    fn start(&self) -> Result<StartedKeyExchange, Error> {
        let inner = self.inner.start()?.into_single();
        let share = (self.corrupt.0)(inner.pub_key());
        Ok(StartedKeyExchange::Single(Box::new(CorruptActive {
            inner,
            share,
        })))
    }
    fn start_and_complete(&self, peer: &[u8]) -> Result<CompletedKeyExchange, Error> {
        let mut done = self.inner.start_and_complete(peer)?;
        done.pub_key = (self.corrupt.0)(&done.pub_key);
        Ok(done)
    }
    fn name(&self) -> RustlsNamedGroup {
        self.inner.name()
    }
}

/// Which side sends the corrupted share.
#[derive(Clone, Copy, Debug)]
pub enum Evil {
    Client,
    Server,
}

/// `evil`'s share of `group` is corrupted by `corrupt`, the other side is ours on rustls 0.24:
/// ours must fail with `InvalidKeyShare` and `evil` must receive `illegal_parameter`, as on
/// rustls 0.23.
pub fn malformed_share(evil: Evil, group: NamedGroup, corrupt: Corrupt, what: &str) {
    let ours = hybrid_kx::rustls_0_24::kx_group(group);
    let corrupting: &'static CorruptGroup = Box::leak(Box::new(CorruptGroup {
        inner: ours,
        corrupt: CorruptFn(corrupt),
    }));
    let (client, server): (&'static dyn SupportedKxGroup, &'static dyn SupportedKxGroup) =
        match evil {
            Evil::Client => (corrupting, ours),
            Evil::Server => (ours, corrupting),
        };
    let outcome = run(provider_with(vec![client]), provider_with(vec![server]));
    let (our_error, peer_error) = match evil {
        Evil::Client => (&outcome.server.error, &outcome.client.error),
        Evil::Server => (&outcome.client.error, &outcome.server.error),
    };
    assert_eq!(
        our_error,
        &Some(Error::PeerMisbehaved(PeerMisbehaved::InvalidKeyShare)),
        "{group} {what}: our side's error ({evil:?} corrupted)"
    );
    assert_eq!(
        peer_error,
        &Some(Error::AlertReceived(AlertDescription::IllegalParameter)),
        "{group} {what}: alert seen by the corrupting {evil:?}"
    );
}
