//! The commands acvptool sends for what `getConfig` registers, answered through the crate's
//! public (hazmat) API: ML-KEM (FIPS 203), the TLS 1.3 key-schedule primitives
//! (RFC 8446 section 7.1), and KAS-ECC-SSC's ECDH on P-256 and P-384 (SP 800-56A rev. 3
//! section 5.7.1.2). Argument and reply layouts are acvptool's (`subprocess/mlkem.go`,
//! `tls13.go`, `hash.go`, `kas.go`).

use std::collections::BTreeMap;

use hybrid_kx::components::Component;
use hybrid_kx::components::ecdh_nist::{P256, P384};
use hybrid_kx::key_schedule::{HashAlgorithm, Prk, Sha256, Sha384, expand_label, extract};
use hybrid_kx::{Error, NamedGroup};
use hybrid_kx_kat::mlkem::{self, ParamSet};
use serde_json::json;

use super::framing::WrapperError;

/// The registrations `getConfig` answers with (the ACVP specifications' capability objects):
/// what a lab registers for hybrid-kx and what acvptool checks a vector set's `algorithm`
/// against. The last entry is acvptool's own: this wrapper accepts `flush`.
pub(crate) fn config() -> serde_json::Value {
    let parameter_sets = ParamSet::ALL.map(ParamSet::name);
    json!([
        {"algorithm": "ML-KEM", "mode": "keyGen", "revision": "FIPS203",
         "parameterSets": parameter_sets},
        {"algorithm": "ML-KEM", "mode": "encapDecap", "revision": "FIPS203",
         "parameterSets": parameter_sets,
         "functions": ["encapsulation", "decapsulation", "encapsulationKeyCheck",
                       "decapsulationKeyCheck"]},
        {"algorithm": "TLS-v1.3", "mode": "KDF", "revision": "RFC8446",
         "hmacAlg": ["SHA2-256", "SHA2-384"], "runningMode": ["DHE", "PSK", "PSK-DHE"]},
        {"algorithm": "KAS-ECC-SSC", "revision": "Sp800-56Ar3",
         "scheme": {"ephemeralUnified": {"kasRole": ["initiator", "responder"]}},
         "domainParameterGenerationMethods": ["P-256", "P-384"]},
        {"algorithm": "acvptool", "features": ["batch"]}
    ])
}

/// What the commands showed on the way, for the summary on standard error.
#[derive(Default)]
pub(crate) struct Tally(pub(crate) BTreeMap<String, u64>);

impl Tally {
    /// Counts `label` once.
    fn note(&mut self, label: String) {
        *self.0.entry(label).or_default() += 1;
    }
}

/// The reply to `command` with `args`.
///
/// # Errors
///
/// [`WrapperError::UnknownCommand`], [`WrapperError::Arguments`], [`WrapperError::Input`].
pub(crate) fn run(
    command: &str,
    args: &[Vec<u8>],
    tally: &mut Tally,
) -> Result<Vec<Vec<u8>>, WrapperError> {
    let (family, operation) = command.split_once('/').unwrap_or((command, ""));
    let ml_kem_group = ParamSet::from_name(family).map(ParamSet::group);
    let arguments = match (family, operation) {
        ("getConfig", "") => 0,
        ("SHA2-256" | "SHA2-384", "") => 1,
        ("HKDFExtract", "SHA2-256" | "SHA2-384") => 2,
        ("HKDFExpandLabel", "SHA2-256" | "SHA2-384") => 4,
        ("ECDH", "P-256" | "P-384") => 3,
        (_, "keyGen" | "encapKeyCheck" | "decapKeyCheck") if ml_kem_group.is_some() => 1,
        (_, "encap" | "decap" | "decap/seed") if ml_kem_group.is_some() => 2,
        _ => return Err(WrapperError::UnknownCommand(command.to_owned())),
    };
    if args.len() != arguments {
        return Err(WrapperError::Arguments {
            command: command.to_owned(),
            expected: arguments,
            actual: args.len(),
        });
    }
    let answer = match (family, operation, ml_kem_group) {
        ("getConfig", ..) => Ok(vec![config().to_string().into_bytes()]),
        ("SHA2-256", ..) => Ok(vec![Sha256::hash(&args[0]).as_bytes().to_vec()]),
        ("SHA2-384", ..) => Ok(vec![Sha384::hash(&args[0]).as_bytes().to_vec()]),
        ("HKDFExtract", "SHA2-256", _) => Ok(hkdf_extract::<Sha256>(args)),
        ("HKDFExtract", ..) => Ok(hkdf_extract::<Sha384>(args)),
        ("HKDFExpandLabel", "SHA2-256", _) => hkdf_expand_label::<Sha256>(args),
        ("HKDFExpandLabel", ..) => hkdf_expand_label::<Sha384>(args),
        ("ECDH", "P-256", _) => ecdh::<P256>(args, 32),
        ("ECDH", ..) => ecdh::<P384>(args, 48),
        (_, operation, Some(group)) => ml_kem(group, operation, args, tally),
        _ => return Err(WrapperError::UnknownCommand(command.to_owned())),
    };
    answer.map_err(|reason| WrapperError::Input {
        command: command.to_owned(),
        reason,
    })
}

/// `HKDFExtract/H`: secret (the input keying material), salt -> HKDF-Extract(salt, secret)
/// (RFC 5869 section 2.2).
fn hkdf_extract<H: HashAlgorithm>(args: &[Vec<u8>]) -> Vec<Vec<u8>> {
    vec![extract::<H>(Some(&args[1]), &args[0]).as_bytes().to_vec()]
}

/// `HKDFExpandLabel/H`: output length (32-bit little-endian), secret, label (without the
/// "tls13 " prefix), context -> HKDF-Expand-Label (RFC 8446 section 7.1).
fn hkdf_expand_label<H: HashAlgorithm>(args: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, String> {
    let length: [u8; 4] = args[0]
        .as_slice()
        .try_into()
        .map_err(|_| format!("output length of {} bytes, not 4", args[0].len()))?;
    let length = usize::try_from(u32::from_le_bytes(length)).map_err(|e| e.to_string())?;
    let secret = Prk::<H>::from_bytes(&args[1]).map_err(|e| e.to_string())?;
    let mut out = vec![0u8; length];
    expand_label::<H>(&secret, &args[2], &args[3], &mut out).map_err(|e| e.to_string())?;
    Ok(vec![out])
}

/// `ECDH/<curve>`: peer X, peer Y, the implementation's private key -> its X, Y and the shared
/// secret Z, each big-endian at the field's length (SP 800-56A rev. 3 section 5.7.1.2; Z keeps
/// its leading zeros). An empty private key asks for a fresh key pair (AFT); with a given one
/// (VAL) a peer key the crate refuses gives an empty Z, which acvptool records as
/// `testPassed: false`, the answer a VAL test of an invalid key expects.
fn ecdh<C: Component>(args: &[Vec<u8>], size: usize) -> Result<Vec<Vec<u8>>, String> {
    let coordinate = |bytes: &[u8], name: &str| {
        hybrid_kx_kat::big_endian(bytes, size)
            .ok_or_else(|| format!("{name} of {} bytes: the field has {size}", bytes.len()))
    };
    let peer = [
        &[0x04][..],
        &coordinate(&args[0], "peer X")?,
        &coordinate(&args[1], "peer Y")?,
    ]
    .concat();
    let backend = hybrid_kx_kat::on::requested();
    let mut share = vec![0u8; C::CLIENT_SHARE_LEN];
    let given = !args[2].is_empty();
    let state = if given {
        let scalar = coordinate(&args[2], "private key")?;
        C::client_keygen(backend, &scalar, &mut share).map_err(|e| e.to_string())?
    } else {
        let mut scalar = vec![0u8; size];
        loop {
            getrandom::fill(&mut scalar).map_err(|e| e.to_string())?;
            match C::client_keygen(backend, &scalar, &mut share) {
                Ok(state) => break state,
                // Outside [1, n-1]: draw again (SP 800-56A rev. 3 section 5.6.1.2.2).
                Err(Error::InvalidPrivateScalar) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
    };
    let mut z = vec![0u8; C::SECRET_LEN];
    match C::client_complete(&state, &peer, &mut z) {
        Ok(()) => {}
        Err(_) if given => z.clear(),
        Err(e) => return Err(format!("peer public key refused: {e}")),
    }
    Ok(vec![
        share[1..=size].to_vec(),
        share[1 + size..].to_vec(),
        z,
    ])
}

/// `ML-KEM-<n>/<operation>`: FIPS 203's algorithms through the pure ML-KEM group. Key checks
/// answer one byte, 01 (valid) or 00, also for a key of the wrong length.
fn ml_kem(
    group: NamedGroup,
    operation: &str,
    args: &[Vec<u8>],
    tally: &mut Tally,
) -> Result<Vec<Vec<u8>>, String> {
    let text = |e: Error| e.to_string();
    match operation {
        "keyGen" => {
            if args[0].len() != 64 {
                return Err(format!("seed d || z of {} bytes, not 64", args[0].len()));
            }
            let (ek, dk, _) = mlkem::keygen(group, &args[0]).map_err(text)?;
            Ok(vec![ek, dk])
        }
        "encap" => {
            if args[1].len() != 32 {
                return Err(format!("m of {} bytes, not 32", args[1].len()));
            }
            let (c, k) = mlkem::encapsulate(group, &args[0], &args[1]).map_err(text)?;
            Ok(vec![c, k])
        }
        "decap" => {
            let (k, backend) = mlkem::decapsulate_expanded(group, &args[0], &args[1])
                .map_err(|e| e.to_string())?;
            tally.note(format!("decapsulation on {backend}"));
            Ok(vec![k.map_err(text)?])
        }
        "decap/seed" => {
            if args[0].len() != 64 {
                return Err(format!("seed d || z of {} bytes, not 64", args[0].len()));
            }
            let (k, backend) = mlkem::decaps_seed(group, &args[0], &args[1]).map_err(text)?;
            tally.note(format!("decapsulation on {backend}"));
            Ok(vec![k])
        }
        "encapKeyCheck" => {
            let valid = mlkem::encapsulation_key_check(group, &args[0]).map_err(text)?;
            Ok(vec![vec![u8::from(valid)]])
        }
        _ => {
            let valid =
                mlkem::decapsulation_key_check(group, &args[0]).map_err(|e| e.to_string())?;
            Ok(vec![vec![u8::from(valid)]])
        }
    }
}
