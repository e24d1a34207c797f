//! Generates the project's own hybrid vectors, `test-vectors/hybrid/<GROUP>.json` (format
//! `hybrid-kx/hybrid-vectors/v1`, documented in `test-vectors/hybrid/README.md`).
//!
//! ```text
//! cargo run --example gen_hybrid_vectors            # rewrite the files, one per group
//! cargo run --example gen_hybrid_vectors -- --check # exit 1 if a file differs
//! ```
//!
//! Every input is `SHAKE-128(label)` truncated to the input's length, with the label
//! `hybrid-kx/hybrid-vectors/v1 <GROUP> <id> <input name>`, so a re-run reproduces the files
//! byte for byte. The outputs come from this crate; `scripts/check_own_vectors.py` recomputes
//! every one of them with implementations that share no code with it (kyber-py,
//! pyca/cryptography), and `kat/tests/own_vectors_generator.rs` checks that the files equal this
//! program's output.
//!
//! Malformed shares are built from the valid shares of the same inputs by one documented change
//! each; the program checks that the crate refuses each one with the intended error before
//! writing it.

use std::fmt::Write as _;
use std::path::PathBuf;

use hybrid_kx::{Error, NamedGroup};
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

/// The `format` value of the files.
pub const FORMAT: &str = "hybrid-kx/hybrid-vectors/v1";

/// Valid vectors per group.
const VALID_PER_GROUP: u32 = 3;

/// X25519 u-coordinates whose product with any scalar is the all-zero output (RFC 7748
/// section 6.1): the low-order points, as 32-byte little-endian strings, with a description.
const X25519_LOW_ORDER: [(&str, &str); 8] = [
    (
        "u = 0",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ),
    (
        "u = 1",
        "0100000000000000000000000000000000000000000000000000000000000000",
    ),
    (
        "a point of order 8",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    ),
    (
        "the other point of order 8",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    ),
    (
        "u = p - 1 (order 4)",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ),
    (
        "u = p (non-canonical 0)",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ),
    (
        "u = p + 1 (non-canonical 1)",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ),
    (
        "u = 0 with the top bit set (masked to 0)",
        "0000000000000000000000000000000000000000000000000000000000000080",
    ),
];

/// The directory the files live in.
pub fn output_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-vectors/hybrid")
}

/// The file name of `group`'s vectors.
pub fn file_name(group: NamedGroup) -> String {
    format!("{}.json", group.name())
}

/// The label of input `input` of vector `id` of `group`.
pub fn label(group: NamedGroup, id: u32, input: &str) -> String {
    format!("{FORMAT} {} {id} {input}", group.name())
}

/// The first `len` bytes of SHAKE-128(`label`).
pub fn derive(label: &str, len: usize) -> Vec<u8> {
    let mut xof = Shake128::default();
    xof.update(label.as_bytes());
    let mut out = vec![0u8; len];
    xof.finalize_xof().read(&mut out);
    out
}

/// Which kind of primitive a component is: what its inputs are called in the files and how
/// its part of a share is made malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// ML-KEM (FIPS 203): `d`, `z` and `m`.
    MlKem,
    /// X25519 (RFC 7748): a private scalar per side.
    X25519,
    /// ECDH on a NIST curve (SEC 1): a private scalar per side.
    Ecdh,
}

/// One primitive of a group, with its lengths from the crate's component table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Component {
    name: &'static str,
    kind: Kind,
    client_share_len: usize,
    server_share_len: usize,
    client_seed_len: usize,
    server_seed_len: usize,
}

/// The entry of the component table named `name`, if there is one.
struct Lookup<'a>(&'a str);

impl hybrid_kx::components::PrimitiveVisitor for Lookup<'_> {
    type Output = Option<Component>;
    fn visit<P: hybrid_kx::components::Primitive>(self) -> Self::Output {
        let kind = if P::NAME.starts_with("ML-KEM") {
            Kind::MlKem
        } else if P::NAME == "X25519" {
            Kind::X25519
        } else {
            Kind::Ecdh
        };
        (P::NAME == self.0).then_some(Component {
            name: P::NAME,
            kind,
            client_share_len: P::CLIENT_SHARE_LEN,
            server_share_len: P::SERVER_SHARE_LEN,
            client_seed_len: P::CLIENT_SEED_LEN,
            server_seed_len: P::SERVER_SEED_LEN,
        })
    }
}

impl Component {
    /// The primitive of the crate's component table named `name` (`ML-KEM-768`, `P-256`).
    pub fn named(name: &str) -> Option<Self> {
        (0..)
            .map_while(|i| hybrid_kx::components::table::visit(i, Lookup(name)))
            .flatten()
            .next()
    }

    /// The name used in the files' `components`.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// The prefix of the files' input names: `mlkem`, `x25519`, `p256`, `p384`.
    fn prefix(self) -> String {
        self.name
            .replace("ML-KEM-", "mlkem")
            .replace('-', "")
            .to_lowercase()
    }

    /// The client's inputs (name, length), in seed order.
    pub fn client_inputs(self) -> Vec<(String, usize)> {
        match self.kind {
            Kind::MlKem => vec![("mlkem_d".into(), 32), ("mlkem_z".into(), 32)],
            Kind::X25519 | Kind::Ecdh => {
                vec![(
                    format!("{}_client_private", self.prefix()),
                    self.client_seed_len,
                )]
            }
        }
    }

    /// The server's inputs (name, length), in seed order.
    pub fn server_inputs(self) -> Vec<(String, usize)> {
        match self.kind {
            Kind::MlKem => vec![("mlkem_m".into(), self.server_seed_len)],
            Kind::X25519 | Kind::Ecdh => {
                vec![(
                    format!("{}_server_private", self.prefix()),
                    self.server_seed_len,
                )]
            }
        }
    }

    /// Bytes of the component's part of the client share.
    pub fn client_share_len(self) -> usize {
        self.client_share_len
    }

    /// Bytes of the component's part of the server share.
    pub fn server_share_len(self) -> usize {
        self.server_share_len
    }
}

/// The components of `group` in wire order (RFC 10024 section 4, draft-ietf-tls-mlkem), from
/// the crate's table of groups ([`NamedGroup::parts`]): the generator lists no group by hand.
/// (The layouts are checked independently: `scripts/check_own_vectors.py` types them from the
/// RFC and recomputes every vector with other implementations.)
///
/// # Panics
///
/// If the table names a primitive this generator does not know.
pub fn components(group: NamedGroup) -> Vec<Component> {
    group
        .parts()
        .iter()
        .map(|name| {
            Component::named(name).unwrap_or_else(|| panic!("{group}: unknown primitive {name}"))
        })
        .collect()
}

/// The derived inputs of vector `id`: client inputs then server inputs, each (name, bytes).
fn inputs(group: NamedGroup, id: u32) -> Vec<(String, Vec<u8>)> {
    let comps = components(group);
    let client = comps.iter().flat_map(|c| c.client_inputs());
    let server = comps.iter().flat_map(|c| c.server_inputs());
    client
        .chain(server)
        .map(|(name, len)| {
            let value = derive(&label(group, id, &name), len);
            (name, value)
        })
        .collect()
}

/// The client and server seeds of `inputs`, in the crate's seed layout (wire order).
fn seeds(group: NamedGroup, inputs: &[(String, Vec<u8>)]) -> (Vec<u8>, Vec<u8>) {
    let value = |name: &str| -> &[u8] {
        inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default()
    };
    let (mut client, mut server) = (Vec::new(), Vec::new());
    for c in components(group) {
        for (name, _) in c.client_inputs() {
            client.extend_from_slice(value(&name));
        }
        for (name, _) in c.server_inputs() {
            server.extend_from_slice(value(&name));
        }
    }
    (client, server)
}

/// The valid exchange of `inputs`: (client share, server share, shared secret).
fn exchange(group: NamedGroup, id: u32, inputs: &[(String, Vec<u8>)]) -> [Vec<u8>; 3] {
    let (client_seed, server_seed) = seeds(group, inputs);
    let (client_share, state) = group
        .generate_key_share_from_seed(&client_seed)
        .unwrap_or_else(|e| panic!("{group} vector {id}: client inputs refused: {e}"));
    let (server_share, server_secret) = group
        .encapsulate_from_seed(client_share.as_bytes(), &server_seed)
        .unwrap_or_else(|e| panic!("{group} vector {id}: server inputs refused: {e}"));
    let client_secret = state
        .complete(server_share.as_bytes())
        .unwrap_or_else(|e| panic!("{group} vector {id}: completion failed: {e}"));
    assert_eq!(client_secret, server_secret, "{group} vector {id}");
    [
        client_share.as_bytes().to_vec(),
        server_share.as_bytes().to_vec(),
        server_secret.as_bytes().to_vec(),
    ]
}

/// Which operation a malformed share is given to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operation {
    /// The server's step, with a malformed client share.
    Encapsulate,
    /// The client's completion, with a malformed server share.
    Complete,
}

/// The change that turns a valid share into a malformed one.
type Mutate = Box<dyn Fn(&[u8]) -> Vec<u8>>;

/// One malformed-share vector before it is derived.
struct Mutation {
    defect: &'static str,
    comment: String,
    operation: Operation,
    error: &'static str,
    mutate: Mutate,
}

/// Where `component` sits in the client share (start offset) and in the server share.
fn offsets(group: NamedGroup, component: Component) -> (usize, usize) {
    let (mut client, mut server) = (0, 0);
    for c in components(group) {
        if c == component {
            return (client, server);
        }
        client += c.client_share_len();
        server += c.server_share_len();
    }
    (client, server)
}

/// A copy of the share with `edit` applied to it in place.
fn edited(edit: impl Fn(&mut [u8]) + 'static) -> Mutate {
    Box::new(move |s: &[u8]| {
        let mut s = s.to_vec();
        edit(&mut s);
        s
    })
}

/// `share` with bytes `start..start + part.len()` replaced by `part` (whose length may differ).
fn splice(share: &[u8], start: usize, old_len: usize, part: &[u8]) -> Vec<u8> {
    [&share[..start], part, &share[start + old_len..]].concat()
}

/// The malformed shares of `group`.
fn mutations(group: NamedGroup) -> Vec<Mutation> {
    let mut out = vec![
        Mutation {
            defect: "client_share_truncated",
            comment: "client share one byte short (last byte removed)".into(),
            operation: Operation::Encapsulate,
            error: "KeyShareLength",
            mutate: Box::new(|s: &[u8]| s[..s.len() - 1].to_vec()),
        },
        Mutation {
            defect: "client_share_extended",
            comment: "client share one byte long (0x00 appended)".into(),
            operation: Operation::Encapsulate,
            error: "KeyShareLength",
            mutate: Box::new(|s: &[u8]| [s, &[0u8][..]].concat()),
        },
        Mutation {
            defect: "server_share_truncated",
            comment: "server share one byte short (last byte removed)".into(),
            operation: Operation::Complete,
            error: "KeyShareLength",
            mutate: Box::new(|s: &[u8]| s[..s.len() - 1].to_vec()),
        },
        Mutation {
            defect: "server_share_extended",
            comment: "server share one byte long (0x00 appended)".into(),
            operation: Operation::Complete,
            error: "KeyShareLength",
            mutate: Box::new(|s: &[u8]| [s, &[0u8][..]].concat()),
        },
    ];
    for component in components(group) {
        let (client_at, server_at) = offsets(group, component);
        match component.kind {
            Kind::MlKem => {
                // ByteEncode12 of t: coefficient pairs (c0, c1) in 3 bytes, b0 = c0 & 0xff,
                // b1 = c0 >> 8 | (c1 & 0xf) << 4, b2 = c1 >> 4; then rho (32 bytes).
                let t_end = client_at + component.client_share_len() - 32;
                out.push(Mutation {
                    defect: "mlkem_ek_modulus",
                    comment: "ML-KEM encapsulation key: first coefficient of t set to q = 3329 \
                              (FIPS 203 section 7.2 modulus check)"
                        .into(),
                    operation: Operation::Encapsulate,
                    error: "EncapsulationKeyModulus",
                    mutate: edited(move |s| {
                        s[client_at] = 0x01;
                        s[client_at + 1] = (s[client_at + 1] & 0xf0) | 0x0d;
                    }),
                });
                out.push(Mutation {
                    defect: "mlkem_ek_modulus",
                    comment: "ML-KEM encapsulation key: last coefficient of t set to 4095 \
                              (FIPS 203 section 7.2 modulus check)"
                        .into(),
                    operation: Operation::Encapsulate,
                    error: "EncapsulationKeyModulus",
                    mutate: edited(move |s| {
                        s[t_end - 2] |= 0xf0;
                        s[t_end - 1] = 0xff;
                    }),
                });
            }
            Kind::X25519 => {
                for (i, (what, u)) in X25519_LOW_ORDER.iter().enumerate() {
                    let u = hex::decode(u).unwrap_or_default();
                    let u_client = u.clone();
                    out.push(Mutation {
                        defect: "x25519_low_order",
                        comment: format!(
                            "client X25519 share replaced by {what}: all-zero shared secret \
                             (RFC 8446 section 7.4.2)"
                        ),
                        operation: Operation::Encapsulate,
                        error: "X25519ZeroSharedSecret",
                        mutate: Box::new(move |s: &[u8]| splice(s, client_at, 32, &u_client)),
                    });
                    if i < 4 || i == 5 {
                        out.push(Mutation {
                            defect: "x25519_low_order",
                            comment: format!(
                                "server X25519 share replaced by {what}: all-zero shared \
                                 secret (RFC 8446 section 7.4.2)"
                            ),
                            operation: Operation::Complete,
                            error: "X25519ZeroSharedSecret",
                            mutate: Box::new(move |s: &[u8]| splice(s, server_at, 32, &u)),
                        });
                    }
                }
            }
            Kind::Ecdh => {
                let len = component.client_share_len();
                let coord = (len - 1) / 2;
                let curve = component.name();
                for (operation, at, side) in [
                    (Operation::Encapsulate, client_at, "client"),
                    (Operation::Complete, server_at, "server"),
                ] {
                    out.push(Mutation {
                        defect: "ec_not_on_curve",
                        comment: format!(
                            "{side} {curve} point with the lowest bit of y flipped: not on the \
                             curve"
                        ),
                        operation,
                        error: "EcPointNotOnCurve",
                        mutate: edited(move |s| s[at + len - 1] ^= 1),
                    });
                    out.push(Mutation {
                        defect: "ec_not_uncompressed",
                        comment: format!(
                            "{side} {curve} point with the compressed tag (0x02/0x03 by the \
                             parity of y) in front of x and y"
                        ),
                        operation,
                        error: "EcPointNotUncompressed",
                        mutate: edited(move |s| s[at] = 0x02 | (s[at + len - 1] & 1)),
                    });
                    out.push(Mutation {
                        defect: "ec_compressed",
                        comment: format!(
                            "{side} {curve} point in compressed form (0x02/0x03 and x, {} \
                             bytes) in place of the uncompressed point",
                            coord + 1
                        ),
                        operation,
                        error: "KeyShareLength",
                        mutate: Box::new(move |s: &[u8]| {
                            let tag = 0x02 | (s[at + len - 1] & 1);
                            let compressed = [&[tag][..], &s[at + 1..at + 1 + coord]].concat();
                            splice(s, at, len, &compressed)
                        }),
                    });
                    if operation == Operation::Complete {
                        continue;
                    }
                    out.push(Mutation {
                        defect: "ec_not_on_curve",
                        comment: format!("client {curve} point 0x04 followed by zeros: (0, 0)"),
                        operation,
                        error: "EcPointNotOnCurve",
                        mutate: Box::new(move |s: &[u8]| {
                            let point = [&[0x04][..], &vec![0u8; len - 1][..]].concat();
                            splice(s, at, len, &point)
                        }),
                    });
                    out.push(Mutation {
                        defect: "ec_not_uncompressed",
                        comment: format!(
                            "client {curve} point in SEC1 hybrid form (0x06/0x07 by the parity \
                             of y)"
                        ),
                        operation,
                        error: "EcPointNotUncompressed",
                        mutate: edited(move |s| s[at] = 0x06 | (s[at + len - 1] & 1)),
                    });
                    out.push(Mutation {
                        defect: "ec_not_uncompressed",
                        comment: format!(
                            "client {curve} point as the identity encoding 0x00, zero-padded"
                        ),
                        operation,
                        error: "EcPointNotUncompressed",
                        mutate: Box::new(move |s: &[u8]| splice(s, at, len, &vec![0u8; len])),
                    });
                }
            }
        }
    }
    out
}

/// The variant name of an error.
fn error_name(error: &Error) -> String {
    format!("{error:?}")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Appends `"name": "value"` (no escaping needed: the generator's strings are plain ASCII
/// without quotes or backslashes, which is asserted).
fn string_field(out: &mut String, indent: usize, name: &str, value: &str, last: bool) {
    assert!(value.is_ascii() && !value.contains(['"', '\\']), "{value}");
    let comma = if last { "" } else { "," };
    let _ = writeln!(out, "{:indent$}\"{name}\": \"{value}\"{comma}", "");
}

/// Appends an `"inputs"` object.
fn inputs_field(out: &mut String, inputs: &[(String, Vec<u8>)]) {
    out.push_str("      \"inputs\": {\n");
    for (i, (name, value)) in inputs.iter().enumerate() {
        string_field(out, 8, name, &hex::encode(value), i + 1 == inputs.len());
    }
    out.push_str("      },\n");
}

/// The whole file for `group`.
///
/// # Panics
///
/// If the crate refuses the derived inputs or accepts a malformed share (the generator checks
/// every vector before writing it).
pub fn render(group: NamedGroup) -> String {
    let comps = components(group);
    let mut out = String::new();
    out.push_str("{\n");
    string_field(&mut out, 2, "format", FORMAT, false);
    string_field(&mut out, 2, "group", group.name(), false);
    let _ = writeln!(out, "  \"codepoint\": {},", group.codepoint());
    let names: Vec<String> = comps.iter().map(|c| format!("\"{}\"", c.name())).collect();
    let _ = writeln!(out, "  \"components\": [{}],", names.join(", "));
    let _ = writeln!(out, "  \"client_share_len\": {},", group.client_share_len());
    let _ = writeln!(out, "  \"server_share_len\": {},", group.server_share_len());
    let _ = writeln!(
        out,
        "  \"shared_secret_len\": {},",
        group.shared_secret_len()
    );
    string_field(
        &mut out,
        2,
        "input_derivation",
        &format!(
            "each input is the first N bytes of SHAKE-128 of the ASCII label '{FORMAT} {} <id> \
             <input name>'",
            group.name()
        ),
        false,
    );

    out.push_str("  \"valid\": [\n");
    for id in 1..=VALID_PER_GROUP {
        let inputs = inputs(group, id);
        let [client_share, server_share, secret] = exchange(group, id, &inputs);
        out.push_str("    {\n");
        let _ = writeln!(out, "      \"id\": {id},");
        string_field(
            &mut out,
            6,
            "comment",
            "key generation, encapsulation and completion from the derived inputs",
            false,
        );
        inputs_field(&mut out, &inputs);
        string_field(
            &mut out,
            6,
            "client_share",
            &hex::encode(client_share),
            false,
        );
        string_field(
            &mut out,
            6,
            "server_share",
            &hex::encode(server_share),
            false,
        );
        string_field(&mut out, 6, "shared_secret", &hex::encode(secret), true);
        let comma = if id == VALID_PER_GROUP { "" } else { "," };
        let _ = writeln!(out, "    }}{comma}");
    }
    out.push_str("  ],\n");

    out.push_str("  \"invalid\": [\n");
    let mutations = mutations(group);
    for (index, mutation) in mutations.iter().enumerate() {
        let id = VALID_PER_GROUP + 1 + u32::try_from(index).unwrap_or(u32::MAX);
        let inputs = inputs(group, id);
        let [client_share, server_share, _] = exchange(group, id, &inputs);
        let (client_seed, server_seed) = seeds(group, &inputs);
        let (field, share, result) = match mutation.operation {
            Operation::Encapsulate => {
                let share = (mutation.mutate)(&client_share);
                let result = group
                    .encapsulate_from_seed(&share, &server_seed)
                    .map(|_| ());
                ("client_share", share, result)
            }
            Operation::Complete => {
                let share = (mutation.mutate)(&server_share);
                let result = group
                    .generate_key_share_from_seed(&client_seed)
                    .and_then(|(_, state)| state.complete(&share))
                    .map(|_| ());
                ("server_share", share, result)
            }
        };
        let error = match result {
            Err(e) => e,
            Ok(()) => panic!("{group} vector {id} ({}) was accepted", mutation.comment),
        };
        assert_eq!(
            error_name(&error),
            mutation.error,
            "{group} vector {id} ({})",
            mutation.comment
        );
        let operation = match mutation.operation {
            Operation::Encapsulate => "encapsulate",
            Operation::Complete => "complete",
        };
        out.push_str("    {\n");
        let _ = writeln!(out, "      \"id\": {id},");
        string_field(&mut out, 6, "comment", &mutation.comment, false);
        string_field(&mut out, 6, "defect", mutation.defect, false);
        string_field(&mut out, 6, "operation", operation, false);
        inputs_field(&mut out, &inputs);
        string_field(&mut out, 6, field, &hex::encode(&share), false);
        string_field(&mut out, 6, "error", mutation.error, false);
        string_field(&mut out, 6, "alert", error.alert().name(), true);
        let comma = if index + 1 == mutations.len() {
            ""
        } else {
            ","
        };
        let _ = writeln!(out, "    }}{comma}");
    }
    out.push_str("  ]\n}\n");
    out
}

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let dir = output_dir();
    let mut differs = false;
    for &group in NamedGroup::ALL {
        let path = dir.join(file_name(group));
        let text = render(group);
        if check {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != text {
                eprintln!("{} differs from the generator's output", path.display());
                differs = true;
            }
        } else {
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            println!("wrote {}", path.display());
        }
    }
    if differs {
        std::process::exit(1);
    }
}
