//! Replays every committed corpus file through its target body: the fuzzing findings (and the
//! seeds) become a regular test. `cargo test --manifest-path fuzz/Cargo.toml`.
//!
//! The differential targets' inputs run on every backend here and are compared with OpenSSL's
//! recorded transcripts (`fuzz/reference/`); with `--features reference` also with OpenSSL
//! live, which must still give the recorded transcript.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use hybrid_kx_fuzz::differential::verdict::Verdict;
use hybrid_kx_fuzz::differential::{TARGETS, recorded};

/// A fuzz target's body.
type Body = fn(&[u8]);

#[test]
fn replay_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let targets: [(&str, Body); 4] = [
        ("client_share", hybrid_kx_fuzz::client_share),
        ("server_share", hybrid_kx_fuzz::server_share),
        ("hkdf_label", hybrid_kx_fuzz::hkdf_label),
        ("tls_handshake", hybrid_kx_fuzz::tls_handshake),
    ];
    for (name, run) in targets {
        let dir = root.join(name);
        let mut count = 0;
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            run(&fs::read(&path).unwrap());
            count += 1;
        }
        assert!(count > 0, "{name}: empty corpus");
        println!("{name}: replayed {count} inputs");
    }
}

#[test]
fn replay_differential_corpora() {
    for target in TARGETS {
        let recorded = recorded::load(target.name).unwrap();
        let dir = target.corpus();
        // How often the reference accepted, refused (and why) or skipped each step.
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        let mut count = 0;
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let transcript = recorded.get(&name).unwrap_or_else(|| {
                panic!(
                    "{}: {name} has no recorded reference transcript (run record-reference)",
                    target.name
                )
            });
            #[cfg(feature = "reference")]
            let live = vec![target.reference()];
            #[cfg(not(feature = "reference"))]
            let live = Vec::new();
            target
                .check(&fs::read(&path).unwrap(), live, Some(transcript))
                .unwrap_or_else(|d| panic!("{}: {d}", path.display()));
            for (step, verdict) in &transcript.0 {
                let outcome = match verdict {
                    Verdict::Accepted(_) => "ok".to_owned(),
                    Verdict::Refused(reasons) => format!("{reasons:?}"),
                    _ => "skipped".to_owned(),
                };
                *outcomes
                    .entry(format!("{} {outcome}", step.name()))
                    .or_default() += 1;
            }
            count += 1;
        }
        assert!(count > 0, "{}: empty corpus", target.name);
        assert_eq!(
            count,
            recorded.len(),
            "{}: transcripts of removed inputs",
            target.name
        );
        println!(
            "{}: replayed {count} inputs; reference: {outcomes:?}",
            target.name
        );
    }
}
