//! Key-schedule checks that start from RFC 8448 section 3 values but go beyond what the
//! engine's RFC 8448 suite recomputes (it checks every published value through the typed
//! secret chain): the generic `derive_secret` / `expand_label` / `extract` entry points, the
//! `HkdfLabel` accessors against an encoding written out from RFC 8446, the Finished bodies of
//! the handshake messages, and key update, exporter and PSK binders cross-checked with the
//! `hkdf`/`hmac` crates. The file is read with the engine's own `name = hex` parser.

use std::collections::BTreeMap;
use std::path::PathBuf;

use hybrid_kx::key_schedule::{
    EarlySecret, HkdfLabel, MAX_HKDF_LABEL_LEN, Prk, PskKind, Sha256, TranscriptHash,
    derive_secret, derive_secret_from_messages, expand_label, extract, hmac_sign,
};
use hybrid_kx_kat::text::{TextFile, Values};
use sha2::Digest;

/// The values of `test-vectors/rfc8448-simple-1rtt.txt`.
fn rfc8448() -> BTreeMap<String, Vec<u8>> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-vectors/rfc8448-simple-1rtt.txt");
    let text = TextFile::parse(&std::fs::read_to_string(&path).unwrap());
    assert!(
        text.bare.is_empty() && text.sections.is_empty(),
        "{}",
        path.display()
    );
    let values = Values::new(&text.entries).unwrap();
    values
        .names()
        .map(|n| (n.to_owned(), values.hex(n).unwrap()))
        .collect()
}

fn hex_of(v: &BTreeMap<String, Vec<u8>>, name: &str) -> Vec<u8> {
    v.get(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .clone()
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
            reference_hkdf_label(length as u16, core::str::from_utf8(label).unwrap(), context)
        );
    }
}

/// The Finished messages carry the verify_data the key schedule computes, and `hmac_sign`
/// agrees; the transcript helpers agree with SHA-256 over the messages.
#[test]
fn rfc8448_finished_bodies_and_transcripts() {
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
    let sha = |parts: &[&[u8]]| sha2::Sha256::digest(parts.concat()).to_vec();
    let th_ch_sh = TranscriptHash::<Sha256>::of_messages(&[&ch, &sh]);
    let th_ch_cv = TranscriptHash::<Sha256>::of_messages(&[&ch, &sh, &ee, &cert, &cv]);
    let th_ch_sf = TranscriptHash::<Sha256>::of_messages(&[&ch, &sh, &ee, &cert, &cv, &sf]);
    assert_eq!(sha(&[&ch, &sh]), hex_of(&v, "transcript_hash_ch_sh"));
    assert_eq!(
        sha(&[&ch, &sh, &ee, &cert, &cv, &sf]),
        hex_of(&v, "transcript_hash_ch_server_fin")
    );
    assert_eq!(
        sha(&[&ch, &sh, &ee, &cert, &cv, &sf, &cf]),
        hex_of(&v, "transcript_hash_ch_client_fin")
    );
    assert_eq!(th_ch_cv.as_bytes(), sha(&[&ch, &sh, &ee, &cert, &cv]));
    assert_eq!(
        TranscriptHash::<Sha256>::from_bytes(&hex_of(&v, "transcript_hash_ch_sh")).unwrap(),
        th_ch_sh
    );

    let early = EarlySecret::<Sha256>::new(None);
    let handshake = early.into_handshake_secret(Some(&hex_of(&v, "ecdhe_shared_secret")));
    let s_fin = handshake
        .server_handshake_traffic_secret(&th_ch_sh)
        .finished_key();
    let c_fin = handshake
        .client_handshake_traffic_secret(&th_ch_sh)
        .finished_key();
    let s_verify = s_fin.verify_data(&th_ch_cv);
    let c_verify = c_fin.verify_data(&th_ch_sf);
    assert_eq!(s_verify.as_bytes(), &sf[4..]);
    assert_eq!(c_verify.as_bytes(), &cf[4..]);
    assert_eq!(
        hmac_sign::<Sha256>(s_fin.as_bytes(), th_ch_cv.as_bytes()),
        s_verify
    );

    // The resumption PSK seeds RFC 8448 section 4's early secret.
    let psk = handshake
        .into_master_secret()
        .resumption_master_secret(&TranscriptHash::of_messages(&[
            &ch, &sh, &ee, &cert, &cv, &sf, &cf,
        ]))
        .resumption_psk(&hex_of(&v, "ticket_nonce"))
        .unwrap();
    assert_eq!(psk.as_bytes(), hex_of(&v, "resumption_psk"));
    assert_eq!(
        EarlySecret::<Sha256>::from_resumption_psk(&psk),
        EarlySecret::new(Some(&hex_of(&v, "resumption_psk")))
    );
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
