//! Every compiled-in backend against every other, byte for byte, on the same random inputs:
//! shares, secrets, implicit-rejection secrets, exported keys and rejections (ML-KEM modulus
//! check, X25519 all-zero results). With the default features only the portable backends exist
//! and this checks them against themselves; run with `--features backend-libcrux,backend-graviola`
//! (or `--all-features`) to compare them.

#![allow(deprecated)] // `ExpandedKeyEncoding`: the FIPS 203 expanded key, exported by every backend.

use hybrid_kx::components::Component;
use hybrid_kx::components::ecdh_nist::{P256, P384};
use hybrid_kx::components::mlkem::{MlKem512, MlKem768, MlKem1024};
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::{Backend, Error, NamedGroup};
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
            let backends: Vec<Backend> = Backend::ALL
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
            // A backend this CPU cannot run is refused; one that runs but has no code for this
            // parameter set falls back to the portable reference.
            for backend in Backend::ALL {
                let mut share = [0u8; $ek];
                let state = <$kem>::client_keygen_on(backend, &[0; 64], &mut share);
                if !backend.is_usable() {
                    assert_eq!(state.err(), Some(Error::BackendUnavailable));
                } else if !<$kem>::supports(backend) {
                    assert_eq!(state.unwrap().backend(), Backend::Portable);
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
                    let state = <$kem>::client_keygen_on(b, &seed, &mut share).unwrap();
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
                    <$kem>::server_respond_on(b, &m, &shares[0], &mut ct, &mut k).unwrap();
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
                        <$kem>::server_respond_on(b, &m, &bad_ek, &mut ct, &mut k),
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
    let backends: Vec<Backend> = Backend::ALL
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
            let state = X25519::client_keygen_on(b, &client_seed, &mut share).unwrap();
            assert_eq!(state.backend(), b);
            assert_eq!(state.public_share(), &share);
            let (mut server_share, mut server_secret) = ([0u8; 32], [0u8; 32]);
            X25519::server_respond_on(
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
            let state = X25519::client_keygen_on(b, &[7; 32], &mut share).unwrap();
            let mut secret = [0u8; 32];
            assert_eq!(
                X25519::client_complete(&state, &point, &mut secret),
                Err(Error::X25519ZeroSharedSecret),
                "{b:?} client, point {point:02x?}"
            );
            let (mut server_share, mut server_secret) = ([0u8; 32], [0u8; 32]);
            assert_eq!(
                X25519::server_respond_on(
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

macro_rules! nist_cross_check {
    ($test:ident, $curve:ty, $p256_or_p384:ident, scalar = $scalar:literal, point = $point:literal) => {
        #[test]
        fn $test() {
            let backends: Vec<Backend> = Backend::ALL
                .into_iter()
                .filter(|b| <$curve>::supports(*b))
                .collect();
            eprintln!(
                "{}: comparing {backends:?}, selected {:?}",
                stringify!($curve),
                <$curve>::backend()
            );
            assert_eq!(Some(&<$curve>::backend()), backends.last());

            let mut rng = Bytes::new(stringify!($test));
            for round in 0..100 {
                let client_seed: [u8; $scalar] = rng.array();
                let server_seed: [u8; $scalar] = rng.array();
                let mut outcomes = Vec::new();
                for &b in &backends {
                    let mut share = [0u8; $point];
                    let state = <$curve>::client_keygen_on(b, &client_seed, &mut share).unwrap();
                    assert_eq!(state.backend(), b);
                    let (mut server_share, mut server_secret) = ([0u8; $point], [0u8; $scalar]);
                    <$curve>::server_respond_on(
                        b,
                        &server_seed,
                        &share,
                        &mut server_share,
                        &mut server_secret,
                    )
                    .unwrap();
                    let mut client_secret = [0u8; $scalar];
                    <$curve>::client_complete(&state, &server_share, &mut client_secret).unwrap();
                    assert_eq!(client_secret, server_secret, "round {round}: {b:?} agrees");
                    outcomes.push((share, server_share, server_secret));
                }
                for (b, outcome) in backends.iter().zip(&outcomes) {
                    assert_eq!(outcome, &outcomes[0], "round {round}: {b:?}");
                }
                // The portable result is the RustCrypto crate's own ECDH.
                let c = $p256_or_p384::SecretKey::from_slice(&client_seed).unwrap();
                let s = $p256_or_p384::SecretKey::from_slice(&server_seed).unwrap();
                let expected = $p256_or_p384::ecdh::diffie_hellman(
                    s.to_nonzero_scalar(),
                    c.public_key().as_affine(),
                );
                assert_eq!(&outcomes[0].2[..], &expected.raw_secret_bytes()[..]);
            }

            // Invalid peer points and scalars: the same error on every backend, both sides.
            let mut valid = [0u8; $point];
            let _ =
                <$curve>::client_keygen_on(Backend::Portable, &[3; $scalar], &mut valid).unwrap();
            let mut off_curve = valid;
            off_curve[$point - 1] ^= 1;
            let mut too_big = [0xFF; $point];
            too_big[0] = 0x04;
            let mut compressed = valid;
            compressed[0] = 0x02;
            let mut hybrid_form = valid;
            hybrid_form[0] = 0x06;
            let identity = [0u8; $point];
            let cases = [
                (off_curve, Error::EcPointNotOnCurve),
                (too_big, Error::EcPointNotOnCurve),
                (compressed, Error::EcPointNotUncompressed),
                (hybrid_form, Error::EcPointNotUncompressed),
                (identity, Error::EcPointNotUncompressed),
            ];
            for (point, err) in cases {
                for &b in &backends {
                    let mut share = [0u8; $point];
                    let state = <$curve>::client_keygen_on(b, &[5; $scalar], &mut share).unwrap();
                    let mut secret = [0u8; $scalar];
                    assert_eq!(
                        <$curve>::client_complete(&state, &point, &mut secret),
                        Err(err),
                        "{b:?} client"
                    );
                    let (mut server_share, mut server_secret) = ([0u8; $point], [0u8; $scalar]);
                    assert_eq!(
                        <$curve>::server_respond_on(
                            b,
                            &[9; $scalar],
                            &point,
                            &mut server_share,
                            &mut server_secret
                        ),
                        Err(err),
                        "{b:?} server"
                    );
                }
            }
            // Scalars 0 and all-ones (>= n for both curves) are outside [1, n-1].
            for scalar in [[0u8; $scalar], [0xFF; $scalar]] {
                for &b in &backends {
                    let mut share = [0u8; $point];
                    assert_eq!(
                        <$curve>::client_keygen_on(b, &scalar, &mut share).err(),
                        Some(Error::InvalidPrivateScalar),
                        "{b:?}"
                    );
                }
            }
        }
    };
}

nist_cross_check!(p256_backends_agree, P256, p256, scalar = 32, point = 65);
nist_cross_check!(p384_backends_agree, P384, p384, scalar = 48, point = 97);

#[test]
fn every_group_gives_the_same_bytes_on_every_backend() {
    let mut rng = Bytes::new("every_group_gives_the_same_bytes_on_every_backend");
    for group in NamedGroup::ALL {
        for _ in 0..8 {
            let client_seed = rng.vec(group.client_seed_len());
            let server_seed = rng.vec(group.server_seed_len());
            let Ok((reference_share, _)) = group.generate_key_share_from_seed(&client_seed) else {
                continue; // an EC scalar out of range: drawn again by the random entry points
            };
            let (reference_server, reference_secret) = group
                .encapsulate_from_seed(reference_share.as_bytes(), &server_seed)
                .unwrap();
            for backend in Backend::ALL {
                let result = group.generate_key_share_from_seed_on(backend, &client_seed);
                if !backend.is_usable() {
                    assert_eq!(result.err(), Some(Error::BackendUnavailable));
                    continue;
                }
                let (share, state) = result.unwrap();
                assert_eq!(
                    share.as_bytes(),
                    reference_share.as_bytes(),
                    "{group} {backend}"
                );
                let (server_share, server_secret) = group
                    .encapsulate_from_seed_on(backend, share.as_bytes(), &server_seed)
                    .unwrap();
                assert_eq!(server_share.as_bytes(), reference_server.as_bytes());
                assert_eq!(server_secret, reference_secret, "{group} {backend}");
                assert_eq!(
                    state.complete(server_share.as_bytes()).unwrap(),
                    reference_secret,
                    "{group} {backend}"
                );
            }
        }
    }
}
