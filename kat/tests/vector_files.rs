//! The engine over the vector files: the project's own `test-vectors/` (always) and the shared
//! third-party suites (`$HYBRID_KX_SHARED_VECTORS`; SKIP when absent, a failure when
//! `HYBRID_KX_REQUIRE_SHARED_VECTORS=1`), with exact case counts per suite and every skip
//! reason. The counts are the runner's published ones (README.md: 48 suites, 5,175 passed,
//! 1,547 skipped without `--full`).

mod common;

use std::collections::BTreeSet;

use common::{assert_counts, own, shared, suite};
use hybrid_kx::NamedGroup;
use hybrid_kx_kat::text::{TextFile, Values};

const FULL_ONLY_7748: &str = "1,000,000 iterations: run with --full";
const FULL_ONLY_ACCUMULATED: &str = "more than 10,000 iterations: run with --full";
const DRAFT_HASH: &str =
    "FIPS 203 draft (ipd) hash: key generation G(d) is not final FIPS 203's G(d || k)";
const DRAFT_KEYGEN: &str = "key generation (d, z -> ek, dk) follows the FIPS 203 draft \
                            (G(d) instead of G(d || k)): not valid under final FIPS 203";
const INTERNAL: &str = "K-PKE intermediate value: not observable through the crate's public API";

/// Every value of RFC 8448 section 3 that the key schedule derives (the messages, the ECDHE
/// secret and the ticket nonce are inputs).
const RFC8448_DERIVED: [&str; 39] = [
    "hash_empty",
    "transcript_hash_ch_sh",
    "transcript_hash_ch_server_fin",
    "transcript_hash_ch_client_fin",
    "early_secret",
    "derived_for_handshake",
    "handshake_secret",
    "client_handshake_traffic_secret",
    "server_handshake_traffic_secret",
    "derived_for_master",
    "master_secret",
    "client_application_traffic_secret_0",
    "server_application_traffic_secret_0",
    "exporter_master_secret",
    "resumption_master_secret",
    "server_handshake_key",
    "server_handshake_iv",
    "client_handshake_key",
    "client_handshake_iv",
    "server_application_key",
    "server_application_iv",
    "client_application_key",
    "client_application_iv",
    "server_finished_key",
    "server_finished_verify_data",
    "client_finished_key",
    "client_finished_verify_data",
    "resumption_psk",
    "info_derived",
    "info_c_hs_traffic",
    "info_s_hs_traffic",
    "info_c_ap_traffic",
    "info_s_ap_traffic",
    "info_exp_master",
    "info_res_master",
    "info_key_16",
    "info_iv_12",
    "info_finished",
    "info_resumption",
];

fn passed_ids(s: &hybrid_kx_kat::SuiteReport) -> BTreeSet<&str> {
    s.passed_cases().iter().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------------------------
// The project's own test-vectors/
// ---------------------------------------------------------------------------------------------

#[test]
fn own_vectors_are_all_recognised_and_pass() {
    let report = own();
    assert!(report.ok(), "{report}");
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    // 6 hybrid files (one per group) + the RFC 5869, 7748 and 8448 extracts; the README is
    // documentation.
    assert_eq!(report.paths[0].recognised_files, 9);
    assert_eq!(report.ignored().len(), 1);
    assert!(report.ignored()[0].path.ends_with("hybrid/README.md"));
    assert_eq!(report.suites().len(), 9);
}

#[test]
fn own_hybrid_vectors_every_group() {
    let report = own();
    let mut total_valid = 0;
    for &group in NamedGroup::ALL {
        let s = suite(report, &format!("hybrid-kx vectors {group}"), group.name());
        let valid = s.tally("valid");
        assert!(valid >= 3, "{group}: {valid} valid vectors");
        total_valid += valid;
        let has = |d: &str| s.tally(&format!("defect: {d}")) > 0;
        // Coverage: both share lengths everywhere, the modulus check wherever ML-KEM is,
        // low-order X25519 and off-curve / compressed points where those curves are.
        for d in [
            "client_share_truncated",
            "client_share_extended",
            "server_share_truncated",
            "server_share_extended",
            "mlkem_ek_modulus",
        ] {
            assert!(has(d), "{group}: no {d} vector");
        }
        let x25519 = group.name().starts_with("X25519");
        assert_eq!(has("x25519_low_order"), x25519, "{group}");
        let ec = group.name().starts_with("SecP");
        for d in ["ec_not_on_curve", "ec_not_uncompressed", "ec_compressed"] {
            assert_eq!(has(d), ec, "{group}: {d}");
        }
    }
    assert_eq!(total_valid, 15 + 3); // 3 per group; MLKEM512 added 3
    for (group, n) in [
        ("X25519MLKEM768", 22),
        ("SecP256r1MLKEM768", 18),
        ("SecP384r1MLKEM1024", 18),
        ("MLKEM768", 9),
        ("MLKEM1024", 9),
        ("MLKEM512", 9),
    ] {
        let s = suite(report, &format!("hybrid-kx vectors {group}"), group);
        assert_counts(s, n, &[]);
    }
}

#[test]
fn own_rfc7748_sections_5_2_and_6_1() {
    let s = suite(own(), "RFC 7748 X25519", "rfc7748");
    assert_counts(s, 5, &[(FULL_ONLY_7748, 1)]);
    let ids = passed_ids(s);
    for id in [
        "vector 1",
        "vector 2",
        "iterated 1",
        "iterated 1000",
        "section 6.1 Diffie-Hellman",
    ] {
        assert!(ids.contains(id), "{id}: {ids:?}");
    }
}

#[test]
fn own_rfc8448_every_intermediate() {
    let s = suite(own(), "RFC 8448 simple 1-RTT", "rfc8448");
    assert_counts(s, 39, &[]);
    let ids = passed_ids(s);
    for name in RFC8448_DERIVED {
        assert!(ids.contains(name), "{name} not checked");
    }
}

#[test]
fn own_rfc5869_cases_1_to_3() {
    let s = suite(own(), "RFC 5869 HKDF", "rfc5869");
    assert_counts(s, 3, &[]);
}

// ---------------------------------------------------------------------------------------------
// Shared third-party suites
// ---------------------------------------------------------------------------------------------

#[test]
fn shared_suites_all_recognised() {
    let Some(report) = shared("shared_suites_all_recognised") else {
        return;
    };
    assert!(report.ok(), "{report}");
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_eq!(report.suites().len(), 23);
    assert_eq!(report.ignored().len(), 2);
}

#[test]
fn shared_acvp_mlkem() {
    let Some(report) = shared("shared_acvp_mlkem") else {
        return;
    };
    // Each count covers ML-KEM-512, -768 and -1024 (25 or 10 cases each).
    for (function, passed) in [
        ("keyGen", 75),
        ("encapsulation", 75),
        ("decapsulation", 30),
        ("encapsulationKeyCheck", 30),
        ("decapsulationKeyCheck", 30),
    ] {
        let s = suite(report, &format!("ACVP ML-KEM {function}"), "FIPS203");
        assert_counts(s, passed, &[]);
        assert_eq!(s.sources().len(), 2, "prompt + expected results");
    }
}

#[test]
fn shared_acvp_tls13_kdf_all_cases_all_secrets() {
    let Some(report) = shared("shared_acvp_tls13_kdf_all_cases_all_secrets") else {
        return;
    };
    let s = suite(report, "ACVP TLS-v1.3-KDF", "TLS-v1.3-KDF");
    assert_counts(s, 10, &[]);
    // 8 secrets asserted per case, 80 in all.
    assert_eq!(s.tally("8 secrets"), 10);
    for hash in ["SHA-256", "SHA-384"] {
        assert!(
            ["DHE", "PSK", "PSK-DHE"]
                .iter()
                .map(|m| s.tally(&format!("{hash} {m}")))
                .sum::<u64>()
                > 0,
            "hash {hash} not covered"
        );
    }
    for mode in ["DHE", "PSK", "PSK-DHE"] {
        assert!(
            s.tally(&format!("SHA-256 {mode}")) + s.tally(&format!("SHA-384 {mode}")) > 0,
            "mode {mode} not covered"
        );
    }
}

#[test]
fn shared_cctv_modulus_strcmp_unlucky_intermediate() {
    let Some(report) = shared("shared_cctv_modulus_strcmp_unlucky_intermediate") else {
        return;
    };
    let modulus = |p: &str| suite(report, &format!("CCTV ML-KEM modulus ({p})"), "modulus");
    assert_counts(modulus("ML-KEM-768"), 780, &[]);
    assert_counts(modulus("ML-KEM-1024"), 1040, &[]);
    assert_counts(modulus("ML-KEM-512"), 775, &[]);
    for p in ["512", "768", "1024"] {
        let file = format!("ML-KEM-{p}.txt");
        assert_counts(
            suite(report, "CCTV ML-KEM strcmp", &format!("strcmp/{file}")),
            1,
            &[],
        );
        assert_counts(
            suite(
                report,
                "CCTV ML-KEM unlucky sampling",
                &format!("unluckysample/{file}"),
            ),
            2,
            &[(DRAFT_KEYGEN, 1)],
        );
        assert_counts(
            suite(
                report,
                "CCTV ML-KEM intermediate",
                &format!("intermediate/{file}"),
            ),
            2,
            &[(INTERNAL, 32), (DRAFT_KEYGEN, 1)],
        );
    }
}

/// `[fips203-final] mlkem768_10000` and `mlkem1024_10000`, C2SP CCTV pull request 13.
const MLKEM768_10000: &str = "f959d18d3d1180121433bf0e05f11e7908cf9d03edc150b2b07cb90bef5bc1c1";
const MLKEM1024_10000: &str = "e3bf82b013307b2e9d47dde791ff6dfc82e694e6382404abdb948b908b75bad5";

#[test]
fn shared_cctv_accumulated_10000_iterations_through_the_api() {
    let Some(report) = shared("shared_cctv_accumulated_10000_iterations_through_the_api") else {
        return;
    };
    let s = suite(report, "CCTV ML-KEM accumulated", "accumulated-hashes.txt");
    assert_counts(s, 8, &[(DRAFT_HASH, 7), (FULL_ONLY_ACCUMULATED, 4)]);
    let ids = passed_ids(s);
    for id in [
        "[fips203-final] mlkem512_10000 (ML-KEM-512 x 10000)",
        "[fips203-final] mlkem768_10000 (ML-KEM-768 x 10000)",
        "[fips203-final] mlkem1024_10000 (ML-KEM-1024 x 10000)",
    ] {
        assert!(ids.contains(id), "{id}: {ids:?}");
    }
    // The file the engine read holds the published final-FIPS-203 hashes.
    let path = &s.sources()[0];
    let text = TextFile::parse(&std::fs::read_to_string(path).unwrap());
    let final_values = Values::new(
        text.entries
            .iter()
            .filter(|e| e.section.as_deref() == Some("fips203-final")),
    )
    .unwrap();
    assert_eq!(final_values.text("mlkem768_10000").unwrap(), MLKEM768_10000);
    assert_eq!(
        final_values.text("mlkem1024_10000").unwrap(),
        MLKEM1024_10000
    );
}

#[test]
fn shared_s2n_hybrid_secrets_every_group_and_suite() {
    let Some(report) = shared("shared_s2n_hybrid_secrets_every_group_and_suite") else {
        return;
    };
    let s = suite(report, "s2n-tls hybrid secrets", "s2n-tls");
    assert_counts(s, 9, &[]);
    let ids = passed_ids(s);
    for section in [
        "SecP256r1MLKEM768 TLS_AES_128_GCM_SHA256",
        "SecP256r1MLKEM768 TLS_AES_256_GCM_SHA384",
        "SecP384r1MLKEM1024 TLS_AES_128_GCM_SHA256",
        "SecP384r1MLKEM1024 TLS_AES_256_GCM_SHA384",
        "X25519MLKEM768 TLS_AES_128_GCM_SHA256",
        "X25519MLKEM768 TLS_AES_256_GCM_SHA384",
    ] {
        let id = format!("{section} key schedule");
        assert!(ids.contains(id.as_str()), "{id}: {ids:?}");
    }
}

#[test]
fn shared_rfc_extracts() {
    let Some(report) = shared("shared_rfc_extracts") else {
        return;
    };
    assert_counts(suite(report, "RFC 5869 HKDF", "rfc5869"), 3, &[]);
    assert_counts(
        suite(report, "RFC 7748 X25519", "rfc7748"),
        5,
        &[(FULL_ONLY_7748, 1)],
    );
    let s = suite(report, "RFC 8448 simple 1-RTT", "rfc8448");
    // With the X25519 private keys: the key pairs and the ECDHE secret are derived too.
    assert_counts(s, 42, &[]);
    let ids = passed_ids(s);
    for name in RFC8448_DERIVED.iter().copied().chain([
        "client_x25519_public",
        "server_x25519_public",
        "ecdhe_shared_secret",
    ]) {
        assert!(ids.contains(name), "{name} not checked");
    }
}

/// The whole non-`--full` run as README.md publishes it: 48 suites, 5,175 passed, 1,547
/// skipped (the Wycheproof part is in `tests/wycheproof.rs`; this adds its totals).
#[test]
fn whole_run_totals() {
    let Some(shared_report) = shared("whole_run_totals") else {
        return;
    };
    let wycheproof = hybrid_kx_kat::wycheproof_suites::run_all();
    let all: Vec<&hybrid_kx_kat::SuiteReport> = shared_report
        .suites()
        .iter()
        .chain(own().suites())
        .chain(&wycheproof)
        .collect();
    let sum = |f: fn(&hybrid_kx_kat::SuiteReport) -> u64| all.iter().map(|s| f(s)).sum::<u64>();
    // Before MLKEM512: 48 suites, 5,175 passed, 1,547 skipped (1,432 of them ML-KEM-512 cases).
    // MLKEM512 adds its own vectors' suite and runs every ML-KEM-512 case instead of skipping it.
    assert_eq!(all.len(), 49);
    assert_eq!(sum(hybrid_kx_kat::SuiteReport::passed), 6616);
    assert_eq!(sum(hybrid_kx_kat::SuiteReport::failed), 0);
    assert_eq!(sum(hybrid_kx_kat::SuiteReport::skipped), 115);
}
