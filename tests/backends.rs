//! Every compiled-in backend against every other, byte for byte, on the same random inputs:
//! shares, secrets, implicit-rejection secrets, exported keys and rejections (ML-KEM modulus
//! check, X25519 all-zero results, invalid EC points and scalars). Run with `--all-features` to
//! compare the accelerated backends with the portable reference; a backend this CPU cannot run
//! is named on standard error as skipped, with the reason.
//!
//! aws-lc-rs takes no seed for ML-KEM key generation and encapsulation, so those cannot be
//! compared byte for byte: its seeded requests must land on the portable reference, and its
//! own-randomness operations are checked by round trips with every other backend (its key
//! generation, their encapsulation, its decapsulation, and the reverse), by its decapsulation of
//! imported keys byte for byte, and by the structure of the keys it exports.

use hybrid_kx::components::ecdh_nist::{P256, P384};
use hybrid_kx::components::mlkem::{MlKem512, MlKem768, MlKem1024};
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::components::{Primitive, PrimitiveVisitor, PrivateKey, ServerStep, table};
use hybrid_kx::{Backend, Error, NamedGroup};
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

    fn vec(&mut self, n: usize) -> Vec<u8> {
        let mut out = vec![0; n];
        self.0.read(&mut out);
        out
    }
}

/// Whether `backend` has code for `P` that takes a seed: all but aws-lc-rs's ML-KEM, whose safe
/// API draws `d ‖ z` and `m` itself (stated here, not asked of the crate).
fn takes_seed<P: Primitive>(backend: Backend) -> bool {
    P::has_backend(backend) && !(backend == Backend::AwsLc && P::NAME.starts_with("ML-KEM"))
}

/// The backends that run `P` here from a seed, in the order of `Backend::ALL`, after printing
/// which ones are compared and which are skipped and why. The preferred backend for seeded
/// operations must be one of them.
fn usable_backends<P: Primitive>() -> Vec<Backend> {
    let mut usable = Vec::new();
    for &backend in Backend::ALL {
        if P::supports(backend) && takes_seed::<P>(backend) {
            usable.push(backend);
        } else if P::supports(backend) {
            eprintln!(
                "{}: backend {backend} takes no seed: checked by round trips instead",
                P::NAME
            );
        } else if P::has_backend(backend) || !backend.is_compiled() {
            let reason = backend.unusable_reason().unwrap_or("no code for it");
            eprintln!("{}: SKIPPED backend {backend}: {reason}", P::NAME);
        }
    }
    eprintln!(
        "{}: comparing {usable:?}, preferred {}",
        P::NAME,
        P::backend()
    );
    assert!(usable.contains(&P::seeded_backend(None).unwrap()));
    usable
}

/// Every backend with code for `P` that runs here, seeded or not.
fn running_backends<P: Primitive>() -> Vec<Backend> {
    Backend::ALL
        .iter()
        .copied()
        .filter(|&b| P::supports(b))
        .collect()
}

/// Key generation on `backend` from `seed` (a backend that takes no seed is not asked).
fn keygen<P: Primitive>(backend: Backend, seed: &[u8]) -> (Vec<u8>, PrivateKey<P>) {
    assert!(takes_seed::<P>(backend) || backend == Backend::Portable);
    let mut share = vec![0u8; P::CLIENT_SHARE_LEN];
    let state = P::client_keygen(Some(backend), seed, &mut share)
        .unwrap_or_else(|e| panic!("{} keygen on {backend}: {e}", P::NAME));
    assert_eq!(state.backend(), backend);
    (share, state)
}

/// Where a server step's randomness comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Randomness {
    /// The `seed` given (known-answer style).
    Seed,
    /// The operating system: `seed` is drawn for it, and a backend with its own generator
    /// ignores it.
    System,
}

/// The server step on `backend` with randomness from `from`: its share and secret, or its
/// error.
fn respond<P: Primitive>(
    from: Randomness,
    backend: Backend,
    seed: &[u8],
    client_share: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    server_step::<P>(seed, client_share, |step| match from {
        Randomness::Seed => P::server_respond(Some(backend), step),
        Randomness::System => P::server_respond_system(Some(backend), step),
    })
}

/// Runs `run` on a server step with room for `P`'s share and secret, and returns them.
fn server_step<P: Primitive>(
    seed: &[u8],
    client_share: &[u8],
    run: impl FnOnce(ServerStep<'_>) -> Result<(), Error>,
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let mut share = vec![0u8; P::SERVER_SHARE_LEN];
    let mut secret = vec![0u8; P::SECRET_LEN];
    run(ServerStep {
        seed,
        client_share,
        share: &mut share,
        secret: &mut secret,
    })?;
    Ok((share, secret))
}

/// Key generation on `backend` with the operating system's randomness.
fn keygen_system<P: Primitive>(backend: Backend, seed: &[u8]) -> (Vec<u8>, PrivateKey<P>) {
    let mut share = vec![0u8; P::CLIENT_SHARE_LEN];
    let state = P::client_keygen_system(Some(backend), seed, &mut share)
        .unwrap_or_else(|e| panic!("{} keygen on {backend}: {e}", P::NAME));
    assert_eq!(state.backend(), backend);
    (share, state)
}

/// Completion: the secret or the error.
fn complete<P: Primitive>(state: &PrivateKey<P>, server_share: &[u8]) -> Result<Vec<u8>, Error> {
    let mut secret = vec![0u8; P::SECRET_LEN];
    P::client_complete(state, server_share, &mut secret)?;
    Ok(secret)
}

/// A request for every backend of `Backend::ALL`: refused when the backend does not run here;
/// a seeded one runs on the portable reference when the backend has no code for `P` that takes a
/// seed, and one on the operating system's randomness when it has no code for `P` at all.
fn requests_resolve<P: Primitive>() {
    for &backend in Backend::ALL {
        let mut share = vec![0u8; P::CLIENT_SHARE_LEN];
        let seed = vec![1u8; P::CLIENT_SEED_LEN];
        let seeded = P::client_keygen(Some(backend), &seed, &mut share);
        let system = P::client_keygen_system(Some(backend), &seed, &mut share);
        if !backend.is_usable() {
            assert_eq!(seeded.err(), Some(Error::BackendUnavailable), "{backend}");
            assert_eq!(system.err(), Some(Error::BackendUnavailable), "{backend}");
            assert_eq!(
                P::seeded_backend(Some(backend)),
                Err(Error::BackendUnavailable)
            );
            continue;
        }
        let expected = if takes_seed::<P>(backend) {
            backend
        } else {
            Backend::Portable
        };
        assert_eq!(seeded.unwrap().backend(), expected, "{backend}");
        assert_eq!(P::seeded_backend(Some(backend)), Ok(expected), "{backend}");
        let expected = if P::has_backend(backend) {
            backend
        } else {
            Backend::Portable
        };
        assert_eq!(system.unwrap().backend(), expected, "{backend}");
    }
}

/// ML-KEM parameter set `P`: identical `ek`, expanded `dk`, `c`, `K` and implicit-rejection
/// `K` on every backend, keys imported from the expanded form decapsulate alike, and the FIPS
/// 203 modulus check rejects the same key everywhere.
fn mlkem_backends_agree<P: Primitive>() {
    requests_resolve::<P>();
    let backends = usable_backends::<P>();
    let mut rng = Bytes::new(P::NAME);
    for round in 0..40 {
        let seed = rng.vec(64);
        let m = rng.vec(32);
        let bad_ct = rng.vec(P::SERVER_SHARE_LEN);

        let keys: Vec<_> = backends.iter().map(|&b| keygen::<P>(b, &seed)).collect();
        let expanded = |state: &PrivateKey<P>| {
            let mut dk = vec![0u8; P::EXPANDED_KEY_LEN];
            state.expanded_key(&mut dk).unwrap();
            dk
        };
        let (ek, dk) = (&keys[0].0, expanded(&keys[0].1));
        for (b, (share, state)) in backends.iter().zip(&keys) {
            assert_eq!(share, ek, "round {round}: ek of {b}");
            assert_eq!(expanded(state), dk, "round {round}: dk of {b}");
        }

        let responses: Vec<_> = backends
            .iter()
            .map(|&b| respond::<P>(Randomness::Seed, b, &m, ek).unwrap())
            .collect();
        let (ct, k) = &responses[0];
        for (b, response) in backends.iter().zip(&responses) {
            assert_eq!(response, &responses[0], "round {round}: c and K of {b}");
        }

        // Decapsulation of the real and of a random ciphertext (implicit rejection), on every
        // backend's key and on keys imported from the expanded form onto every backend.
        let k_rejected = complete(&keys[0].1, &bad_ct).unwrap();
        assert_ne!(&k_rejected, k);
        let check = |what: &str, state: &PrivateKey<P>| {
            assert_eq!(&complete(state, ct).unwrap(), k, "round {round}: {what}");
            assert_eq!(
                complete(state, &bad_ct).unwrap(),
                k_rejected,
                "round {round}: implicit rejection, {what}"
            );
        };
        for (b, (_, state)) in backends.iter().zip(&keys) {
            check(&format!("key of {b}"), state);
        }
        // Including the backends that take no seed (aws-lc-rs imports an expanded key).
        for b in running_backends::<P>() {
            let imported = PrivateKey::<P>::from_expanded_key(Some(b), &dk).unwrap();
            let expected = if b == Backend::Graviola {
                Backend::Portable
            } else {
                b
            };
            assert_eq!(imported.backend(), expected, "import onto {b}");
            check(
                &format!("key imported on {b}, held by {}", imported.backend()),
                &imported,
            );
        }

        // The FIPS 203 modulus check: the first 12-bit coefficient set to 4095 >= q = 3329.
        let mut bad_ek = ek.clone();
        bad_ek[0] = 0xFF;
        bad_ek[1] |= 0x0F;
        for &b in &backends {
            assert_eq!(
                respond::<P>(Randomness::Seed, b, &m, &bad_ek),
                Err(Error::EncapsulationKeyModulus),
                "round {round}: modulus check of {b}"
            );
        }
        for b in running_backends::<P>() {
            assert_eq!(
                respond::<P>(Randomness::System, b, &m, &bad_ek),
                Err(Error::EncapsulationKeyModulus),
                "round {round}: modulus check of {b} on the operating system's randomness"
            );
        }
        // The FIPS 203 section 7.3 check of an expanded key: a wrong `H(ek)` is refused.
        let mut bad_dk = dk.clone();
        let h = P::EXPANDED_KEY_LEN - 64;
        bad_dk[h] ^= 1;
        assert_eq!(
            PrivateKey::<P>::from_expanded_key(None, &bad_dk).err(),
            Some(Error::DecapsulationKeyCheck)
        );
    }
}

/// Round trips on the operating system's randomness between every pair of backends with code
/// for `P` (aws-lc-rs draws its own there): client key generation on one, the server step on the
/// other, completion on the first; both sides must reach the same secret, each key must
/// complete only its own exchange, and a key generated by one exported in the FIPS 203 expanded
/// form must decapsulate alike on the portable reference. Where a backend draws its own
/// randomness this is what shows it works; where it takes the seed, it checks the `_system`
/// dispatch. Then the shares are checked against their specifications' structure.
fn round_trips<P: Primitive>(rounds: usize) {
    let backends = running_backends::<P>();
    let mut rng = Bytes::new(&format!("{} round trips", P::NAME));
    for round in 0..rounds {
        for &client in &backends {
            let (share, state) = keygen_system::<P>(client, &rng.vec(P::CLIENT_SEED_LEN));
            for &server in &backends {
                let (server_share, secret) = respond::<P>(
                    Randomness::System,
                    server,
                    &rng.vec(P::SERVER_SEED_LEN),
                    &share,
                )
                .unwrap_or_else(|e| panic!("round {round}: {client} -> {server}: {e}"));
                assert_eq!(
                    complete(&state, &server_share).unwrap(),
                    secret,
                    "round {round}: key of {client}, server step on {server}"
                );
                // Another client's key does not reach this secret.
                let (_, other) = keygen_system::<P>(client, &rng.vec(P::CLIENT_SEED_LEN));
                assert_ne!(complete(&other, &server_share).unwrap(), secret);
            }
            if P::EXPANDED_KEY_LEN > 0 {
                let mut dk = vec![0u8; P::EXPANDED_KEY_LEN];
                state.expanded_key(&mut dk).unwrap();
                mlkem_key_structure(&share, &dk);
                let imported = PrivateKey::<P>::from_expanded_key(Some(Backend::Portable), &dk)
                    .unwrap_or_else(|e| panic!("round {round}: dk of {client}: {e}"));
                let (server_share, secret) =
                    respond::<P>(Randomness::Seed, Backend::Portable, &rng.vec(32), &share)
                        .unwrap();
                assert_eq!(complete(&imported, &server_share).unwrap(), secret);
                assert_eq!(complete(&state, &server_share).unwrap(), secret);
            }
        }
    }
}

/// FIPS 203 section 7.1: `dk = dkPKE ‖ ek ‖ H(ek) ‖ z`, where `dkPKE` is 384·k bytes, `ek` the
/// client's share and `H` SHA3-256 (computed here with the `sha3` crate, independent of every
/// backend).
fn mlkem_key_structure(ek: &[u8], dk: &[u8]) {
    use sha3::Digest;
    let dk_pke = ek.len() - 32;
    assert_eq!(dk.len(), dk_pke + ek.len() + 64);
    assert_eq!(&dk[dk_pke..dk_pke + ek.len()], ek, "ek inside dk");
    let h = sha3::Sha3_256::digest(ek);
    assert_eq!(
        &dk[dk_pke + ek.len()..dk.len() - 32],
        &h[..],
        "H(ek) inside dk"
    );
}

#[test]
fn mlkem512_backends_agree() {
    mlkem_backends_agree::<MlKem512>();
}

#[test]
fn mlkem768_backends_agree() {
    mlkem_backends_agree::<MlKem768>();
}

#[test]
fn mlkem1024_backends_agree() {
    mlkem_backends_agree::<MlKem1024>();
}

/// Diffie-Hellman primitive `P`: the same shares and secrets on every backend for random
/// scalars, and the same outcome (secret or error) for every peer value in `peers`, from both
/// sides.
fn dh_backends_agree<P: Primitive>(rounds: usize, peers: &[(Vec<u8>, Result<(), Error>)]) {
    requests_resolve::<P>();
    let backends = usable_backends::<P>();
    let mut rng = Bytes::new(P::NAME);
    for round in 0..rounds {
        let client_seed = rng.vec(P::CLIENT_SEED_LEN);
        let server_seed = rng.vec(P::SERVER_SEED_LEN);
        let mut outcomes = Vec::new();
        for &b in &backends {
            let (share, state) = keygen::<P>(b, &client_seed);
            let (server_share, server_secret) =
                respond::<P>(Randomness::Seed, b, &server_seed, &share).unwrap();
            assert_eq!(
                complete(&state, &server_share).unwrap(),
                server_secret,
                "round {round}: {b} agrees with itself"
            );
            outcomes.push((share, server_share, server_secret));
        }
        for (b, outcome) in backends.iter().zip(&outcomes) {
            assert_eq!(outcome, &outcomes[0], "round {round}: {b}");
        }
    }
    peers_answered_alike::<P>(Randomness::Seed, &backends, peers);
}

#[test]
fn x25519_backends_agree() {
    // Low-order points (RFC 7748 section 6.1 / RFC 8446 section 7.4.2): 0, 1, and the
    // non-canonical encodings p - 1, p, p + 1 (p = 2^255 - 19).
    let mut p = [0xFF; 32];
    p[0] = 0xED;
    p[31] = 0x7F;
    let (mut p_minus_1, mut p_plus_1, mut one) = (p, p, [0u8; 32]);
    p_minus_1[0] = 0xEC;
    p_plus_1[0] = 0xEE;
    one[0] = 1;
    let zero = Err(Error::X25519ZeroSharedSecret);
    let mut peers: Vec<_> = [[0u8; 32], one, p, p_minus_1, p_plus_1]
        .into_iter()
        .map(|point| (point.to_vec(), zero))
        .collect();
    // Random peers, half of them with the top bit set (masked by RFC 7748 section 5).
    let mut rng = Bytes::new("x25519 peers");
    for i in 0..50 {
        let mut peer = rng.vec(32);
        if i % 2 == 0 {
            peer[31] |= 0x80;
        }
        peers.push((peer, Ok(())));
    }
    dh_backends_agree::<X25519>(200, &peers);
    dh_peers_on_system_randomness::<X25519>(&peers);
}

/// The same outcome for every peer value in `peers` on every backend with the operating system's
/// randomness (aws-lc-rs then uses keys of its own generator), from both sides.
fn dh_peers_on_system_randomness<P: Primitive>(peers: &[(Vec<u8>, Result<(), Error>)]) {
    peers_answered_alike::<P>(Randomness::System, &running_backends::<P>(), peers);
}

/// Each peer value of `peers` gets its expected outcome (a secret, or the error) on each of
/// `backends`, as the client's completion and as the server's step, with randomness `from`.
fn peers_answered_alike<P: Primitive>(
    from: Randomness,
    backends: &[Backend],
    peers: &[(Vec<u8>, Result<(), Error>)],
) {
    for (peer, expected) in peers {
        for &b in backends {
            let client_seed = vec![5; P::CLIENT_SEED_LEN];
            let (_, state) = match from {
                Randomness::Seed => keygen::<P>(b, &client_seed),
                Randomness::System => keygen_system::<P>(b, &client_seed),
            };
            let client = complete(&state, peer).map(|_| ());
            let server = respond::<P>(from, b, &vec![9; P::SERVER_SEED_LEN], peer).map(|_| ());
            assert_eq!(&client, expected, "{b} client, peer {peer:02x?}");
            assert_eq!(&server, expected, "{b} server, peer {peer:02x?}");
        }
    }
}

/// The invalid peer points of a NIST curve with `point`-byte shares, each with its error.
fn invalid_points<P: Primitive>() -> Vec<(Vec<u8>, Result<(), Error>)> {
    let point = P::CLIENT_SHARE_LEN;
    let (valid, _) = keygen::<P>(Backend::Portable, &vec![3; P::CLIENT_SEED_LEN]);
    let mut off_curve = valid.clone();
    off_curve[point - 1] ^= 1;
    let mut too_big = vec![0xFF; point];
    too_big[0] = 0x04;
    let mut compressed = valid.clone();
    compressed[0] = 0x02;
    let mut hybrid_form = valid.clone();
    hybrid_form[0] = 0x06;
    vec![
        (valid, Ok(())),
        (off_curve, Err(Error::EcPointNotOnCurve)),
        (too_big, Err(Error::EcPointNotOnCurve)),
        (compressed, Err(Error::EcPointNotUncompressed)),
        (hybrid_form, Err(Error::EcPointNotUncompressed)),
        (vec![0; point], Err(Error::EcPointNotUncompressed)),
    ]
}

/// Scalars 0 and all-ones (>= n for both curves) are outside `[1, n-1]` on every backend.
fn invalid_scalars_are_refused<P: Primitive>() {
    for scalar in [
        vec![0u8; P::CLIENT_SEED_LEN],
        vec![0xFF; P::CLIENT_SEED_LEN],
    ] {
        for b in usable_backends::<P>() {
            let mut share = vec![0u8; P::CLIENT_SHARE_LEN];
            assert_eq!(
                P::client_keygen(Some(b), &scalar, &mut share).err(),
                Some(Error::InvalidPrivateScalar),
                "{b}"
            );
        }
    }
}

/// The backends of a NIST curve agree (on fixed scalars and on system randomness) and refuse the
/// invalid points and scalars; the portable
/// result for two fixed scalars is `reference(client scalar, server scalar)`, the RustCrypto
/// crate's own ECDH.
fn nist_backends_agree<P: Primitive>(reference: impl Fn(&[u8], &[u8]) -> Vec<u8>) {
    dh_backends_agree::<P>(100, &invalid_points::<P>());
    dh_peers_on_system_randomness::<P>(&invalid_points::<P>());
    invalid_scalars_are_refused::<P>();
    let (c, s) = (
        vec![0x11u8; P::CLIENT_SEED_LEN],
        vec![0x22u8; P::SERVER_SEED_LEN],
    );
    let (share, _) = keygen::<P>(Backend::Portable, &c);
    let (_, secret) = respond::<P>(Randomness::Seed, Backend::Portable, &s, &share).unwrap();
    assert_eq!(&secret[..], &reference(&c, &s)[..]);
}

/// RustCrypto's own ECDH on curve `C` of a client and a server scalar.
fn rustcrypto_ecdh<C: p256::elliptic_curve::CurveArithmetic>(
    client: &[u8],
    server: &[u8],
) -> Vec<u8> {
    use p256::elliptic_curve::{SecretKey, ecdh::diffie_hellman};
    let client = SecretKey::<C>::from_slice(client).unwrap();
    let server = SecretKey::<C>::from_slice(server).unwrap();
    let secret = diffie_hellman(server.to_nonzero_scalar(), client.public_key().as_affine());
    secret.raw_secret_bytes().to_vec()
}

#[test]
fn p256_backends_agree() {
    nist_backends_agree::<P256>(rustcrypto_ecdh::<p256::NistP256>);
}

#[test]
fn p384_backends_agree() {
    nist_backends_agree::<P384>(rustcrypto_ecdh::<p384::NistP384>);
}

#[test]
fn every_group_gives_the_same_bytes_on_every_backend() {
    let mut rng = Bytes::new("every_group_gives_the_same_bytes_on_every_backend");
    let mut redrawn = 0;
    for &group in NamedGroup::ALL {
        for _ in 0..8 {
            // An EC scalar out of range (probability below 2^-32 per draw) is drawn again, as
            // the random entry points do; the count is printed.
            let (client_seed, reference_share) = loop {
                let seed = rng.vec(group.client_seed_len());
                match group.generate_key_share_from_seed(&seed) {
                    Ok((share, _)) => break (seed, share),
                    Err(Error::InvalidPrivateScalar) => redrawn += 1,
                    Err(e) => panic!("{group}: {e}"),
                }
            };
            let server_seed = rng.vec(group.server_seed_len());
            let (reference_server, reference_secret) = group
                .encapsulate_from_seed(reference_share.as_bytes(), &server_seed)
                .unwrap();
            for &backend in Backend::ALL {
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
    eprintln!("EC scalars drawn again: {redrawn}");
    for &backend in Backend::ALL {
        if let Some(reason) = backend.unusable_reason() {
            eprintln!("SKIPPED backend {backend}: {reason}");
        }
    }
}

#[test]
fn every_primitive_round_trips_between_every_pair_of_backends() {
    /// [`round_trips`] for one primitive (more rounds for the cheap X25519).
    #[derive(Clone)]
    struct RoundTrips;
    impl PrimitiveVisitor for RoundTrips {
        type Output = ();
        fn visit<P: Primitive>(self) {
            round_trips::<P>(if P::NAME == "X25519" { 20 } else { 10 });
        }
    }
    assert_eq!(table::for_each(RoundTrips).count(), 6);
}

/// `Component::system_reads_seed` tells the truth for `P` on every backend that runs it: code
/// that says it reads the seed of an operation on the operating system's randomness gives the
/// same share (and secret) twice for one seed, and code that says it does not (it draws from
/// its own generator) gives different ones. The group layer passes zeros instead of drawing
/// where the answer is `false`, so a wrong `false` would repeat keys. The expected answer is
/// stated here, not asked of the crate: only aws-lc-rs draws its own.
fn system_seed_reading_is_stated_truly<P: Primitive>() {
    let mut rng = Bytes::new(&format!("{} system seed", P::NAME));
    for backend in running_backends::<P>() {
        let reads = P::system_reads_seed(Some(backend));
        assert_eq!(reads, backend != Backend::AwsLc, "{} on {backend}", P::NAME);
        let seed = rng.vec(P::CLIENT_SEED_LEN);
        let (first, state) = keygen_system::<P>(backend, &seed);
        let (second, _) = keygen_system::<P>(backend, &seed);
        assert_eq!(
            first == second,
            reads,
            "{} key generation on {backend}",
            P::NAME
        );
        let seed = rng.vec(P::SERVER_SEED_LEN);
        let one = respond::<P>(Randomness::System, backend, &seed, &first).unwrap();
        let two = respond::<P>(Randomness::System, backend, &seed, &first).unwrap();
        assert_eq!(
            one.0 == two.0,
            reads,
            "{} server share on {backend}",
            P::NAME
        );
        assert_eq!(
            one.1 == two.1,
            reads,
            "{} server secret on {backend}",
            P::NAME
        );
        assert_eq!(complete(&state, &one.0).unwrap(), one.1);
        eprintln!("{} on {backend}: reads the system seed: {reads}", P::NAME);
    }
}

#[test]
fn every_primitive_says_truly_whether_it_reads_the_system_seed() {
    /// [`system_seed_reading_is_stated_truly`] for one primitive.
    #[derive(Clone)]
    struct Reads;
    impl PrimitiveVisitor for Reads {
        type Output = ();
        fn visit<P: Primitive>(self) {
            system_seed_reading_is_stated_truly::<P>();
        }
    }
    assert_eq!(table::for_each(Reads).count(), 6);
}

/// Every group on the operating system's randomness, on the backends preferred here (aws-lc-rs
/// for ML-KEM-1024 and the NIST curves when `backend-aws-lc` is on, where no seed is drawn):
/// two key generations give two different shares, two encapsulations to one share two
/// different server shares and secrets, and both complete to the server's secret.
#[cfg(feature = "getrandom")]
#[test]
fn every_group_draws_fresh_randomness_for_every_operation() {
    for &group in NamedGroup::ALL {
        let (share, state) = group.generate_key_share().unwrap();
        let (again, _) = group.generate_key_share().unwrap();
        assert!(
            share.as_bytes() != again.as_bytes(),
            "{group}: fresh client keys"
        );
        let (server_share, secret) = group.encapsulate(share.as_bytes()).unwrap();
        let (other_share, other_secret) = group.encapsulate(share.as_bytes()).unwrap();
        assert!(
            server_share.as_bytes() != other_share.as_bytes(),
            "{group}: fresh server share"
        );
        assert_ne!(secret, other_secret, "{group}: fresh server randomness");
        assert_eq!(state.complete(server_share.as_bytes()).unwrap(), secret);
    }
}
