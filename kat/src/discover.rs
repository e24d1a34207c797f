//! Finding the vector files under each PATH and recognising each one by its content (never by
//! its name): JSON files by their structure (ACVP vector sets, the project's own hybrid
//! vectors), text files by the names and shape of their values. A text file without any hex
//! data is documentation and is listed as ignored, and so is every hidden file or folder (name
//! starting with `.`: not read); any other file that is not recognised is an
//! error.
//!
//! ACVP prompts are joined with the expected results of the same vector set (`algorithm`,
//! `mode`, `vsId`) in the same folder; a missing partner is looked for among the folder's other
//! JSON files even when they were not named on the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::acvp::{self, AcvpFile, Algorithm, Role};
use super::report::{FileError, Ignored, PathSummary};
use super::text::TextFile;
use super::{cctv, cctv_accumulated, own_hybrid, rfc5869, rfc7748, rfc8448, s2n_hybrid};

/// A text format.
#[derive(Clone, Copy, Debug)]
pub enum TextKind {
    /// A CCTV ML-KEM file.
    Cctv(cctv::Kind),
    /// CCTV `accumulated-hashes.txt`.
    CctvAccumulated,
    /// RFC 8448 section 3.
    Rfc8448,
    /// RFC 7748.
    Rfc7748,
    /// RFC 5869.
    Rfc5869,
    /// s2n-tls hybrid secrets.
    S2nHybrid,
}

/// One suite source to run.
pub enum Job {
    /// An ACVP prompt with its results (or a projection alone).
    Acvp {
        /// The algorithm.
        algorithm: Algorithm,
        /// Prompt or projection.
        prompt: acvp::AcvpSource,
        /// Expected results, unless `prompt` is a projection.
        results: Option<acvp::AcvpSource>,
    },
    /// A text vector file.
    Text {
        /// Its path.
        path: String,
        /// Its format.
        kind: TextKind,
        /// Its lines.
        text: TextFile,
    },
    /// The project's own hybrid vectors.
    OwnHybrid {
        /// Its path.
        path: String,
        /// Its content.
        value: Value,
    },
}

/// Everything found under the PATHs.
pub struct Plan {
    /// Suites to run, in file order.
    pub jobs: Vec<Job>,
    /// Files without vectors.
    pub ignored: Vec<Ignored>,
    /// Unusable files and paths.
    pub errors: Vec<FileError>,
    /// What each PATH yielded.
    pub paths: Vec<PathSummary>,
}

/// What one file is.
enum Classified {
    Acvp(AcvpFile),
    Text(TextKind, TextFile),
    OwnHybrid(Value),
    Ignored(String),
    Error(String),
}

/// Recognises `bytes` read from `path`.
fn classify(path: &str, bytes: &[u8]) -> Classified {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Classified::Error("not UTF-8 text: not a vector file of a known format".into());
    };
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Classified::Error("empty file".into());
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(value) => {
                if own_hybrid::detect(&value) {
                    return Classified::OwnHybrid(value);
                }
                return match acvp::classify(path, &value) {
                    Some(Ok(file)) => Classified::Acvp(file),
                    Some(Err(e)) => Classified::Error(e),
                    None => Classified::Error("JSON in no known vector format".into()),
                };
            }
            Err(e) if trimmed.starts_with('{') => {
                return Classified::Error(format!("invalid JSON: {e}"));
            }
            // `[section]` text files also start with `[`.
            Err(_) => {}
        }
    }
    let file = TextFile::parse(text);
    let kind = if cctv_accumulated::detect(&file) {
        Some(TextKind::CctvAccumulated)
    } else if s2n_hybrid::detect(&file) {
        Some(TextKind::S2nHybrid)
    } else if rfc8448::detect(&file) {
        Some(TextKind::Rfc8448)
    } else if rfc7748::detect(&file) {
        Some(TextKind::Rfc7748)
    } else if rfc5869::detect(&file) {
        Some(TextKind::Rfc5869)
    } else {
        cctv::detect(&file).map(TextKind::Cctv)
    };
    match kind {
        Some(kind) => Classified::Text(kind, file),
        None if !file.has_hex_data() => Classified::Ignored(
            "not a vector file: text without any hex data (documentation)".into(),
        ),
        None => Classified::Error("text with hex data in no known vector format".into()),
    }
}

/// Whether `path` is hidden (its name starts with `.`, as version-control and editor files do).
fn hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Lists the regular files under `dir`, sorted; hidden entries are not read, and listed in
/// `ignored` with the reason.
fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    ignored: &mut Vec<Ignored>,
    errors: &mut Vec<FileError>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(FileError {
                path: dir.display().to_string(),
                error: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let dir = path.is_dir();
        if hidden(&path) {
            let what = if dir { "hidden folder" } else { "hidden file" };
            ignored.push(Ignored {
                path: path.display().to_string(),
                reason: format!("{what} (name starts with '.'): not read"),
            });
        } else if dir {
            walk(&path, out, ignored, errors);
        } else {
            out.push(path);
        }
    }
}

/// A file found under the PATHs.
struct Found {
    path: PathBuf,
    display: String,
    args: Vec<usize>,
    classified: Classified,
}

/// Reads and recognises `path`.
fn read(path: &Path) -> Classified {
    match std::fs::read(path) {
        Ok(bytes) => classify(&path.display().to_string(), &bytes),
        Err(e) => Classified::Error(format!("cannot read: {e}")),
    }
}

/// The other files in `dir` (hidden ones aside, and those not named on the command line) that
/// are ACVP files, for pairing; and, for the message when no partner is found, the JSON files
/// among them that could not be used, with the reason.
fn siblings(dir: &Path, known: &[PathBuf]) -> (Vec<AcvpFile>, Vec<String>) {
    let mut out = Vec::new();
    let mut unusable = Vec::new();
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        files.extend(entries.filter_map(Result::ok).map(|e| e.path()));
    }
    files.sort();
    for file in files {
        let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
        if !file.is_file() || hidden(&file) || known.contains(&canonical) {
            continue;
        }
        match read(&file) {
            Classified::Acvp(acvp) => out.push(acvp),
            Classified::Error(e) if file.extension().is_some_and(|x| x == "json") => {
                let name = file.file_name().unwrap_or_default().to_string_lossy();
                unusable.push(format!("{name}: {e}"));
            }
            _ => {}
        }
    }
    (out, unusable)
}

/// The error of an ACVP file left without its partner, naming the unusable files beside it.
fn unpaired(what: &str, unusable: &[String]) -> String {
    if unusable.is_empty() {
        what.to_owned()
    } else {
        format!("{what} (unusable beside it: {})", unusable.join("; "))
    }
}

/// Finds, reads and recognises every file under `paths`, and pairs ACVP files.
pub fn plan(paths: &[PathBuf]) -> Plan {
    let mut errors = Vec::new();
    let mut ignored = Vec::new();
    let mut summaries: Vec<PathSummary> = paths
        .iter()
        .map(|p| PathSummary {
            path: p.display().to_string(),
            recognised_files: 0,
        })
        .collect();

    // 1. Files, deduplicated by canonical path (a file under two PATHs runs once).
    let mut found: Vec<Found> = Vec::new();
    let mut index: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for (arg, path) in paths.iter().enumerate() {
        let mut files = Vec::new();
        match std::fs::metadata(path) {
            Err(e) => errors.push(FileError {
                path: path.display().to_string(),
                error: format!("cannot read: {e}"),
            }),
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut ignored, &mut errors),
            Ok(_) => files.push(path.clone()),
        }
        for file in files {
            let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
            if let Some(&i) = index.get(&canonical) {
                found[i].args.push(arg);
                continue;
            }
            index.insert(canonical.clone(), found.len());
            found.push(Found {
                display: file.display().to_string(),
                classified: read(&file),
                path: canonical,
                args: vec![arg],
            });
        }
    }
    let known: Vec<PathBuf> = found.iter().map(|f| f.path.clone()).collect();

    // 2. Jobs in file order; ACVP prompts take their results along.
    let mut used_results = vec![false; found.len()];
    let mut jobs = Vec::new();
    let credit = |summaries: &mut Vec<PathSummary>, args: &[usize]| {
        for &arg in args {
            summaries[arg].recognised_files += 1;
        }
    };
    for i in 0..found.len() {
        let args = found[i].args.clone();
        let display = found[i].display.clone();
        match &found[i].classified {
            Classified::Ignored(reason) => ignored.push(Ignored {
                path: display,
                reason: reason.clone(),
            }),
            Classified::Error(error) => errors.push(FileError {
                path: display,
                error: error.clone(),
            }),
            Classified::Text(kind, text) => {
                credit(&mut summaries, &args);
                jobs.push(Job::Text {
                    path: display,
                    kind: *kind,
                    text: text.clone(),
                });
            }
            Classified::OwnHybrid(value) => {
                credit(&mut summaries, &args);
                jobs.push(Job::OwnHybrid {
                    path: display,
                    value: value.clone(),
                });
            }
            Classified::Acvp(file) => match file.role() {
                Role::Projection => {
                    credit(&mut summaries, &args);
                    jobs.push(Job::Acvp {
                        algorithm: file.algorithm,
                        prompt: file.source.clone(),
                        results: None,
                    });
                }
                Role::Prompt => {
                    let dir = found[i].path.parent().map(Path::to_path_buf);
                    let same_dir = |j: usize| found[j].path.parent().map(Path::to_path_buf) == dir;
                    let partner = (0..found.len()).find(|&j| {
                        same_dir(j)
                            && matches!(&found[j].classified,
                                Classified::Acvp(r) if file.answered_by(r))
                    });
                    let mut unusable = Vec::new();
                    let results = match partner {
                        Some(j) => {
                            used_results[j] = true;
                            credit(&mut summaries, &found[j].args.clone());
                            match &found[j].classified {
                                Classified::Acvp(r) => Some(r.source.clone()),
                                _ => None,
                            }
                        }
                        None => dir.as_deref().and_then(|d| {
                            let (found, bad) = siblings(d, &known);
                            unusable = bad;
                            found
                                .into_iter()
                                .find(|r| file.answered_by(r))
                                .map(|r| r.source)
                        }),
                    };
                    match results {
                        Some(results) => {
                            credit(&mut summaries, &args);
                            jobs.push(Job::Acvp {
                                algorithm: file.algorithm,
                                prompt: file.source.clone(),
                                results: Some(results),
                            });
                        }
                        None => errors.push(FileError {
                            path: display,
                            error: unpaired(
                                "ACVP prompt without expected results for its vector set in \
                                 the same folder",
                                &unusable,
                            ),
                        }),
                    }
                }
                Role::Results | Role::Response => {}
            },
        }
    }

    // 3. Results named without their prompt: find the prompt beside them.
    for (i, f) in found.iter().enumerate() {
        let Classified::Acvp(results) = &f.classified else {
            continue;
        };
        if !matches!(results.role(), Role::Results | Role::Response) || used_results[i] {
            continue;
        }
        let (found, unusable) = f
            .path
            .parent()
            .map(|d| siblings(d, &known))
            .unwrap_or_default();
        let prompt = found.into_iter().find(|p| p.answered_by(results));
        match prompt {
            Some(prompt) => {
                credit(&mut summaries, &f.args);
                jobs.push(Job::Acvp {
                    algorithm: prompt.algorithm,
                    prompt: prompt.source,
                    results: Some(results.source.clone()),
                });
            }
            None => errors.push(FileError {
                path: f.display.clone(),
                error: unpaired(
                    "ACVP expected results without a prompt for their vector set in the same \
                     folder",
                    &unusable,
                ),
            }),
        }
    }

    Plan {
        jobs,
        ignored,
        errors,
        paths: summaries,
    }
}
