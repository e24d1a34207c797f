//! C2SP CCTV ML-KEM files: `modulus` (invalid encapsulation keys), `strcmp` (decapsulation
//! traps), `unluckysample` and `intermediate` (their encapsulation and decapsulation parts).
//!
//! Recognised by content: a modulus file is bare hex lines of an encapsulation-key length; a
//! strcmp file has exactly `dk`, `c`, `K`; an unlucky file exactly `d`, `z`, `ek`, `dk`, `m`,
//! `K`, `c`; an intermediate file those and the K-PKE intermediate values. The parameter set
//! comes from the key lengths.
//!
//! Key generation in the unlucky and intermediate files follows the FIPS 203 initial public
//! draft (`G(d)` instead of `G(d ‖ k)`), so it is skipped with that reason; the encapsulation
//! and decapsulation values take `ek`/`dk` as inputs and are valid under final FIPS 203.

use hybrid_kx::{Alert, Error};

use super::mlkem::{self, ParamSet};
use super::report::{Case, SkipReason, SuiteReport, SuiteRun};
use super::text::{Entry, TextFile, Values, is_hex};

/// The kind of a CCTV ML-KEM file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One invalid encapsulation key per line.
    Modulus,
    /// `dk`, `c`, `K` records.
    Strcmp,
    /// `d`, `z`, `ek`, `dk`, `m`, `K`, `c` records.
    Unlucky,
    /// One run with every intermediate value.
    Intermediate,
}

/// The K-PKE intermediate values of the CCTV intermediate files (skipped: not observable
/// through the public API; `r` and `dkPKE` appear twice). Any other name is an error.
const INTERMEDIATE: [&str; 30] = [
    "A",
    "A[0, 0]",
    "A^T",
    "H(ek)",
    "KBar",
    "NTT(e)",
    "NTT(r)",
    "NTT(s[0])",
    "NTT(uᵈ)",
    "c1",
    "c2",
    "compress(u[0])",
    "compress(v)",
    "dkPKE",
    "e",
    "e1",
    "e2",
    "r",
    "s",
    "s[0]",
    "t",
    "u",
    "u[0]",
    "uᵈ",
    "v",
    "vᵈ",
    "w",
    "μ",
    "ρ",
    "σ",
];

/// The values of a complete encapsulation/decapsulation record.
const RECORD: [&str; 7] = ["d", "z", "ek", "dk", "m", "K", "c"];

/// The kind of `text`, if it is a CCTV ML-KEM file.
pub fn detect(text: &TextFile) -> Option<Kind> {
    let keys = text.keys();
    if text.entries.is_empty() && text.sections.is_empty() && !text.bare.is_empty() {
        // Every line a long hex string, some of an encapsulation-key length (a line of another
        // length is then an error of the suite, not a reason to ignore the file).
        let all_hex = text
            .bare
            .iter()
            .all(|(_, line)| line.len() >= 64 && is_hex(line));
        let some_keys = text
            .bare
            .iter()
            .any(|(_, line)| ParamSet::from_ek_len(line.len() / 2).is_some());
        return (all_hex && some_keys).then_some(Kind::Modulus);
    }
    if !text.bare.is_empty() || !text.sections.is_empty() {
        return None;
    }
    let encaps_side = ["d", "z", "ek", "m"].iter().any(|k| keys.contains(k));
    if keys.contains("dk") && keys.contains("c") && !encaps_side {
        // Names other than `dk`, `c`, `K` are errors of the suite.
        Some(Kind::Strcmp)
    } else if keys.contains("d") && keys.contains("ek") {
        // Names outside the record (and, for intermediate files, outside the K-PKE values)
        // are errors of the suite.
        if keys.iter().any(|k| INTERMEDIATE.contains(k)) {
            Some(Kind::Intermediate)
        } else {
            Some(Kind::Unlucky)
        }
    } else {
        None
    }
}

/// Runs a CCTV file of `kind`.
pub fn run(kind: Kind, path: &str, text: &TextFile) -> Vec<SuiteReport> {
    match kind {
        Kind::Modulus => vec![modulus(path, text)],
        Kind::Strcmp => vec![strcmp(path, text)],
        Kind::Unlucky => vec![encaps_decaps(
            "CCTV ML-KEM unlucky sampling",
            path,
            text,
            false,
        )],
        Kind::Intermediate => vec![encaps_decaps("CCTV ML-KEM intermediate", path, text, true)],
    }
}

/// Every key must fail the FIPS 203 section 7.2 modulus check with `illegal_parameter`.
fn modulus(path: &str, text: &TextFile) -> SuiteReport {
    let param = text
        .bare
        .first()
        .and_then(|(_, l)| ParamSet::from_ek_len(l.len() / 2));
    let name = format!(
        "CCTV ML-KEM modulus ({})",
        param.map_or("?", ParamSet::name)
    );
    let mut run = SuiteRun::new(name, vec![path.to_owned()], text.bare.len() as u64);
    for (line, key) in &text.bare {
        let ek = hex::decode(key).unwrap_or_default();
        let Some(param) = ParamSet::from_ek_len(ek.len()) else {
            run.error(
                format!("line {line}"),
                format!(
                    "not an encapsulation key of a known length ({} bytes)",
                    ek.len()
                ),
            );
            continue;
        };
        let group = param.group();
        let mut case = run.case(format!("line {line}"));
        expect_error(
            &mut case,
            crate::on::encapsulate(group, &ek, &mlkem::ANY_M).map(|_| ()),
            Error::EncapsulationKeyModulus,
        );
        run.record(case);
    }
    run.finish()
}

/// Checks that `result` is exactly `expected` with `illegal_parameter`.
fn expect_error(case: &mut Case, result: Result<(), Error>, expected: Error) {
    match result {
        Ok(()) => {
            case.fail("error", expected.to_string(), "accepted");
        }
        Err(e) => {
            case.eq_display("error", expected, e);
            case.eq_display("alert", Alert::IllegalParameter, e.alert());
        }
    }
}

/// Splits the entries into records, a new one starting whenever `first` appears.
fn records<'a>(text: &'a TextFile, first: &str) -> Vec<Vec<&'a Entry>> {
    let mut out: Vec<Vec<&Entry>> = Vec::new();
    for entry in &text.entries {
        if entry.key == first || out.is_empty() {
            out.push(Vec::new());
        }
        if let Some(last) = out.last_mut() {
            last.push(entry);
        }
    }
    out
}

/// Every name of `values` is one of `known`.
fn known_names(values: &Values, known: &[&str]) -> Result<(), String> {
    match values.names().find(|n| !known.contains(n)) {
        Some(name) => Err(format!("unknown name {name:?}")),
        None => Ok(()),
    }
}

/// The lengths FIPS 203 gives each value of a record of parameter set `param` (those present).
fn lengths(values: &Values, param: ParamSet) -> Result<(), String> {
    for (name, len) in [
        ("d", 32),
        ("z", 32),
        ("m", 32),
        ("K", 32),
        ("ek", param.ek_len()),
        ("dk", param.dk_len()),
        ("c", param.ct_len()),
    ] {
        if let Some(value) = values.hex_opt(name)?
            && value.len() != len
        {
            return Err(format!(
                "{name}: {} bytes, {} has {len}",
                value.len(),
                param.name()
            ));
        }
    }
    Ok(())
}

/// `strcmp` records: Decaps(dk, c) must be K (the implicit-rejection key).
fn strcmp(path: &str, text: &TextFile) -> SuiteReport {
    let records = records(text, "dk");
    let mut run = SuiteRun::new(
        "CCTV ML-KEM strcmp",
        vec![path.to_owned()],
        records.len() as u64,
    );
    for (index, record) in records.iter().enumerate() {
        let line = record.first().map_or(0, |e| e.line);
        let mut case = run.case(format!("record {} (line {line})", index + 1));
        let outcome = Values::new(record.iter().copied()).and_then(|v| {
            known_names(&v, &["dk", "c", "K"])?;
            let dk = v.hex("dk")?;
            let Some(param) = ParamSet::from_dk_len(dk.len()) else {
                return Err(format!("dk of {} bytes", dk.len()));
            };
            lengths(&v, param)?;
            decaps(&mut case, param.group(), &dk, &v.hex("c")?, &v.hex("K")?);
            Ok(())
        });
        match outcome {
            Ok(()) => run.record(case),
            Err(e) => {
                case.malformed(e);
                run.record(case);
            }
        }
    }
    run.finish()
}

/// Decaps(dk, c) through a client state built from the expanded `dk`, compared with `k`.
fn decaps(case: &mut Case, group: hybrid_kx::NamedGroup, dk: &[u8], c: &[u8], k: &[u8]) {
    match mlkem::decaps_expanded(case, group, dk, c) {
        Ok(Ok(got)) => {
            case.eq("K", k, &got);
        }
        Ok(Err(e)) => {
            case.fail("K", hex::encode(k), e.to_string());
        }
        Err(e) => {
            case.fail("dk", "a valid decapsulation key", e.to_string());
        }
    }
}

/// Unlucky and intermediate records: key generation skipped (draft), encapsulation
/// `(ek, m) -> (c, K)` and decapsulation `(dk, c) -> K` run; other values skipped.
fn encaps_decaps(suite: &str, path: &str, text: &TextFile, intermediate: bool) -> SuiteReport {
    let records = records(text, "d");
    let mut run = SuiteRun::new(suite, vec![path.to_owned()], 3 * records.len() as u64);
    for (index, record) in records.iter().enumerate() {
        let line = record.first().map_or(0, |e| e.line);
        let id = format!("record {} (line {line})", index + 1);
        // Intermediate files repeat some names (`r`, `dkPKE`): keep the first of each of the
        // record's own values and skip the rest as intermediate values.
        let mut own: Vec<&Entry> = Vec::new();
        let mut internal = 0u64;
        let mut unknown = None;
        for entry in record {
            if RECORD.contains(&entry.key.as_str()) && !own.iter().any(|e| e.key == entry.key) {
                own.push(entry);
            } else if intermediate && INTERMEDIATE.contains(&entry.key.as_str()) {
                internal += 1;
            } else if unknown.is_none() {
                unknown = Some(*entry);
            }
        }
        if let Some(unknown) = unknown {
            run.error(
                &id,
                format!("line {}: unknown name {:?}", unknown.line, unknown.key),
            );
            continue;
        }
        run.skip_many(SkipReason::KPkeIntermediate, internal);
        let values = match Values::new(own) {
            Ok(values) => values,
            Err(e) => {
                let mut case = run.case(&id);
                case.malformed(e);
                run.record(case);
                continue;
            }
        };
        let ek = values.hex("ek");
        let param = ek
            .as_ref()
            .ok()
            .and_then(|ek| ParamSet::from_ek_len(ek.len()));
        let Some(group) = param.map(ParamSet::group) else {
            match ek {
                Ok(ek) => run.error(
                    &id,
                    format!("ek of {} bytes: no known parameter set", ek.len()),
                ),
                Err(e) => run.error(&id, e),
            }
            continue;
        };
        let name = param.map_or("", ParamSet::name);
        if let Err(e) = param.map_or(Ok(()), |p| lengths(&values, p)) {
            run.error(&id, e);
            continue;
        }
        run.skip(SkipReason::Fips203DraftKeyGen);

        let mut case = run.case(format!("{id} {name} encapsulation"));
        let outcome = (|| -> Result<(), String> {
            let ek = values.hex("ek")?;
            match crate::on::encapsulate(group, &ek, &values.hex("m")?) {
                Ok((c, k)) => {
                    case.eq("c", &values.hex("c")?, c.as_bytes());
                    case.eq("K", &values.hex("K")?, k.as_bytes());
                }
                Err(e) => {
                    case.fail("c", "a ciphertext", e.to_string());
                }
            }
            Ok(())
        })();
        if let Err(e) = outcome {
            case.malformed(e);
        }
        run.record(case);

        let mut case = run.case(format!("{id} {name} decapsulation"));
        let outcome = (|| -> Result<(), String> {
            let (dk, c, k) = (values.hex("dk")?, values.hex("c")?, values.hex("K")?);
            decaps(&mut case, group, &dk, &c, &k);
            Ok(())
        })();
        if let Err(e) = outcome {
            case.malformed(e);
        }
        run.record(case);
    }
    run.finish()
}
