//! The reference's transcripts of the committed corpus, recorded in `fuzz/reference/<target>.txt`
//! (one line per corpus file: its name, then [`Transcript::encode`]), so that the corpus replay
//! compares this crate with OpenSSL without building OpenSSL. `cargo run --release --features
//! reference --bin record-reference` writes them after the corpus changes; the replay fails on
//! a corpus file without a recorded transcript, and with the feature on it also checks that
//! the live reference still gives the recorded one.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::{fs, io};

use super::verdict::Transcript;

/// The file of `target`'s recorded transcripts.
pub fn path(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("reference")
        .join(format!("{target}.txt"))
}

/// `target`'s recorded transcripts by corpus file name (none if the file does not exist).
///
/// # Errors
///
/// A file that cannot be read, or a line that does not decode.
pub fn load(target: &str) -> io::Result<BTreeMap<String, Transcript>> {
    let text = match fs::read_to_string(path(target)) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(e),
    };
    let mut recorded = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (name, transcript) = line
            .split_once(' ')
            .and_then(|(name, rest)| Some((name, Transcript::decode(rest)?)))
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, line.to_owned()))?;
        recorded.insert(name.to_owned(), transcript);
    }
    Ok(recorded)
}

/// Writes `target`'s transcripts, with a header naming the reference that made them.
///
/// # Errors
///
/// A file that cannot be written, or a transcript that holds one of this crate's errors.
pub fn save(
    target: &str,
    reference: &str,
    transcripts: &BTreeMap<String, Transcript>,
) -> io::Result<()> {
    let mut text = format!(
        "# {reference}: transcripts of fuzz/corpus/{target}/ (fuzz/src/differential/recorded.rs)\n"
    );
    for (name, transcript) in transcripts {
        let line = transcript
            .encode()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, name.clone()))?;
        text.push_str(&format!("{name} {line}\n"));
    }
    fs::create_dir_all(path(target).parent().expect("a folder"))?;
    fs::write(path(target), text)
}
