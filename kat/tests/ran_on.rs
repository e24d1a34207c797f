//! Each suite counts where its cases ran (`SuiteReport::ran_on`), per backend asked for: a
//! seeded operation runs on the backend asked for when its code takes a seed, and on the
//! portable reference when it does not (aws-lc-rs's ML-KEM: its safe API draws `d ‖ z` and `m`
//! itself); a key imported from its expanded form lands on the backend asked for when it can
//! import one (graviola cannot). Those expectations are stated here, from the backends'
//! documentation, not asked of the crate.

mod common;

use std::collections::BTreeSet;

use hybrid_kx::Backend;
use hybrid_kx_kat::{Options, wycheproof_suites};

/// Where seeded ML-KEM runs when `backend` is asked for.
fn seeded_mlkem(backend: Backend) -> Backend {
    if backend == Backend::AwsLc {
        Backend::Portable
    } else {
        backend
    }
}

#[test]
fn seeded_cases_count_the_backend_they_fell_back_to() {
    let file = common::own_dir().join("hybrid/MLKEM768.json");
    for &backend in Backend::ALL.iter().filter(|b| b.is_usable()) {
        let options = Options {
            backend: Some(backend),
            ..Options::default()
        };
        let report = hybrid_kx_kat::run_vector_files(std::slice::from_ref(&file), &options);
        assert!(report.ok(), "{backend}");
        let suite = &report.suites()[0];
        let ran = seeded_mlkem(backend);
        let labels: BTreeSet<&str> = suite.ran_on.keys().map(String::as_str).collect();
        let client = format!("client ML-KEM-768 on {ran}");
        let server = format!("server ML-KEM-768 on {ran}");
        assert_eq!(
            labels,
            BTreeSet::from([client.as_str(), server.as_str()]),
            "{backend}"
        );
        let cases = suite.passed() + suite.failed();
        for label in [&client, &server] {
            assert!(
                (1..=cases).contains(&suite.ran_on(label)),
                "{backend}: {label}"
            );
        }
    }
}

#[test]
fn imported_keys_count_the_backend_that_holds_them() {
    for &backend in Backend::ALL.iter().filter(|b| b.is_usable()) {
        let suites = hybrid_kx_kat::on::with_backend(Some(backend), wycheproof_suites::run_all);
        let suite = suites
            .iter()
            .find(|s| s.suite() == "Wycheproof mlkem_768_semi_expanded_decaps")
            .expect("the suite runs");
        let held = if backend == Backend::Graviola {
            Backend::Portable
        } else {
            backend
        };
        let label = format!("client ML-KEM-768 on {held}");
        let labels: Vec<&String> = suite.ran_on.keys().collect();
        assert_eq!(labels, [&label], "{backend}");
        // Every decapsulation that ran is counted, under the backend its tally names.
        assert_eq!(
            suite.ran_on(&label),
            suite.tally(&format!("decapsulation on {held}")),
            "{backend}"
        );
        assert!(suite.ran_on(&label) > 0);
    }
}
