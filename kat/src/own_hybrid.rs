//! The project's own hybrid vectors (`test-vectors/hybrid/*.json`, format
//! `hybrid-kx/hybrid-vectors/v1`, documented in `test-vectors/hybrid/README.md`): per group,
//! deterministic inputs -> client share, server share, shared secret, and malformed shares with
//! the exact error and alert.
//!
//! Seeds are built from the named inputs in the file's `components` order (wire order): an
//! ML-KEM component takes `mlkem_d ‖ mlkem_z` (client) and `mlkem_m` (server), an EC component
//! its `<curve>_client_private` / `<curve>_server_private` scalar.

use std::collections::BTreeSet;

use hybrid_kx::{Error, NamedGroup, ShareKind};
use serde_json::Value;
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

use super::report::{Case, SuiteReport, SuiteRun};

/// The `format` value that identifies the files.
pub const FORMAT: &str = "hybrid-kx/hybrid-vectors/v1";

/// Whether `value` is a file of this format.
pub fn detect(value: &Value) -> bool {
    value.get("format").and_then(Value::as_str) == Some(FORMAT)
}

/// The input names of one component, client side then server side.
fn component_inputs(component: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    match component {
        "ML-KEM-512" | "ML-KEM-768" | "ML-KEM-1024" => {
            Some((&["mlkem_d", "mlkem_z"], &["mlkem_m"]))
        }
        "X25519" => Some((&["x25519_client_private"], &["x25519_server_private"])),
        "P-256" => Some((&["p256_client_private"], &["p256_server_private"])),
        "P-384" => Some((&["p384_client_private"], &["p384_server_private"])),
        _ => None,
    }
}

/// (client share, server share, shared secret) bytes of one component (FIPS 203 section 8,
/// RFC 7748, SEC 1 uncompressed points).
fn component_lengths(component: &str) -> Option<(usize, usize, usize)> {
    match component {
        "ML-KEM-512" => Some((800, 768, 32)),
        "ML-KEM-768" => Some((1184, 1088, 32)),
        "ML-KEM-1024" => Some((1568, 1568, 32)),
        "X25519" => Some((32, 32, 32)),
        "P-256" => Some((65, 65, 32)),
        "P-384" => Some((97, 97, 48)),
        _ => None,
    }
}

/// SHAKE-128(label), first `len` bytes: how every input of the files is derived
/// (`test-vectors/hybrid/README.md`).
fn shake(label: &str, len: usize) -> Vec<u8> {
    let mut xof = Shake128::default();
    xof.update(label.as_bytes());
    let mut out = vec![0u8; len];
    xof.finalize_xof().read(&mut out);
    out
}

/// The file's header agrees with the group (codepoint, lengths, components whose lengths add up
/// to the group's) and the ids are unique.
fn check_header(case: &mut Case, group: NamedGroup, file: &Value, components: &[String]) {
    let number = |name: &str| file.get(name).map(Value::to_string).unwrap_or_default();
    case.eq_display(
        "codepoint",
        u64::from(group.codepoint()).to_string(),
        number("codepoint"),
    );
    case.eq_display(
        "client_share_len",
        group.client_share_len().to_string(),
        number("client_share_len"),
    );
    case.eq_display(
        "server_share_len",
        group.server_share_len().to_string(),
        number("server_share_len"),
    );
    case.eq_display(
        "shared_secret_len",
        group.shared_secret_len().to_string(),
        number("shared_secret_len"),
    );
    let mut sums = (0, 0, 0);
    for component in components {
        match component_lengths(component) {
            Some((c, s, k)) => sums = (sums.0 + c, sums.1 + s, sums.2 + k),
            None => {
                case.fail("components", "known components", component.as_str());
            }
        }
    }
    case.eq_display(
        "components (lengths)",
        format!(
            "{}/{}/{}",
            group.client_share_len(),
            group.server_share_len(),
            group.shared_secret_len()
        ),
        format!("{}/{}/{}", sums.0, sums.1, sums.2),
    );
    let mut ids = BTreeSet::new();
    for vector in ["valid", "invalid"]
        .into_iter()
        .filter_map(|k| file.get(k).and_then(Value::as_array))
        .flatten()
    {
        let id = vector["id"].to_string();
        if !ids.insert(id.clone()) {
            case.fail("id", "unique", id);
        }
    }
}

/// The vector's inputs are exactly its components' and each is SHAKE-128 of its documented
/// label.
fn check_inputs(case: &mut Case, group: NamedGroup, components: &[String], vector: &Value) {
    let Some(inputs) = vector.get("inputs").and_then(Value::as_object) else {
        case.fail("inputs", "an object", "missing");
        return;
    };
    let expected: BTreeSet<&str> = components
        .iter()
        .filter_map(|c| component_inputs(c))
        .flat_map(|(c, s)| c.iter().chain(s.iter()).copied())
        .collect();
    let names: BTreeSet<&str> = inputs.keys().map(String::as_str).collect();
    case.eq_display(
        "inputs (names)",
        format!("{expected:?}"),
        format!("{names:?}"),
    );
    for (name, value) in inputs {
        let Some(bytes) = value.as_str().and_then(|v| hex::decode(v).ok()) else {
            case.fail(name, "hex", value.to_string());
            continue;
        };
        let len = if name.starts_with("p384") { 48 } else { 32 };
        case.eq_display(&format!("{name} (length)"), len, bytes.len());
        let label = format!("{FORMAT} {} {} {name}", group.name(), vector["id"]);
        case.eq(&format!("{name} (derivation)"), &shake(&label, len), &bytes);
    }
}

/// The fields of a file.
const FILE_FIELDS: [&str; 10] = [
    "format",
    "group",
    "codepoint",
    "client_share_len",
    "server_share_len",
    "shared_secret_len",
    "components",
    "input_derivation",
    "valid",
    "invalid",
];

/// The fields of a positive vector.
const VALID_FIELDS: [&str; 6] = [
    "id",
    "comment",
    "inputs",
    "client_share",
    "server_share",
    "shared_secret",
];

/// The fields of a negative vector.
const INVALID_FIELDS: [&str; 9] = [
    "id",
    "comment",
    "inputs",
    "defect",
    "operation",
    "client_share",
    "server_share",
    "error",
    "alert",
];

/// The error variants a negative vector may name (`hybrid_kx::Error`).
const ERRORS: [&str; 5] = [
    "KeyShareLength",
    "EncapsulationKeyModulus",
    "X25519ZeroSharedSecret",
    "EcPointNotUncompressed",
    "EcPointNotOnCurve",
];

/// Every field of the JSON object `value` is one of `known`.
fn known_fields(value: &Value, known: &[&str]) -> Result<(), String> {
    match value
        .as_object()
        .and_then(|o| o.keys().find(|k| !known.contains(&k.as_str())))
    {
        Some(field) => Err(format!("unknown field {field:?}")),
        None => Ok(()),
    }
}

/// A hex field of a JSON object.
fn hex_of(object: &Value, name: &str) -> Result<Vec<u8>, String> {
    let text = object
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing field {name}"))?;
    hex::decode(text).map_err(|e| format!("{name}: not hex: {e}"))
}

/// (client seed, server seed) of a vector, from its `inputs`.
fn seeds(components: &[String], vector: &Value) -> Result<(Vec<u8>, Vec<u8>), String> {
    let inputs = vector
        .get("inputs")
        .ok_or_else(|| "missing inputs".to_owned())?;
    let (mut client, mut server) = (Vec::new(), Vec::new());
    for component in components {
        let (c, s) =
            component_inputs(component).ok_or_else(|| format!("unknown component {component}"))?;
        for name in c {
            client.extend(hex_of(inputs, name)?);
        }
        for name in s {
            server.extend(hex_of(inputs, name)?);
        }
    }
    Ok((client, server))
}

/// Runs the file.
pub fn run(path: &str, file: &Value) -> Vec<SuiteReport> {
    let name = file["group"].as_str().unwrap_or_default();
    let valid = file["valid"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let invalid = file["invalid"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut run = SuiteRun::new(
        format!("hybrid-kx vectors {name}"),
        vec![path.to_owned()],
        (valid.len() + invalid.len()) as u64,
    );
    let components: Vec<String> = file["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_owned))
        .collect();
    let Some(group) = NamedGroup::from_name(name) else {
        run.error("group", format!("unknown group {name:?}"));
        return vec![run.finish()];
    };
    if let Err(e) = known_fields(file, &FILE_FIELDS) {
        run.error("file", e);
    }
    let mut header = run.case("header");
    check_header(&mut header, group, file, &components);
    if !header.is_ok() {
        run.record(header);
    }
    let valid = valid.iter().map(|vector| (vector, true));
    for (vector, is_valid) in valid.chain(invalid.iter().map(|vector| (vector, false))) {
        let (name, tally) = if is_valid {
            (format!("id {}", vector["id"]), "valid".to_owned())
        } else {
            let defect = vector["defect"].as_str().unwrap_or_default();
            (
                format!("id {} ({defect})", vector["id"]),
                format!("defect: {defect}"),
            )
        };
        let mut case = run.case(name);
        check_inputs(&mut case, group, &components, vector);
        case.tally(tally);
        if let Err(e) = check_vector(&mut case, group, &components, vector, is_valid) {
            case.malformed(e);
        }
        run.record(case);
    }
    vec![run.finish()]
}

/// A vector of a file, with its group and seeds.
struct Vector<'a> {
    group: NamedGroup,
    value: &'a Value,
    client_seed: Vec<u8>,
    server_seed: Vec<u8>,
}

/// A valid vector is reproduced, an invalid one refused; either has only its own fields.
fn check_vector(
    case: &mut Case,
    group: NamedGroup,
    components: &[String],
    value: &Value,
    is_valid: bool,
) -> Result<(), String> {
    let known: &[&str] = if is_valid {
        &VALID_FIELDS
    } else {
        &INVALID_FIELDS
    };
    known_fields(value, known)?;
    let (client_seed, server_seed) = seeds(components, value)?;
    let vector = Vector {
        group,
        value,
        client_seed,
        server_seed,
    };
    if is_valid {
        check_valid(case, &vector)
    } else {
        check_invalid(case, &vector)
    }
}

/// Key generation, server step and client completion reproduce the file's values.
fn check_valid(case: &mut Case, v: &Vector<'_>) -> Result<(), String> {
    let (group, vector) = (v.group, v.value);
    let client_share = hex_of(vector, "client_share")?;
    let server_share = hex_of(vector, "server_share")?;
    let secret = hex_of(vector, "shared_secret")?;
    match crate::on::keygen(group, &v.client_seed) {
        Ok((share, state)) => {
            case.eq("client_share", &client_share, share.as_bytes());
            match crate::on::encapsulate(group, &client_share, &v.server_seed) {
                Ok((share, server_secret)) => {
                    case.eq("server_share", &server_share, share.as_bytes());
                    case.eq("shared_secret (server)", &secret, server_secret.as_bytes());
                }
                Err(e) => {
                    case.fail("server_share", hex::encode(&server_share), e.to_string());
                }
            }
            match state.complete(&server_share) {
                Ok(client_secret) => {
                    case.eq("shared_secret (client)", &secret, client_secret.as_bytes());
                }
                Err(e) => {
                    case.fail(
                        "shared_secret (client)",
                        hex::encode(&secret),
                        e.to_string(),
                    );
                }
            }
        }
        Err(e) => {
            case.fail("client_share", hex::encode(&client_share), e.to_string());
        }
    }
    Ok(())
}

/// The malformed share is refused with the exact error variant and alert.
fn check_invalid(case: &mut Case, v: &Vector<'_>) -> Result<(), String> {
    let (group, vector) = (v.group, v.value);
    let text = |name: &str| {
        vector[name]
            .as_str()
            .ok_or_else(|| format!("missing field {name}"))
    };
    let (error, alert) = (text("error")?, text("alert")?);
    text("defect")?;
    if !ERRORS.contains(&error) {
        return Err(format!("unknown error {error:?}"));
    }
    let (result, share, kind, expected_len) = match vector["operation"].as_str() {
        Some("encapsulate") => {
            let share = hex_of(vector, "client_share")?;
            let result = crate::on::encapsulate(group, &share, &v.server_seed).map(|_| ());
            (result, share, ShareKind::Client, group.client_share_len())
        }
        Some("complete") => {
            let share = hex_of(vector, "server_share")?;
            let result = crate::on::keygen(group, &v.client_seed)
                .and_then(|(_, state)| state.complete(&share))
                .map(|_| ());
            (result, share, ShareKind::Server, group.server_share_len())
        }
        other => return Err(format!("unknown operation {other:?}")),
    };
    match result {
        Ok(()) => {
            case.fail("error", error, "accepted");
        }
        Err(e) => {
            if error == "KeyShareLength" {
                let expected = Error::KeyShareLength {
                    share: kind,
                    expected: expected_len,
                    actual: share.len(),
                };
                case.eq_display("error", expected, e);
            } else {
                case.eq_display("error", error, super::error_name(&e).as_str());
            }
            case.eq_display("alert", alert, e.alert().name());
        }
    }
    Ok(())
}
