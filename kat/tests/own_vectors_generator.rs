//! The committed `test-vectors/hybrid/*.json` are byte for byte what the generator
//! (`examples/gen_hybrid_vectors.rs`) writes today. (What the files say is checked by the engine:
//! `tests/vector_files.rs`; independently of this crate by `scripts/check_own_vectors.py`.)

#[path = "../../examples/gen_hybrid_vectors.rs"]
#[allow(dead_code)]
mod generator;

use std::path::PathBuf;

use hybrid_kx::NamedGroup;

#[test]
fn files_are_what_the_generator_writes() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-vectors/hybrid");
    for &group in NamedGroup::ALL {
        let path = dir.join(generator::file_name(group));
        let committed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            committed == generator::render(group),
            "{} differs from `cargo run --example gen_hybrid_vectors`",
            path.display()
        );
    }
}
