//! The s2n-tls hybrid shared-secret vectors: per group, EC key pairs, the ECDH secret, a fixed
//! ML-KEM secret and the hybrid secret in RFC 10024 order; per group and cipher suite (an
//! indented `[GROUP SUITE]` section), the key schedule up to the handshake traffic secrets.
//!
//! The EC values run through the crate's X25519 / P-256 / P-384 components (key generation,
//! server step, client completion); the key schedule through `hybrid_kx::key_schedule`.

use hybrid_kx::components::Component;
use hybrid_kx::components::ecdh_nist::{P256, P384};
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::key_schedule::{EarlySecret, HashAlgorithm, Sha256, Sha384};

use super::report::{Case, SuiteReport, SuiteRun};
use super::text::{Entry, TextFile, Values};

/// Whether `text` is the s2n hybrid vector file.
pub fn detect(text: &TextFile) -> bool {
    text.has("hybrid_shared_secret")
        && text
            .entries
            .iter()
            .any(|e| e.indented && e.key == "client_handshake_traffic_secret")
}

/// One group's block: its top-level values and its indented sections.
#[derive(Default)]
struct Block<'a> {
    values: Vec<&'a Entry>,
    sections: Vec<(String, Vec<&'a Entry>)>,
}

/// Splits the file into blocks, each starting at a `client_*_private` value.
fn blocks(text: &TextFile) -> Vec<Block<'_>> {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    for entry in &text.entries {
        let starts =
            !entry.indented && entry.key.starts_with("client_") && entry.key.ends_with("_private");
        if starts || blocks.is_empty() {
            blocks.push(Block::default());
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        if entry.indented {
            let section = entry.section.clone().unwrap_or_default();
            match block.sections.last_mut() {
                Some((name, entries)) if *name == section => entries.push(entry),
                _ => block.sections.push((section, vec![entry])),
            }
        } else {
            block.values.push(entry);
        }
    }
    blocks
}

/// Client public, server public, server-side secret, client-side secret, through `C`.
fn agree<C: Component>(client: &[u8], server: &[u8]) -> Result<[Vec<u8>; 4], String> {
    let err = |e: hybrid_kx::Error| e.to_string();
    let mut client_public = vec![0u8; C::CLIENT_SHARE_LEN];
    let state = crate::on::component_keygen::<C>(client, &mut client_public).map_err(err)?;
    let mut server_public = vec![0u8; C::SERVER_SHARE_LEN];
    let mut server_secret = vec![0u8; C::SECRET_LEN];
    crate::on::component_respond::<C>(
        server,
        &client_public,
        &mut server_public,
        &mut server_secret,
    )
    .map_err(err)?;
    let mut client_secret = vec![0u8; C::SECRET_LEN];
    C::client_complete(&state, &server_public, &mut client_secret).map_err(err)?;
    Ok([client_public, server_public, server_secret, client_secret])
}

/// The EC curve of a block, its group, and whether ML-KEM comes first in the hybrid secret.
fn curve(values: &Values) -> Option<(&'static str, &'static str, bool)> {
    [
        ("x25519", "X25519MLKEM768", true),
        ("secp256r1", "SecP256r1MLKEM768", false),
        ("secp384r1", "SecP384r1MLKEM1024", false),
    ]
    .into_iter()
    .find(|(c, _, _)| values.has(&format!("client_{c}_private")))
}

/// The block's ECDH values and hybrid secret.
fn check_block(
    case: &mut Case,
    v: &Values,
    curve_name: &str,
    mlkem_first: bool,
) -> Result<(), String> {
    let client = v.hex(&format!("client_{curve_name}_private"))?;
    let server = v.hex(&format!("server_{curve_name}_private"))?;
    let [client_public, server_public, server_secret, client_secret] = match curve_name {
        "x25519" => agree::<X25519>(&client, &server)?,
        "secp256r1" => agree::<P256>(&client, &server)?,
        _ => agree::<P384>(&client, &server)?,
    };
    case.eq(
        &format!("client_{curve_name}_public"),
        &v.hex(&format!("client_{curve_name}_public"))?,
        &client_public,
    );
    case.eq(
        &format!("server_{curve_name}_public"),
        &v.hex(&format!("server_{curve_name}_public"))?,
        &server_public,
    );
    let ecdh = v.hex("ecdh_shared_secret")?;
    case.eq("ecdh_shared_secret (server side)", &ecdh, &server_secret);
    case.eq("ecdh_shared_secret (client side)", &ecdh, &client_secret);
    let mlkem = match v.hex_opt("mlkem768_shared_secret")? {
        Some(k) => k,
        None => v.hex("mlkem1024_shared_secret")?,
    };
    let hybrid = if mlkem_first {
        [mlkem, server_secret].concat()
    } else {
        [server_secret, mlkem].concat()
    };
    case.eq(
        "hybrid_shared_secret",
        &v.hex("hybrid_shared_secret")?,
        &hybrid,
    );
    Ok(())
}

/// One section's key schedule with hash `H`.
fn check_schedule<H: HashAlgorithm>(
    case: &mut Case,
    v: &Values,
    hybrid: &[u8],
) -> Result<(), String> {
    let th = H::hash(v.text("transcript_ascii")?.as_bytes());
    case.eq("transcript_hash", &v.hex("transcript_hash")?, th.as_bytes());
    let early = EarlySecret::<H>::new(None);
    case.eq("early_secret", &v.hex("early_secret")?, early.as_bytes());
    case.eq(
        "derived_for_handshake",
        &v.hex("derived_for_handshake")?,
        early.derived_secret().as_bytes(),
    );
    let handshake = early.into_handshake_secret(Some(hybrid));
    case.eq(
        "handshake_secret",
        &v.hex("handshake_secret")?,
        handshake.as_bytes(),
    );
    case.eq(
        "client_handshake_traffic_secret",
        &v.hex("client_handshake_traffic_secret")?,
        handshake.client_handshake_traffic_secret(&th).as_bytes(),
    );
    case.eq(
        "server_handshake_traffic_secret",
        &v.hex("server_handshake_traffic_secret")?,
        handshake.server_handshake_traffic_secret(&th).as_bytes(),
    );
    Ok(())
}

/// The values of a `[GROUP SUITE]` section.
const SECTION_NAMES: [&str; 7] = [
    "transcript_ascii",
    "transcript_hash",
    "early_secret",
    "derived_for_handshake",
    "handshake_secret",
    "client_handshake_traffic_secret",
    "server_handshake_traffic_secret",
];

/// Whether `name` is a value of a block (key pairs and shared secrets).
fn block_name(name: &str) -> bool {
    let key_pair = ["client_", "server_"].iter().any(|side| {
        name.strip_prefix(side).is_some_and(|rest| {
            ["x25519", "secp256r1", "secp384r1"].iter().any(|curve| {
                rest.strip_prefix(curve)
                    .is_some_and(|k| k == "_private" || k == "_public")
            })
        })
    });
    key_pair
        || [
            "ecdh_shared_secret",
            "hybrid_shared_secret",
            "mlkem768_shared_secret",
            "mlkem1024_shared_secret",
        ]
        .contains(&name)
}

/// Runs the file.
pub fn run(path: &str, text: &TextFile) -> Vec<SuiteReport> {
    let mut run = SuiteRun::new("s2n-tls hybrid secrets", vec![path.to_owned()], 0);
    for (index, block) in blocks(text).iter().enumerate() {
        let values = match Values::new(block.values.iter().copied()) {
            Ok(values) => values,
            Err(e) => {
                let mut case = run.case(format!("block {}", index + 1));
                case.malformed(e);
                run.record(case);
                continue;
            }
        };
        if let Some(unknown) = block.values.iter().find(|e| !block_name(&e.key)) {
            run.error(
                format!("line {}", unknown.line),
                format!("unknown name {:?}", unknown.key),
            );
            continue;
        }
        let Some((curve_name, group, mlkem_first)) = curve(&values) else {
            let line = block.values.first().map_or(0, |e| e.line);
            run.error(
                format!("block {} (line {line})", index + 1),
                "block without a known EC key pair",
            );
            continue;
        };
        let mut case = run.case(format!("{group} ECDH and hybrid secret"));
        if let Err(e) = check_block(&mut case, &values, curve_name, mlkem_first) {
            case.malformed(e);
        }
        run.record(case);
        let hybrid = values.hex("hybrid_shared_secret").unwrap_or_default();
        for (name, entries) in &block.sections {
            let mut case = run.case(format!("{name} key schedule"));
            let outcome = Values::new(entries.iter().copied()).and_then(|v| {
                if let Some(name) = v.names().find(|n| !SECTION_NAMES.contains(n)) {
                    return Err(format!("unknown name {name:?}"));
                }
                if name.ends_with("SHA256") {
                    check_schedule::<Sha256>(&mut case, &v, &hybrid)
                } else if name.ends_with("SHA384") {
                    check_schedule::<Sha384>(&mut case, &v, &hybrid)
                } else {
                    Err(format!("unknown cipher suite in [{name}]"))
                }
            });
            if let Err(e) = outcome {
                case.malformed(e);
            }
            run.record(case);
        }
    }
    vec![run.finish()]
}
