//! RFC 7748 X25519 vectors in `name = hex` form: section 5.2 (function vectors, the iterated
//! test) and section 6.1 (Alice and Bob), through the X25519 component and the X25519 half of
//! X25519MLKEM768.
//!
//! Two spellings are accepted: sections `[section 5.2 vector N]` with `input_scalar`,
//! `input_u`, `output_u` (and decimal `*_dec` decodings), `initial_k`/`k_after_N`; or flat
//! `vectorN_scalar`/`vectorN_u`/`vectorN_output` and `iterated_start`/`iterated_N`. The names
//! follow the RFC's layout: each value belongs to one record (a function vector of section 5.2,
//! its iterated test, the Diffie-Hellman example of section 6.1) and is accepted only in a
//! section that holds the value starting its record (`input_scalar`, `vectorN_scalar`,
//! `initial_k`, `iterated_start`, `alice_private`). A value of the other spelling, or of a
//! record the section does not hold, is an error; every record present runs.

use hybrid_kx::X25519MLKEM768;
use hybrid_kx::components::x25519::X25519;

use super::Options;
use super::report::{Case, SkipReason, SuiteReport, SuiteRun};
use super::text::{TextFile, Values};

/// Largest iteration count run without `--full`.
const DEFAULT_LIMIT: u64 = 1_000;

/// Whether `text` is an RFC 7748 vector file.
pub fn detect(text: &TextFile) -> bool {
    (text.has("alice_private") && text.has("bob_public"))
        || (text.has("input_scalar") && text.has("output_u"))
        || text.has("vector1_scalar")
}

/// The records of RFC 7748 a section may hold, in either spelling: each value belongs to exactly
/// one, and a value is accepted only beside the value that starts its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Record {
    /// Section 5.2, one function vector: `input_scalar`, `input_u`, `output_u` and the
    /// decimal decodings `input_scalar_dec`, `input_u_dec`.
    Function,
    /// Section 5.2, function vector N of the flat spelling: `vectorN_scalar`, `vectorN_u`,
    /// `vectorN_output`, `vectorN_scalar_dec`, `vectorN_u_dec`.
    Numbered(u64),
    /// Section 5.2, the iterated test: `initial_k`, `initial_u`, `k_after_N`.
    Iterated,
    /// The iterated test in the flat spelling: `iterated_start`, `iterated_N`.
    IteratedFlat,
    /// Section 6.1: `alice_private`, `alice_public`, `bob_private`, `bob_public`,
    /// `shared_secret`.
    DiffieHellman,
}

impl Record {
    /// The record a value named `name` belongs to, and whether it is the value that starts the
    /// record.
    fn of(name: &str) -> Option<(Self, bool)> {
        // `<prefix><digits><suffix>`: the number.
        let numbered = |prefix: &str, suffixes: &[&str]| -> Option<(u64, usize)> {
            let rest = name.strip_prefix(prefix)?;
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let suffix = suffixes.iter().position(|s| *s == &rest[end..])?;
            Some((rest[..end].parse().ok()?, suffix))
        };
        let record = match name {
            "input_scalar" => (Self::Function, true),
            "input_u" | "output_u" | "input_scalar_dec" | "input_u_dec" => (Self::Function, false),
            "initial_k" => (Self::Iterated, true),
            "initial_u" => (Self::Iterated, false),
            "iterated_start" => (Self::IteratedFlat, true),
            "alice_private" => (Self::DiffieHellman, true),
            "alice_public" | "bob_private" | "bob_public" | "shared_secret" => {
                (Self::DiffieHellman, false)
            }
            _ => {
                if let Some((n, suffix)) = numbered(
                    "vector",
                    &["_scalar", "_u", "_output", "_scalar_dec", "_u_dec"],
                ) {
                    (Self::Numbered(n), suffix == 0)
                } else if numbered("k_after_", &[""]).is_some() {
                    (Self::Iterated, false)
                } else if numbered("iterated_", &[""]).is_some() {
                    (Self::IteratedFlat, false)
                } else {
                    return None;
                }
            }
        };
        Some(record)
    }
}

/// X25519(k, u) through the component's server step.
fn x25519(k: &[u8], u: &[u8]) -> Result<[u8; 32], String> {
    let (mut share, mut secret) = ([0u8; 32], [0u8; 32]);
    crate::on::component_respond::<X25519>(k, u, &mut share, &mut secret)
        .map_err(|e| e.to_string())?;
    Ok(secret)
}

/// A little-endian byte string as a decimal integer.
fn le_decimal(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = bytes.iter().rev().copied().collect(); // big-endian base 256
    let mut out = Vec::new();
    while digits.iter().any(|&d| d != 0) {
        let mut rem = 0u32;
        for d in &mut digits {
            let cur = (rem << 8) | u32::from(*d);
            *d = u8::try_from(cur / 10).unwrap_or(0);
            rem = cur % 10;
        }
        out.push(b'0' + u8::try_from(rem).unwrap_or(0));
    }
    if out.is_empty() {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// decodeScalar25519 (RFC 7748 section 5): clamping.
fn clamp(k: &[u8]) -> Vec<u8> {
    let mut k = k.to_vec();
    if let Some(first) = k.first_mut() {
        *first &= 248;
    }
    if let Some(last) = k.last_mut() {
        *last = (*last & 127) | 64;
    }
    k
}

/// decodeUCoordinate (RFC 7748 section 5): the top bit masked.
fn mask_u(u: &[u8]) -> Vec<u8> {
    let mut u = u.to_vec();
    if let Some(last) = u.last_mut() {
        *last &= 127;
    }
    u
}

/// One function vector: X25519(scalar, u) == output; decimal decodings if given.
fn function_vector(case: &mut Case, v: &Values, scalar: &str, u: &str, output: &str) {
    let outcome = (|| -> Result<(), String> {
        let (k, uc) = (v.hex(scalar)?, v.hex(u)?);
        if let Ok(dec) = v.text(&format!("{scalar}_dec")) {
            case.eq_display(
                &format!("{scalar}_dec"),
                dec,
                le_decimal(&clamp(&k)).as_str(),
            );
        }
        if let Ok(dec) = v.text(&format!("{u}_dec")) {
            case.eq_display(&format!("{u}_dec"), dec, le_decimal(&mask_u(&uc)).as_str());
        }
        case.eq(output, &v.hex(output)?, &x25519(&k, &uc)?);
        Ok(())
    })();
    if let Err(e) = outcome {
        case.malformed(e);
    }
}

/// The iterated test: k = u = start; repeat r = X25519(k, u); u = k; k = r.
fn iterated(run: &mut SuiteRun, v: &Values, options: &Options) -> Result<(), String> {
    let (start_name, prefix) = if v.has("initial_k") {
        ("initial_k", "k_after_")
    } else {
        ("iterated_start", "iterated_")
    };
    // `initial_u` is a value of the sectioned spelling only (the flat one starts from k = u).
    let start = v.hex(start_name)?;
    let mut u = match v.hex_opt("initial_u")? {
        Some(u) => u,
        None => start.clone(),
    };
    let mut targets: Vec<(u64, String)> = v
        .names()
        .filter_map(|n| Some((n.strip_prefix(prefix)?.parse().ok()?, n.to_owned())))
        .collect();
    targets.sort();
    let mut k = start;
    let mut done = 0u64;
    for (count, name) in targets {
        if count > DEFAULT_LIMIT && !options.full {
            run.skip(SkipReason::FullOnlyIterated);
            continue;
        }
        run.progress().add_total(count - done);
        let mut case = run.case(format!("iterated {count}"));
        while done < count {
            let r = x25519(&k, &u)?;
            u = std::mem::replace(&mut k, r.to_vec());
            done += 1;
            if done.is_multiple_of(1000) {
                run.progress().inc(1000);
            }
        }
        case.eq(&name, &v.hex(&name)?, &k);
        run.record_quietly(case);
    }
    Ok(())
}

/// Section 6.1 through X25519MLKEM768: Alice is the client (X25519 scalar in the last 32 bytes
/// of the client seed), Bob the server.
fn diffie_hellman(case: &mut Case, v: &Values) -> Result<(), String> {
    let mut client_seed = [0x5a; 96];
    let alice = v.hex("alice_private")?;
    if alice.len() != 32 {
        return Err(format!(
            "alice_private: {} bytes, X25519 has 32",
            alice.len()
        ));
    }
    client_seed[64..].copy_from_slice(&alice);
    let (client_share, state) =
        crate::on::keygen_typed::<X25519MLKEM768>(&client_seed).map_err(|e| e.to_string())?;
    case.eq(
        "alice_public",
        &v.hex("alice_public")?,
        &client_share[1184..],
    );
    let mut server_seed = [0xa5; 64];
    let bob = v.hex("bob_private")?;
    if bob.len() != 32 {
        return Err(format!("bob_private: {} bytes, X25519 has 32", bob.len()));
    }
    server_seed[32..].copy_from_slice(&bob);
    let (server_share, server_secret) =
        crate::on::encapsulate_typed::<X25519MLKEM768>(&client_share, &server_seed)
            .map_err(|e| e.to_string())?;
    case.eq("bob_public", &v.hex("bob_public")?, &server_share[1088..]);
    let want = v.hex("shared_secret")?;
    case.eq(
        "shared_secret (Bob)",
        &want,
        &server_secret.as_bytes()[32..],
    );
    let client_secret = state.complete(&server_share).map_err(|e| e.to_string())?;
    case.eq(
        "shared_secret (Alice)",
        &want,
        &client_secret.as_bytes()[32..],
    );
    Ok(())
}

/// Runs the file.
pub fn run(path: &str, text: &TextFile, options: &Options) -> Vec<SuiteReport> {
    let mut run = SuiteRun::new("RFC 7748 X25519", vec![path.to_owned()], 0);
    for (section, entries) in text.by_section() {
        let prefix = section.map(|s| format!("[{s}] ")).unwrap_or_default();
        let v = match Values::new(entries.iter().copied()) {
            Ok(v) => v,
            Err(e) => {
                let mut case = run.case(format!("{prefix}values"));
                case.malformed(e);
                run.record(case);
                continue;
            }
        };
        // Every value belongs to a record whose starting value is in the section.
        let records: std::collections::BTreeSet<Record> = entries
            .iter()
            .filter_map(|e| Record::of(&e.key))
            .filter_map(|(record, starts)| starts.then_some(record))
            .collect();
        let unknown = entries
            .iter()
            .find(|e| Record::of(&e.key).is_none_or(|(record, _)| !records.contains(&record)));
        let both_spellings =
            records.contains(&Record::Iterated) && records.contains(&Record::IteratedFlat);
        let first = entries.first().map_or(0, |e| e.line);
        let refusal = match unknown {
            Some(entry) => Some((
                entry.line,
                format!(
                    "unknown name {:?} (not a value of the records this section holds)",
                    entry.key
                ),
            )),
            None if both_spellings => Some((
                first,
                "the iterated test in both spellings (initial_k and iterated_start)".to_owned(),
            )),
            None if records.is_empty() => {
                Some((first, "section without a known RFC 7748 vector".to_owned()))
            }
            None => None,
        };
        if let Some((line, error)) = refusal {
            run.error(format!("{prefix}line {line}"), error);
            continue;
        }
        for record in records {
            match record {
                Record::Function => {
                    let mut case = run.case(format!("{prefix}function vector"));
                    function_vector(&mut case, &v, "input_scalar", "input_u", "output_u");
                    run.record(case);
                }
                Record::Numbered(n) => {
                    let mut case = run.case(format!("{prefix}vector {n}"));
                    function_vector(
                        &mut case,
                        &v,
                        &format!("vector{n}_scalar"),
                        &format!("vector{n}_u"),
                        &format!("vector{n}_output"),
                    );
                    run.record(case);
                }
                Record::Iterated | Record::IteratedFlat => {
                    if let Err(e) = iterated(&mut run, &v, options) {
                        let mut case = run.case(format!("{prefix}iterated"));
                        case.malformed(e);
                        run.record(case);
                    }
                }
                Record::DiffieHellman => {
                    let mut case = run.case(format!("{prefix}section 6.1 Diffie-Hellman"));
                    if let Err(e) = diffie_hellman(&mut case, &v) {
                        case.malformed(e);
                    }
                    run.record(case);
                }
            }
        }
    }
    vec![run.finish()]
}
