//! Every group end to end: agreement with random keys, the exact RFC 10024 composition
//! against direct calls to `ml-kem`, `x25519-dalek`, `p256` and `p384`, the length table, every
//! malformed-share class with its error and alert, key-share reuse, look-up and redaction.

use hybrid_kx::{
    Alert, ByteArray, Error, Group, GroupVisitor, HybridGroup, MLKEM512, MLKEM768, MLKEM1024,
    NamedGroup, SecP256r1MLKEM768, SecP384r1MLKEM1024, ShareKind, X25519MLKEM768,
};
use hybrid_kx_support::shared_vectors::shared_vectors_dir;
use ml_kem::{DecapsulationKey, EncapsulationKey, KeyExport};
use p256::elliptic_curve::sec1::ToSec1Point;

fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).unwrap();
    out
}

/// Random seeds whose EC scalar parts (if any) are valid: draw until key generation accepts.
fn random_seeds<G: Group>() -> (G::ClientSeed, G::ServerSeed) {
    loop {
        let mut c = G::ClientSeed::zeroed();
        let mut s = G::ServerSeed::zeroed();
        getrandom::fill(c.as_mut()).unwrap();
        getrandom::fill(s.as_mut()).unwrap();
        if G::generate_key_share_from_seed(&c).is_ok() {
            return (c, s);
        }
    }
}

// ---------------------------------------------------------------- agreement

/// Agreement with random keys, written once for every group of the table.
struct Agree;

impl GroupVisitor for Agree {
    type Output = &'static str;
    fn visit<G: Group>(self) -> &'static str {
        for _ in 0..16 {
            let (client_share, state) = G::generate_key_share().unwrap();
            let (server_share, server_secret) = G::encapsulate(client_share.as_ref()).unwrap();
            let client_secret = state.complete(server_share.as_ref()).unwrap();
            assert_eq!(client_secret, server_secret, "{}", G::NAME);
            assert_eq!(client_secret.as_bytes(), server_secret.as_bytes());
            assert_eq!(client_secret.len(), G::SHARED_SECRET_LEN);
        }
        G::NAME
    }
}

#[test]
fn every_group_agrees_with_random_keys() {
    let visited: Vec<_> = NamedGroup::ALL
        .iter()
        .map(|group| group.visit(Agree))
        .collect();
    assert_eq!(
        visited,
        [
            "X25519MLKEM768",
            "SecP256r1MLKEM768",
            "SecP384r1MLKEM1024",
            "MLKEM768",
            "MLKEM1024",
            "MLKEM512"
        ]
    );
}

#[test]
fn mlkem512_is_opt_in() {
    assert!(!NamedGroup::MLKEM512.offered_by_default());
    assert!(!NamedGroup::DEFAULT.contains(&NamedGroup::MLKEM512));
    assert_eq!(NamedGroup::DEFAULT.len(), NamedGroup::ALL.len() - 1);
    assert!(NamedGroup::ALL.contains(&NamedGroup::MLKEM512));
}

#[test]
fn named_group_api_agrees_for_every_group() {
    for &group in NamedGroup::ALL {
        let (client_share, state) = group.generate_key_share().unwrap();
        assert_eq!(state.group(), group);
        let (server_share, server_secret) = group.encapsulate(client_share.as_bytes()).unwrap();
        assert_eq!(
            state.complete(server_share.as_bytes()).unwrap(),
            server_secret
        );
    }
}

// ---------------------------------------------------------------- composition

/// One exchange's (client share, server share, shared secret).
type Exchange = (Vec<u8>, Vec<u8>, Vec<u8>);

/// Direct ML-KEM: (ek, ct, K) from d‖z and m.
macro_rules! mlkem_direct {
    ($params:ty, $seed:expr, $m:expr) => {{
        let seed: [u8; 64] = $seed.try_into().unwrap();
        let m: [u8; 32] = $m.try_into().unwrap();
        let dk = DecapsulationKey::<$params>::from_seed(seed.into());
        let ek_bytes = dk.encapsulation_key().to_bytes();
        let ek = EncapsulationKey::<$params>::new(&ek_bytes).unwrap();
        let (ct, k) = ek.encapsulate_deterministic(&m.into());
        (ek_bytes.to_vec(), ct.to_vec(), k.to_vec())
    }};
}

fn x25519_direct(client: &[u8], server: &[u8]) -> Exchange {
    let c = x25519_dalek::StaticSecret::from(<[u8; 32]>::try_from(client).unwrap());
    let s = x25519_dalek::StaticSecret::from(<[u8; 32]>::try_from(server).unwrap());
    let (cp, sp) = (
        x25519_dalek::PublicKey::from(&c),
        x25519_dalek::PublicKey::from(&s),
    );
    let ss = s.diffie_hellman(&cp);
    assert_eq!(c.diffie_hellman(&sp).as_bytes(), ss.as_bytes());
    (
        cp.as_bytes().to_vec(),
        sp.as_bytes().to_vec(),
        ss.as_bytes().to_vec(),
    )
}

macro_rules! nist_direct {
    ($curve:ident, $client:expr, $server:expr) => {{
        let c = $curve::SecretKey::from_slice($client).unwrap();
        let s = $curve::SecretKey::from_slice($server).unwrap();
        let cp = c.public_key();
        let sp = s.public_key();
        let ss = $curve::ecdh::diffie_hellman(s.to_nonzero_scalar(), cp.as_affine());
        (
            cp.to_sec1_point(false).as_bytes().to_vec(),
            sp.to_sec1_point(false).as_bytes().to_vec(),
            ss.raw_secret_bytes().to_vec(),
        )
    }};
}

/// A hybrid's (client share, server share, secret): each the first component's bytes, then the
/// second's (RFC 10024 section 4).
fn concatenated(first: Exchange, second: Exchange) -> Exchange {
    (
        [first.0, second.0].concat(),
        [first.1, second.1].concat(),
        [first.2, second.2].concat(),
    )
}

/// For 8 random seed pairs, runs the group and compares its share and secret bytes with what
/// `direct` computes from the same seeds (client seed, server seed).
fn check_composition<G: Group>(direct: impl Fn(&[u8], &[u8]) -> Exchange) {
    for _ in 0..8 {
        let (client_seed, server_seed) = random_seeds::<G>();
        let (client_share, state) = G::generate_key_share_from_seed(&client_seed).unwrap();
        let (server_share, server_secret) =
            G::encapsulate_from_seed(client_share.as_ref(), &server_seed).unwrap();
        let client_secret = state.complete(server_share.as_ref()).unwrap();
        let (want_client, want_server, want_secret) =
            direct(client_seed.as_ref(), server_seed.as_ref());
        let name = G::NAME;
        assert_eq!(client_share.as_ref(), want_client, "{name} client share");
        assert_eq!(server_share.as_ref(), want_server, "{name} server share");
        assert_eq!(
            server_secret.as_bytes(),
            want_secret,
            "{name} server secret"
        );
        assert_eq!(
            client_secret.as_bytes(),
            want_secret,
            "{name} client secret"
        );
    }
}

#[test]
fn x25519mlkem768_is_mlkem_then_x25519() {
    check_composition::<X25519MLKEM768>(|cs, ss| {
        let mlkem = mlkem_direct!(ml_kem::MlKem768, &cs[..64], &ss[..32]);
        concatenated(mlkem, x25519_direct(&cs[64..], &ss[32..]))
    });
}

#[test]
fn secp256r1mlkem768_is_ecdh_then_mlkem() {
    check_composition::<SecP256r1MLKEM768>(|cs, ss| {
        let ecdh = nist_direct!(p256, &cs[..32], &ss[..32]);
        concatenated(ecdh, mlkem_direct!(ml_kem::MlKem768, &cs[32..], &ss[32..]))
    });
}

#[test]
fn secp384r1mlkem1024_is_ecdh_then_mlkem() {
    check_composition::<SecP384r1MLKEM1024>(|cs, ss| {
        let ecdh = nist_direct!(p384, &cs[..48], &ss[..48]);
        concatenated(ecdh, mlkem_direct!(ml_kem::MlKem1024, &cs[48..], &ss[48..]))
    });
}

#[test]
fn pure_mlkem_groups_are_plain_mlkem() {
    check_composition::<MLKEM768>(|cs, ss| mlkem_direct!(ml_kem::MlKem768, cs, ss));
    check_composition::<MLKEM1024>(|cs, ss| mlkem_direct!(ml_kem::MlKem1024, cs, ss));
    check_composition::<MLKEM512>(|cs, ss| mlkem_direct!(ml_kem::MlKem512, cs, ss));
}

// ---------------------------------------------------------------- lengths and look-up

#[test]
fn length_table_of_rfc_10024_and_draft_ietf_tls_mlkem() {
    // (group, codepoint, client share, server share, secret)
    let table = [
        (NamedGroup::X25519MLKEM768, 0x11EC, 1216, 1120, 64),
        (NamedGroup::SecP256r1MLKEM768, 0x11EB, 1249, 1153, 64),
        (NamedGroup::SecP384r1MLKEM1024, 0x11ED, 1665, 1665, 80),
        (NamedGroup::MLKEM768, 0x0201, 1184, 1088, 32),
        (NamedGroup::MLKEM1024, 0x0202, 1568, 1568, 32),
        (NamedGroup::MLKEM512, 0x0200, 800, 768, 32),
    ];
    assert_eq!(table.len(), NamedGroup::ALL.len());
    for (group, codepoint, client, server, secret) in table {
        assert_eq!(group.codepoint(), codepoint, "{group}");
        assert_eq!(group.client_share_len(), client, "{group}");
        assert_eq!(group.server_share_len(), server, "{group}");
        assert_eq!(group.shared_secret_len(), secret, "{group}");
        let (share, state) = group.generate_key_share().unwrap();
        assert_eq!(share.as_bytes().len(), client, "{group}");
        let (server_share, ss) = group.encapsulate(share.as_bytes()).unwrap();
        assert_eq!(server_share.as_bytes().len(), server, "{group}");
        assert_eq!(ss.len(), secret, "{group}");
        assert_eq!(
            state.complete(server_share.as_bytes()).unwrap().len(),
            secret
        );
    }
    assert_eq!(X25519MLKEM768::CLIENT_SHARE_LEN, 1216);
    assert_eq!(SecP384r1MLKEM1024::SHARED_SECRET_LEN, 80);
}

#[test]
fn composition_in_wire_order_of_rfc_10024_and_draft_ietf_tls_mlkem() {
    // RFC 10024 section 4: ML-KEM first only in X25519MLKEM768; draft-ietf-tls-mlkem section 3.
    let expected: [(NamedGroup, &[&str]); 6] = [
        (NamedGroup::X25519MLKEM768, &["ML-KEM-768", "X25519"]),
        (NamedGroup::SecP256r1MLKEM768, &["P-256", "ML-KEM-768"]),
        (NamedGroup::SecP384r1MLKEM1024, &["P-384", "ML-KEM-1024"]),
        (NamedGroup::MLKEM768, &["ML-KEM-768"]),
        (NamedGroup::MLKEM1024, &["ML-KEM-1024"]),
        (NamedGroup::MLKEM512, &["ML-KEM-512"]),
    ];
    for (group, parts) in expected {
        assert_eq!(group.parts(), parts, "{group}");
    }
    assert_eq!(expected.map(|(g, _)| g), NamedGroup::ALL);
}

#[test]
fn look_up_by_codepoint_and_name() {
    for &group in NamedGroup::ALL {
        assert_eq!(NamedGroup::from_codepoint(group.codepoint()), Some(group));
        assert_eq!(NamedGroup::from_name(group.name()), Some(group));
        assert_eq!(
            NamedGroup::from_name(&group.name().to_lowercase()),
            Some(group)
        );
    }
    assert_eq!(
        NamedGroup::from_name("X25519MLKEM768"),
        Some(NamedGroup::X25519MLKEM768)
    );
    assert_eq!(NamedGroup::from_codepoint(0x001D), None); // plain x25519 is not ours
    assert_eq!(
        NamedGroup::from_codepoint(0x0200),
        Some(NamedGroup::MLKEM512)
    );
    assert_eq!(NamedGroup::from_codepoint(0x11EE), None); // unassigned
    assert_eq!(NamedGroup::from_name("x25519"), None);
    assert_eq!(NamedGroup::from_name(""), None);
}

// ---------------------------------------------------------------- malformed shares

/// The error for a share of `actual` bytes where `expected` are due.
fn length_error(share: ShareKind, expected: usize, actual: usize) -> Error {
    Error::KeyShareLength {
        share,
        expected,
        actual,
    }
}

fn expect(result: Result<impl Sized, Error>, expected: Error, what: &str) {
    match result {
        Ok(_) => panic!("{what}: accepted, expected {expected:?}"),
        Err(err) => {
            assert_eq!(err, expected, "{what}");
            assert_eq!(err.alert(), Alert::IllegalParameter, "{what}");
        }
    }
}

/// `share` one byte short, one byte long, empty, one component short (without its first 32
/// bytes, a whole component or the start of a 65/97-byte point) and doubled.
fn wrong_lengths(share: &[u8]) -> Vec<Vec<u8>> {
    vec![
        share[..share.len() - 1].to_vec(),
        [share, &[0]].concat(),
        Vec::new(),
        share[32..].to_vec(),
        [share, share].concat(),
    ]
}

#[test]
fn wrong_lengths_are_rejected_before_anything_else() {
    for &group in NamedGroup::ALL {
        let (client_share, state) = group.generate_key_share().unwrap();
        let (server_share, _) = group.encapsulate(client_share.as_bytes()).unwrap();
        let (c, s) = (client_share.as_bytes(), server_share.as_bytes());
        let (cl, sl) = (c.len(), s.len());
        // Client share: each of `wrong_lengths`, and half of it.
        let mut client_cases = wrong_lengths(c);
        client_cases.push(c[..cl / 2].to_vec());
        for bad in &client_cases {
            expect(
                group.encapsulate(bad),
                length_error(ShareKind::Client, cl, bad.len()),
                &format!("{group} client share of {} bytes", bad.len()),
            );
        }
        // Server share, on fresh client states (each completion consumes one).
        for bad in &wrong_lengths(s) {
            let (_, state) = group.generate_key_share().unwrap();
            expect(
                state.complete(bad),
                length_error(ShareKind::Server, sl, bad.len()),
                &format!("{group} server share of {} bytes", bad.len()),
            );
        }
        drop(state);
    }
}

/// Where the ML-KEM encapsulation key sits in each group's client share.
fn ek_offset(group: NamedGroup) -> usize {
    match group {
        NamedGroup::X25519MLKEM768
        | NamedGroup::MLKEM768
        | NamedGroup::MLKEM1024
        | NamedGroup::MLKEM512 => 0,
        NamedGroup::SecP256r1MLKEM768 => 65,
        NamedGroup::SecP384r1MLKEM1024 => 97,
        _ => panic!("{group}: a new group needs its encapsulation-key offset in this test"),
    }
}

#[test]
fn cctv_modulus_failing_encapsulation_keys_are_rejected_in_every_group() {
    let Some(dir) = shared_vectors_dir("cctv_modulus_failing_encapsulation_keys") else {
        return;
    };
    let mut rejected = 0;
    for &group in NamedGroup::ALL {
        // (file, keys in it) per ML-KEM parameter set.
        let (file, keys) = match group {
            NamedGroup::SecP384r1MLKEM1024 | NamedGroup::MLKEM1024 => ("ML-KEM-1024.txt", 1040),
            NamedGroup::MLKEM512 => ("ML-KEM-512.txt", 775),
            _ => ("ML-KEM-768.txt", 780),
        };
        let text = std::fs::read_to_string(dir.join("cctv-mlkem/modulus").join(file)).unwrap();
        let (valid, _) = group.generate_key_share().unwrap();
        let offset = ek_offset(group);
        let mut lines = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let ek = hex::decode(line.trim()).unwrap();
            let mut share = valid.as_bytes().to_vec();
            share[offset..offset + ek.len()].copy_from_slice(&ek);
            expect(
                group.encapsulate(&share),
                Error::EncapsulationKeyModulus,
                &format!("{group} modulus"),
            );
            lines += 1;
        }
        assert_eq!(lines, keys, "{group}: {lines} keys");
        rejected += lines;
    }
    // 780 ML-KEM-768 keys in three groups, 1040 ML-KEM-1024 keys in two, 775 ML-KEM-512 in one.
    assert_eq!(rejected, 3 * 780 + 2 * 1040 + 775);
}

/// The X25519 points of order 1, 2, 4 and 8 (and their non-canonical encodings), from RFC 7748
/// section 7's discussion and the Wycheproof/libsodium blocklists: each gives an all-zero output.
const LOW_ORDER_X25519: [&str; 7] = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
];

#[test]
fn all_zero_and_low_order_x25519_shares_are_rejected() {
    for point in LOW_ORDER_X25519 {
        let point = hex::decode(point).unwrap();
        // Server side: the client's X25519 half is low order.
        let (valid, _) = X25519MLKEM768::generate_key_share().unwrap();
        let mut share = valid.to_vec();
        share[1184..].copy_from_slice(&point);
        expect(
            X25519MLKEM768::encapsulate(&share),
            Error::X25519ZeroSharedSecret,
            "server side",
        );
        // Client side: the server's X25519 half is low order.
        let (client_share, state) = X25519MLKEM768::generate_key_share().unwrap();
        let (server_share, _) = X25519MLKEM768::encapsulate(&client_share).unwrap();
        let mut share = server_share.to_vec();
        share[1088..].copy_from_slice(&point);
        expect(
            state.complete(&share),
            Error::X25519ZeroSharedSecret,
            "client side",
        );
        // And through key-share reuse.
        let (_, state) = X25519MLKEM768::generate_key_share().unwrap();
        expect(
            state.complete_classical(&point),
            Error::X25519ZeroSharedSecret,
            "reuse",
        );
    }
}

/// Bad EC points of the right length: off the curve, compressed tag, identity tag.
fn bad_points(valid_point: &[u8]) -> Vec<(Vec<u8>, Error)> {
    let mut off_curve = valid_point.to_vec();
    *off_curve.last_mut().unwrap() ^= 1;
    let mut compressed = valid_point.to_vec();
    compressed[0] = 0x02 | (valid_point.last().unwrap() & 1);
    let mut hybrid_form = valid_point.to_vec();
    hybrid_form[0] = 0x06;
    let mut identity = vec![0u8; valid_point.len()];
    identity[0] = 0x00;
    let mut coordinate_too_big = vec![0xffu8; valid_point.len()];
    coordinate_too_big[0] = 0x04;
    vec![
        (off_curve, Error::EcPointNotOnCurve),
        (coordinate_too_big, Error::EcPointNotOnCurve),
        (compressed, Error::EcPointNotUncompressed),
        (hybrid_form, Error::EcPointNotUncompressed),
        (identity, Error::EcPointNotUncompressed),
    ]
}

fn nist_points_rejected<G: HybridGroup>(point_len: usize) {
    let (valid_client, _) = G::generate_key_share().unwrap();
    for (point, err) in bad_points(&valid_client.as_ref()[..point_len]) {
        let mut share = valid_client.as_ref().to_vec();
        share[..point_len].copy_from_slice(&point);
        expect(
            G::encapsulate(&share),
            err,
            &format!("{} server side", G::NAME),
        );

        let (client_share, state) = G::generate_key_share().unwrap();
        let (server_share, _) = G::encapsulate(client_share.as_ref()).unwrap();
        let mut share = server_share.as_ref().to_vec();
        share[..point_len].copy_from_slice(&point);
        expect(
            state.complete(&share),
            err,
            &format!("{} client side", G::NAME),
        );

        let (_, state) = G::generate_key_share().unwrap();
        expect(
            state.complete_classical(&point),
            err,
            &format!("{} reuse", G::NAME),
        );
    }
    // A genuinely compressed point (33 or 49 bytes) changes the total length.
    let compressed_len = point_len / 2 + 1;
    let mut share = valid_client.as_ref()[point_len - compressed_len..].to_vec();
    share[0] = 0x02;
    expect(
        G::encapsulate(&share),
        length_error(
            ShareKind::Client,
            G::CLIENT_SHARE_LEN,
            G::CLIENT_SHARE_LEN - point_len + compressed_len,
        ),
        "compressed point",
    );
}

#[test]
fn off_curve_compressed_and_identity_points_are_rejected() {
    nist_points_rejected::<SecP256r1MLKEM768>(65);
    nist_points_rejected::<SecP384r1MLKEM1024>(97);
}

#[test]
fn bad_input_never_panics_on_random_bytes() {
    for &group in NamedGroup::ALL {
        for len in [
            0,
            1,
            31,
            32,
            33,
            64,
            65,
            97,
            group.client_share_len(),
            group.server_share_len(),
        ] {
            let mut junk = vec![0u8; len];
            for _ in 0..4 {
                getrandom::fill(&mut junk).unwrap();
                // The server side: a wrong length is a length error; random bytes of the right
                // length fail the ML-KEM modulus check or the EC point check (a random
                // encapsulation key passes the modulus check with probability (3329/4096)^k·256,
                // below 2^-150), always with illegal_parameter.
                let err = group
                    .encapsulate(&junk)
                    .expect_err("random client share accepted");
                assert_eq!(err.alert(), Alert::IllegalParameter, "{group} {len}: {err}");
                if len != group.client_share_len() {
                    assert_eq!(
                        err,
                        length_error(ShareKind::Client, group.client_share_len(), len)
                    );
                }
                // The client side: a wrong length is a length error; the right length either
                // completes (ML-KEM implicit rejection, a random X25519 point) or fails a
                // point check, with illegal_parameter.
                let (_, state) = group.generate_key_share().unwrap();
                match state.complete(&junk) {
                    Ok(secret) => {
                        assert_eq!(len, group.server_share_len(), "{group}");
                        assert_eq!(secret.len(), group.shared_secret_len());
                    }
                    Err(err) => {
                        assert_eq!(err.alert(), Alert::IllegalParameter, "{group} {len}: {err}");
                        if len != group.server_share_len() {
                            assert_eq!(
                                err,
                                length_error(ShareKind::Server, group.server_share_len(), len)
                            );
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- key-share reuse

#[test]
fn x25519_half_is_reusable_as_a_plain_x25519_share() {
    let (share, state) = X25519MLKEM768::generate_key_share().unwrap();
    assert_eq!(state.classical_codepoint(), 0x001D);
    assert_eq!(state.classical_share(), &share[1184..]);
    // A plain X25519 server (x25519-dalek) answers the reused share.
    let server = x25519_dalek::StaticSecret::from(random::<32>());
    let client_public: [u8; 32] = state.classical_share().try_into().unwrap();
    let expected = server.diffie_hellman(&client_public.into());
    let secret = state
        .complete_classical(x25519_dalek::PublicKey::from(&server).as_bytes())
        .unwrap();
    assert_eq!(secret.as_bytes(), expected.as_bytes());
    assert_eq!(secret.len(), 32);
}

#[test]
fn p256_half_is_reusable_as_a_plain_secp256r1_share() {
    let (share, state) = SecP256r1MLKEM768::generate_key_share().unwrap();
    assert_eq!(state.classical_codepoint(), 0x0017);
    assert_eq!(state.classical_share(), &share[..65]);
    let server = p256::SecretKey::from_slice(&random_seeds::<SecP256r1MLKEM768>().1[..32]).unwrap();
    let client_public = p256::PublicKey::from_sec1_bytes(state.classical_share()).unwrap();
    let expected =
        p256::ecdh::diffie_hellman(server.to_nonzero_scalar(), client_public.as_affine());
    let server_point = server.public_key().to_sec1_point(false);
    let secret = state.complete_classical(server_point.as_bytes()).unwrap();
    assert_eq!(secret.as_bytes(), &expected.raw_secret_bytes()[..]);
    // The wrong length for the classical group is a length error, not a hybrid-length one.
    let (_, state) = SecP256r1MLKEM768::generate_key_share().unwrap();
    expect(
        state.complete_classical(&share[..64]),
        length_error(ShareKind::Server, 65, 64),
        "reuse length",
    );
}

#[test]
fn any_client_state_exposes_reuse_for_hybrids_only() {
    for &group in NamedGroup::ALL {
        let (share, state) = group.generate_key_share().unwrap();
        match state.classical_share() {
            Some((0x001D, x)) => assert_eq!(x, &share.as_bytes()[1184..]),
            Some((0x0017, p)) => assert_eq!(p, &share.as_bytes()[..65]),
            Some((0x0018, p)) => assert_eq!(p, &share.as_bytes()[..97]),
            None => assert!(matches!(
                group,
                NamedGroup::MLKEM768 | NamedGroup::MLKEM1024 | NamedGroup::MLKEM512
            )),
            Some(other) => panic!("{group}: unexpected {other:?}"),
        }
    }
}

// ---------------------------------------------------------------- secrets

#[test]
fn debug_output_never_shows_secret_bytes() {
    let (share, state) = X25519MLKEM768::generate_key_share().unwrap();
    let state_debug = format!("{state:?}");
    let (_, secret) = X25519MLKEM768::encapsulate(&share).unwrap();
    let secret_debug = format!("{secret:?}");
    assert_eq!(secret_debug, "SharedSecret { len: 64, .. }");
    assert_eq!(state_debug, "ClientState { group: \"X25519MLKEM768\", .. }");
    let hex_secret = hex::encode(secret.as_bytes());
    assert!(!secret_debug.contains(&hex_secret[..8]));
}

#[test]
fn deterministic_entry_points_reject_wrong_seed_lengths_and_bad_scalars() {
    for &group in NamedGroup::ALL {
        let seed = vec![1u8; group.client_seed_len() + 1];
        assert_eq!(
            group.generate_key_share_from_seed(&seed).unwrap_err(),
            Error::SeedLength {
                expected: group.client_seed_len(),
                actual: seed.len()
            }
        );
    }
    // P-256 scalar 0 and n are outside [1, n-1].
    let n =
        hex::decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551").unwrap();
    for scalar in [vec![0u8; 32], n] {
        let mut seed = [7u8; 96];
        seed[..32].copy_from_slice(&scalar);
        let err = SecP256r1MLKEM768::generate_key_share_from_seed(&seed).unwrap_err();
        assert_eq!(err, Error::InvalidPrivateScalar);
        assert_eq!(err.alert(), Alert::InternalError);
    }
}
