//! Every compiled-in backend against every other, byte for byte, on the same random inputs:
//! shares, secrets, implicit-rejection secrets, exported keys and rejections (ML-KEM modulus
//! check, X25519 all-zero results). With the default features only the portable backends exist
//! and this checks them against themselves; run with `--features backend-libcrux,backend-graviola`
//! (or `--all-features`) to compare them.

#![allow(deprecated)] // `ExpandedKeyEncoding`: the FIPS 203 expanded key, exported by every backend.

use hybrid_kx::Error;
use hybrid_kx::components::Component;
use hybrid_kx::components::mlkem::{MlKem512, MlKem768, MlKem1024, MlKemBackend};
use hybrid_kx::components::x25519::{X25519, X25519Backend};
use ml_kem::ExpandedKeyEncoding;
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

/// Deterministic "random" bytes (SHAKE-128 of a label), so a failure is reproducible.
struct Bytes(sha3::Shake128Reader);

impl Bytes {
    fn new(label: &str) -> Self {
        let mut h = Shake128::default();
        h.update(label.as_bytes());
        Self(h.finalize_xof())
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        self.0.read(&mut out);
        out
    }

    fn vec(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0; n];
        self.0.read(&mut out);
        out
    }
}

/// Sets the first 12-bit coefficient of an encapsulation key to 4095 >= q = 3329.
fn break_modulus(ek: &mut [u8]) {
    ek[0] = 0xFF;
    ek[1] |= 0x0F;
}

macro_rules! mlkem_cross_check {
    ($test:ident, $kem:ty, ek = $ek:literal, ct = $ct:literal) => {
        #[test]
        fn $test() {
            let backends: Vec<MlKemBackend> = MlKemBackend::ALL
                .into_iter()
                .filter(|b| <$kem>::supports(*b))
                .collect();
            eprintln!(
                "{}: comparing {:?}, selected {:?}",
                stringify!($kem),
                backends,
                <$kem>::backend()
            );
            // The selected backend is the highest-priority supported one.
            assert_eq!(Some(&<$kem>::backend()), backends.last());
            for backend in MlKemBackend::ALL {
                if !<$kem>::supports(backend) {
                    let mut share = [0u8; $ek];
                    assert_eq!(
                        <$kem>::client_keygen_with(backend, &[0; 64], &mut share).err(),
                        Some(Error::Internal)
                    );
                }
            }

            let mut rng = Bytes::new(stringify!($test));
            for round in 0..40 {
                let seed: [u8; 64] = rng.array();
                let m: [u8; 32] = rng.array();
                let bad_ct = rng.vec($ct);

                // Key generation: identical shares and expanded keys.
                let mut shares = Vec::new();
                let mut states = Vec::new();
                for &b in &backends {
                    let mut share = [0u8; $ek];
                    let state = <$kem>::client_keygen_with(b, &seed, &mut share).unwrap();
                    assert_eq!(state.backend(), b);
                    shares.push(share);
                    states.push(state);
                }
                for (b, share) in backends.iter().zip(&shares) {
                    assert_eq!(share[..], shares[0][..], "round {round}: ek of {b:?}");
                }
                let dk0 = states[0].to_expanded_bytes();
                for (b, state) in backends.iter().zip(&states) {
                    assert_eq!(state.to_expanded_bytes(), dk0, "round {round}: dk of {b:?}");
                }

                // Encapsulation: identical ciphertexts and keys.
                let mut cts = Vec::new();
                let mut keys = Vec::new();
                for &b in &backends {
                    let (mut ct, mut k) = ([0u8; $ct], [0u8; 32]);
                    <$kem>::server_respond_with(b, &m, &shares[0], &mut ct, &mut k).unwrap();
                    cts.push(ct);
                    keys.push(k);
                }
                for (i, b) in backends.iter().enumerate() {
                    assert_eq!(cts[i][..], cts[0][..], "round {round}: ct of {b:?}");
                    assert_eq!(keys[i], keys[0], "round {round}: K of {b:?}");
                }

                // Decapsulation of the real and of a random ciphertext (implicit rejection),
                // on every backend's key, a clone of it, and a key imported from the expanded
                // form.
                for (b, state) in backends.iter().zip(&states) {
                    let mut k = [0u8; 32];
                    <$kem>::client_complete(state, &cts[0], &mut k).unwrap();
                    assert_eq!(k, keys[0], "round {round}: Decaps on {b:?}");
                    let mut k_bad = [0u8; 32];
                    <$kem>::client_complete(state, &bad_ct, &mut k_bad).unwrap();
                    let mut k_bad_clone = [0u8; 32];
                    <$kem>::client_complete(&state.clone(), &bad_ct, &mut k_bad_clone).unwrap();
                    assert_eq!(k_bad, k_bad_clone, "round {round}: clone on {b:?}");
                    let mut k_bad0 = [0u8; 32];
                    <$kem>::client_complete(&states[0], &bad_ct, &mut k_bad0).unwrap();
                    assert_eq!(k_bad, k_bad0, "round {round}: implicit rejection on {b:?}");
                    assert_ne!(k_bad, keys[0]);
                }
                let imported =
                    <<$kem as Component>::ClientState>::from_expanded_bytes(&dk0).unwrap();
                let mut k = [0u8; 32];
                <$kem>::client_complete(&imported, &bad_ct, &mut k).unwrap();
                let mut k_bad0 = [0u8; 32];
                <$kem>::client_complete(&states[0], &bad_ct, &mut k_bad0).unwrap();
                assert_eq!(
                    k,
                    k_bad0,
                    "round {round}: imported key on {:?}",
                    imported.backend()
                );

                // The FIPS 203 modulus check rejects the same key on every backend.
                let mut bad_ek = shares[0];
                break_modulus(&mut bad_ek);
                for &b in &backends {
                    let (mut ct, mut k) = ([0u8; $ct], [0u8; 32]);
                    assert_eq!(
                        <$kem>::server_respond_with(b, &m, &bad_ek, &mut ct, &mut k),
                        Err(Error::EncapsulationKeyModulus),
                        "round {round}: modulus check of {b:?}"
                    );
                }
            }
        }
    };
}

mlkem_cross_check!(mlkem512_backends_agree, MlKem512, ek = 800, ct = 768);
mlkem_cross_check!(mlkem768_backends_agree, MlKem768, ek = 1184, ct = 1088);
mlkem_cross_check!(mlkem1024_backends_agree, MlKem1024, ek = 1568, ct = 1568);

#[test]
fn x25519_backends_agree() {
    let backends: Vec<X25519Backend> = X25519Backend::ALL
        .into_iter()
        .filter(|b| X25519::supports(*b))
        .collect();
    eprintln!(
        "X25519: comparing {backends:?}, selected {:?}",
        X25519::backend()
    );
    assert_eq!(Some(&X25519::backend()), backends.last());

    let mut rng = Bytes::new("x25519_backends_agree");
    for round in 0..200 {
        let client_seed: [u8; 32] = rng.array();
        let server_seed: [u8; 32] = rng.array();
        // Every fourth peer value has its top bit set (masked by RFC 7748 section 5).
        let mut random_peer: [u8; 32] = rng.array();
        if round % 4 != 0 {
            random_peer[31] &= 0x7F;
        }
        let mut outcomes = Vec::new();
        for &b in &backends {
            let mut share = [0u8; 32];
            let state = X25519::client_keygen_with(b, &client_seed, &mut share).unwrap();
            assert_eq!(state.backend(), b);
            assert_eq!(state.public_share(), &share);
            let (mut server_share, mut server_secret) = ([0u8; 32], [0u8; 32]);
            X25519::server_respond_with(
                b,
                &server_seed,
                &share,
                &mut server_share,
                &mut server_secret,
            )
            .unwrap();
            let mut client_secret = [0u8; 32];
            X25519::client_complete(&state, &server_share, &mut client_secret).unwrap();
            assert_eq!(client_secret, server_secret, "round {round}: {b:?} agrees");
            let mut random_secret = [0u8; 32];
            let random = X25519::client_complete(&state, &random_peer, &mut random_secret);
            outcomes.push((share, server_share, server_secret, random, random_secret));
        }
        for (b, outcome) in backends.iter().zip(&outcomes) {
            assert_eq!(outcome, &outcomes[0], "round {round}: {b:?}");
        }
    }

    // Low-order points (RFC 7748 section 6.1 / RFC 8446 section 7.4.2): the same rejection on
    // every backend, from both sides.
    let mut low_order: Vec<[u8; 32]> = vec![[0; 32], {
        let mut one = [0; 32];
        one[0] = 1;
        one
    }];
    // p - 1 and p (p = 2^255 - 19), and p + 1 (non-canonical encodings of low-order points).
    let mut p = [0xFF; 32];
    p[0] = 0xED;
    p[31] = 0x7F;
    let mut p_minus_1 = p;
    p_minus_1[0] = 0xEC;
    let mut p_plus_1 = p;
    p_plus_1[0] = 0xEE;
    low_order.extend([p, p_minus_1, p_plus_1]);
    for point in low_order {
        for &b in &backends {
            let mut share = [0u8; 32];
            let state = X25519::client_keygen_with(b, &[7; 32], &mut share).unwrap();
            let mut secret = [0u8; 32];
            assert_eq!(
                X25519::client_complete(&state, &point, &mut secret),
                Err(Error::X25519ZeroSharedSecret),
                "{b:?} client, point {point:02x?}"
            );
            let (mut server_share, mut server_secret) = ([0u8; 32], [0u8; 32]);
            assert_eq!(
                X25519::server_respond_with(
                    b,
                    &[9; 32],
                    &point,
                    &mut server_share,
                    &mut server_secret
                ),
                Err(Error::X25519ZeroSharedSecret),
                "{b:?} server, point {point:02x?}"
            );
        }
    }
}
