//! `hybrid-kx acvp`: ACVP module mode without a driver (`docs/acvp.md`).
//!
//! - `respond PROMPT.json [-o RESPONSE.json]` answers every vector set of an ACVP file as an
//!   implementation under test, in ACVP's response format (ACVP specifications, "Responses":
//!   `vsId` and `testGroups` of `tgId` and `tests`, each test its `tcId` and answer fields;
//!   `algorithm` too, as acvptool writes it);
//! - `check RESPONSE.json EXPECTED.json` compares a response (this command's or acvptool's)
//!   with NIST's expected results case by case.
//!
//! Both read files with the known-answer engine's ACVP parsers (`hybrid_kx_kat::acvp`): every
//! field is checked against its specification's tables, as `hybrid-kx kat` checks them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use hybrid_kx_kat::acvp::{self, AcvpFile, Role};
use serde_json::{Value, json};

/// `hybrid-kx acvp respond|check`
#[derive(clap::Args)]
pub(crate) struct AcvpArgs {
    #[command(subcommand)]
    command: AcvpCommand,
}

#[derive(clap::Subcommand)]
enum AcvpCommand {
    /// Answer an ACVP vector set file (a prompt) in ACVP's response format.
    Respond {
        /// The prompt: a vector set, or an array of a session header and vector sets.
        prompt: PathBuf,
        /// Write the response here instead of standard output.
        #[arg(short = 'o', long, value_name = "RESPONSE.json")]
        output: Option<PathBuf>,
        /// Run on this backend (portable, libcrux, graviola: each component that has code on
        /// it, the others on the portable reference). Default: the crate's choice per component.
        #[arg(long, value_name = "NAME")]
        backend: Option<String>,
    },
    /// Compare a response with NIST's expected results, case by case.
    Check {
        /// The response (from `acvp respond` or acvptool).
        response: PathBuf,
        /// The expected results (NIST's `expectedResults.json`, a projection or a response).
        expected: PathBuf,
    },
}

/// Runs the `acvp` subcommand.
pub(crate) fn run(args: AcvpArgs) -> ExitCode {
    let outcome = match args.command {
        AcvpCommand::Respond {
            prompt,
            output,
            backend,
        } => respond(&prompt, output.as_deref(), backend.as_deref()),
        AcvpCommand::Check { response, expected } => check(&response, &expected),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            for error in errors {
                eprintln!("hybrid-kx acvp: {error}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Reads a JSON file.
fn read_json(path: &Path) -> Result<Value, Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("{}: cannot read: {e}", path.display())])?;
    serde_json::from_str(&text).map_err(|e| vec![format!("{}: invalid JSON: {e}", path.display())])
}

/// `acvp respond`: every vector set answered, or every reason why not.
fn respond(prompt: &Path, output: Option<&Path>, backend: Option<&str>) -> Result<(), Vec<String>> {
    let backend = backend
        .map(hybrid_kx_kat::on::backend_named)
        .transpose()
        .map_err(|e| vec![e])?;
    let value = read_json(prompt)?;
    let path = prompt.display().to_string();
    let document = acvp::document(&value)
        .ok_or_else(|| vec![format!("{path}: not an ACVP vector set file")])?;
    let mut responses = vec![
        document
            .header
            .cloned()
            .unwrap_or_else(|| json!({"acvVersion": "1.0"})),
    ];
    let (mut errors, mut tests) = (Vec::new(), 0);
    let mut notes: BTreeMap<String, u64> = BTreeMap::new();
    for (index, set) in document.sets.iter().enumerate() {
        let file = match acvp::classify_set(&path, document.header, set) {
            Ok(file) => file,
            Err(e) => {
                errors.push(format!("{path}: vector set {}: {e}", index + 1));
                continue;
            }
        };
        if !matches!(file.role(), Role::Prompt | Role::Projection) {
            errors.push(format!(
                "{path}: vector set {} holds {}: nothing to answer",
                index + 1,
                file.role().describe()
            ));
            continue;
        }
        let answered =
            hybrid_kx_kat::on::with_backend(backend, || file.algorithm.respond(&file.source));
        match answered {
            Ok(responded) => {
                tests += responded.tests;
                for (note, count) in responded.notes {
                    *notes.entry(note).or_default() += count;
                }
                responses.push(responded.response);
            }
            Err(e) => errors.extend(e.into_iter().map(|e| format!("{path}: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = serde_json::to_string_pretty(&Value::Array(responses))
        .map_err(|e| vec![e.to_string()])?
        + "\n";
    match output {
        Some(out) => std::fs::write(out, text)
            .map_err(|e| vec![format!("{}: cannot write: {e}", out.display())])?,
        None => print!("{text}"),
    }
    let backends: Vec<String> = hybrid_kx_kat::tool(backend)
        .backends
        .iter()
        .map(|(p, b)| format!("{p} {b}"))
        .collect();
    let shown: Vec<String> = notes
        .iter()
        .filter(|(n, _)| n.starts_with("decapsulation on "))
        .map(|(n, c)| format!("{n}: {c}"))
        .collect();
    eprintln!(
        "acvp respond: {tests} tests answered in {} vector sets (backends: {}){}",
        document.sets.len(),
        backends.join(", "),
        if shown.is_empty() {
            String::new()
        } else {
            format!("; {}", shown.join(", "))
        }
    );
    Ok(())
}

/// Reads a file holding one ACVP vector set.
fn read_acvp(path: &Path) -> Result<AcvpFile, Vec<String>> {
    let value = read_json(path)?;
    let name = path.display().to_string();
    match acvp::classify(&name, &value) {
        Some(Ok(file)) => Ok(file),
        Some(Err(e)) => Err(vec![format!("{name}: {e}")]),
        None => Err(vec![format!("{name}: not an ACVP vector set file")]),
    }
}

/// `acvp check`: the response equals the expected results, case for case.
fn check(response: &Path, expected: &Path) -> Result<(), Vec<String>> {
    let response = read_acvp(response)?;
    let expected = read_acvp(expected)?;
    let report = hybrid_kx_kat::acvp_run::check(&response, &expected);
    for failure in report.failures() {
        println!(
            "MISMATCH {}: {}: expected {}, got {}",
            failure.case, failure.field, failure.expected, failure.actual
        );
    }
    println!(
        "acvp check: {} tests compared, {} mismatches, {} errors ({} vsId {})",
        report.passed() + report.failed(),
        report.failed(),
        report.errors().len(),
        expected.algorithm.name(),
        expected.vs_id
    );
    let errors: Vec<String> = report.errors().iter().map(|e| e.error.clone()).collect();
    if errors.is_empty() && report.failed() == 0 {
        Ok(())
    } else if errors.is_empty() {
        Err(vec![format!("{} mismatches", report.failed())])
    } else {
        Err(errors)
    }
}
