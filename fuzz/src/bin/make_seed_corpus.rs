//! Writes the seed corpora from real shares: `cargo run --bin make-seed-corpus` in `fuzz/`.
//! Each target's corpus starts from inputs that reach deep: valid shares of every group (so the
//! fuzzer starts past the length checks), an untouched handshake, real HkdfLabel inputs, and for
//! the differential targets every kind of crafted malformed share and out-of-range scalar.

use std::fs;
use std::path::Path;

use hybrid_kx::NamedGroup;
use hybrid_kx_fuzz::differential::TARGETS;
use hybrid_kx_fuzz::differential::input::{Case, Edit, SeedSpec, ShareSpec};
use hybrid_kx_fuzz::differential::primitive::{Prim, Side};

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
    differential_seeds();
    println!("seed corpora written under fuzz/corpus/");
}

/// The differential targets' seeds: an untouched exchange, each crafted value in each part of
/// either share (the kinds of `Prim::craft`), a coefficient of exactly q and of 4095, raw
/// shares of the right and of other lengths, and the edge scalars of the NIST curves.
fn differential_seeds() {
    for target in TARGETS {
        let parts = target.parts();
        let seeds = |side: Side, byte: u8| -> Vec<SeedSpec> {
            parts
                .iter()
                .map(|p| SeedSpec::Raw(vec![byte; p.seed_len(side)]))
                .collect()
        };
        let case = |client: ShareSpec, server: ShareSpec| Case {
            client_seeds: seeds(Side::Client, 0x31),
            server_seeds: seeds(Side::Server, 0x52),
            client_share: client,
            server_share: server,
        };
        let none = || ShareSpec::Edited(Vec::new());
        let mut cases = vec![("untouched".to_owned(), case(none(), none()))];
        for (i, prim) in parts.iter().enumerate() {
            let part = i as u8;
            let kinds = match prim {
                Prim::MlKem(_) => 3,
                Prim::X25519 => 4,
                Prim::Nist(_) => 9,
            };
            for kind in 0..kinds {
                for (side, name) in [(true, "client"), (false, "server")] {
                    let craft = ShareSpec::Edited(vec![Edit::Craft {
                        part,
                        kind,
                        param: 1,
                    }]);
                    let c = if side {
                        case(craft, none())
                    } else {
                        case(none(), craft)
                    };
                    cases.push((format!("{name}_part{i}_craft{kind}"), c));
                }
            }
            for (name, index, value) in [("q", 7, 3329), ("4095", 300, 4095)] {
                let set = ShareSpec::Edited(vec![Edit::Coefficient { part, index, value }]);
                cases.push((
                    format!("client_part{i}_coefficient_{name}"),
                    case(set, none()),
                ));
            }
            if let Prim::Nist(_) = prim {
                for (name, spec) in [
                    ("n_minus_1", SeedSpec::BelowOrder(1)),
                    ("n", SeedSpec::BelowOrder(0)),
                    ("n_plus_1", SeedSpec::AboveOrder(1)),
                    ("zero", SeedSpec::Small(0)),
                    ("one", SeedSpec::Small(1)),
                ] {
                    let mut c = case(none(), none());
                    c.client_seeds[i] = spec.clone();
                    cases.push((format!("client_part{i}_scalar_{name}"), c));
                    let mut c = case(none(), none());
                    c.server_seeds[i] = spec;
                    cases.push((format!("server_part{i}_scalar_{name}"), c));
                }
            }
        }
        let len = |side| parts.iter().map(|p| p.share_len(side)).sum::<usize>();
        for (name, bytes) in [
            ("raw_exact", vec![0x5a; len(Side::Client)]),
            ("raw_short", vec![0x5a; len(Side::Client) - 1]),
            ("raw_empty", Vec::new()),
        ] {
            cases.push((
                format!("client_{name}"),
                case(ShareSpec::Raw(bytes), none()),
            ));
        }
        cases.push((
            "server_raw_exact".to_owned(),
            case(none(), ShareSpec::Raw(vec![0xa5; len(Side::Server)])),
        ));
        let resized =
            ShareSpec::Edited(vec![Edit::Truncate(0), Edit::Append { count: 0, byte: 4 }]);
        cases.push((
            "client_last_byte_replaced".to_owned(),
            case(resized, none()),
        ));
        for (name, c) in cases {
            write(target.name, &name, &c.encode(&parts));
        }
    }
}
