//! The s2n-tls hybrid shared-secret vectors: per group, EC key pairs, the ECDH secret, a fixed
//! ML-KEM secret and the hybrid secret in RFC 10024 order; per group and cipher suite (an
//! indented `[GROUP SUITE]` section), the key schedule up to the handshake traffic secrets.
//!
//! The EC values run through the crate's X25519 / P-256 / P-384 components (key generation,
//! server step, client completion); the key schedule through `hybrid_kx::key_schedule`.
//!
//! A block holds the key pairs of exactly one curve and the ML-KEM secret of that curve's group
//! (`mlkem768_shared_secret` for X25519MLKEM768 and SecP256r1MLKEM768,
//! `mlkem1024_shared_secret` for SecP384r1MLKEM1024); each of its sections is named
//! `[GROUP SUITE]` with the block's group and a cipher suite of RFC 8446 appendix B.4, whose
//! hash it runs. Anything else is an error.

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

/// The curves of the file, their hybrid group (RFC 10024 section 3, draft-ietf-tls-ecdhe-mlkem),
/// whether ML-KEM comes first in the hybrid secret, and the ML-KEM secret the group uses.
const CURVES: [(&str, &str, bool, &str); 3] = [
    ("x25519", "X25519MLKEM768", true, "mlkem768_shared_secret"),
    (
        "secp256r1",
        "SecP256r1MLKEM768",
        false,
        "mlkem768_shared_secret",
    ),
    (
        "secp384r1",
        "SecP384r1MLKEM1024",
        false,
        "mlkem1024_shared_secret",
    ),
];

/// The EC curve of a block, its group, whether ML-KEM comes first in the hybrid secret, and
/// the name of its ML-KEM secret. A block holds the key pairs of exactly one curve and the
/// ML-KEM secret of that curve's group.
fn curve(values: &Values) -> Result<(&'static str, &'static str, bool, &'static str), String> {
    let present: Vec<_> = CURVES
        .into_iter()
        .filter(|(c, ..)| {
            ["client", "server"].iter().any(|side| {
                ["private", "public"]
                    .iter()
                    .any(|k| values.has(&format!("{side}_{c}_{k}")))
            })
        })
        .collect();
    let found = match present[..] {
        [one] => one,
        [] => return Err("block without a known EC key pair".to_owned()),
        ref two => {
            let names: Vec<&str> = two.iter().map(|(c, ..)| *c).collect();
            return Err(format!(
                "key pairs of two curves in one block: {}",
                names.join(", ")
            ));
        }
    };
    let (_, group, _, secret) = found;
    for other in ["mlkem768_shared_secret", "mlkem1024_shared_secret"] {
        if other != secret && values.has(other) {
            return Err(format!(
                "{other} in the block of {group}, whose ML-KEM secret is {secret}"
            ));
        }
    }
    Ok(found)
}

/// The cipher suites of RFC 8446 appendix B.4 and whether their hash is SHA-384.
const SUITES: [(&str, bool); 5] = [
    ("TLS_AES_128_GCM_SHA256", false),
    ("TLS_AES_256_GCM_SHA384", true),
    ("TLS_CHACHA20_POLY1305_SHA256", false),
    ("TLS_AES_128_CCM_SHA256", false),
    ("TLS_AES_128_CCM_8_SHA256", false),
];

/// The block's ECDH values and hybrid secret.
fn check_block(
    case: &mut Case,
    v: &Values,
    curve_name: &str,
    mlkem_first: bool,
    mlkem_secret: &str,
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
    let mlkem = v.hex(mlkem_secret)?;
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
        let (curve_name, group, mlkem_first, mlkem_secret) = match curve(&values) {
            Ok(found) => found,
            Err(e) => {
                let line = block.values.first().map_or(0, |e| e.line);
                run.error(format!("block {} (line {line})", index + 1), e);
                continue;
            }
        };
        let mut case = run.case(format!("{group} ECDH and hybrid secret"));
        if let Err(e) = check_block(&mut case, &values, curve_name, mlkem_first, mlkem_secret) {
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
                let (section_group, suite) = name.split_once(' ').unwrap_or((name, ""));
                if section_group != group {
                    return Err(format!("[{name}] in the block of {group}"));
                }
                match SUITES.iter().find(|(s, _)| *s == suite) {
                    Some((_, true)) => check_schedule::<Sha384>(&mut case, &v, &hybrid),
                    Some((_, false)) => check_schedule::<Sha256>(&mut case, &v, &hybrid),
                    None => Err(format!("unknown cipher suite in [{name}]")),
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
