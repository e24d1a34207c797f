//! The project's own hybrid vectors (`test-vectors/hybrid/*.json`) through the public API:
//! every input is SHAKE-128 of its documented label, every positive vector is reproduced
//! (key generation, encapsulation, completion), every negative one is refused with the exact
//! error variant and alert, and the committed files are byte for byte what the generator
//! (`examples/gen_hybrid_vectors.rs`) writes today.
//!
//! The independent cross-check of the same files (libcrux-ml-kem, x25519-dalek, aws-lc-rs) is
//! `interop/tests/own_vectors.rs`.

#[path = "../examples/gen_hybrid_vectors.rs"]
#[allow(dead_code)]
mod generator;

use std::collections::BTreeSet;
use std::path::PathBuf;

use hybrid_kx::{Alert, Error, NamedGroup, ShareKind};
use serde_json::Value;
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-vectors/hybrid")
}

fn load(group: NamedGroup) -> Value {
    let path = dir().join(format!("{}.json", group.name()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn hex_of(object: &Value, name: &str) -> Vec<u8> {
    hex::decode(
        object[name]
            .as_str()
            .unwrap_or_else(|| panic!("missing {name}")),
    )
    .unwrap()
}

/// SHAKE-128(label), first `len` bytes (written here independently of the generator).
fn shake(label: &str, len: usize) -> Vec<u8> {
    let mut xof = Shake128::default();
    xof.update(label.as_bytes());
    let mut out = vec![0u8; len];
    xof.finalize_xof().read(&mut out);
    out
}

/// The seed layout of RFC 10024 wire order: (client inputs, server inputs) per component.
fn layout(component: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match component {
        "ML-KEM-512" | "ML-KEM-768" | "ML-KEM-1024" => (&["mlkem_d", "mlkem_z"], &["mlkem_m"]),
        "X25519" => (&["x25519_client_private"], &["x25519_server_private"]),
        "P-256" => (&["p256_client_private"], &["p256_server_private"]),
        "P-384" => (&["p384_client_private"], &["p384_server_private"]),
        other => panic!("unknown component {other}"),
    }
}

fn expected_components(group: NamedGroup) -> Vec<&'static str> {
    match group {
        NamedGroup::X25519MLKEM768 => vec!["ML-KEM-768", "X25519"],
        NamedGroup::SecP256r1MLKEM768 => vec!["P-256", "ML-KEM-768"],
        NamedGroup::SecP384r1MLKEM1024 => vec!["P-384", "ML-KEM-1024"],
        NamedGroup::MLKEM768 => vec!["ML-KEM-768"],
        NamedGroup::MLKEM1024 => vec!["ML-KEM-1024"],
        NamedGroup::MLKEM512 => vec!["ML-KEM-512"],
    }
}

fn seeds(file: &Value, vector: &Value) -> (Vec<u8>, Vec<u8>) {
    let (mut client, mut server) = (Vec::new(), Vec::new());
    for component in file["components"].as_array().unwrap() {
        let (c, s) = layout(component.as_str().unwrap());
        for name in c {
            client.extend(hex_of(&vector["inputs"], name));
        }
        for name in s {
            server.extend(hex_of(&vector["inputs"], name));
        }
    }
    (client, server)
}

#[test]
fn files_are_what_the_generator_writes() {
    for group in NamedGroup::ALL {
        let path = dir().join(generator::file_name(group));
        let committed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            committed == generator::render(group),
            "{} differs from `cargo run --example gen_hybrid_vectors`",
            path.display()
        );
    }
}

#[test]
fn headers_and_inputs_follow_the_documented_derivation() {
    for group in NamedGroup::ALL {
        let file = load(group);
        assert_eq!(file["format"], "hybrid-kx/hybrid-vectors/v1");
        assert_eq!(file["group"], group.name());
        assert_eq!(file["codepoint"], u64::from(group.codepoint()));
        assert_eq!(file["client_share_len"], group.client_share_len() as u64);
        assert_eq!(file["server_share_len"], group.server_share_len() as u64);
        assert_eq!(file["shared_secret_len"], group.shared_secret_len() as u64);
        let components: Vec<&str> = file["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(components, expected_components(group));
        let mut ids = BTreeSet::new();
        for vector in file["valid"]
            .as_array()
            .unwrap()
            .iter()
            .chain(file["invalid"].as_array().unwrap())
        {
            let id = vector["id"].as_u64().unwrap();
            assert!(ids.insert(id), "{group}: duplicate id {id}");
            let inputs = vector["inputs"].as_object().unwrap();
            let mut expected_names = BTreeSet::new();
            for component in &components {
                let (c, s) = layout(component);
                expected_names.extend(c.iter().chain(s.iter()).copied());
            }
            let names: BTreeSet<&str> = inputs.keys().map(String::as_str).collect();
            assert_eq!(names, expected_names, "{group} id {id}");
            for (name, value) in inputs {
                let bytes = hex::decode(value.as_str().unwrap()).unwrap();
                let label = format!("hybrid-kx/hybrid-vectors/v1 {} {id} {name}", group.name());
                assert_eq!(bytes, shake(&label, bytes.len()), "{group} id {id} {name}");
                let len = if name.starts_with("p384") { 48 } else { 32 };
                assert_eq!(bytes.len(), len, "{group} id {id} {name}");
            }
        }
    }
}

#[test]
fn every_positive_vector_is_reproduced() {
    let mut total = 0;
    for group in NamedGroup::ALL {
        let file = load(group);
        let valid = file["valid"].as_array().unwrap();
        assert!(valid.len() >= 3, "{group}");
        for vector in valid {
            let id = &vector["id"];
            let (client_seed, server_seed) = seeds(&file, vector);
            let client_share = hex_of(vector, "client_share");
            let server_share = hex_of(vector, "server_share");
            let secret = hex_of(vector, "shared_secret");
            assert_eq!(client_share.len(), group.client_share_len());
            assert_eq!(server_share.len(), group.server_share_len());
            assert_eq!(secret.len(), group.shared_secret_len());

            let (share, state) = group.generate_key_share_from_seed(&client_seed).unwrap();
            assert_eq!(share.as_bytes(), client_share, "{group} id {id}");
            let (share, server_secret) = group
                .encapsulate_from_seed(&client_share, &server_seed)
                .unwrap();
            assert_eq!(share.as_bytes(), server_share, "{group} id {id}");
            assert_eq!(server_secret.as_bytes(), secret, "{group} id {id}");
            let client_secret = state.complete(&server_share).unwrap();
            assert_eq!(client_secret.as_bytes(), secret, "{group} id {id}");
            total += 1;
        }
    }
    assert_eq!(total, 15 + 3); // 3 per group; MLKEM512 added 3
}

/// The error a negative vector names, with the fields the file implies.
fn expected_error(group: NamedGroup, vector: &Value, share_len: usize) -> Error {
    let complete = vector["operation"] == "complete";
    match vector["error"].as_str().unwrap() {
        "KeyShareLength" => Error::KeyShareLength {
            share: if complete {
                ShareKind::Server
            } else {
                ShareKind::Client
            },
            expected: if complete {
                group.server_share_len()
            } else {
                group.client_share_len()
            },
            actual: share_len,
        },
        "EncapsulationKeyModulus" => Error::EncapsulationKeyModulus,
        "X25519ZeroSharedSecret" => Error::X25519ZeroSharedSecret,
        "EcPointNotUncompressed" => Error::EcPointNotUncompressed,
        "EcPointNotOnCurve" => Error::EcPointNotOnCurve,
        other => panic!("unexpected error name {other}"),
    }
}

#[test]
fn every_negative_vector_gets_the_exact_error_and_alert() {
    let mut defects = BTreeSet::new();
    for group in NamedGroup::ALL {
        let file = load(group);
        for vector in file["invalid"].as_array().unwrap() {
            let id = &vector["id"];
            let (client_seed, server_seed) = seeds(&file, vector);
            let (share, result) = match vector["operation"].as_str().unwrap() {
                "encapsulate" => {
                    let share = hex_of(vector, "client_share");
                    let result = group
                        .encapsulate_from_seed(&share, &server_seed)
                        .map(|_| ());
                    (share, result)
                }
                "complete" => {
                    let share = hex_of(vector, "server_share");
                    let (_, state) = group.generate_key_share_from_seed(&client_seed).unwrap();
                    (share.clone(), state.complete(&share).map(|_| ()))
                }
                other => panic!("{group} id {id}: unknown operation {other}"),
            };
            let err = result.expect_err(&format!("{group} id {id} must be refused"));
            assert_eq!(
                err,
                expected_error(group, vector, share.len()),
                "{group} id {id}"
            );
            assert_eq!(vector["alert"], err.alert().name(), "{group} id {id}");
            assert_eq!(err.alert(), Alert::IllegalParameter, "{group} id {id}");
            defects.insert((group.name(), vector["defect"].as_str().unwrap().to_owned()));
        }
    }
    // Coverage: both share lengths everywhere, the modulus check wherever ML-KEM is, low-order
    // X25519 and off-curve / compressed points where those curves are.
    for group in NamedGroup::ALL {
        let has = |d: &str| defects.contains(&(group.name(), d.to_owned()));
        for d in [
            "client_share_truncated",
            "client_share_extended",
            "server_share_truncated",
            "server_share_extended",
            "mlkem_ek_modulus",
        ] {
            assert!(has(d), "{group}: no {d} vector");
        }
        let x25519 = group == NamedGroup::X25519MLKEM768;
        assert_eq!(has("x25519_low_order"), x25519, "{group}");
        let ec = matches!(
            group,
            NamedGroup::SecP256r1MLKEM768 | NamedGroup::SecP384r1MLKEM1024
        );
        for d in ["ec_not_on_curve", "ec_not_uncompressed", "ec_compressed"] {
            assert_eq!(has(d), ec, "{group}: {d}");
        }
    }
}
