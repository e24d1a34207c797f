//! The peers hybrid-kx is measured against, as plain functions shared by the criterion
//! benchmarks (`benches/peers.rs`) and the instruction counter (`src/bin/callgrind-ops.rs`):
//! the full X25519MLKEM768 exchange composed on each implementation, and rustls handshakes in
//! memory with the bytes of each flight.
//!
//! "Full exchange" is what one TLS 1.3 handshake does with the group, both sides: client key
//! generation (ML-KEM and X25519), server encapsulation (with the FIPS 203 modulus check) plus
//! its X25519 key pair and Diffie-Hellman, client decapsulation plus Diffie-Hellman. Randomness
//! comes from the operating system in every composition, as in a handshake.

use std::sync::Arc;

pub mod groups;
pub mod interleave;
pub mod rustls_versions;

use hybrid_kx_support::tls::{Identity, Side, client_config, connections, drive, server_config};
use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::{ClientConfig, ServerConfig};

/// Fills `out` from the operating system's random source.
fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).expect("OS random source");
    out
}

/// The full X25519MLKEM768 exchange on each implementation; each returns the client's secret
/// (ML-KEM ‖ X25519, 64 bytes) after checking it equals the server's.
pub mod exchange {
    use super::random;

    /// The X25519MLKEM768 secret: the ML-KEM shared key, then the X25519 one (wire order, RFC
    /// 10024 section 4).
    fn hybrid_secret(mlkem: &[u8], x25519: &[u8]) -> [u8; 64] {
        let mut secret = [0u8; 64];
        secret[..32].copy_from_slice(mlkem);
        secret[32..].copy_from_slice(x25519);
        secret
    }

    /// hybrid-kx through its group API, on the backends this build selected.
    pub fn hybrid_kx() -> [u8; 64] {
        use hybrid_kx::{Group, X25519MLKEM768};
        let (share, state) = X25519MLKEM768::generate_key_share().unwrap();
        let (server_share, server_secret) = X25519MLKEM768::encapsulate(&share).unwrap();
        let secret = state.complete(&server_share).unwrap();
        assert!(secret == server_secret);
        secret.as_bytes().try_into().unwrap()
    }

    /// aws-lc-rs's `kem` and `agreement` APIs, as rustls's aws-lc-rs provider composes them.
    pub fn aws_lc_rs() -> [u8; 64] {
        use aws_lc_rs::agreement::{self, UnparsedPublicKey, X25519};
        use aws_lc_rs::kem::{DecapsulationKey, EncapsulationKey, ML_KEM_768};
        use aws_lc_rs::rand::SystemRandom;
        let rng = SystemRandom::new();
        let agree = |mine: agreement::EphemeralPrivateKey, peer: &[u8]| -> [u8; 32] {
            agreement::agree_ephemeral(mine, UnparsedPublicKey::new(&X25519, peer), (), |dh| {
                Ok(dh.try_into().unwrap())
            })
            .unwrap()
        };
        // Client.
        let dk = DecapsulationKey::generate(&ML_KEM_768).unwrap();
        let ek_bytes = dk.encapsulation_key().unwrap().key_bytes().unwrap();
        let x_client = agreement::EphemeralPrivateKey::generate(&X25519, &rng).unwrap();
        let x_client_pub = x_client.compute_public_key().unwrap();
        // Server.
        let ek = EncapsulationKey::new(&ML_KEM_768, ek_bytes.as_ref()).unwrap();
        let (ct, k_server) = ek.encapsulate().unwrap();
        let x_server = agreement::EphemeralPrivateKey::generate(&X25519, &rng).unwrap();
        let x_server_pub = x_server.compute_public_key().unwrap();
        let server = hybrid_secret(k_server.as_ref(), &agree(x_server, x_client_pub.as_ref()));
        // Client.
        let k_client = dk.decapsulate(ct.as_ref().into()).unwrap();
        let client = hybrid_secret(k_client.as_ref(), &agree(x_client, x_server_pub.as_ref()));
        assert_eq!(client, server);
        client
    }

    /// graviola's public API alone (its own composition).
    pub fn graviola() -> [u8; 64] {
        use graviola::key_agreement::mlkem768::{Ciphertext, DecapKey, EncapKey};
        use graviola::key_agreement::x25519::{PrivateKey, PublicKey};
        // Client.
        let dk = DecapKey::generate().unwrap();
        let ek_bytes = dk.encapsulation_key().as_bytes();
        let x_client = PrivateKey::new_random().unwrap();
        let x_client_pub = x_client.public_key().as_bytes();
        // Server.
        let ek = EncapKey::from_bytes(&ek_bytes).unwrap();
        let (k_server, ct) = ek.encaps().unwrap();
        let ct_bytes: [u8; 1088] = *ct.as_ref();
        let x_server = PrivateKey::new_random().unwrap();
        let x_server_pub = x_server.public_key().as_bytes();
        let dh_server = x_server
            .diffie_hellman(&PublicKey::from_array(&x_client_pub))
            .unwrap();
        let server = hybrid_secret(k_server.as_ref(), &dh_server.0);
        // Client.
        let k_client = dk.decaps(&Ciphertext::from(ct_bytes));
        let dh_client = x_client
            .diffie_hellman(&PublicKey::from_array(&x_server_pub))
            .unwrap();
        let client = hybrid_secret(k_client.as_ref(), &dh_client.0);
        assert_eq!(client, server);
        client
    }

    /// libcrux-ml-kem (modulus check with `validate_public_key`) with graviola's X25519.
    pub fn libcrux_graviola() -> [u8; 64] {
        use graviola::key_agreement::x25519::{PrivateKey, PublicKey};
        use libcrux_ml_kem::mlkem768;
        let pair = mlkem768::generate_key_pair(random::<64>());
        let x_client = PrivateKey::new_random().unwrap();
        let x_client_pub = x_client.public_key().as_bytes();
        let ek = mlkem768::MlKem768PublicKey::from(pair.pk());
        assert!(mlkem768::validate_public_key(&ek));
        let (ct, k_server) = mlkem768::encapsulate(&ek, random::<32>());
        let x_server = PrivateKey::new_random().unwrap();
        let x_server_pub = x_server.public_key().as_bytes();
        let dh_server = x_server
            .diffie_hellman(&PublicKey::from_array(&x_client_pub))
            .unwrap();
        let k_client = mlkem768::decapsulate(pair.private_key(), &ct);
        let dh_client = x_client
            .diffie_hellman(&PublicKey::from_array(&x_server_pub))
            .unwrap();
        assert!(k_client == k_server && dh_client.0 == dh_server.0);
        hybrid_secret(&k_client, &dh_client.0)
    }

    /// libcrux-ml-kem with x25519-dalek.
    pub fn libcrux_dalek() -> [u8; 64] {
        use libcrux_ml_kem::mlkem768;
        use x25519_dalek::{PublicKey, StaticSecret};
        let pair = mlkem768::generate_key_pair(random::<64>());
        let x_client = StaticSecret::from(random::<32>());
        let x_client_pub = PublicKey::from(&x_client);
        let ek = mlkem768::MlKem768PublicKey::from(pair.pk());
        assert!(mlkem768::validate_public_key(&ek));
        let (ct, k_server) = mlkem768::encapsulate(&ek, random::<32>());
        let x_server = StaticSecret::from(random::<32>());
        let x_server_pub = PublicKey::from(&x_server);
        let dh_server = x_server.diffie_hellman(&x_client_pub);
        let k_client = mlkem768::decapsulate(pair.private_key(), &ct);
        let dh_client = x_client.diffie_hellman(&x_server_pub);
        assert!(k_client == k_server && dh_client.as_bytes() == dh_server.as_bytes());
        hybrid_secret(&k_client, dh_client.as_bytes())
    }

    /// RustCrypto ml-kem 0.3 with x25519-dalek (hybrid-kx's portable backends, called directly).
    pub fn mlkem_dalek() -> [u8; 64] {
        use ml_kem::array::Array;
        use ml_kem::{B32, Decapsulate, DecapsulationKey, EncapsulationKey, KeyExport, Seed};
        use x25519_dalek::{PublicKey, StaticSecret};
        let dk = DecapsulationKey::<ml_kem::MlKem768>::from_seed(Seed::from(random::<64>()));
        let ek_bytes = dk.encapsulation_key().to_bytes();
        let x_client = StaticSecret::from(random::<32>());
        let x_client_pub = PublicKey::from(&x_client);
        let ek = EncapsulationKey::<ml_kem::MlKem768>::new(&ek_bytes).unwrap();
        let (ct, k_server) = ek.encapsulate_deterministic(&B32::from(random::<32>()));
        let x_server = StaticSecret::from(random::<32>());
        let x_server_pub = PublicKey::from(&x_server);
        let dh_server = x_server.diffie_hellman(&x_client_pub);
        let ct: &Array<u8, _> = &ct;
        let k_client = dk.decapsulate(ct);
        let dh_client = x_client.diffie_hellman(&x_server_pub);
        assert!(k_client == k_server && dh_client.as_bytes() == dh_server.as_bytes());
        hybrid_secret(&k_client, dh_client.as_bytes())
    }

    /// One composition: it returns the 64-byte X25519MLKEM768 secret.
    pub type Exchange = fn() -> [u8; 64];

    /// Every composition, by name, for the benchmarks and the instruction counter.
    pub const ALL: [(&str, Exchange); 6] = [
        ("hybrid-kx", hybrid_kx),
        ("aws-lc-rs", aws_lc_rs),
        ("graviola", graviola),
        ("libcrux-ml-kem+graviola", libcrux_graviola),
        ("libcrux-ml-kem+x25519-dalek", libcrux_dalek),
        ("ml-kem+x25519-dalek", mlkem_dalek),
    ];
}

/// A provider on the aws-lc-rs base with exactly these key-exchange groups (in preference
/// order); with `ours`, through [`hybrid_kx::rustls::with_hybrid_kx`], so that the TLS 1.3 key
/// schedule also runs on hybrid-kx's HKDF.
pub fn aws_lc_rs_provider(
    ours: bool,
    groups: Vec<&'static dyn SupportedKxGroup>,
) -> CryptoProvider {
    let base = rustls::crypto::aws_lc_rs::default_provider();
    let base = if ours {
        hybrid_kx::rustls::with_hybrid_kx(base)
    } else {
        base
    };
    CryptoProvider {
        kx_groups: groups,
        ..base
    }
}

/// The fixed ML-KEM-768 inputs the per-operation measurements share: the seed d ‖ z and the
/// message m, and the encapsulation key, ciphertext and shared key they give.
pub struct MlKem768Fixture {
    /// The key-generation seed d ‖ z (FIPS 203 section 7.1).
    pub seed: [u8; 64],
    /// The encapsulation message m (FIPS 203 section 7.2).
    pub m: [u8; 32],
    /// The encapsulation key of `seed`.
    pub ek: [u8; 1184],
    /// The ciphertext of `m` to `ek`.
    pub ct: [u8; 1088],
    /// The shared key of `ct`.
    pub k: [u8; 32],
}

impl MlKem768Fixture {
    /// The fixture, computed on hybrid-kx's portable backend.
    ///
    /// # Panics
    /// If hybrid-kx's portable ML-KEM fails on these valid inputs.
    pub fn portable() -> Self {
        use hybrid_kx::Backend;
        use hybrid_kx::components::mlkem::MlKem768;
        use hybrid_kx::components::{Component, ServerStep};
        let (seed, m) = ([0x42u8; 64], [0x24u8; 32]);
        let (mut ek, mut ct, mut k) = ([0u8; 1184], [0u8; 1088], [0u8; 32]);
        drop(MlKem768::client_keygen(Some(Backend::Portable), &seed, &mut ek).unwrap());
        let step = ServerStep {
            seed: &m,
            client_share: &ek,
            share: &mut ct,
            secret: &mut k,
        };
        MlKem768::server_respond(Some(Backend::Portable), step).unwrap();
        Self { seed, m, ek, ct, k }
    }
}

/// A TLS 1.3 client and server on `client` / `server` providers, the server presenting
/// `identity` (one certificate for every handshake: `hybrid-kx-support`'s ECDSA P-256); no
/// resumption and no tickets, so every handshake is a full one.
///
/// # Panics
/// If rustls rejects a provider for TLS 1.3.
pub fn configs(
    identity: &Identity,
    client: CryptoProvider,
    server: CryptoProvider,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let mut client = client_config(Arc::new(client), identity.roots()).expect("client config");
    client.resumption = rustls::client::Resumption::disabled();
    let mut server = server_config(Arc::new(server), identity).expect("server config");
    server.send_tls13_tickets = 0;
    (Arc::new(client), Arc::new(server))
}

/// Bytes on the wire of one handshake.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wire {
    /// The client's first flight (the ClientHello record).
    pub client_hello: usize,
    /// The server's flight (ServerHello, then the encrypted EncryptedExtensions, Certificate,
    /// CertificateVerify, Finished; plus a ChangeCipherSpec if sent).
    pub server_flight: usize,
    /// The client's second flight (Finished, plus a ChangeCipherSpec if sent).
    pub client_finished: usize,
    /// Sum of the `key_exchange` fields in the ClientHello's key_share extension.
    pub client_key_shares: usize,
    /// The `key_exchange` field of the ServerHello's key_share extension.
    pub server_key_share: usize,
    /// The negotiated group's codepoint.
    pub group: u16,
}

/// One full TLS 1.3 handshake between a new client and server connection, in memory
/// (`hybrid-kx-support`'s driver), and the bytes each flight put on the wire.
///
/// # Panics
/// If the handshake fails, or takes other flights than ClientHello, the server's flight and
/// the client's Finished.
pub fn handshake(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> Wire {
    let (mut c, mut s) = connections(Arc::clone(client), Arc::clone(server)).unwrap();
    let mut wire = Wire::default();
    let mut flights = 0;
    let outcome = drive(&mut c, &mut s, |side, flight| {
        match (flights, side) {
            (0, Side::Client) => {
                wire.client_hello = flight.len();
                wire.client_key_shares = client_hello_key_shares(flight);
            }
            (1, Side::Server) => {
                wire.server_flight = flight.len();
                (wire.group, wire.server_key_share) = server_hello_key_share(flight);
            }
            (2, Side::Client) => wire.client_finished = flight.len(),
            _ => panic!("unexpected flight {flights} from the {side:?}"),
        }
        flights += 1;
    });
    outcome.expect_success();
    wire
}

/// A cursor over TLS structures.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }
    fn u8(&mut self) -> usize {
        self.take(1)[0] as usize
    }
    fn u16(&mut self) -> usize {
        let b = self.take(2);
        (b[0] as usize) << 8 | b[1] as usize
    }
    fn vec8(&mut self) -> &'a [u8] {
        let n = self.u8();
        self.take(n)
    }
    fn vec16(&mut self) -> &'a [u8] {
        let n = self.u16();
        self.take(n)
    }
}

/// The extensions block of the first handshake message in a plaintext record.
fn hello_extensions(record: &[u8], client: bool) -> &[u8] {
    let mut r = Reader(record);
    assert_eq!(r.u8(), 22, "handshake record");
    r.take(2); // legacy_record_version
    let mut body = Reader(r.vec16());
    body.take(4); // msg_type, length
    body.take(2 + 32); // legacy_version, random
    body.vec8(); // legacy_session_id
    if client {
        body.vec16(); // cipher_suites
        body.vec8(); // legacy_compression_methods
    } else {
        body.take(2 + 1); // cipher_suite, legacy_compression_method
    }
    body.vec16()
}

/// The key_share extension (51) of a hello.
fn key_share_extension(extensions: &[u8]) -> &[u8] {
    let mut r = Reader(extensions);
    while !r.0.is_empty() {
        let kind = r.u16();
        let data = r.vec16();
        if kind == 51 {
            return data;
        }
    }
    panic!("no key_share extension");
}

fn client_hello_key_shares(flight: &[u8]) -> usize {
    let mut shares = Reader(key_share_extension(hello_extensions(flight, true)));
    let mut entries = Reader(shares.vec16());
    let mut total = 0;
    while !entries.0.is_empty() {
        entries.u16();
        total += entries.vec16().len();
    }
    total
}

fn server_hello_key_share(flight: &[u8]) -> (u16, usize) {
    let mut share = Reader(key_share_extension(hello_extensions(flight, false)));
    let group = share.u16() as u16;
    (group, share.vec16().len())
}
