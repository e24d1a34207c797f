//! The groups as RustCrypto KEMs (feature `kem`): one function written against the `kem` 0.3
//! traits alone, run for every group on the project's vectors (`test-vectors/hybrid/`, whose
//! values CI recomputes with implementations that share no code with this crate) and on every
//! malformed share in them, plus the traits' contracts: static keys, seeds, rejection sampling.

#![cfg(feature = "kem")]

use std::convert::Infallible;

use hybrid_kx::{
    Error, MLKEM512, MLKEM768, MLKEM1024, SecP256r1MLKEM768, SecP384r1MLKEM1024, X25519MLKEM768,
};
use kem::{
    Ciphertext, Decapsulator, Encapsulate, FromSeed, Generate, Kem, KeyExport, TryDecapsulate,
    TryKeyInit,
};
use rand_core::{TryCryptoRng, TryRng};
use serde_json::Value;

/// A generator that replays fixed bytes, so the traits' randomized methods can be checked
/// against known answers. Panics when it runs out (a test defect).
struct Replay {
    bytes: Vec<u8>,
    used: usize,
}

impl Replay {
    fn new(parts: &[Vec<u8>]) -> Self {
        Self {
            bytes: parts.concat(),
            used: 0,
        }
    }

    fn exhausted(&self) -> bool {
        self.used == self.bytes.len()
    }
}

impl TryRng for Replay {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        unimplemented!("the KEM traits draw bytes")
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        unimplemented!("the KEM traits draw bytes")
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let end = self.used + dst.len();
        dst.copy_from_slice(&self.bytes[self.used..end]);
        self.used = end;
        Ok(())
    }
}

impl TryCryptoRng for Replay {}

fn hex(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().expect("a hex string")).expect("valid hex")
}

/// One group's vector file.
fn vectors(group: &str) -> Value {
    let path = format!(
        "{}/test-vectors/hybrid/{group}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(file["group"], group);
    file
}

/// The client seed and the server randomness of a vector: each component's inputs in the wire
/// order of the file's `components`, as `test-vectors/hybrid/README.md` documents.
fn seeds(components: &Value, vector: &Value) -> (Vec<u8>, Vec<u8>) {
    let input = |name: &str| hex(&vector["inputs"][name]);
    let (mut client, mut server) = (Vec::new(), Vec::new());
    for component in components.as_array().expect("components") {
        match component.as_str().expect("a name") {
            "ML-KEM-512" | "ML-KEM-768" | "ML-KEM-1024" => {
                client.extend(input("mlkem_d"));
                client.extend(input("mlkem_z"));
                server.extend(input("mlkem_m"));
            }
            curve => {
                let prefix = curve.to_lowercase().replace('-', "");
                client.extend(input(&format!("{prefix}_client_private")));
                server.extend(input(&format!("{prefix}_server_private")));
            }
        }
    }
    (client, server)
}

/// What one group's run covered.
#[derive(Debug, Default, PartialEq)]
struct Covered {
    valid: usize,
    rejected_keys: usize,
    rejected_ciphertexts: usize,
}

/// The whole check, written against the `kem` traits only: for every valid vector, key
/// generation from the seed, the encapsulation key's bytes, encapsulation with the vector's
/// randomness and decapsulation must give the vector's values; every malformed client share
/// must be refused when the encapsulation key is built (so `encapsulate` cannot fail later);
/// every malformed server share must be refused by `try_decapsulate` with the vector's error
/// and alert, or by the `Ciphertext` type for a wrong length.
fn conformance<K: Kem>(group: &str) -> Covered
where
    K::DecapsulationKey: TryDecapsulate<Error = Error> + TryKeyInit + KeyExport,
{
    let file = vectors(group);
    let mut covered = Covered::default();

    for vector in file["valid"].as_array().expect("valid") {
        let id = &vector["id"];
        let (client_seed, server_seed) = seeds(&file["components"], vector);
        let dk = K::DecapsulationKey::new_from_slice(&client_seed).expect("a valid seed");
        assert_eq!(
            dk.to_bytes().as_slice(),
            client_seed,
            "{group} {id}: seed export"
        );

        let ek_bytes = dk.encapsulation_key().to_bytes();
        assert_eq!(
            ek_bytes.as_slice(),
            hex(&vector["client_share"]),
            "{group} {id}: ek"
        );

        let ek = K::EncapsulationKey::new_from_slice(&ek_bytes).expect("a valid share");
        assert_eq!(&ek, dk.encapsulation_key());
        let mut rng = Replay::new(&[server_seed]);
        let (ciphertext, sent) = ek.encapsulate_with_rng(&mut rng);
        assert!(
            rng.exhausted(),
            "{group} {id}: one draw of the server's randomness"
        );
        assert_eq!(
            ciphertext.as_slice(),
            hex(&vector["server_share"]),
            "{group} {id}: ct"
        );
        assert_eq!(
            sent.as_slice(),
            hex(&vector["shared_secret"]),
            "{group} {id}: K"
        );

        // A static key: it decapsulates again, and the same answer each time.
        for _ in 0..2 {
            let received = dk.try_decapsulate(&ciphertext).expect("decapsulates");
            assert_eq!(received, sent, "{group} {id}: decapsulation");
        }
        covered.valid += 1;
    }

    for vector in file["invalid"].as_array().expect("invalid") {
        let id = &vector["id"];
        let error = vector["error"].as_str().expect("error");
        match vector["operation"].as_str() {
            Some("encapsulate") => {
                let share = hex(&vector["client_share"]);
                assert!(
                    K::EncapsulationKey::new_from_slice(&share).is_err(),
                    "{group} {id}: {error} share accepted as an encapsulation key"
                );
                covered.rejected_keys += 1;
            }
            Some("complete") => {
                let (client_seed, _) = seeds(&file["components"], vector);
                let dk = K::DecapsulationKey::new_from_slice(&client_seed).expect("a valid seed");
                let share = hex(&vector["server_share"]);
                match Ciphertext::<K>::try_from(share.as_slice()) {
                    Err(_) => assert_eq!(error, "KeyShareLength", "{group} {id}"),
                    Ok(ciphertext) => {
                        let refused = dk
                            .try_decapsulate(&ciphertext)
                            .expect_err("a malformed ciphertext is refused");
                        assert!(
                            format!("{refused:?}").starts_with(error),
                            "{group} {id}: {refused:?}, expected {error}"
                        );
                        assert_eq!(refused.alert().name(), vector["alert"], "{group} {id}");
                    }
                }
                covered.rejected_ciphertexts += 1;
            }
            other => panic!("{group} {id}: unknown operation {other:?}"),
        }
    }
    covered
}

#[test]
fn every_group_meets_its_vectors_through_the_kem_traits() {
    let runs = [
        (
            "X25519MLKEM768",
            conformance::<X25519MLKEM768>("X25519MLKEM768"),
        ),
        (
            "SecP256r1MLKEM768",
            conformance::<SecP256r1MLKEM768>("SecP256r1MLKEM768"),
        ),
        (
            "SecP384r1MLKEM1024",
            conformance::<SecP384r1MLKEM1024>("SecP384r1MLKEM1024"),
        ),
        ("MLKEM512", conformance::<MLKEM512>("MLKEM512")),
        ("MLKEM768", conformance::<MLKEM768>("MLKEM768")),
        ("MLKEM1024", conformance::<MLKEM1024>("MLKEM1024")),
    ];
    for (group, covered) in &runs {
        println!("{group}: {covered:?}");
        assert_eq!(covered.valid, 3, "{group}");
        assert!(covered.rejected_keys >= 3, "{group}");
        assert!(covered.rejected_ciphertexts >= 2, "{group}");
    }
    let total = |f: fn(&Covered) -> usize| runs.iter().map(|(_, c)| f(c)).sum::<usize>();
    // Pinned so that a shrinking vector file cannot go unnoticed.
    assert_eq!(total(|c| c.valid), 18);
    assert_eq!(total(|c| c.rejected_keys), 44);
    assert_eq!(total(|c| c.rejected_ciphertexts), 23);
}

/// Random key pairs agree, for code that knows nothing but the traits.
fn round_trip<K: Kem>()
where
    K::DecapsulationKey: TryDecapsulate<Error = Error>,
{
    let (dk, ek) = K::generate_keypair();
    let (first, sent) = ek.encapsulate();
    assert_eq!(dk.try_decapsulate(&first).unwrap(), sent);
    let (second, again) = ek.encapsulate();
    assert_ne!(first, second, "fresh randomness per encapsulation");
    assert_ne!(sent, again);
    assert_eq!(dk.try_decapsulate(&second).unwrap(), again);
    let other = K::DecapsulationKey::generate();
    assert_ne!(other.encapsulation_key(), &ek, "fresh keys");
}

#[test]
fn random_key_pairs_agree_in_every_group() {
    round_trip::<X25519MLKEM768>();
    round_trip::<SecP256r1MLKEM768>();
    round_trip::<SecP384r1MLKEM1024>();
    round_trip::<MLKEM512>();
    round_trip::<MLKEM768>();
    round_trip::<MLKEM1024>();
}

/// `FromSeed` (through `KeyInit`) agrees with `TryKeyInit` where every seed is a key.
fn from_seed<K: FromSeed>(group: &str)
where
    K::DecapsulationKey: TryKeyInit + KeyExport,
{
    let file = vectors(group);
    for vector in file["valid"].as_array().unwrap() {
        let (client_seed, _) = seeds(&file["components"], vector);
        let seed = kem::Seed::<K>::try_from(client_seed.as_slice()).expect("seed length");
        let (dk, ek) = K::from_seed(&seed);
        assert_eq!(
            ek.to_bytes().as_slice(),
            hex(&vector["client_share"]),
            "{group}"
        );
        assert_eq!(dk.to_bytes().as_slice(), client_seed);
    }
}

#[test]
fn every_seed_is_a_key_for_mlkem_and_x25519_groups() {
    from_seed::<X25519MLKEM768>("X25519MLKEM768");
    from_seed::<MLKEM512>("MLKEM512");
    from_seed::<MLKEM768>("MLKEM768");
    from_seed::<MLKEM1024>("MLKEM1024");
    // X25519 clamps: a seed of all 0xFF bytes is a key too.
    let (_, ek) = X25519MLKEM768::from_seed(&[0xFF; 96].into());
    assert!(<X25519MLKEM768 as Kem>::EncapsulationKey::new(&ek.to_bytes()).is_ok());
}

/// The NIST-curve hybrids: a seed whose scalar is 0 or at least the group order is refused by
/// `TryKeyInit`, and `Generate` draws again instead of failing.
fn out_of_range_scalars<K: Kem>(scalar_len: usize)
where
    K::DecapsulationKey: TryDecapsulate<Error = Error> + TryKeyInit + KeyExport,
{
    let seed_len = <K::DecapsulationKey as kem::KeySizeUser>::key_size();
    let valid_rest = vec![0x42; seed_len - scalar_len];
    for scalar in [vec![0; scalar_len], vec![0xFF; scalar_len]] {
        let seed = [scalar.clone(), valid_rest.clone()].concat();
        assert!(K::DecapsulationKey::new_from_slice(&seed).is_err());

        // `Generate`: the bad draw is discarded and the next one used.
        let good = [vec![0x01; scalar_len], valid_rest.clone()].concat();
        let mut rng = Replay::new(&[seed, good.clone()]);
        let dk = K::DecapsulationKey::generate_from_rng(&mut rng);
        assert!(rng.exhausted());
        assert_eq!(dk.to_bytes().as_slice(), good);

        // `Encapsulate`: likewise for the server's scalar (its seed is the scalar, then `m`).
        let ek = dk.encapsulation_key();
        let m = vec![0x07; 32];
        let mut rng = Replay::new(&[scalar, m.clone(), vec![0x03; scalar_len], m]);
        let (ciphertext, sent) = ek.encapsulate_with_rng(&mut rng);
        assert!(rng.exhausted());
        assert_eq!(dk.try_decapsulate(&ciphertext).unwrap(), sent);
    }
}

#[test]
fn nist_curve_seeds_are_checked_and_redrawn() {
    out_of_range_scalars::<SecP256r1MLKEM768>(32);
    out_of_range_scalars::<SecP384r1MLKEM1024>(48);
}

#[test]
fn keys_never_print_secrets() {
    let (dk, _) = X25519MLKEM768::from_seed(&[0x5A; 96].into());
    let printed = format!("{dk:?} {:?}", dk.encapsulation_key());
    assert_eq!(
        printed,
        "DecapsulationKey<X25519MLKEM768>(..) EncapsulationKey<X25519MLKEM768>(1216 bytes)"
    );
}
