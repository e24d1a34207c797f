//! Writes the seed corpora from real shares: `cargo run --bin make-seed-corpus` in `fuzz/`.
//! Each target's corpus starts from inputs that reach deep: valid shares of every group (so the
//! fuzzer starts past the length checks), an untouched handshake, real HkdfLabel inputs.

use std::fs;
use std::path::Path;

use hybrid_kx::NamedGroup;

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    fs::create_dir_all(&dir).expect("corpus dir");
    fs::write(dir.join(name), bytes).expect("write seed");
}

fn main() {
    for (i, &group) in NamedGroup::ALL.iter().enumerate() {
        let seed = vec![i as u8 + 1; group.client_seed_len()];
        let (client, _) = group.generate_key_share_from_seed(&seed).expect("seed");
        let mut input = vec![i as u8];
        input.extend_from_slice(client.as_bytes());
        write("client_share", group.name(), &input);

        // A server share answering the fuzz target's fixed client state (seed 0xa5...).
        let fixed = vec![0xa5; group.client_seed_len()];
        let (fixed_client, _) = group.generate_key_share_from_seed(&fixed).expect("seed");
        let (server, _) = group
            .encapsulate_from_seed(fixed_client.as_bytes(), &vec![3; group.server_seed_len()])
            .expect("encapsulate");
        let mut input = vec![i as u8];
        input.extend_from_slice(server.as_bytes());
        write("server_share", group.name(), &input);
    }
    for (name, label, context) in [
        ("derived", &b"derived"[..], &[0u8; 32][..]),
        ("c_hs_traffic", b"c hs traffic", &[1; 48]),
        ("key", b"key", b""),
        ("traffic_upd", b"traffic upd", b""),
    ] {
        let mut input = vec![0, 32, label.len() as u8];
        input.extend_from_slice(label);
        input.extend_from_slice(context);
        write("hkdf_label", name, &input);
    }
    write("tls_handshake", "untouched", &[]);
    for flight in 0u8..4 {
        write(
            "tls_handshake",
            &format!("flight{flight}_byte100"),
            &[flight, 0, 100, 0x42],
        );
        write(
            "tls_handshake",
            &format!("flight{flight}_keyshare"),
            &[flight, 0, 200, 0, 0, 0, 0],
        );
    }
    println!("seed corpora written under fuzz/corpus/");
}
