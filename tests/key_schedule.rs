//! The TLS 1.3 key schedule (`hybrid_kx::key_schedule`) against independent published values:
//! - RFC 8448 section 3 (simple 1-RTT handshake): every intermediate secret, key, IV, Finished
//!   value and HkdfLabel encoding (`test-vectors/rfc8448-simple-1rtt.txt`);
//! - s2n-tls hybrid handshake secrets: hybrid shared secret -> handshake traffic secrets for
//!   X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024 with SHA-256 and SHA-384;
//! - NIST ACVP TLS-v1.3-KDF vectors (BoringSSL answers): all 10 DHE / PSK / PSK-DHE cases;
//! - RFC 5869 appendix A test cases 1-3 through `extract`/`expand`
//!   (`test-vectors/rfc5869-hkdf-sha256.txt`);
//! - the typed errors for every `HkdfLabel` limit, and redacted `Debug` output.
//!
//! The s2n and ACVP sets are read from the shared vector folder (see `common::shared_vectors`).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::shared_vectors::shared_vectors_dir;
use hybrid_kx::key_schedule::{
    EarlySecret, HashAlgorithm, HkdfLabel, KeyScheduleError, MAX_HKDF_LABEL_LEN, Prk, PskKind,
    Sha256, Sha384, TranscriptHash, derive_secret, derive_secret_from_messages, expand,
    expand_label, extract, hmac_sign,
};
use serde_json::Value;
use sha2::Digest;

// ---------------------------------------------------------------------------------------------
// Parsing helpers
// ---------------------------------------------------------------------------------------------

/// `name = hex` lines of a vector file; `#` comments and blank lines skipped. Later duplicates
/// are rejected so a typo cannot silently shadow a value.
fn parse_flat(text: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = line.split_once('=').expect("name = value line");
        let old = map.insert(name.trim().to_owned(), value.trim().to_owned());
        assert!(old.is_none(), "duplicate entry {name}");
    }
    map
}

fn hex_of(map: &BTreeMap<String, String>, name: &str) -> Vec<u8> {
    let value = map.get(name).unwrap_or_else(|| panic!("missing {name}"));
    hex::decode(value).unwrap_or_else(|e| panic!("{name}: bad hex: {e}"))
}

fn rfc8448() -> BTreeMap<String, String> {
    parse_flat(include_str!("../test-vectors/rfc8448-simple-1rtt.txt"))
}

/// The reference HkdfLabel encoding, written out field by field from RFC 8446 section 7.1
/// (independent of the crate's `HkdfLabel`), for cross-checks of derivations that no
/// published trace covers (key update, exporter, binder).
fn reference_hkdf_label(length: u16, label: &str, context: &[u8]) -> Vec<u8> {
    let full = format!("tls13 {label}");
    let mut out = length.to_be_bytes().to_vec();
    out.push(u8::try_from(full.len()).unwrap());
    out.extend_from_slice(full.as_bytes());
    out.push(u8::try_from(context.len()).unwrap());
    out.extend_from_slice(context);
    out
}

/// Reference HKDF-Expand-Label with the `hkdf` crate directly (SHA-256).
fn reference_expand_label_sha256(secret: &[u8], label: &str, context: &[u8], len: u16) -> Vec<u8> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::from_prk(secret).unwrap();
    let mut out = vec![0; usize::from(len)];
    hk.expand(&reference_hkdf_label(len, label, context), &mut out)
        .unwrap();
    out
}

// ---------------------------------------------------------------------------------------------
// 1. RFC 8448 section 3
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc8448_simple_1rtt_every_intermediate() {
    let v = rfc8448();
    let msg = |name: &str| hex_of(&v, name);
    let (ch, sh, ee, cert, cv, sf, cf) = (
        msg("msg_client_hello"),
        msg("msg_server_hello"),
        msg("msg_encrypted_extensions"),
        msg("msg_certificate"),
        msg("msg_certificate_verify"),
        msg("msg_server_finished"),
        msg("msg_client_finished"),
    );

    // Transcript hashes: sha2 directly over the concatenated messages, and the crate's helper,
    // both equal to the RFC's values.
    let sha = |parts: &[&[u8]]| sha2::Sha256::digest(parts.concat()).to_vec();
    let th = |parts: &[&[u8]]| TranscriptHash::<Sha256>::of_messages(parts);
    let th_empty = TranscriptHash::<Sha256>::empty();
    let th_ch_sh = th(&[&ch, &sh]);
    let th_ch_cv = th(&[&ch, &sh, &ee, &cert, &cv]);
    let th_ch_sf = th(&[&ch, &sh, &ee, &cert, &cv, &sf]);
    let th_ch_cf = th(&[&ch, &sh, &ee, &cert, &cv, &sf, &cf]);
    assert_eq!(th_empty.as_bytes(), hex_of(&v, "hash_empty"));
    assert_eq!(Sha256::hash(b"").as_bytes(), hex_of(&v, "hash_empty"));
    assert_eq!(th_ch_sh.as_bytes(), hex_of(&v, "transcript_hash_ch_sh"));
    assert_eq!(sha(&[&ch, &sh]), hex_of(&v, "transcript_hash_ch_sh"));
    assert_eq!(
        th_ch_sf.as_bytes(),
        hex_of(&v, "transcript_hash_ch_server_fin")
    );
    assert_eq!(
        sha(&[&ch, &sh, &ee, &cert, &cv, &sf]),
        hex_of(&v, "transcript_hash_ch_server_fin")
    );
    assert_eq!(
        th_ch_cf.as_bytes(),
        hex_of(&v, "transcript_hash_ch_client_fin")
    );
    assert_eq!(
        sha(&[&ch, &sh, &ee, &cert, &cv, &sf, &cf]),
        hex_of(&v, "transcript_hash_ch_client_fin")
    );
    assert_eq!(
        TranscriptHash::<Sha256>::from_bytes(&hex_of(&v, "transcript_hash_ch_sh")).unwrap(),
        th_ch_sh
    );
    assert_eq!(th_ch_cv.as_bytes(), sha(&[&ch, &sh, &ee, &cert, &cv]));

    // Early secret and the first "derived".
    let early = EarlySecret::<Sha256>::new(None);
    assert_eq!(early.as_bytes(), hex_of(&v, "early_secret"));
    assert_eq!(
        early.derived_secret().as_bytes(),
        hex_of(&v, "derived_for_handshake")
    );

    // Handshake secret from the x25519 shared secret, and the handshake traffic secrets.
    let handshake = early.into_handshake_secret(Some(&hex_of(&v, "ecdhe_shared_secret")));
    assert_eq!(handshake.as_bytes(), hex_of(&v, "handshake_secret"));
    let c_hs = handshake.client_handshake_traffic_secret(&th_ch_sh);
    let s_hs = handshake.server_handshake_traffic_secret(&th_ch_sh);
    assert_eq!(
        c_hs.as_bytes(),
        hex_of(&v, "client_handshake_traffic_secret")
    );
    assert_eq!(
        s_hs.as_bytes(),
        hex_of(&v, "server_handshake_traffic_secret")
    );
    assert_eq!(
        handshake.derived_secret().as_bytes(),
        hex_of(&v, "derived_for_master")
    );

    // Handshake traffic keys and IVs (AES-128-GCM: 16-byte key, 12-byte IV).
    assert_eq!(
        s_hs.traffic_key(16).unwrap().as_bytes(),
        hex_of(&v, "server_handshake_key")
    );
    assert_eq!(
        s_hs.traffic_iv(12).unwrap().as_bytes(),
        hex_of(&v, "server_handshake_iv")
    );
    assert_eq!(
        c_hs.traffic_key(16).unwrap().as_bytes(),
        hex_of(&v, "client_handshake_key")
    );
    assert_eq!(
        c_hs.traffic_iv(12).unwrap().as_bytes(),
        hex_of(&v, "client_handshake_iv")
    );

    // Finished keys and verify_data; verify_data is also the body of the Finished messages.
    let s_fin = s_hs.finished_key();
    let c_fin = c_hs.finished_key();
    assert_eq!(s_fin.as_bytes(), hex_of(&v, "server_finished_key"));
    assert_eq!(c_fin.as_bytes(), hex_of(&v, "client_finished_key"));
    let s_verify = s_fin.verify_data(&th_ch_cv);
    let c_verify = c_fin.verify_data(&th_ch_sf);
    assert_eq!(
        s_verify.as_bytes(),
        hex_of(&v, "server_finished_verify_data")
    );
    assert_eq!(
        c_verify.as_bytes(),
        hex_of(&v, "client_finished_verify_data")
    );
    assert_eq!(s_verify.as_bytes(), &sf[4..]);
    assert_eq!(c_verify.as_bytes(), &cf[4..]);
    assert_eq!(
        hmac_sign::<Sha256>(s_fin.as_bytes(), th_ch_cv.as_bytes()),
        s_verify
    );

    // Master secret and everything derived from it.
    let master = handshake.into_master_secret();
    assert_eq!(master.as_bytes(), hex_of(&v, "master_secret"));
    let c_ap = master.client_application_traffic_secret_0(&th_ch_sf);
    let s_ap = master.server_application_traffic_secret_0(&th_ch_sf);
    assert_eq!(
        c_ap.as_bytes(),
        hex_of(&v, "client_application_traffic_secret_0")
    );
    assert_eq!(
        s_ap.as_bytes(),
        hex_of(&v, "server_application_traffic_secret_0")
    );
    assert_eq!(
        master.exporter_master_secret(&th_ch_sf).as_bytes(),
        hex_of(&v, "exporter_master_secret")
    );
    let res_master = master.resumption_master_secret(&th_ch_cf);
    assert_eq!(
        res_master.as_bytes(),
        hex_of(&v, "resumption_master_secret")
    );

    // Application traffic keys and IVs.
    assert_eq!(
        s_ap.traffic_key(16).unwrap().as_bytes(),
        hex_of(&v, "server_application_key")
    );
    assert_eq!(
        s_ap.traffic_iv(12).unwrap().as_bytes(),
        hex_of(&v, "server_application_iv")
    );
    assert_eq!(
        c_ap.traffic_key(16).unwrap().as_bytes(),
        hex_of(&v, "client_application_key")
    );
    assert_eq!(
        c_ap.traffic_iv(12).unwrap().as_bytes(),
        hex_of(&v, "client_application_iv")
    );

    // Resumption PSK from the NewSessionTicket nonce; it seeds RFC 8448 section 4's early
    // secret.
    let psk = res_master
        .resumption_psk(&hex_of(&v, "ticket_nonce"))
        .unwrap();
    assert_eq!(psk.as_bytes(), hex_of(&v, "resumption_psk"));
    let resumed = EarlySecret::<Sha256>::from_resumption_psk(&psk);
    assert_eq!(
        resumed,
        EarlySecret::new(Some(&hex_of(&v, "resumption_psk")))
    );
}

#[test]
fn rfc8448_generic_derive_secret_and_expand_label() {
    let v = rfc8448();
    let hs = Prk::<Sha256>::from_bytes(&hex_of(&v, "handshake_secret")).unwrap();
    let th = TranscriptHash::<Sha256>::from_bytes(&hex_of(&v, "transcript_hash_ch_sh")).unwrap();
    assert_eq!(
        derive_secret(&hs, b"c hs traffic", &th).unwrap().as_bytes(),
        hex_of(&v, "client_handshake_traffic_secret")
    );
    let messages = [
        hex_of(&v, "msg_client_hello"),
        hex_of(&v, "msg_server_hello"),
    ];
    let parts: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    assert_eq!(
        derive_secret_from_messages(&hs, b"s hs traffic", &parts)
            .unwrap()
            .as_bytes(),
        hex_of(&v, "server_handshake_traffic_secret")
    );
    let early = Prk::<Sha256>::from_bytes(&hex_of(&v, "early_secret")).unwrap();
    assert_eq!(
        derive_secret(&early, b"derived", &TranscriptHash::empty())
            .unwrap()
            .as_bytes(),
        hex_of(&v, "derived_for_handshake")
    );
    // The "derived" salt + ECDHE IKM through the bare extract.
    let salt = hex_of(&v, "derived_for_handshake");
    assert_eq!(
        extract::<Sha256>(Some(&salt), &hex_of(&v, "ecdhe_shared_secret")).as_bytes(),
        hex_of(&v, "handshake_secret")
    );
    let s_hs = Prk::<Sha256>::from_bytes(&hex_of(&v, "server_handshake_traffic_secret")).unwrap();
    let mut key = [0u8; 16];
    expand_label(&s_hs, b"key", &[], &mut key).unwrap();
    assert_eq!(key.to_vec(), hex_of(&v, "server_handshake_key"));
}

#[test]
fn rfc8448_hkdf_label_encodings() {
    let v = rfc8448();
    let th_empty = hex_of(&v, "hash_empty");
    let th_ch_sh = hex_of(&v, "transcript_hash_ch_sh");
    let th_sf = hex_of(&v, "transcript_hash_ch_server_fin");
    let th_cf = hex_of(&v, "transcript_hash_ch_client_fin");
    let nonce = hex_of(&v, "ticket_nonce");
    let cases: [(&str, &[u8], &[u8], usize); 11] = [
        ("info_derived", b"derived", &th_empty, 32),
        ("info_c_hs_traffic", b"c hs traffic", &th_ch_sh, 32),
        ("info_s_hs_traffic", b"s hs traffic", &th_ch_sh, 32),
        ("info_c_ap_traffic", b"c ap traffic", &th_sf, 32),
        ("info_s_ap_traffic", b"s ap traffic", &th_sf, 32),
        ("info_exp_master", b"exp master", &th_sf, 32),
        ("info_res_master", b"res master", &th_cf, 32),
        ("info_key_16", b"key", &[], 16),
        ("info_iv_12", b"iv", &[], 12),
        ("info_finished", b"finished", &[], 32),
        ("info_resumption", b"resumption", &nonce, 32),
    ];
    for (name, label, context, length) in cases {
        let hkdf_label = HkdfLabel::new(label, context, length).unwrap();
        let mut buf = [0u8; MAX_HKDF_LABEL_LEN];
        let encoded = hkdf_label.encode_into(&mut buf).unwrap();
        assert_eq!(encoded, hex_of(&v, name), "{name}");
        assert_eq!(hkdf_label.encoded_len(), encoded.len(), "{name}");
        assert_eq!(hkdf_label.info_parts().concat(), encoded, "{name}");
        assert_eq!(usize::from(hkdf_label.length()), length, "{name}");
        assert_eq!(
            encoded,
            reference_hkdf_label(
                u16::try_from(length).unwrap(),
                core::str::from_utf8(label).unwrap(),
                context
            )
        );
    }
}

/// Key update, exporter and PSK binder: no published trace covers them, so they are checked
/// against the `hkdf`/`hmac` crates driven directly with a hand-written HkdfLabel, starting
/// from RFC 8448 secrets.
#[test]
fn rfc8448_key_update_exporter_binder_cross_check() {
    let v = rfc8448();
    let early = EarlySecret::<Sha256>::new(None);
    let handshake = early.into_handshake_secret(Some(&hex_of(&v, "ecdhe_shared_secret")));
    let master = handshake.into_master_secret();
    let th_sf =
        TranscriptHash::<Sha256>::from_bytes(&hex_of(&v, "transcript_hash_ch_server_fin")).unwrap();
    let c_ap = master.client_application_traffic_secret_0(&th_sf);

    // RFC 8446 section 7.2: "traffic upd", twice.
    let ap0 = hex_of(&v, "client_application_traffic_secret_0");
    let ap1 = reference_expand_label_sha256(&ap0, "traffic upd", &[], 32);
    let ap2 = reference_expand_label_sha256(&ap1, "traffic upd", &[], 32);
    let gen1 = c_ap.next_generation();
    let gen2 = gen1.next_generation();
    assert_eq!(gen1.as_bytes(), ap1);
    assert_eq!(gen2.as_bytes(), ap2);
    assert_eq!(
        gen1.traffic_key(16).unwrap().as_bytes(),
        reference_expand_label_sha256(&ap1, "key", &[], 16)
    );
    // Post-handshake authentication Finished key from an application traffic secret.
    assert_eq!(
        gen1.finished_key().as_bytes(),
        reference_expand_label_sha256(&ap1, "finished", &[], 32)
    );

    // RFC 8446 section 7.5: exporter, with and without context, short and long outputs.
    let ems = hex_of(&v, "exporter_master_secret");
    let exporter = master.exporter_master_secret(&th_sf);
    for (label, context, len) in [
        ("EXPORTER-test", &b"context"[..], 32u16),
        ("EXPORTER-test", &b""[..], 20),
        ("EXPORTER-Channel-Binding", &b""[..], 32),
        ("x", &[0x55; 300][..], 100),
    ] {
        let derived = reference_expand_label_sha256(&ems, label, &sha2::Sha256::digest(b""), 32);
        let expected = reference_expand_label_sha256(
            &derived,
            "exporter",
            &sha2::Sha256::digest(context),
            len,
        );
        let mut out = vec![0; usize::from(len)];
        exporter
            .export(label.as_bytes(), context, &mut out)
            .unwrap();
        assert_eq!(out, expected, "exporter {label} {len}");
    }

    // RFC 8446 sections 4.2.11.2 and 7.1: binder key, binder finished key, binder, from the
    // resumption PSK of RFC 8448 section 3.
    let psk = hex_of(&v, "resumption_psk");
    let resumed = EarlySecret::<Sha256>::new(Some(&psk));
    let (early_ref, _) = hkdf::Hkdf::<sha2::Sha256>::extract(None, &psk);
    for (kind, label) in [
        (PskKind::Resumption, "res binder"),
        (PskKind::External, "ext binder"),
    ] {
        let binder_key =
            reference_expand_label_sha256(&early_ref, label, &sha2::Sha256::digest(b""), 32);
        let finished = reference_expand_label_sha256(&binder_key, "finished", &[], 32);
        let truncated_ch = TranscriptHash::<Sha256>::of_messages(&[b"truncated ClientHello"]);
        let binder = {
            use hmac::{KeyInit, Mac};
            let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&finished).unwrap();
            mac.update(truncated_ch.as_bytes());
            mac.finalize().into_bytes().to_vec()
        };
        let ours = resumed.binder_key(kind);
        assert_eq!(ours.as_bytes(), binder_key, "{label}");
        assert_eq!(ours.finished_key().as_bytes(), finished, "{label}");
        assert_eq!(ours.binder(&truncated_ch).as_bytes(), binder, "{label}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. s2n-tls hybrid handshake secrets
// ---------------------------------------------------------------------------------------------

struct S2nSection {
    name: String,
    hybrid_shared_secret: Vec<u8>,
    values: BTreeMap<String, String>,
}

fn parse_s2n(text: &str) -> Vec<S2nSection> {
    let mut sections: Vec<S2nSection> = Vec::new();
    let mut hybrid: Option<Vec<u8>> = None;
    let mut in_section = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push(S2nSection {
                name: name.to_owned(),
                hybrid_shared_secret: hybrid.clone().expect("hybrid_shared_secret before section"),
                values: BTreeMap::new(),
            });
            in_section = true;
            continue;
        }
        let (key, value) = line.split_once('=').expect("name = value");
        let (key, value) = (key.trim(), value.trim());
        if raw.starts_with(char::is_whitespace) && in_section {
            let section = sections.last_mut().unwrap();
            assert!(
                section
                    .values
                    .insert(key.to_owned(), value.to_owned())
                    .is_none()
            );
        } else {
            in_section = false;
            if key == "hybrid_shared_secret" {
                hybrid = Some(hex::decode(value).unwrap());
            }
        }
    }
    sections
}

fn check_s2n_section<H: HashAlgorithm>(section: &S2nSection) {
    let v = &section.values;
    let name = &section.name;
    let transcript = v["transcript_ascii"].as_bytes();
    assert_eq!(transcript, b"client_hello || server_hello", "{name}");
    assert_eq!(transcript.len(), 28);
    let th = H::hash(transcript);
    assert_eq!(th.as_bytes(), hex_of(v, "transcript_hash"), "{name}");

    let early = EarlySecret::<H>::new(None);
    assert_eq!(early.as_bytes(), hex_of(v, "early_secret"), "{name}");
    assert_eq!(
        early.derived_secret().as_bytes(),
        hex_of(v, "derived_for_handshake"),
        "{name}"
    );
    let handshake = early.into_handshake_secret(Some(&section.hybrid_shared_secret));
    assert_eq!(
        handshake.as_bytes(),
        hex_of(v, "handshake_secret"),
        "{name}"
    );
    assert_eq!(
        handshake.client_handshake_traffic_secret(&th).as_bytes(),
        hex_of(v, "client_handshake_traffic_secret"),
        "{name}"
    );
    assert_eq!(
        handshake.server_handshake_traffic_secret(&th).as_bytes(),
        hex_of(v, "server_handshake_traffic_secret"),
        "{name}"
    );
}

#[test]
fn s2n_hybrid_shared_secret_to_handshake_traffic_secrets() {
    let Some(dir) = shared_vectors_dir("s2n_hybrid_shared_secret_to_handshake_traffic_secrets")
    else {
        return;
    };
    let text =
        std::fs::read_to_string(dir.join("hybrid/s2n-tls-hybrid-handshake-secrets.txt")).unwrap();
    let sections = parse_s2n(&text);
    let mut checked = Vec::new();
    for section in &sections {
        let (group, suite) = section.name.split_once(' ').unwrap();
        let expected_ss_len = if group == "SecP384r1MLKEM1024" {
            80
        } else {
            64
        };
        assert_eq!(
            section.hybrid_shared_secret.len(),
            expected_ss_len,
            "{}",
            section.name
        );
        match suite {
            "TLS_AES_128_GCM_SHA256" => check_s2n_section::<Sha256>(section),
            "TLS_AES_256_GCM_SHA384" => check_s2n_section::<Sha384>(section),
            other => panic!("unexpected suite {other}"),
        }
        checked.push(section.name.clone());
    }
    checked.sort();
    assert_eq!(
        checked,
        [
            "SecP256r1MLKEM768 TLS_AES_128_GCM_SHA256",
            "SecP256r1MLKEM768 TLS_AES_256_GCM_SHA384",
            "SecP384r1MLKEM1024 TLS_AES_128_GCM_SHA256",
            "SecP384r1MLKEM1024 TLS_AES_256_GCM_SHA384",
            "X25519MLKEM768 TLS_AES_128_GCM_SHA256",
            "X25519MLKEM768 TLS_AES_256_GCM_SHA384",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// 3. ACVP TLS-v1.3-KDF (BoringSSL)
// ---------------------------------------------------------------------------------------------

fn json_hex(value: &Value, field: &str) -> Option<Vec<u8>> {
    value
        .get(field)
        .map(|v| hex::decode(v.as_str().expect("hex string")).expect("hex"))
}

fn load_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Runs one ACVP case and returns how many expected fields were asserted.
fn check_acvp_case<H: HashAlgorithm>(mode: &str, input: &Value, expected: &Value) -> usize {
    let tc = input["tcId"].as_u64().unwrap();
    let psk = json_hex(input, "psk");
    let dhe = json_hex(input, "dhe");
    assert_eq!(
        psk.is_some(),
        mode.starts_with("PSK"),
        "tc {tc}: psk presence vs {mode}"
    );
    assert_eq!(
        dhe.is_some(),
        mode.ends_with("DHE"),
        "tc {tc}: dhe presence vs {mode}"
    );
    let frag = |f: &str| json_hex(input, f).unwrap_or_else(|| panic!("tc {tc}: {f}"));
    let (ch, sh, sf, cf) = (
        frag("helloClientRandom"),
        frag("helloServerRandom"),
        frag("finishedServerRandom"),
        frag("finishedClientRandom"),
    );
    let th_ch = TranscriptHash::<H>::of_messages(&[&ch]);
    let th_ch_sh = TranscriptHash::<H>::of_messages(&[&ch, &sh]);
    let th_ch_sf = TranscriptHash::<H>::of_messages(&[&ch, &sh, &sf]);
    let th_ch_cf = TranscriptHash::<H>::of_messages(&[&ch, &sh, &sf, &cf]);

    let early = EarlySecret::<H>::new(psk.as_deref());
    let handshake_computed = {
        let c_e = early.client_early_traffic_secret(&th_ch);
        let e_exp = early.early_exporter_master_secret(&th_ch);
        let handshake = early.into_handshake_secret(dhe.as_deref());
        let c_hs = handshake.client_handshake_traffic_secret(&th_ch_sh);
        let s_hs = handshake.server_handshake_traffic_secret(&th_ch_sh);
        let master = handshake.into_master_secret();
        [
            ("clientEarlyTrafficSecret", c_e.as_bytes().to_vec()),
            ("earlyExporterMasterSecret", e_exp.as_bytes().to_vec()),
            ("clientHandshakeTrafficSecret", c_hs.as_bytes().to_vec()),
            ("serverHandshakeTrafficSecret", s_hs.as_bytes().to_vec()),
            (
                "clientApplicationTrafficSecret",
                master
                    .client_application_traffic_secret_0(&th_ch_sf)
                    .as_bytes()
                    .to_vec(),
            ),
            (
                "serverApplicationTrafficSecret",
                master
                    .server_application_traffic_secret_0(&th_ch_sf)
                    .as_bytes()
                    .to_vec(),
            ),
            (
                "exporterMasterSecret",
                master.exporter_master_secret(&th_ch_sf).as_bytes().to_vec(),
            ),
            (
                "resumptionMasterSecret",
                master
                    .resumption_master_secret(&th_ch_cf)
                    .as_bytes()
                    .to_vec(),
            ),
        ]
    };
    let computed: BTreeMap<&str, Vec<u8>> = handshake_computed.into_iter().collect();

    let mut asserted = 0;
    for (field, value) in expected.as_object().unwrap() {
        if field == "tcId" {
            continue;
        }
        let want = hex::decode(value.as_str().unwrap()).unwrap();
        let got = computed
            .get(field.as_str())
            .unwrap_or_else(|| panic!("tc {tc}: unknown expected field {field}"));
        assert_eq!(got.len(), H::HASH_LEN, "tc {tc} {field}");
        assert_eq!(*got, want, "tc {tc} {mode} {field}");
        asserted += 1;
    }
    asserted
}

#[test]
fn acvp_tls13_kdf_boringssl_all_cases() {
    let Some(dir) = shared_vectors_dir("acvp_tls13_kdf_boringssl_all_cases") else {
        return;
    };
    let dir = dir.join("acvp/TLS-v1.3-KDF-RFC8446-boringssl");
    let vectors = load_json(&dir.join("vectors.json"));
    let expected = load_json(&dir.join("expected.json"));
    // Both files are `[session header, vector set]`.
    let vector_set = &vectors[1];
    let expected_set = &expected[1];
    assert_eq!(vector_set["algorithm"], "TLS-v1.3");
    let mut expected_by_tc = BTreeMap::new();
    for group in expected_set["testGroups"].as_array().unwrap() {
        for test in group["tests"].as_array().unwrap() {
            expected_by_tc.insert(test["tcId"].as_u64().unwrap(), test.clone());
        }
    }

    let (mut cases, mut fields) = (0, 0);
    let mut modes = std::collections::BTreeSet::new();
    for group in vector_set["testGroups"].as_array().unwrap() {
        let hash = group["hmacAlg"].as_str().unwrap();
        let mode = group["runningMode"].as_str().unwrap();
        modes.insert((hash.to_owned(), mode.to_owned()));
        for test in group["tests"].as_array().unwrap() {
            let tc = test["tcId"].as_u64().unwrap();
            let want = expected_by_tc
                .remove(&tc)
                .unwrap_or_else(|| panic!("no answer for tc {tc}"));
            fields += match hash {
                "SHA2-256" => check_acvp_case::<Sha256>(mode, test, &want),
                "SHA2-384" => check_acvp_case::<Sha384>(mode, test, &want),
                other => panic!("unexpected hash {other}"),
            };
            cases += 1;
        }
    }
    assert_eq!(cases, 10);
    assert_eq!(fields, 80, "8 secrets per case");
    assert!(
        expected_by_tc.is_empty(),
        "answers without vectors: {expected_by_tc:?}"
    );
    for mode in ["DHE", "PSK", "PSK-DHE"] {
        assert!(
            modes.iter().any(|(_, m)| m == mode),
            "mode {mode} not covered"
        );
    }
    for hash in ["SHA2-256", "SHA2-384"] {
        assert!(
            modes.iter().any(|(h, _)| h == hash),
            "hash {hash} not covered"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. RFC 5869 HKDF-SHA256
// ---------------------------------------------------------------------------------------------

#[test]
fn rfc5869_hkdf_sha256_cases_1_to_3() {
    let text = include_str!("../test-vectors/rfc5869-hkdf-sha256.txt");
    let mut cases: Vec<BTreeMap<String, String>> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with("[test case") {
            cases.push(BTreeMap::new());
            continue;
        }
        let (k, val) = line.split_once('=').unwrap();
        cases
            .last_mut()
            .unwrap()
            .insert(k.trim().to_owned(), val.trim().to_owned());
    }
    assert_eq!(cases.len(), 3);
    for (i, case) in cases.iter().enumerate() {
        let len: usize = case["l"].parse().unwrap();
        let salt = hex_of(case, "salt");
        let prk = extract::<Sha256>(Some(&salt), &hex_of(case, "ikm"));
        assert_eq!(prk.as_bytes(), hex_of(case, "prk"), "case {}", i + 1);
        let info = hex_of(case, "info");
        let mut okm = vec![0u8; len];
        expand(&prk, &[&info], &mut okm).unwrap();
        assert_eq!(okm, hex_of(case, "okm"), "case {}", i + 1);
        // The same info split into parts gives the same output.
        let (a, b) = info.split_at(info.len() / 2);
        let mut okm_parts = vec![0u8; len];
        prk.expand(&[a, &[], b], &mut okm_parts).unwrap();
        assert_eq!(okm_parts, okm, "case {}", i + 1);
        if salt.is_empty() {
            assert_eq!(extract::<Sha256>(None, &hex_of(case, "ikm")), prk);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Negative tests: typed errors, no panics; redacted Debug
// ---------------------------------------------------------------------------------------------

#[test]
fn label_length_limits_are_typed_errors() {
    let prk = extract::<Sha256>(None, b"ikm");
    let mut out = [0u8; 32];
    // 249-byte label: full label exactly 255 bytes, accepted.
    assert!(expand_label(&prk, &[b'a'; 249], &[], &mut out).is_ok());
    let mut out = [0u8; 32];
    // 250 bytes: full label 256 bytes.
    assert_eq!(
        expand_label(&prk, &[b'a'; 250], &[], &mut out),
        Err(KeyScheduleError::LabelLength { len: 256 })
    );
    assert_eq!(
        HkdfLabel::new(&[0; 10_000], &[], 32),
        Err(KeyScheduleError::LabelLength { len: 10_006 })
    );
    // Empty label: full label "tls13 " is 6 bytes < 7.
    assert_eq!(
        expand_label(&prk, b"", &[], &mut out),
        Err(KeyScheduleError::LabelLength { len: 6 })
    );
    assert_eq!(
        derive_secret(&prk, &[b'x'; 300], &TranscriptHash::empty()).unwrap_err(),
        KeyScheduleError::LabelLength { len: 306 }
    );
    let exporter_master =
        EarlySecret::<Sha256>::new(None).early_exporter_master_secret(&TranscriptHash::empty());
    assert_eq!(
        exporter_master.export(&[b'e'; 250], b"", &mut out),
        Err(KeyScheduleError::LabelLength { len: 256 })
    );
    assert_eq!(
        exporter_master.export(b"", b"", &mut out),
        Err(KeyScheduleError::LabelLength { len: 6 })
    );
    assert_eq!(out, [0u8; 32], "output untouched on error");
}

#[test]
fn context_length_limit_is_a_typed_error() {
    let prk = extract::<Sha384>(None, b"ikm");
    let mut out = [0u8; 48];
    assert!(expand_label(&prk, b"label", &[7; 255], &mut out).is_ok());
    assert_eq!(
        expand_label(&prk, b"label", &[7; 256], &mut out),
        Err(KeyScheduleError::ContextTooLong { len: 256 })
    );
    let res_master = EarlySecret::<Sha384>::new(None)
        .into_handshake_secret(None)
        .into_master_secret()
        .resumption_master_secret(&TranscriptHash::empty());
    assert!(res_master.resumption_psk(&[1; 255]).is_ok());
    assert_eq!(
        res_master.resumption_psk(&[1; 256]).unwrap_err(),
        KeyScheduleError::ContextTooLong { len: 256 }
    );
}

#[test]
fn output_length_limits_are_typed_errors() {
    // HKDF-SHA256 limit: 255 * 32 = 8160 bytes.
    let prk = extract::<Sha256>(None, b"ikm");
    let mut ok = vec![0u8; 255 * 32];
    assert!(expand(&prk, &[b"info"], &mut ok).is_ok());
    assert!(expand_label(&prk, b"big", &[], &mut ok).is_ok());
    let mut too_long = vec![0u8; 255 * 32 + 1];
    let err = KeyScheduleError::OutputTooLong {
        len: 8161,
        max: 8160,
    };
    assert_eq!(expand(&prk, &[b"info"], &mut too_long), Err(err));
    assert_eq!(expand_label(&prk, b"big", &[], &mut too_long), Err(err));
    assert!(
        too_long.iter().all(|&b| b == 0),
        "output untouched on error"
    );
    // HKDF-SHA384 limit: 255 * 48 = 12240 bytes.
    let prk384 = extract::<Sha384>(None, b"ikm");
    let mut too_long = vec![0u8; 12_241];
    assert_eq!(
        expand_label(&prk384, b"big", &[], &mut too_long),
        Err(KeyScheduleError::OutputTooLong {
            len: 12_241,
            max: 12_240
        })
    );
    // HkdfLabel.length is a uint16.
    assert_eq!(
        HkdfLabel::new(b"key", &[], 65_536),
        Err(KeyScheduleError::OutputTooLong {
            len: 65_536,
            max: 65_535
        })
    );
    // Exporter output limit.
    let exporter =
        EarlySecret::<Sha256>::new(None).early_exporter_master_secret(&TranscriptHash::empty());
    let mut too_long = vec![0u8; 8161];
    assert_eq!(exporter.export(b"EXPORTER-x", b"", &mut too_long), Err(err));
    // Traffic key / IV containers hold at most 48 bytes.
    let hs = EarlySecret::<Sha256>::new(None)
        .into_handshake_secret(Some(b"shared"))
        .client_handshake_traffic_secret(&TranscriptHash::empty());
    assert_eq!(hs.traffic_key(32).unwrap().len(), 32);
    assert_eq!(hs.traffic_iv(48).unwrap().len(), 48);
    assert_eq!(
        hs.traffic_key(49).unwrap_err(),
        KeyScheduleError::OutputTooLong { len: 49, max: 48 }
    );
    assert_eq!(
        hs.traffic_iv(usize::MAX).unwrap_err(),
        KeyScheduleError::OutputTooLong {
            len: usize::MAX,
            max: 48
        }
    );
}

#[test]
fn wrong_lengths_and_small_buffers_are_typed_errors() {
    assert_eq!(
        Prk::<Sha256>::from_bytes(&[0; 31]).unwrap_err(),
        KeyScheduleError::InvalidLength {
            len: 31,
            expected: 32
        }
    );
    assert_eq!(
        Prk::<Sha384>::from_bytes(&[0; 32]).unwrap_err(),
        KeyScheduleError::InvalidLength {
            len: 32,
            expected: 48
        }
    );
    assert_eq!(
        TranscriptHash::<Sha384>::from_bytes(&[0; 49]).unwrap_err(),
        KeyScheduleError::InvalidLength {
            len: 49,
            expected: 48
        }
    );
    let label = HkdfLabel::new(b"finished", &[], 32).unwrap();
    let mut small = [0u8; 17];
    assert_eq!(
        label.encode_into(&mut small).unwrap_err(),
        KeyScheduleError::BufferTooSmall {
            needed: 18,
            available: 17
        }
    );
    // Errors display without panicking.
    for e in [
        KeyScheduleError::LabelLength { len: 6 },
        KeyScheduleError::ContextTooLong { len: 256 },
        KeyScheduleError::OutputTooLong { len: 1, max: 0 },
        KeyScheduleError::InvalidLength {
            len: 1,
            expected: 32,
        },
        KeyScheduleError::BufferTooSmall {
            needed: 2,
            available: 1,
        },
    ] {
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn debug_output_never_contains_secret_bytes() {
    let v = rfc8448();
    let early = EarlySecret::<Sha256>::new(None);
    let handshake = early.into_handshake_secret(Some(&hex_of(&v, "ecdhe_shared_secret")));
    let th = TranscriptHash::<Sha256>::from_bytes(&hex_of(&v, "transcript_hash_ch_sh")).unwrap();
    let c_hs = handshake.client_handshake_traffic_secret(&th);
    let key = c_hs.traffic_key(16).unwrap();
    let iv = c_hs.traffic_iv(12).unwrap();
    let fin = c_hs.finished_key();
    let tag = fin.verify_data(&th);
    let prk = Prk::<Sha256>::from_bytes(c_hs.as_bytes()).unwrap();

    let checks: Vec<(String, Vec<u8>)> = vec![
        (format!("{handshake:?}"), handshake.as_bytes().to_vec()),
        (format!("{c_hs:?}"), c_hs.as_bytes().to_vec()),
        (format!("{key:?}"), key.as_bytes().to_vec()),
        (format!("{iv:?}"), iv.as_bytes().to_vec()),
        (format!("{fin:?}"), fin.as_bytes().to_vec()),
        (format!("{tag:?}"), tag.as_bytes().to_vec()),
        (format!("{prk:#?}"), prk.as_bytes().to_vec()),
    ];
    for (debug, bytes) in checks {
        let lower = debug.to_lowercase();
        assert!(!lower.contains(&hex::encode(&bytes)), "{debug}");
        // Not even a 4-byte window of the secret, in hex or as a decimal byte list.
        for window in bytes.windows(4) {
            assert!(!lower.contains(&hex::encode(window)), "{debug}");
        }
        assert!(!debug.contains(&format!("{:?}", &bytes[..4])), "{debug}");
        assert!(debug.contains("len"), "{debug}");
    }
    assert_eq!(
        format!("{c_hs:?}"),
        "HandshakeTrafficSecret { hash: \"SHA-256\", len: 32, .. }"
    );
    assert_eq!(format!("{key:?}"), "TrafficKey { len: 16, .. }");
}

#[test]
fn secrets_compare_in_constant_time_and_zeroize() {
    use subtle::ConstantTimeEq;
    use zeroize::Zeroize;

    let a = EarlySecret::<Sha256>::new(Some(b"psk"));
    let b = EarlySecret::<Sha256>::new(Some(b"psk"));
    let c = EarlySecret::<Sha256>::new(Some(b"other psk"));
    assert!(bool::from(a.ct_eq(&b)));
    assert!(!bool::from(a.ct_eq(&c)));
    assert_eq!(a, b);
    assert_ne!(a, c);

    let mut prk = extract::<Sha384>(None, b"ikm");
    assert_eq!(prk.as_bytes().len(), 48);
    prk.zeroize();
    assert_eq!(prk.as_bytes(), [0u8; 48]);

    // Same PSK, different hash: different lengths and values.
    assert_eq!(
        EarlySecret::<Sha384>::new(Some(b"psk")).as_bytes().len(),
        48
    );
}
