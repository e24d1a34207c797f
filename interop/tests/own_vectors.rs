//! Independent cross-check of the project's own hybrid vectors (`test-vectors/hybrid/*.json`):
//! every value is recomputed from the vector's inputs with implementations other than
//! hybrid-kx, composed here from the RFC 10024 / draft-ietf-tls-mlkem layouts:
//! - ML-KEM-768/1024: libcrux-ml-kem (key generation from `d ‖ z`, encapsulation from `m`,
//!   decapsulation, encapsulation-key validation);
//! - X25519: x25519-dalek and aws-lc-rs;
//! - P-256 / P-384: aws-lc-rs (`PrivateKey::from_private_key`, `agree`).
//!
//! Negative vectors: the malformed share must be the independently computed valid share with
//! exactly the documented change, the change must be what the defect says (libcrux rejects the
//! key, the X25519 output is all zero, aws-lc-rs rejects the point or sees a compressed one),
//! and the file must name the error and alert RFC 10024 section 5 / RFC 8446 require.
//!
//! hybrid-kx itself is not called here.

use std::path::PathBuf;

use aws_lc_rs::agreement::{
    self, ECDH_P256, ECDH_P384, ParsedPublicKey, ParsedPublicKeyFormat, PrivateKey,
    UnparsedPublicKey, X25519,
};
use aws_lc_rs::error::Unspecified;
use serde_json::Value;

/// A component of a group, with its wire lengths (RFC 10024 section 4; FIPS 203 section 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Component {
    MlKem512,
    MlKem768,
    MlKem1024,
    X25519,
    P256,
    P384,
}

impl Component {
    fn from_name(name: &str) -> Self {
        match name {
            "ML-KEM-512" => Self::MlKem512,
            "ML-KEM-768" => Self::MlKem768,
            "ML-KEM-1024" => Self::MlKem1024,
            "X25519" => Self::X25519,
            "P-256" => Self::P256,
            "P-384" => Self::P384,
            other => panic!("unknown component {other}"),
        }
    }

    fn client_len(self) -> usize {
        match self {
            Self::MlKem512 => 800,
            Self::MlKem768 => 1184,
            Self::MlKem1024 => 1568,
            Self::X25519 => 32,
            Self::P256 => 65,
            Self::P384 => 97,
        }
    }

    fn server_len(self) -> usize {
        match self {
            Self::MlKem512 => 768,
            Self::MlKem768 => 1088,
            Self::MlKem1024 => 1568,
            Self::X25519 => 32,
            Self::P256 => 65,
            Self::P384 => 97,
        }
    }

    fn secret_len(self) -> usize {
        match self {
            Self::P384 => 48,
            _ => 32,
        }
    }

    fn is_mlkem(self) -> bool {
        matches!(self, Self::MlKem512 | Self::MlKem768 | Self::MlKem1024)
    }

    fn is_nist(self) -> bool {
        matches!(self, Self::P256 | Self::P384)
    }

    fn aws_alg(self) -> &'static agreement::Algorithm {
        match self {
            Self::X25519 => &X25519,
            Self::P256 => &ECDH_P256,
            _ => &ECDH_P384,
        }
    }
}

/// The expected layout of each group: (name, codepoint, components in wire order), typed from
/// RFC 10024 section 4 and draft-ietf-tls-mlkem section 3, independently of the crate's table.
const GROUPS: [(&str, u64, &[&str]); 6] = [
    ("X25519MLKEM768", 0x11EC, &["ML-KEM-768", "X25519"]),
    ("SecP256r1MLKEM768", 0x11EB, &["P-256", "ML-KEM-768"]),
    ("SecP384r1MLKEM1024", 0x11ED, &["P-384", "ML-KEM-1024"]),
    ("MLKEM768", 0x0201, &["ML-KEM-768"]),
    ("MLKEM1024", 0x0202, &["ML-KEM-1024"]),
    ("MLKEM512", 0x0200, &["ML-KEM-512"]),
];

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-vectors/hybrid")
        .join(format!("{name}.json"));
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

fn input(vector: &Value, name: &str) -> Vec<u8> {
    hex_of(&vector["inputs"], name)
}

fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes
        .try_into()
        .unwrap_or_else(|_| panic!("{} bytes, expected {N}", bytes.len()))
}

/// One component's independent exchange: (client part, server part, secret part), and the
/// client's ML-KEM private key (for decapsulation checks).
struct Part {
    client: Vec<u8>,
    server: Vec<u8>,
    secret: Vec<u8>,
}

/// libcrux-ml-kem.
fn mlkem(component: Component, vector: &Value) -> Part {
    let seed: [u8; 64] = array(&[input(vector, "mlkem_d"), input(vector, "mlkem_z")].concat());
    let m: [u8; 32] = array(&input(vector, "mlkem_m"));
    match component {
        Component::MlKem512 => {
            use libcrux_ml_kem::mlkem512;
            let pair = mlkem512::generate_key_pair(seed);
            assert!(mlkem512::validate_public_key(pair.public_key()));
            let (ct, ss) = mlkem512::encapsulate(pair.public_key(), m);
            assert_eq!(mlkem512::decapsulate(pair.private_key(), &ct), ss);
            Part {
                client: pair.pk().to_vec(),
                server: ct.as_ref().to_vec(),
                secret: ss.to_vec(),
            }
        }
        Component::MlKem768 => {
            use libcrux_ml_kem::mlkem768;
            let pair = mlkem768::generate_key_pair(seed);
            assert!(mlkem768::validate_public_key(pair.public_key()));
            let (ct, ss) = mlkem768::encapsulate(pair.public_key(), m);
            assert_eq!(mlkem768::decapsulate(pair.private_key(), &ct), ss);
            Part {
                client: pair.pk().to_vec(),
                server: ct.as_ref().to_vec(),
                secret: ss.to_vec(),
            }
        }
        _ => {
            use libcrux_ml_kem::mlkem1024;
            let pair = mlkem1024::generate_key_pair(seed);
            assert!(mlkem1024::validate_public_key(pair.public_key()));
            let (ct, ss) = mlkem1024::encapsulate(pair.public_key(), m);
            assert_eq!(mlkem1024::decapsulate(pair.private_key(), &ct), ss);
            Part {
                client: pair.pk().to_vec(),
                server: ct.as_ref().to_vec(),
                secret: ss.to_vec(),
            }
        }
    }
}

/// aws-lc-rs ECDH (raw agreement output).
fn aws_agree(
    alg: &'static agreement::Algorithm,
    private: &[u8],
    peer: &[u8],
) -> Result<Vec<u8>, Unspecified> {
    let key = PrivateKey::from_private_key(alg, private).map_err(|_| Unspecified)?;
    agreement::agree(&key, UnparsedPublicKey::new(alg, peer), Unspecified, |k| {
        Ok(k.to_vec())
    })
}

/// aws-lc-rs public key (uncompressed for the NIST curves).
fn aws_public(alg: &'static agreement::Algorithm, private: &[u8]) -> Vec<u8> {
    let key = PrivateKey::from_private_key(alg, private).unwrap();
    key.compute_public_key().unwrap().as_ref().to_vec()
}

/// X25519 (x25519-dalek and aws-lc-rs) or ECDH (aws-lc-rs).
fn dh(component: Component, vector: &Value) -> Part {
    let prefix = match component {
        Component::X25519 => "x25519",
        Component::P256 => "p256",
        _ => "p384",
    };
    let client_private = input(vector, &format!("{prefix}_client_private"));
    let server_private = input(vector, &format!("{prefix}_server_private"));
    let alg = component.aws_alg();
    let client = aws_public(alg, &client_private);
    let server = aws_public(alg, &server_private);
    let secret = aws_agree(alg, &server_private, &client).unwrap();
    assert_eq!(aws_agree(alg, &client_private, &server).unwrap(), secret);
    if component == Component::X25519 {
        let c = x25519_dalek::StaticSecret::from(array::<32>(&client_private));
        let s = x25519_dalek::StaticSecret::from(array::<32>(&server_private));
        assert_eq!(x25519_dalek::PublicKey::from(&c).as_bytes()[..], client[..]);
        assert_eq!(x25519_dalek::PublicKey::from(&s).as_bytes()[..], server[..]);
        let peer = x25519_dalek::PublicKey::from(array::<32>(&client));
        assert_eq!(s.diffie_hellman(&peer).as_bytes()[..], secret[..]);
    }
    assert_eq!(secret.len(), component.secret_len());
    Part {
        client,
        server,
        secret,
    }
}

/// The independent (client share, server share, shared secret) of a vector's inputs.
fn exchange(components: &[Component], vector: &Value) -> [Vec<u8>; 3] {
    let (mut client, mut server, mut secret) = (Vec::new(), Vec::new(), Vec::new());
    for &c in components {
        let part = if c.is_mlkem() {
            mlkem(c, vector)
        } else {
            dh(c, vector)
        };
        assert_eq!(part.client.len(), c.client_len());
        assert_eq!(part.server.len(), c.server_len());
        client.extend(part.client);
        server.extend(part.server);
        secret.extend(part.secret);
    }
    [client, server, secret]
}

fn components_of(file: &Value) -> Vec<Component> {
    file["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Component::from_name(c.as_str().unwrap()))
        .collect()
}

#[test]
fn positive_vectors_match_independent_implementations() {
    let mut total = 0;
    for (name, codepoint, expected) in GROUPS {
        let file = load(name);
        assert_eq!(file["group"], name);
        assert_eq!(file["codepoint"], codepoint);
        let comps: Vec<&str> = file["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(comps, expected, "{name}: component order");
        let components = components_of(&file);
        for vector in file["valid"].as_array().unwrap() {
            let id = &vector["id"];
            let [client, server, secret] = exchange(&components, vector);
            assert_eq!(
                hex_of(vector, "client_share"),
                client,
                "{name} id {id} client_share"
            );
            assert_eq!(
                hex_of(vector, "server_share"),
                server,
                "{name} id {id} server_share"
            );
            assert_eq!(
                hex_of(vector, "shared_secret"),
                secret,
                "{name} id {id} shared_secret"
            );
            total += 1;
        }
    }
    assert_eq!(total, 15 + 3); // 3 per group; MLKEM512 added 3
}

/// The component a mutation at byte `at` of a share falls in, and its start offset.
fn component_at(components: &[Component], at: usize, server: bool) -> (Component, usize) {
    let mut start = 0;
    for &c in components {
        let len = if server {
            c.server_len()
        } else {
            c.client_len()
        };
        if at < start + len {
            return (c, start);
        }
        start += len;
    }
    panic!("offset {at} outside the share");
}

/// The NIST-curve component of a group and its start offset in a share.
fn nist_component(components: &[Component], server: bool) -> (Component, usize) {
    let mut start = 0;
    for &c in components {
        if c.is_nist() {
            return (c, start);
        }
        start += if server {
            c.server_len()
        } else {
            c.client_len()
        };
    }
    panic!("no NIST-curve component");
}

/// Checks one negative vector; returns its defect.
fn check_negative(name: &str, components: &[Component], vector: &Value) -> String {
    let id = &vector["id"];
    let defect = vector["defect"].as_str().unwrap().to_owned();
    let server_side = match vector["operation"].as_str().unwrap() {
        "encapsulate" => false,
        "complete" => true,
        other => panic!("{name} id {id}: operation {other}"),
    };
    let [client, server, _] = exchange(components, vector);
    let (valid, share) = if server_side {
        (server, hex_of(vector, "server_share"))
    } else {
        (client, hex_of(vector, "client_share"))
    };
    let ctx = format!("{name} id {id} ({defect})");
    let expected_error = match defect.as_str() {
        "client_share_truncated" | "server_share_truncated" => {
            assert_eq!(share[..], valid[..valid.len() - 1], "{ctx}");
            "KeyShareLength"
        }
        "client_share_extended" | "server_share_extended" => {
            assert_eq!(share.len(), valid.len() + 1, "{ctx}");
            assert_eq!(share[..valid.len()], valid[..], "{ctx}");
            "KeyShareLength"
        }
        "ec_compressed" => {
            // A valid compressed encoding of the same point (aws-lc-rs parses it as compressed
            // and agrees on the same secret) in place of the uncompressed one: only RFC 8446
            // section 4.2.8.2 forbids it, and the share has the wrong length.
            let (c, start) = nist_component(components, server_side);
            let coord = (c.client_len() - 1) / 2;
            let point = &share[start..start + 1 + coord];
            assert_eq!(share.len(), valid.len() - coord, "{ctx}");
            assert_eq!(share[..start], valid[..start], "{ctx}");
            assert_eq!(
                share[start + 1 + coord..],
                valid[start + c.client_len()..],
                "{ctx}"
            );
            let parsed =
                ParsedPublicKey::try_from(UnparsedPublicKey::new(c.aws_alg(), point)).unwrap();
            assert_eq!(parsed.format(), ParsedPublicKeyFormat::Compressed, "{ctx}");
            assert_eq!(point[1..], valid[start + 1..start + 1 + coord], "{ctx}");
            "KeyShareLength"
        }
        _ => {
            // Same length: exactly one component differs.
            assert_eq!(share.len(), valid.len(), "{ctx}");
            let first = (0..share.len()).find(|&i| share[i] != valid[i]);
            let first = first.unwrap_or_else(|| panic!("{ctx}: share unchanged"));
            let (c, start) = component_at(components, first, server_side);
            let len = if server_side {
                c.server_len()
            } else {
                c.client_len()
            };
            assert_eq!(share[..start], valid[..start], "{ctx}");
            assert_eq!(share[start + len..], valid[start + len..], "{ctx}");
            let part = &share[start..start + len];
            match defect.as_str() {
                "mlkem_ek_modulus" => {
                    assert!(!server_side && c.is_mlkem(), "{ctx}");
                    let valid_key = match c {
                        Component::MlKem512 => libcrux_ml_kem::mlkem512::validate_public_key(
                            &array::<800>(part).into(),
                        ),
                        Component::MlKem768 => libcrux_ml_kem::mlkem768::validate_public_key(
                            &array::<1184>(part).into(),
                        ),
                        _ => libcrux_ml_kem::mlkem1024::validate_public_key(
                            &array::<1568>(part).into(),
                        ),
                    };
                    assert!(!valid_key, "{ctx}: libcrux accepts the key");
                    "EncapsulationKeyModulus"
                }
                "x25519_low_order" => {
                    assert_eq!(c, Component::X25519, "{ctx}");
                    let private = input(
                        vector,
                        if server_side {
                            "x25519_client_private"
                        } else {
                            "x25519_server_private"
                        },
                    );
                    let ours = x25519_dalek::StaticSecret::from(array::<32>(&private));
                    let out =
                        ours.diffie_hellman(&x25519_dalek::PublicKey::from(array::<32>(part)));
                    assert_eq!(out.as_bytes(), &[0u8; 32], "{ctx}: non-zero X25519 output");
                    if let Ok(out) = aws_agree(&X25519, &private, part) {
                        assert_eq!(out, [0u8; 32], "{ctx}: aws-lc-rs output");
                    }
                    "X25519ZeroSharedSecret"
                }
                "ec_not_on_curve" => {
                    assert!(c.is_nist() && part[0] == 0x04, "{ctx}");
                    let prefix = if c == Component::P256 { "p256" } else { "p384" };
                    let side = if server_side { "client" } else { "server" };
                    let private = input(vector, &format!("{prefix}_{side}_private"));
                    assert!(
                        aws_agree(c.aws_alg(), &private, part).is_err(),
                        "{ctx}: aws-lc-rs accepts the point"
                    );
                    "EcPointNotOnCurve"
                }
                "ec_not_uncompressed" => {
                    assert!(c.is_nist() && part[0] != 0x04, "{ctx}");
                    "EcPointNotUncompressed"
                }
                other => panic!("{ctx}: unknown defect {other}"),
            }
        }
    };
    assert_eq!(vector["error"], expected_error, "{ctx}");
    // RFC 10024 section 5 and RFC 8446 section 4.2.8.2 / 7.4.2: every one is the peer's fault.
    assert_eq!(vector["alert"], "illegal_parameter", "{ctx}");
    defect
}

#[test]
fn negative_vectors_are_the_documented_defects() {
    let mut count = 0;
    for (name, _, _) in GROUPS {
        let file = load(name);
        let components = components_of(&file);
        let mut defects = std::collections::BTreeSet::new();
        for vector in file["invalid"].as_array().unwrap() {
            defects.insert(check_negative(name, &components, vector));
            count += 1;
        }
        for d in [
            "client_share_truncated",
            "client_share_extended",
            "server_share_truncated",
            "server_share_extended",
            "mlkem_ek_modulus",
        ] {
            assert!(defects.contains(d), "{name}: no {d} vector");
        }
    }
    assert!(count >= 6 * 6, "{count} negative vectors");
}
