//! NIST ACVP `TLS-v1.3` `KDF` (RFC 8446 section 7.1): running modes DHE, PSK and PSK-DHE with
//! SHA2-256 and SHA2-384, through `hybrid_kx::key_schedule`.
//!
//! The four `*Random` fields are transcript fragments: concatenated in the order ClientHello,
//! ServerHello, server Finished, client Finished they give the transcript at each point. A
//! missing `psk` or `dhe` means `HashLen` zero bytes.

use hybrid_kx::key_schedule::{EarlySecret, HashAlgorithm, Sha256, Sha384, TranscriptHash};
use serde_json::Value;

use super::acvp::{AcvpSource, ExpectedResults, hex_field};
use super::report::{Case, SuiteReport, SuiteRun};

/// The secrets an ACVP TLS 1.3 KDF answer may contain, in key-schedule order.
const SECRETS: [&str; 8] = [
    "clientEarlyTrafficSecret",
    "earlyExporterMasterSecret",
    "clientHandshakeTrafficSecret",
    "serverHandshakeTrafficSecret",
    "clientApplicationTrafficSecret",
    "serverApplicationTrafficSecret",
    "exporterMasterSecret",
    "resumptionMasterSecret",
];

/// Whether `value` is an ACVP TLS-v1.3 KDF vector set (prompt, expected results or
/// projection). Pairing prompts with results is [`crate::discover`]'s job.
pub fn detect(value: &Value) -> bool {
    matches!(
        super::acvp::classify("", value),
        Some(Ok(super::acvp::AcvpFile {
            algorithm: super::acvp::Algorithm::Tls13Kdf,
            ..
        }))
    )
}

/// Runs every test of `prompt` joined with `results` (or a projection alone).
pub fn run(prompt: &AcvpSource, results: Option<&AcvpSource>) -> Vec<SuiteReport> {
    let expected = ExpectedResults::new(results);
    let mut run = SuiteRun::new(
        "ACVP TLS-v1.3-KDF",
        super::acvp::sources(prompt, results),
        super::acvp::count_tests(&prompt.set),
    );
    for group in super::acvp::groups(&prompt.set) {
        let hash = group["hmacAlg"].as_str().unwrap_or_default();
        let mode = group["runningMode"].as_str().unwrap_or_default();
        for test in super::acvp::tests(group) {
            let tc = test["tcId"].as_u64().unwrap_or_default();
            if !matches!(group["testType"].as_str(), None | Some("AFT" | "VAL")) {
                run.error(
                    format!("tcId {tc}"),
                    format!("unknown testType {:?}", group["testType"]),
                );
                continue;
            }
            if !matches!(mode, "DHE" | "PSK" | "PSK-DHE") {
                run.error(
                    format!("tcId {tc}"),
                    format!("unknown runningMode {mode:?}"),
                );
                continue;
            }
            let mut case = run.case(format!("tcId {tc} ({hash} {mode})"));
            let outcome = expected.get(group, test).and_then(|want| match hash {
                "SHA2-256" => check::<Sha256>(mode, group, test, want, &mut case),
                "SHA2-384" => check::<Sha384>(mode, group, test, want, &mut case),
                other => Err(format!("unknown hmacAlg {other:?}")),
            });
            if let Err(e) = outcome {
                case.malformed(e);
            }
            run.record(case);
        }
    }
    vec![run.finish()]
}

/// Runs one test with the suite hash `H`.
fn check<H: HashAlgorithm>(
    mode: &str,
    group: &Value,
    test: &Value,
    want: &Value,
    case: &mut Case,
) -> Result<(), String> {
    let psk = mode
        .starts_with("PSK")
        .then(|| hex_field(test, group, "psk"))
        .transpose()?;
    let dhe = mode
        .ends_with("DHE")
        .then(|| hex_field(test, group, "dhe"))
        .transpose()?;
    let ch = hex_field(test, group, "helloClientRandom")?;
    let sh = hex_field(test, group, "helloServerRandom")?;
    let sf = hex_field(test, group, "finishedServerRandom")?;
    let cf = hex_field(test, group, "finishedClientRandom")?;
    let th_ch = TranscriptHash::<H>::of_messages(&[&ch]);
    let th_ch_sh = TranscriptHash::<H>::of_messages(&[&ch, &sh]);
    let th_ch_sf = TranscriptHash::<H>::of_messages(&[&ch, &sh, &sf]);
    let th_ch_cf = TranscriptHash::<H>::of_messages(&[&ch, &sh, &sf, &cf]);

    let early = EarlySecret::<H>::new(psk.as_deref());
    let c_e = early.client_early_traffic_secret(&th_ch);
    let e_exp = early.early_exporter_master_secret(&th_ch);
    let handshake = early.into_handshake_secret(dhe.as_deref());
    let c_hs = handshake.client_handshake_traffic_secret(&th_ch_sh);
    let s_hs = handshake.server_handshake_traffic_secret(&th_ch_sh);
    let master = handshake.into_master_secret();
    let c_ap = master.client_application_traffic_secret_0(&th_ch_sf);
    let s_ap = master.server_application_traffic_secret_0(&th_ch_sf);
    let exp = master.exporter_master_secret(&th_ch_sf);
    let res = master.resumption_master_secret(&th_ch_cf);
    let computed: [&[u8]; 8] = [
        c_e.as_bytes(),
        e_exp.as_bytes(),
        c_hs.as_bytes(),
        s_hs.as_bytes(),
        c_ap.as_bytes(),
        s_ap.as_bytes(),
        exp.as_bytes(),
        res.as_bytes(),
    ];
    let mut checked = 0;
    for (name, got) in SECRETS.iter().zip(computed) {
        if want.get(*name).is_some() {
            case.eq(name, &hex_field(want, want, name)?, got);
            checked += 1;
        }
    }
    if checked == 0 {
        return Err("expected result without any known secret".to_owned());
    }
    // An answer this runner does not check must not pass unnoticed.
    for field in want.as_object().into_iter().flat_map(|o| o.keys()) {
        if field != "tcId" && !SECRETS.contains(&field.as_str()) {
            case.malformed(format!("unknown field {field:?} in the expected results"));
        }
    }
    case.tally(format!("{checked} secrets"));
    case.tally(format!("{} {mode}", H::NAME));
    Ok(())
}
