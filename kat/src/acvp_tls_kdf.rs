//! NIST ACVP `TLS-v1.3` `KDF` revision `RFC8446` (RFC 8446 section 7.1): running modes DHE,
//! PSK and PSK-DHE with SHA2-256 and SHA2-384, through `hybrid_kx::key_schedule`.
//!
//! The four `*Random` fields are transcript fragments: concatenated in the order ClientHello,
//! ServerHello, server Finished, client Finished they give the transcript at each point.
//!
//! # Fields
//!
//! [`GROUPS`] and [`TESTS`], per kind of file (`P` prompt, `E` expected results, `I` internal
//! projection, `R` response):
//!
//! - ACVP TLS 1.3 KDF JSON specification (`draft-hammett-acvp-kdf-tls-v1.3`), "Test Vectors":
//!   group `tgId`, `testType` (`AFT`, its only test type), `hmacAlg` (`SHA2-256`, `SHA2-384`),
//!   `runningMode` (`DHE`, `PSK`, `PSK-DHE`), `tests`; test `tcId`, `psk` ("included for PSK and
//!   PSK-DHE running modes"), `dhe` ("included for DHE and PSK-DHE"), `helloClientRandom`,
//!   `helloServerRandom`, `finishedClientRandom`, `finishedServerRandom`. A secret the mode
//!   does not use is absent and means `HashLen` zero bytes. In P: `psk` exactly in the PSK
//!   modes, `dhe` exactly in the DHE modes.
//! - "Responses": `tcId` and the eight secrets, every one in every running mode (the early
//!   secrets come from a zero PSK in DHE mode): `clientEarlyTrafficSecret`,
//!   `earlyExporterMasterSecret`, `clientHandshakeTrafficSecret`, `serverHandshakeTrafficSecret`,
//!   `clientApplicationTrafficSecret`, `serverApplicationTrafficSecret`, `exporterMasterSecret`,
//!   `resumptionMasterSecret`. (The specification's first responses section listed only
//!   `exporterMasterSecret`; files of that generator, with SHA-1 and other hashes, are not run.)
//! - E: those answers, with the vector-set fields of P.
//! - I: P and E together, plus the ACVP-Server generator's own `randomLength` (group: the
//!   length it drew the transcript fragments with), `testPassed` (always `true`) and `deferred`
//!   (always `false`); it writes `psk` and `dhe` in every mode, the unused one as `HashLen`
//!   zero bytes, which is checked.

use hybrid_kx::key_schedule::{EarlySecret, HashAlgorithm, Sha256, Sha384, TranscriptHash};
use serde_json::Value;

use super::acvp::{
    ANSWER, AcvpSource, DEFERRED, EVERY_FILE, INPUT, INPUT_OPTIONAL, Kind, Role, Row, SERVER,
    Table, hex_field,
};
use super::acvp_run::{Answer, Format, GroupError, Refusal};
use super::report::SuiteReport;

/// The secrets of an answer, in key-schedule order (the specification's response table).
pub const SECRETS: [&str; 8] = [
    "clientEarlyTrafficSecret",
    "earlyExporterMasterSecret",
    "clientHandshakeTrafficSecret",
    "serverHandshakeTrafficSecret",
    "clientApplicationTrafficSecret",
    "serverApplicationTrafficSecret",
    "exporterMasterSecret",
    "resumptionMasterSecret",
];

/// The test-group fields.
pub const GROUPS: &[Row] = &[
    Row::new("tgId", Kind::Integer, &[EVERY_FILE]),
    Row::new("testType", Kind::OneOf(&["AFT"]), &[INPUT]),
    Row::new("hmacAlg", Kind::OneOf(&["SHA2-256", "SHA2-384"]), &[INPUT]),
    Row::new(
        "runningMode",
        Kind::OneOf(&["DHE", "PSK", "PSK-DHE"]),
        &[INPUT],
    ),
    Row::new("randomLength", Kind::Integer, &[SERVER]),
    Row::new("tests", Kind::Array, &[EVERY_FILE]),
];

/// The test fields.
pub const TESTS: &[Row] = &[
    Row::new("tcId", Kind::Integer, &[EVERY_FILE]),
    Row::new("psk", Kind::Hex, &[INPUT_OPTIONAL]),
    Row::new("dhe", Kind::Hex, &[INPUT_OPTIONAL]),
    Row::new("helloClientRandom", Kind::Hex, &[INPUT]),
    Row::new("helloServerRandom", Kind::Hex, &[INPUT]),
    Row::new("finishedServerRandom", Kind::Hex, &[INPUT]),
    Row::new("finishedClientRandom", Kind::Hex, &[INPUT]),
    Row::new(SECRETS[0], Kind::Hex, &[ANSWER]),
    Row::new(SECRETS[1], Kind::Hex, &[ANSWER]),
    Row::new(SECRETS[2], Kind::Hex, &[ANSWER]),
    Row::new(SECRETS[3], Kind::Hex, &[ANSWER]),
    Row::new(SECRETS[4], Kind::Hex, &[ANSWER]),
    Row::new(SECRETS[5], Kind::Hex, &[ANSWER]),
    Row::new(SECRETS[6], Kind::Hex, &[ANSWER]),
    Row::new(SECRETS[7], Kind::Hex, &[ANSWER]),
    Row::new(
        "testPassed",
        Kind::Is(
            true,
            "an ACVP-Server projection of this AFT-only algorithm says true",
        ),
        &[SERVER],
    ),
    Row::new("deferred", Kind::Is(false, DEFERRED), &[SERVER]),
];

/// A checked test group: hash and running mode.
pub struct Group {
    sha384: bool,
    mode: &'static str,
}

impl Group {
    /// The hash's name as the report tallies it.
    fn hash_name(&self) -> &'static str {
        if self.sha384 {
            Sha384::NAME
        } else {
            Sha256::NAME
        }
    }
}

/// The TLS-v1.3 KDF format.
pub struct Tls13Kdf;

impl Format for Tls13Kdf {
    type Group = Group;

    fn supports(mode: &str, revision: &str) -> bool {
        (mode, revision) == ("KDF", "RFC8446")
    }

    fn test_tables(_: Option<&str>) -> Vec<Table> {
        vec![Table::of(TESTS)]
    }

    fn modes() -> &'static [&'static str] {
        &["KDF"]
    }

    fn group_table(_: Option<&str>) -> Table {
        Table::of(GROUPS)
    }

    fn suite(_: &AcvpSource, _: &Value) -> String {
        "ACVP TLS-v1.3-KDF".to_owned()
    }

    fn group(set: &AcvpSource, group: &Value) -> Result<Group, GroupError> {
        Table::of(GROUPS).check(group, set.role, &[])?;
        let mode = match group["runningMode"].as_str() {
            Some("PSK") => "PSK",
            Some("PSK-DHE") => "PSK-DHE",
            _ => "DHE",
        };
        Ok(Group {
            sha384: group["hmacAlg"] == "SHA2-384",
            mode,
        })
    }

    fn tests(_: &Group) -> Table {
        Table::of(TESTS)
    }

    fn case_id(group: &Group, tc: u64) -> String {
        let hash = if group.sha384 { "SHA2-384" } else { "SHA2-256" };
        format!("tcId {tc} ({hash} {})", group.mode)
    }

    fn answer(group: &Group, tg: &Value, test: &Value, role: Role) -> Result<Answer, Refusal> {
        let hash_len = if group.sha384 {
            Sha384::HASH_LEN
        } else {
            Sha256::HASH_LEN
        };
        let psk = secret_input(group, test, "psk", role, hash_len)?;
        let dhe = secret_input(group, test, "dhe", role, hash_len)?;
        let fragments = [
            hex_field(test, tg, "helloClientRandom")?,
            hex_field(test, tg, "helloServerRandom")?,
            hex_field(test, tg, "finishedServerRandom")?,
            hex_field(test, tg, "finishedClientRandom")?,
        ];
        let secrets = if group.sha384 {
            secrets::<Sha384>(psk.as_deref(), dhe.as_deref(), &fragments)
        } else {
            secrets::<Sha256>(psk.as_deref(), dhe.as_deref(), &fragments)
        };
        let mut answer = Answer::default();
        for (name, secret) in SECRETS.iter().zip(&secrets) {
            answer.hex(name, secret);
        }
        answer.notes.push(format!("{} secrets", SECRETS.len()));
        answer
            .notes
            .push(format!("{} {}", group.hash_name(), group.mode));
        Ok(answer)
    }
}

/// `psk` or `dhe` of a test: required in the running modes that use it; absent in the others
/// (`HashLen` zero bytes), where a projection writes exactly those zeros.
fn secret_input(
    group: &Group,
    test: &Value,
    name: &str,
    role: Role,
    hash_len: usize,
) -> Result<Option<Vec<u8>>, String> {
    let used = match name {
        "psk" => group.mode.starts_with("PSK"),
        _ => group.mode.ends_with("DHE"),
    };
    let value = match test.get(name) {
        None if used => {
            return Err(format!(
                "missing field {name}: running mode {} uses it",
                group.mode
            ));
        }
        None => return Ok(None),
        Some(_) => hex_field(test, test, name)?,
    };
    match (used, role) {
        (true, _) if value.is_empty() => Err(format!("field {name} is empty")),
        (true, _) => Ok(Some(value)),
        (false, Role::Projection) if value == vec![0u8; hash_len] => Ok(None),
        (false, _) => Err(format!(
            "field {name} in a {} group: the specification includes it only in the running \
             modes that use it (a projection writes HashLen zero bytes there)",
            group.mode
        )),
    }
}

/// The eight secrets of RFC 8446 section 7.1 from the PSK, the (EC)DHE secret and the four
/// transcript fragments, in [`SECRETS`] order.
fn secrets<H: HashAlgorithm>(
    psk: Option<&[u8]>,
    dhe: Option<&[u8]>,
    [ch, sh, sf, cf]: &[Vec<u8>; 4],
) -> [Vec<u8>; 8] {
    let th_ch = TranscriptHash::<H>::of_messages(&[ch]);
    let th_ch_sh = TranscriptHash::<H>::of_messages(&[ch, sh]);
    let th_ch_sf = TranscriptHash::<H>::of_messages(&[ch, sh, sf]);
    let th_ch_cf = TranscriptHash::<H>::of_messages(&[ch, sh, sf, cf]);
    let early = EarlySecret::<H>::new(psk);
    let c_e = early.client_early_traffic_secret(&th_ch);
    let e_exp = early.early_exporter_master_secret(&th_ch);
    let handshake = early.into_handshake_secret(dhe);
    let c_hs = handshake.client_handshake_traffic_secret(&th_ch_sh);
    let s_hs = handshake.server_handshake_traffic_secret(&th_ch_sh);
    let master = handshake.into_master_secret();
    let c_ap = master.client_application_traffic_secret_0(&th_ch_sf);
    let s_ap = master.server_application_traffic_secret_0(&th_ch_sf);
    let exp = master.exporter_master_secret(&th_ch_sf);
    let res = master.resumption_master_secret(&th_ch_cf);
    [
        c_e.as_bytes().to_vec(),
        e_exp.as_bytes().to_vec(),
        c_hs.as_bytes().to_vec(),
        s_hs.as_bytes().to_vec(),
        c_ap.as_bytes().to_vec(),
        s_ap.as_bytes().to_vec(),
        exp.as_bytes().to_vec(),
        res.as_bytes().to_vec(),
    ]
}

/// Whether `value` is an ACVP TLS-v1.3 KDF vector set (prompt, expected results, projection or
/// response). Pairing prompts with results is [`crate::discover`]'s job.
pub fn detect(value: &Value) -> bool {
    super::acvp::detect(value, super::acvp::Algorithm::Tls13Kdf)
}

/// Runs every test of `prompt` joined with `results` (or a projection alone).
pub fn run(prompt: &AcvpSource, results: Option<&AcvpSource>) -> Vec<SuiteReport> {
    super::acvp_run::run::<Tls13Kdf>(prompt, results)
}
