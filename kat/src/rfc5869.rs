//! RFC 5869 appendix A (HKDF) in `name = hex` form: `[test case N]` sections with `ikm`,
//! `salt`, `info`, `l` (decimal), `prk`, `okm` and an optional `hash` (`SHA-256` by default,
//! `SHA-384` accepted), through `hybrid_kx::key_schedule::{extract, expand}`.

use hybrid_kx::key_schedule::{HashAlgorithm, Sha256, Sha384, expand, extract};

use super::report::{Case, SuiteReport, SuiteRun};
use super::text::{TextFile, Values};

/// Whether `text` is an RFC 5869 vector file.
pub fn detect(text: &TextFile) -> bool {
    text.has("ikm") && text.has("prk") && text.has("okm")
}

/// One test case with hash `H`.
fn check<H: HashAlgorithm>(case: &mut Case, v: &Values) -> Result<(), String> {
    let len: usize = v
        .text("l")?
        .parse()
        .map_err(|e| format!("l is not a decimal length: {e}"))?;
    let (salt, ikm, info) = (v.hex("salt")?, v.hex("ikm")?, v.hex("info")?);
    let prk = extract::<H>(Some(&salt), &ikm);
    case.eq("prk", &v.hex("prk")?, prk.as_bytes());
    if salt.is_empty() {
        // RFC 5869 section 2.2: an absent salt is HashLen zeros, as is an empty one.
        case.eq(
            "prk (no salt)",
            &v.hex("prk")?,
            extract::<H>(None, &ikm).as_bytes(),
        );
    }
    let mut okm = vec![0u8; len];
    match expand(&prk, &[&info], &mut okm) {
        Ok(()) => case.eq("okm", &v.hex("okm")?, &okm),
        Err(e) => case.fail("okm", "output", e.to_string()),
    };
    // The same info given in parts (one of them empty) gives the same output.
    let (a, b) = info.split_at(info.len() / 2);
    let mut okm_parts = vec![0u8; len];
    match prk.expand(&[a, &[], b], &mut okm_parts) {
        Ok(()) => case.eq("okm (info in parts)", &v.hex("okm")?, &okm_parts),
        Err(e) => case.fail("okm (info in parts)", "output", e.to_string()),
    };
    Ok(())
}

/// Runs the file.
pub fn run(path: &str, text: &TextFile) -> Vec<SuiteReport> {
    let mut run = SuiteRun::new("RFC 5869 HKDF", vec![path.to_owned()], 0);
    for (section, entries) in text.by_section() {
        let id = section.unwrap_or_else(|| "test case".to_owned());
        let mut case = run.case(&id);
        let outcome = Values::new(entries).and_then(|v| {
            const NAMES: [&str; 7] = ["ikm", "salt", "info", "l", "prk", "okm", "hash"];
            let unknown = v.names().find(|n| !NAMES.contains(n)).map(str::to_owned);
            match unknown {
                Some(name) => Err(format!("unknown name {name:?}")),
                None => Ok(v),
            }
        });
        let outcome = outcome.and_then(|v| match v.text("hash").unwrap_or("SHA-256") {
            "SHA-256" => check::<Sha256>(&mut case, &v),
            "SHA-384" => check::<Sha384>(&mut case, &v),
            other => Err(format!("unknown hash {other}")),
        });
        if let Err(e) = outcome {
            case.malformed(e);
        }
        run.record(case);
    }
    vec![run.finish()]
}
