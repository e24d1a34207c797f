//! Secret lifetime: every type holding secret material is `ZeroizeOnDrop` (checked at compile
//! time), and an explicit `zeroize` really clears the bytes (checked by inspecting them).

use hybrid_kx::components::Component;
use hybrid_kx::components::ecdh_nist::{P256, P384};
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::key_schedule::{EarlySecret, Sha256, TranscriptHash};
use hybrid_kx::{ClientState, Group, SharedSecret, X25519MLKEM768};
use zeroize::{Zeroize, ZeroizeOnDrop};

fn zeroize_on_drop<T: ZeroizeOnDrop + ?Sized>() {}
fn zeroizable<T: Zeroize + ?Sized>() {}

#[test]
fn secret_types_zeroize_on_drop() {
    // Shared secrets and every group's client state (ML-KEM decapsulation key, EC/X25519 scalar).
    zeroize_on_drop::<SharedSecret>();
    zeroizable::<SharedSecret>();
    macro_rules! group_states {
        ($group:ty) => {
            zeroize_on_drop::<ClientState<$group>>();
            zeroize_on_drop::<<<$group as Group>::Kx as Component>::ClientState>();
        };
    }
    hybrid_kx::for_each_group!(group_states);
    // The component states themselves.
    zeroize_on_drop::<<X25519 as Component>::ClientState>();
    zeroize_on_drop::<<P256 as Component>::ClientState>();
    zeroize_on_drop::<<P384 as Component>::ClientState>();
    // What they are built from: x25519-dalek's and elliptic-curve's secrets.
    zeroize_on_drop::<x25519_dalek::StaticSecret>();
    zeroize_on_drop::<p256::SecretKey>();
    zeroize_on_drop::<p384::SecretKey>();
    // The key schedule's secrets.
    zeroize_on_drop::<EarlySecret<Sha256>>();
    zeroize_on_drop::<hybrid_kx::key_schedule::HandshakeSecret<Sha256>>();
    zeroize_on_drop::<hybrid_kx::key_schedule::MasterSecret<Sha256>>();
    zeroize_on_drop::<hybrid_kx::key_schedule::HandshakeTrafficSecret<Sha256>>();
    zeroize_on_drop::<hybrid_kx::key_schedule::TrafficKey>();
}

#[test]
fn explicit_zeroize_clears_the_shared_secret_bytes() {
    for seed_byte in 1..=4u8 {
        let (share, state) =
            X25519MLKEM768::generate_key_share_from_seed(&[seed_byte; 96]).unwrap();
        let (server_share, mut server_secret) =
            X25519MLKEM768::encapsulate_from_seed(&share, &[seed_byte; 64]).unwrap();
        let mut client_secret = state.complete(&server_share).unwrap();
        assert!(client_secret.as_bytes().iter().any(|&b| b != 0));
        client_secret.zeroize();
        server_secret.zeroize();
        assert_eq!(client_secret.as_bytes(), &[0u8; 64][..]);
        assert_eq!(server_secret.as_bytes(), &[0u8; 64][..]);
    }
}

#[test]
fn explicit_zeroize_clears_key_schedule_secrets() {
    let ikm = [9u8; 64];
    let hs = EarlySecret::<Sha256>::new(None).into_handshake_secret(Some(&ikm));
    let th = TranscriptHash::<Sha256>::of_messages(&[b"ClientHello", b"ServerHello"]);
    let mut traffic = hs.client_handshake_traffic_secret(&th);
    let mut key = traffic.traffic_key(16).unwrap();
    assert!(traffic.as_bytes().iter().any(|&b| b != 0));
    traffic.zeroize();
    key.zeroize();
    assert!(traffic.as_bytes().iter().all(|&b| b == 0));
    assert!(key.as_bytes().iter().all(|&b| b == 0));
}
