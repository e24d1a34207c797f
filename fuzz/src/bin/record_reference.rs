//! Records OpenSSL's transcript of every corpus input of the differential targets in
//! `fuzz/reference/` (`cargo run --release --features reference --bin record-reference
//! [TARGET...]`), after checking that every backend of this crate agrees with it on that input.
//! Run it after the corpus changes (a campaign, `cargo fuzz cmin`): the corpus replay compares
//! with these transcripts when OpenSSL is not built.

use std::collections::BTreeMap;
use std::fs;

use hybrid_kx_fuzz::differential::{TARGETS, openssl, recorded};

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    for target in TARGETS
        .iter()
        .filter(|t| wanted.is_empty() || wanted.iter().any(|w| w == t.name))
    {
        let mut transcripts = BTreeMap::new();
        let entries = fs::read_dir(target.corpus())
            .unwrap_or_else(|e| panic!("{}: {e}", target.corpus().display()));
        for entry in entries {
            let path = entry.expect("corpus entry").path();
            let data = fs::read(&path).expect("corpus file");
            let checked = target
                .check(&data, vec![target.reference()], None)
                .unwrap_or_else(|d| panic!("{}: {d}", path.display()));
            let (_, reference) = checked.last().expect("the reference runs last");
            let name = path
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            transcripts.insert(name, reference.clone());
        }
        recorded::save(target.name, openssl::version(), &transcripts).expect("write transcripts");
        println!(
            "{}: {} transcripts recorded",
            target.name,
            transcripts.len()
        );
    }
}
