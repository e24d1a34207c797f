//! The full exchange of every group, composed on each implementation that has its parts: hybrid-kx
//! on the backends this build selected (with the bench-peers `aws-lc` feature, on by default, that
//! includes `backend-aws-lc`), hybrid-kx on the backends of its default features (graviola and
//! libcrux, no C: what a build without `backend-aws-lc` runs, measured in the same run), hybrid-kx
//! on its portable backends (what `default-features = false` costs), aws-lc-rs (`kem` and
//! `agreement`, as rustls's aws-lc-rs provider composes them), graviola where it has every part,
//! and libcrux-ml-kem for ML-KEM-512 and ML-KEM-1024 (which graviola lacks).
//!
//! Every composition does the same work as one TLS 1.3 handshake with the group, both sides:
//! client key generation, server encapsulation (with the FIPS 203 modulus check) plus its EC key
//! pair and Diffie-Hellman with peer-point validation, client decapsulation plus
//! Diffie-Hellman. Randomness comes from the operating system. Each returns the client's secret
//! in the group's order after checking that it equals the server's.

use aws_lc_rs::agreement::{self, UnparsedPublicKey};
use aws_lc_rs::kem::{self, DecapsulationKey, EncapsulationKey};
use hybrid_kx::components::ecdh_nist::{P256, P384};
use hybrid_kx::components::mlkem::{MlKem512, MlKem768, MlKem1024};
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::components::{Primitive, PrivateKey, ServerStep};
use hybrid_kx::{Backend, ByteArray, Group};

use super::random;

/// One composition of one group's full exchange.
#[derive(Clone, Copy)]
pub struct Composition {
    /// The group (its IANA name).
    pub group: &'static str,
    /// The implementation.
    pub name: &'static str,
    /// One full exchange; returns the shared secret.
    pub run: fn() -> Vec<u8>,
}

/// hybrid-kx's group API on the backends this build selected.
fn hybrid_kx<G: Group>() -> Vec<u8> {
    let (share, state) = G::generate_key_share().unwrap();
    let (server_share, server_secret) = G::encapsulate(share.as_ref()).unwrap();
    let secret = state.complete(server_share.as_ref()).unwrap();
    assert!(secret == server_secret);
    secret.as_bytes().to_vec()
}

/// hybrid-kx on its portable backends (RustCrypto `ml-kem`, `x25519-dalek`, `p256`, `p384`),
/// with the OS randomness passed in as the seeds.
fn hybrid_kx_portable<G: Group>() -> Vec<u8> {
    let mut client_seed = G::ClientSeed::zeroed();
    let mut server_seed = G::ServerSeed::zeroed();
    getrandom::fill(client_seed.as_mut()).unwrap();
    getrandom::fill(server_seed.as_mut()).unwrap();
    let (share, state) =
        G::generate_key_share_from_seed_on(Backend::Portable, &client_seed).unwrap();
    let (server_share, server_secret) =
        G::encapsulate_from_seed_on(Backend::Portable, share.as_ref(), &server_seed).unwrap();
    let secret = state.complete(server_share.as_ref()).unwrap();
    assert!(secret == server_secret);
    secret.as_bytes().to_vec()
}

/// The backend hybrid-kx's default features (graviola and libcrux, no `backend-aws-lc`) run `P`
/// on: graviola, then libcrux, then the portable reference, the first this CPU runs (the
/// preference order of `hybrid_kx::backend` without aws-lc).
fn default_build<P: Primitive>() -> Backend {
    [Backend::Graviola, Backend::Libcrux]
        .into_iter()
        .find(|&b| P::supports(b))
        .unwrap_or(Backend::Portable)
}

/// Client key generation of `P` on the default features' backend, with the operating system's
/// randomness (as `generate_key_share()` draws it).
fn keygen<P: Primitive>() -> (Vec<u8>, PrivateKey<P>) {
    let mut seed = vec![0u8; P::CLIENT_SEED_LEN];
    getrandom::fill(&mut seed).unwrap();
    let mut share = vec![0u8; P::CLIENT_SHARE_LEN];
    let state = P::client_keygen_system(Some(default_build::<P>()), &seed, &mut share).unwrap();
    (share, state)
}

/// The server step of `P` on `client_share`, as [`keygen`]: the server's share and secret.
fn respond<P: Primitive>(client_share: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut seed = vec![0u8; P::SERVER_SEED_LEN];
    getrandom::fill(&mut seed).unwrap();
    let (mut share, mut secret) = (vec![0u8; P::SERVER_SHARE_LEN], vec![0u8; P::SECRET_LEN]);
    let step = ServerStep {
        seed: &seed,
        client_share,
        share: &mut share,
        secret: &mut secret,
    };
    P::server_respond_system(Some(default_build::<P>()), step).unwrap();
    (share, secret)
}

/// The client's completion of `P`: its secret.
fn complete<P: Primitive>(state: &PrivateKey<P>, server_share: &[u8]) -> Vec<u8> {
    let mut secret = vec![0u8; P::SECRET_LEN];
    P::client_complete(state, server_share, &mut secret).unwrap();
    secret
}

/// hybrid-kx's components on the default features' backends, composed as the group layer
/// composes them (RFC 10024 section 4: `A`'s parts first): both key generations, both server
/// steps, both completions.
fn hybrid_kx_default<A: Primitive, B: Primitive>() -> Vec<u8> {
    let ((share_a, state_a), (share_b, state_b)) = (keygen::<A>(), keygen::<B>());
    let ((server_a, secret_a), (server_b, secret_b)) =
        (respond::<A>(&share_a), respond::<B>(&share_b));
    let client = [complete(&state_a, &server_a), complete(&state_b, &server_b)].concat();
    assert!(client == [secret_a, secret_b].concat());
    client
}

/// [`hybrid_kx_default`] for a pure ML-KEM group.
fn hybrid_kx_default_single<P: Primitive>() -> Vec<u8> {
    let (share, state) = keygen::<P>();
    let (server_share, server_secret) = respond::<P>(&share);
    let client = complete(&state, &server_share);
    assert!(client == server_secret);
    client
}

/// aws-lc-rs: ML-KEM (`kem`) and, for a hybrid, ECDH (`agreement`); `ecdh_first` is the wire
/// order of RFC 10024 (the NIST curves come first, X25519 second).
fn aws_lc_rs(
    mlkem: &'static kem::Algorithm<kem::AlgorithmId>,
    ecdh: Option<(&'static agreement::Algorithm, bool)>,
) -> Vec<u8> {
    let rng = aws_lc_rs::rand::SystemRandom::new();
    // Client.
    let dk = DecapsulationKey::generate(mlkem).unwrap();
    let ek_bytes = dk.encapsulation_key().unwrap().key_bytes().unwrap();
    let client_ec = ecdh.map(|(alg, _)| {
        let key = agreement::EphemeralPrivateKey::generate(alg, &rng).unwrap();
        let public = key.compute_public_key().unwrap().as_ref().to_vec();
        (key, public)
    });
    // Server.
    let ek = EncapsulationKey::new(mlkem, ek_bytes.as_ref()).unwrap();
    let (ct, k_server) = ek.encapsulate().unwrap();
    let mut server_ec = None;
    let mut dh_server = Vec::new();
    if let (Some((alg, _)), Some((_, client_public))) = (ecdh, &client_ec) {
        let key = agreement::EphemeralPrivateKey::generate(alg, &rng).unwrap();
        server_ec = Some(key.compute_public_key().unwrap().as_ref().to_vec());
        agreement::agree_ephemeral(key, UnparsedPublicKey::new(alg, client_public), (), |dh| {
            dh_server.extend_from_slice(dh);
            Ok(())
        })
        .unwrap();
    }
    // Client.
    let k_client = dk.decapsulate(ct.as_ref().into()).unwrap();
    let mut dh_client = Vec::new();
    if let (Some((alg, _)), Some((key, _)), Some(server_public)) = (ecdh, client_ec, server_ec) {
        agreement::agree_ephemeral(key, UnparsedPublicKey::new(alg, &server_public), (), |dh| {
            dh_client.extend_from_slice(dh);
            Ok(())
        })
        .unwrap();
    }
    assert!(k_client.as_ref() == k_server.as_ref() && dh_client == dh_server);
    let ecdh_first = ecdh.is_some_and(|(_, first)| first);
    let (a, b) = if ecdh_first {
        (dh_client.as_slice(), k_client.as_ref())
    } else {
        (k_client.as_ref(), dh_client.as_slice())
    };
    [a, b].concat()
}

/// graviola's ML-KEM-768 with one of its ECDH groups (or none), as its public API composes them.
macro_rules! graviola_mlkem768 {
    ($name:ident, $curve:ident, $ecdh_first:expr) => {
        fn $name() -> Vec<u8> {
            use graviola::key_agreement::mlkem768::{Ciphertext, DecapKey, EncapKey};
            use graviola::key_agreement::$curve::{PrivateKey, PublicKey};
            // Client.
            let dk = DecapKey::generate().unwrap();
            let ek_bytes = dk.encapsulation_key().as_bytes();
            let ec_client = PrivateKey::new_random().unwrap();
            let ec_client_pub = graviola_public!($curve, ec_client);
            // Server.
            let ek = EncapKey::from_bytes(&ek_bytes).unwrap();
            let (k_server, ct) = ek.encaps().unwrap();
            let ct_bytes: [u8; 1088] = *ct.as_ref();
            let ec_server = PrivateKey::new_random().unwrap();
            let ec_server_pub = graviola_public!($curve, ec_server);
            let dh_server = ec_server
                .diffie_hellman(&graviola_peer!($curve, ec_client_pub))
                .unwrap();
            // Client.
            let k_client = dk.decaps(&Ciphertext::from(ct_bytes));
            let dh_client = ec_client
                .diffie_hellman(&graviola_peer!($curve, ec_server_pub))
                .unwrap();
            assert!(k_client.as_ref() == k_server.as_ref() && dh_client.0 == dh_server.0);
            if $ecdh_first {
                [&dh_client.0[..], k_client.as_ref()].concat()
            } else {
                [k_client.as_ref(), &dh_client.0[..]].concat()
            }
        }
    };
}
macro_rules! graviola_public {
    (x25519, $key:expr) => {
        $key.public_key().as_bytes()
    };
    ($curve:ident, $key:expr) => {
        $key.public_key_uncompressed()
    };
}
macro_rules! graviola_peer {
    (x25519, $bytes:expr) => {
        PublicKey::from_array(&$bytes)
    };
    ($curve:ident, $bytes:expr) => {
        PublicKey::from_x962_uncompressed(&$bytes).unwrap()
    };
}
graviola_mlkem768!(graviola_x25519mlkem768, x25519, false);
graviola_mlkem768!(graviola_secp256r1mlkem768, p256, true);

/// graviola's ML-KEM-768 alone.
fn graviola_mlkem768() -> Vec<u8> {
    use graviola::key_agreement::mlkem768::{Ciphertext, DecapKey, EncapKey};
    let dk = DecapKey::generate().unwrap();
    let ek = EncapKey::from_bytes(&dk.encapsulation_key().as_bytes()).unwrap();
    let (k_server, ct) = ek.encaps().unwrap();
    let ct_bytes: [u8; 1088] = *ct.as_ref();
    let k_client = dk.decaps(&Ciphertext::from(ct_bytes));
    assert!(k_client.as_ref() == k_server.as_ref());
    k_client.as_ref().to_vec()
}

/// libcrux-ml-kem's ML-KEM alone, one parameter set (modulus check with `validate_public_key`):
/// the formally verified peer for the sets graviola lacks.
macro_rules! libcrux_mlkem {
    ($name:ident, $set:ident, $public:ident) => {
        fn $name() -> Vec<u8> {
            use libcrux_ml_kem::$set;
            let pair = $set::generate_key_pair(random::<64>());
            let ek = $set::$public::from(pair.pk());
            assert!($set::validate_public_key(&ek));
            let (ct, k_server) = $set::encapsulate(&ek, random::<32>());
            let k_client = $set::decapsulate(pair.private_key(), &ct);
            assert!(k_client == k_server);
            k_client.to_vec()
        }
    };
}
libcrux_mlkem!(libcrux_mlkem512, mlkem512, MlKem512PublicKey);
libcrux_mlkem!(libcrux_mlkem1024, mlkem1024, MlKem1024PublicKey);

/// graviola's P-384 with libcrux-ml-kem's ML-KEM-1024 (graviola has no ML-KEM-1024).
fn graviola_p384_libcrux_mlkem1024() -> Vec<u8> {
    use graviola::key_agreement::p384::{PrivateKey, PublicKey};
    use libcrux_ml_kem::mlkem1024;
    let pair = mlkem1024::generate_key_pair(random::<64>());
    let ec_client = PrivateKey::new_random().unwrap();
    let ec_client_pub = ec_client.public_key_uncompressed();
    let ek = mlkem1024::MlKem1024PublicKey::from(pair.pk());
    assert!(mlkem1024::validate_public_key(&ek));
    let (ct, k_server) = mlkem1024::encapsulate(&ek, random::<32>());
    let ec_server = PrivateKey::new_random().unwrap();
    let ec_server_pub = ec_server.public_key_uncompressed();
    let dh_server = ec_server
        .diffie_hellman(&PublicKey::from_x962_uncompressed(&ec_client_pub).unwrap())
        .unwrap();
    let k_client = mlkem1024::decapsulate(pair.private_key(), &ct);
    let dh_client = ec_client
        .diffie_hellman(&PublicKey::from_x962_uncompressed(&ec_server_pub).unwrap())
        .unwrap();
    assert!(k_client == k_server && dh_client.0 == dh_server.0);
    [&dh_client.0[..], &k_client[..]].concat()
}

/// The name hybrid-kx's own rows carry.
pub const HYBRID_KX: &str = "hybrid-kx";
/// hybrid-kx on the backends of its default features (no C), in the same binary.
pub const HYBRID_KX_DEFAULT: &str = "hybrid-kx default features";
/// hybrid-kx forced onto its portable backends.
pub const HYBRID_KX_PORTABLE: &str = "hybrid-kx portable";
/// The reference every target is a ratio to.
pub const AWS_LC_RS: &str = "aws-lc-rs";

macro_rules! compositions {
    ($($group:literal => [$($name:expr => $run:expr),* $(,)?]),* $(,)?) => {
        /// Every composition of every group, grouped by group: `NamedGroup::DEFAULT` order, then
        /// the opt-in MLKEM512.
        pub const ALL: &[Composition] = &[$($(Composition { group: $group, name: $name, run: $run },)*)*];
    };
}

compositions! {
    "X25519MLKEM768" => [
        HYBRID_KX => hybrid_kx::<hybrid_kx::X25519MLKEM768>,
        HYBRID_KX_DEFAULT => hybrid_kx_default::<MlKem768, X25519>,
        HYBRID_KX_PORTABLE => hybrid_kx_portable::<hybrid_kx::X25519MLKEM768>,
        AWS_LC_RS => || aws_lc_rs(&kem::ML_KEM_768, Some((&agreement::X25519, false))),
        "graviola" => graviola_x25519mlkem768,
    ],
    "SecP256r1MLKEM768" => [
        HYBRID_KX => hybrid_kx::<hybrid_kx::SecP256r1MLKEM768>,
        HYBRID_KX_DEFAULT => hybrid_kx_default::<P256, MlKem768>,
        HYBRID_KX_PORTABLE => hybrid_kx_portable::<hybrid_kx::SecP256r1MLKEM768>,
        AWS_LC_RS => || aws_lc_rs(&kem::ML_KEM_768, Some((&agreement::ECDH_P256, true))),
        "graviola" => graviola_secp256r1mlkem768,
    ],
    "SecP384r1MLKEM1024" => [
        HYBRID_KX => hybrid_kx::<hybrid_kx::SecP384r1MLKEM1024>,
        HYBRID_KX_DEFAULT => hybrid_kx_default::<P384, MlKem1024>,
        HYBRID_KX_PORTABLE => hybrid_kx_portable::<hybrid_kx::SecP384r1MLKEM1024>,
        AWS_LC_RS => || aws_lc_rs(&kem::ML_KEM_1024, Some((&agreement::ECDH_P384, true))),
        "graviola P-384 + libcrux-ml-kem" => graviola_p384_libcrux_mlkem1024,
    ],
    "MLKEM768" => [
        HYBRID_KX => hybrid_kx::<hybrid_kx::MLKEM768>,
        HYBRID_KX_DEFAULT => hybrid_kx_default_single::<MlKem768>,
        HYBRID_KX_PORTABLE => hybrid_kx_portable::<hybrid_kx::MLKEM768>,
        AWS_LC_RS => || aws_lc_rs(&kem::ML_KEM_768, None),
        "graviola" => graviola_mlkem768,
    ],
    "MLKEM1024" => [
        HYBRID_KX => hybrid_kx::<hybrid_kx::MLKEM1024>,
        HYBRID_KX_DEFAULT => hybrid_kx_default_single::<MlKem1024>,
        HYBRID_KX_PORTABLE => hybrid_kx_portable::<hybrid_kx::MLKEM1024>,
        AWS_LC_RS => || aws_lc_rs(&kem::ML_KEM_1024, None),
        "libcrux-ml-kem" => libcrux_mlkem1024,
    ],
    "MLKEM512" => [
        HYBRID_KX => hybrid_kx::<hybrid_kx::MLKEM512>,
        HYBRID_KX_DEFAULT => hybrid_kx_default_single::<MlKem512>,
        HYBRID_KX_PORTABLE => hybrid_kx_portable::<hybrid_kx::MLKEM512>,
        AWS_LC_RS => || aws_lc_rs(&kem::ML_KEM_512, None),
        "libcrux-ml-kem" => libcrux_mlkem512,
    ],
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every composition of a group gives a secret of the group's length (each also checks its
    /// two sides agree), and hybrid-kx's rows are the group the row names.
    #[test]
    fn every_composition_runs() {
        for c in ALL {
            let group = hybrid_kx::NamedGroup::from_name(c.group).expect(c.group);
            let len = match group.parts() {
                ["P-384", _] => 80,
                [_, _] => 64,
                _ => 32,
            };
            assert_eq!((c.run)().len(), len, "{} {}", c.group, c.name);
        }
    }
}
