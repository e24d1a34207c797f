//! RFC 8448 section 3 (Simple 1-RTT handshake) in `name = hex` form: each published value is
//! one case, recomputed from the handshake messages (and, when present, the X25519 private
//! keys) through `hybrid_kx::key_schedule` and the X25519 component.

use hybrid_kx::components::x25519::X25519;
use hybrid_kx::key_schedule::{EarlySecret, HkdfLabel, Sha256, TranscriptHash};

use super::report::{SuiteReport, SuiteRun};
use super::text::{TextFile, Values};

/// The handshake messages, in transcript order.
const MESSAGES: [&str; 7] = [
    "msg_client_hello",
    "msg_server_hello",
    "msg_encrypted_extensions",
    "msg_certificate",
    "msg_certificate_verify",
    "msg_server_finished",
    "msg_client_finished",
];

/// Values used only as inputs.
const INPUTS: [&str; 4] = [
    "client_x25519_private",
    "server_x25519_private",
    "ticket_nonce",
    "msg_new_session_ticket",
];

/// Whether `text` is an RFC 8448 trace.
pub fn detect(text: &TextFile) -> bool {
    text.sections.is_empty()
        && text.has("msg_client_hello")
        && text.has("msg_server_hello")
        && text.has("handshake_secret")
}

/// X25519(k, u) through the component's server step.
fn x25519(k: &[u8], u: &[u8]) -> Result<Vec<u8>, String> {
    let (mut share, mut secret) = ([0u8; 32], [0u8; 32]);
    crate::on::component_respond::<X25519>(k, u, &mut share, &mut secret)
        .map_err(|e| e.to_string())?;
    Ok(secret.to_vec())
}

/// X25519 public key of `k` through the component's key generation.
fn x25519_public(k: &[u8]) -> Result<Vec<u8>, String> {
    let mut share = [0u8; 32];
    crate::on::component_keygen::<X25519>(k, &mut share).map_err(|e| e.to_string())?;
    Ok(share.to_vec())
}

/// The HkdfLabel encoding.
fn label(label: &[u8], context: &[u8], len: usize) -> Result<Vec<u8>, String> {
    let label = HkdfLabel::new(label, context, len).map_err(|e| e.to_string())?;
    let mut out = vec![0u8; label.encoded_len()];
    let encoded = label.encode_into(&mut out).map_err(|e| e.to_string())?;
    Ok(encoded.to_vec())
}

/// Runs the file.
pub fn run(path: &str, text: &TextFile) -> Vec<SuiteReport> {
    let mut run = SuiteRun::new("RFC 8448 simple 1-RTT", vec![path.to_owned()], 0);
    match Values::new(&text.entries).and_then(|v| compute(&v).map(|c| (v, c))) {
        Err(e) => {
            let mut case = run.case("file");
            case.malformed(e);
            run.record(case);
        }
        Ok((values, computed)) => {
            // Without the X25519 private keys, the ECDHE secret is an input too.
            let keys = values.has("client_x25519_private") && values.has("server_x25519_private");
            for name in values.names() {
                let input = MESSAGES.contains(&name)
                    || INPUTS.contains(&name)
                    || (name == "ecdhe_shared_secret" && !keys);
                if input {
                    continue;
                }
                let Some((_, got)) = computed.iter().find(|(n, _)| *n == name) else {
                    let line = text
                        .entries
                        .iter()
                        .find(|e| e.key == name)
                        .map_or(0, |e| e.line);
                    run.error(
                        format!("line {line}"),
                        format!("unknown name {name:?} (a value this runner does not derive)"),
                    );
                    continue;
                };
                let mut case = run.case(name);
                match values.hex(name) {
                    Ok(want) => case.eq(name, &want, got),
                    Err(e) => case.fail(name, "hex", e),
                };
                run.record(case);
            }
        }
    }
    vec![run.finish()]
}

/// The values `compute` derives, by name.
#[derive(Default)]
struct Derived(Vec<(&'static str, Vec<u8>)>);

impl Derived {
    fn put(&mut self, name: &'static str, bytes: &[u8]) {
        self.0.push((name, bytes.to_vec()));
    }
}

/// Every value this runner derives, by name.
fn compute(v: &Values) -> Result<Vec<(&'static str, Vec<u8>)>, String> {
    let mut out = Derived::default();
    let msgs: Vec<Vec<u8>> = MESSAGES
        .iter()
        .map(|m| v.hex(m))
        .collect::<Result<_, _>>()?;
    let parts = |n: usize| -> Vec<&[u8]> { msgs[..n].iter().map(Vec::as_slice).collect() };

    // X25519 key pairs and the ECDHE secret, through the component.
    let mut ecdhe = v.hex("ecdhe_shared_secret")?;
    if let (Some(c), Some(s)) = (
        v.hex_opt("client_x25519_private")?,
        v.hex_opt("server_x25519_private")?,
    ) {
        let client_public = x25519_public(&c)?;
        let server_public = x25519_public(&s)?;
        ecdhe = x25519(&s, &client_public)?;
        out.put("client_x25519_public", &client_public);
        out.put("server_x25519_public", &server_public);
        out.put("ecdhe_shared_secret", &ecdhe);
    }

    let th_empty = TranscriptHash::<Sha256>::empty();
    let th_ch_sh = TranscriptHash::<Sha256>::of_messages(&parts(2));
    let th_ch_cv = TranscriptHash::<Sha256>::of_messages(&parts(5));
    let th_ch_sf = TranscriptHash::<Sha256>::of_messages(&parts(6));
    let th_ch_cf = TranscriptHash::<Sha256>::of_messages(&parts(7));
    out.put("hash_empty", th_empty.as_bytes());
    out.put("transcript_hash_ch_sh", th_ch_sh.as_bytes());
    out.put("transcript_hash_ch_server_fin", th_ch_sf.as_bytes());
    out.put("transcript_hash_ch_client_fin", th_ch_cf.as_bytes());

    let early = EarlySecret::<Sha256>::new(None);
    out.put("early_secret", early.as_bytes());
    out.put("derived_for_handshake", early.derived_secret().as_bytes());
    let handshake = early.into_handshake_secret(Some(&ecdhe));
    out.put("handshake_secret", handshake.as_bytes());
    let c_hs = handshake.client_handshake_traffic_secret(&th_ch_sh);
    let s_hs = handshake.server_handshake_traffic_secret(&th_ch_sh);
    out.put("client_handshake_traffic_secret", c_hs.as_bytes());
    out.put("server_handshake_traffic_secret", s_hs.as_bytes());
    out.put("derived_for_master", handshake.derived_secret().as_bytes());
    let master = handshake.into_master_secret();
    out.put("master_secret", master.as_bytes());
    let c_ap = master.client_application_traffic_secret_0(&th_ch_sf);
    let s_ap = master.server_application_traffic_secret_0(&th_ch_sf);
    out.put("client_application_traffic_secret_0", c_ap.as_bytes());
    out.put("server_application_traffic_secret_0", s_ap.as_bytes());
    out.put(
        "exporter_master_secret",
        master.exporter_master_secret(&th_ch_sf).as_bytes(),
    );
    let res_master = master.resumption_master_secret(&th_ch_cf);
    out.put("resumption_master_secret", res_master.as_bytes());

    // TLS_AES_128_GCM_SHA256: 16-byte keys, 12-byte IVs (RFC 8446 section 7.3).
    let err = |e: hybrid_kx::key_schedule::KeyScheduleError| e.to_string();
    // (The handshake and application secrets are different types: one loop each.)
    for (key, iv, secret) in [
        ("server_handshake_key", "server_handshake_iv", &s_hs),
        ("client_handshake_key", "client_handshake_iv", &c_hs),
    ] {
        out.put(key, secret.traffic_key(16).map_err(err)?.as_bytes());
        out.put(iv, secret.traffic_iv(12).map_err(err)?.as_bytes());
    }
    for (key, iv, secret) in [
        ("server_application_key", "server_application_iv", &s_ap),
        ("client_application_key", "client_application_iv", &c_ap),
    ] {
        out.put(key, secret.traffic_key(16).map_err(err)?.as_bytes());
        out.put(iv, secret.traffic_iv(12).map_err(err)?.as_bytes());
    }

    // Finished (RFC 8446 section 4.4.4).
    let s_fin = s_hs.finished_key();
    let c_fin = c_hs.finished_key();
    out.put("server_finished_key", s_fin.as_bytes());
    out.put(
        "server_finished_verify_data",
        s_fin.verify_data(&th_ch_cv).as_bytes(),
    );
    out.put("client_finished_key", c_fin.as_bytes());
    out.put(
        "client_finished_verify_data",
        c_fin.verify_data(&th_ch_sf).as_bytes(),
    );

    // Resumption PSK from the NewSessionTicket nonce.
    let nonce = v.hex_opt("ticket_nonce")?;
    if let Some(nonce) = &nonce {
        let psk = res_master.resumption_psk(nonce).map_err(err)?;
        out.put("resumption_psk", psk.as_bytes());
    }

    // HkdfLabel encodings (RFC 8446 section 7.1).
    let (empty, ch_sh, ch_sf, ch_cf) = (
        th_empty.as_bytes(),
        th_ch_sh.as_bytes(),
        th_ch_sf.as_bytes(),
        th_ch_cf.as_bytes(),
    );
    for (name, text, context, len) in [
        ("info_derived", &b"derived"[..], empty, 32),
        ("info_c_hs_traffic", b"c hs traffic", ch_sh, 32),
        ("info_s_hs_traffic", b"s hs traffic", ch_sh, 32),
        ("info_c_ap_traffic", b"c ap traffic", ch_sf, 32),
        ("info_s_ap_traffic", b"s ap traffic", ch_sf, 32),
        ("info_exp_master", b"exp master", ch_sf, 32),
        ("info_res_master", b"res master", ch_cf, 32),
        ("info_key_16", b"key", b"", 16),
        ("info_iv_12", b"iv", b"", 12),
        ("info_finished", b"finished", b"", 32),
    ] {
        out.put(name, &label(text, context, len)?);
    }
    if let Some(nonce) = &nonce {
        out.put("info_resumption", &label(b"resumption", nonce, 32)?);
    }
    Ok(out.0)
}
