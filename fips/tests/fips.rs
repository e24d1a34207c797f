//! hybrid-kx in a build that links AWS-LC's FIPS module (this package turns `aws-lc-rs/fips` on
//! through rustls's `fips` feature): every primitive runs on it, every group reports FIPS status
//! as rustls decides it for its own hybrids (SP 800-56C rev 2: the part whose secret comes first
//! decides), a provider built with `GroupPolicy::fips()` on rustls's FIPS provider stays FIPS
//! (`ClientConfig::fips()` and `ServerConfig::fips()`) while one built without it does not, and
//! a handshake negotiates SecP384r1MLKEM1024 in FIPS mode.
//!
//! Expected values come from the specifications and from rustls's own FIPS provider, never from
//! the code under test: the group lists are written out from `GroupPolicy::fips`'s contract, and
//! the 0.24 status is compared with rustls-aws-lc-rs's own.

use std::sync::Arc;

use hybrid_kx::components::mlkem::{MlKem512, MlKem768, MlKem1024};
use hybrid_kx::components::{Primitive, PrimitiveVisitor, table};
use hybrid_kx::rustls::{ClassicalGroups, GroupPolicy, HkdfSource};
use hybrid_kx::{Backend, Group, NamedGroup, SecP384r1MLKEM1024};
use hybrid_kx_support::tls::{Identity, client_config, connections, drive, server_config};
use rustls::crypto::{CryptoProvider, default_fips_provider};

/// The FIPS base provider (rustls's aws-lc-rs provider, built with `fips`).
fn base() -> CryptoProvider {
    default_fips_provider()
}

/// The groups' codepoints of `provider`, in order.
fn codepoints(provider: &CryptoProvider) -> Vec<u16> {
    provider
        .kx_groups
        .iter()
        .map(|g| u16::from(g.name()))
        .collect()
}

#[test]
fn the_build_runs_the_fips_module() {
    // rustls's own judgement of the module, and the crate's.
    assert!(base().fips(), "rustls's FIPS provider is not in FIPS mode");
    assert!(Backend::AwsLc.is_fips_module());
    for &backend in Backend::ALL {
        assert_eq!(
            backend.is_fips_module(),
            backend == Backend::AwsLc,
            "{backend}"
        );
    }
}

#[test]
fn every_primitive_runs_on_the_module() {
    // graviola and libcrux are compiled in (default features) and usable here, and would be
    // preferred for ML-KEM-768 and X25519 outside FIPS mode.
    for (primitive, backend) in hybrid_kx::backend::selected() {
        assert_eq!(backend, Backend::AwsLc, "{primitive}");
    }
    // Seeded ML-KEM cannot run on aws-lc-rs (its safe API takes no seed): it falls back to a
    // backend outside the module, which the FIPS paths never use.
    // And on the operating system's randomness the module's DRBG draws every key: no part reads
    // a seed from the group layer.
    /// The seeded backend of each primitive, and whether its system operations read a seed.
    #[derive(Clone)]
    struct Seeded;
    impl PrimitiveVisitor for Seeded {
        type Output = (&'static str, Backend, bool);
        fn visit<P: Primitive>(self) -> Self::Output {
            (
                P::NAME,
                P::seeded_backend(None).unwrap(),
                P::system_reads_seed(None),
            )
        }
    }
    for (primitive, backend, reads_seed) in table::for_each(Seeded) {
        let ml_kem = [MlKem512::NAME, MlKem768::NAME, MlKem1024::NAME].contains(&primitive);
        assert_eq!(
            backend == Backend::AwsLc,
            !ml_kem,
            "{primitive} seeded on {backend}"
        );
        assert!(!reads_seed, "{primitive}: the module draws its own");
    }
}

#[test]
fn every_group_reports_fips_as_rustls_decides_it() {
    // Every group's first secret is approved: ML-KEM (X25519MLKEM768 and the pure groups),
    // P-256, P-384. X25519 alone is not approved: rustls's own group says so.
    use rustls::crypto::aws_lc_rs::kx_group as native;
    assert!(!native::X25519.fips());
    assert!(native::X25519MLKEM768.fips());
    assert!(native::SECP256R1MLKEM768.fips());
    for &group in NamedGroup::ALL {
        assert!(hybrid_kx::rustls::kx_group(group).fips(), "{group}");
    }
}

#[test]
fn the_fips_policy_keeps_the_provider_fips() {
    let provider = GroupPolicy::fips().build(base());
    // GroupPolicy::fips: the three hybrids in this order, then the base's FIPS classical groups
    // in the base's order (rustls's FIPS provider keeps secp256r1 and secp384r1, not X25519).
    assert_eq!(
        codepoints(&provider),
        [0x11EC, 0x11EB, 0x11ED, 0x0017, 0x0018]
    );
    assert!(provider.fips());

    let identity = Identity::generate().unwrap();
    let provider = Arc::new(provider);
    let client = client_config(Arc::clone(&provider), identity.roots()).unwrap();
    let server = server_config(provider, &identity).unwrap();
    assert!(client.fips());
    assert!(server.fips());
}

#[test]
fn without_the_fips_policy_the_provider_is_not_fips() {
    let identity = Identity::generate().unwrap();
    // The default policy: this crate's HKDF, and the base's X25519 if it had one.
    let default = Arc::new(hybrid_kx::rustls::with_hybrid_kx(base()));
    assert!(!default.fips());
    assert!(
        !client_config(Arc::clone(&default), identity.roots())
            .unwrap()
            .fips()
    );
    assert!(!server_config(default, &identity).unwrap().fips());
    // The FIPS policy with this crate's HKDF: not FIPS either, the key schedule leaves the module.
    let ours = GroupPolicy::fips().hkdf(HkdfSource::Ours).build(base());
    assert!(!ours.fips());
    // Every classical group of a base with X25519: not FIPS (X25519 is not approved).
    let mut with_x25519 = base();
    with_x25519
        .kx_groups
        .push(rustls::crypto::aws_lc_rs::kx_group::X25519);
    let all = GroupPolicy::fips()
        .classical(ClassicalGroups::All)
        .build(with_x25519.clone());
    assert!(!all.fips());
    // ClassicalGroups::Fips leaves X25519 out of the same base.
    let fips = GroupPolicy::fips().build(with_x25519);
    assert!(!codepoints(&fips).contains(&0x001D));
    assert!(fips.fips());
}

#[test]
fn a_handshake_negotiates_secp384r1mlkem1024_in_fips_mode() {
    let identity = Identity::generate().unwrap();
    let policy = GroupPolicy::fips().groups(&[NamedGroup::SecP384r1MLKEM1024]);
    let provider = Arc::new(policy.build(base()));
    let client = Arc::new(client_config(Arc::clone(&provider), identity.roots()).unwrap());
    let server = Arc::new(server_config(provider, &identity).unwrap());
    assert!(client.fips() && server.fips());
    let (mut c, mut s) = connections(client, server).unwrap();
    let negotiated = drive(&mut c, &mut s, |_, _| {}).expect_success();
    assert_eq!(
        u16::from(negotiated.group.expect("a key-exchange group")),
        SecP384r1MLKEM1024::CODEPOINT
    );
    assert!(c.fips() && s.fips());
    // The group's parts ran on the module.
    for part in NamedGroup::SecP384r1MLKEM1024.parts() {
        let (_, backend) = hybrid_kx::backend::selected()
            .find(|(name, _)| name == part)
            .unwrap();
        assert_eq!(backend, Backend::AwsLc, "{part}");
    }
}

#[test]
fn the_0_24_adapter_reports_rustls_aws_lc_rs_status() {
    use rustls_0_24::pki_types::FipsStatus;
    let base = rustls_aws_lc_rs_0_24::DEFAULT_FIPS_PROVIDER;
    let module = base.fips();
    assert!(matches!(module, FipsStatus::Certified { .. }), "{module:?}");
    for &group in NamedGroup::ALL {
        assert_eq!(
            hybrid_kx::rustls_0_24::kx_group(group).fips(),
            module,
            "{group}"
        );
    }
    let policy = hybrid_kx::rustls_0_24::GroupPolicy::fips().build(base.clone());
    assert_eq!(
        policy
            .kx_groups
            .iter()
            .map(|g| g.name().0)
            .collect::<Vec<_>>(),
        [0x11EC, 0x11EB, 0x11ED, 0x0017, 0x0018]
    );
    assert_eq!(policy.fips(), module);
    let identity = Identity::generate().unwrap();
    let mut roots = rustls_0_24::RootCertStore::empty();
    roots.add(identity.cert.clone()).unwrap();
    let client = rustls_0_24::ClientConfig::builder(Arc::new(policy))
        .with_root_certificates(roots)
        .with_no_client_auth()
        .unwrap();
    assert_eq!(client.fips(), module);
    let default = hybrid_kx::rustls_0_24::with_hybrid_kx(base);
    assert_eq!(default.fips(), FipsStatus::Unvalidated);
}

#[test]
fn the_os_random_paths_run_in_the_module_and_agree() {
    // The group API on the operating system's randomness: aws-lc draws the keys, and the group
    // layer draws no seed of its own for them (it passes zeros the module never reads), so two
    // operations must still give two different results.
    for &group in NamedGroup::ALL {
        let (share, state) = group.generate_key_share().unwrap();
        let (again, _) = group.generate_key_share().unwrap();
        assert!(
            share.as_bytes() != again.as_bytes(),
            "{group}: fresh client keys"
        );
        let (server_share, secret) = group.encapsulate(share.as_bytes()).unwrap();
        let (other_share, other_secret) = group.encapsulate(share.as_bytes()).unwrap();
        assert!(server_share.as_bytes() != other_share.as_bytes(), "{group}");
        assert!(secret != other_secret, "{group}: fresh server randomness");
        assert_eq!(
            state.complete(server_share.as_bytes()).unwrap(),
            secret,
            "{group}"
        );
    }
    // Interoperation with rustls's own FIPS X25519MLKEM768 (an independent composition on the
    // same module): ours on the client, rustls's on the server, and the reverse.
    use rustls::crypto::aws_lc_rs::kx_group as native;
    let ours = hybrid_kx::rustls::X25519MLKEM768;
    for (client, server) in [
        (ours, native::X25519MLKEM768),
        (native::X25519MLKEM768, ours),
    ] {
        let exchange = client.start().unwrap();
        let completed = server.start_and_complete(exchange.pub_key()).unwrap();
        let secret = exchange.complete(&completed.pub_key).unwrap();
        assert_eq!(
            secret.secret_bytes(),
            completed.secret.secret_bytes(),
            "{client:?} -> {server:?}"
        );
    }
}
