//! Replays every committed corpus file through its target body: the fuzzing findings (and the
//! seeds) become a regular test. `cargo test --manifest-path fuzz/Cargo.toml`.

use std::fs;
use std::path::Path;

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
