//! A rustls 0.24 `CryptoProvider` with this crate's groups first and its key schedule as the
//! TLS 1.3 HKDF: the policy's choices (`glue::policy`) put into rustls 0.24's types.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use ::rustls_0_24::crypto::tls13::Hkdf;
use ::rustls_0_24::crypto::{CryptoProvider, HashAlgorithm};
use ::rustls_0_24::pki_types::FipsStatus;
use ::rustls_0_24::{CipherSuiteCommon, Tls13CipherSuite};

use super::hkdf::{HKDF_SHA256, HKDF_SHA384};
use super::kx_group::kx_group;
use crate::adapters::glue::Sealed;
use crate::adapters::glue::policy::{GroupPolicy, HkdfSource, PolicyBase, Slot};
use crate::adapters::glue::suites::{Copies, copy_once};

/// `base`, with this crate's default groups first (X25519MLKEM768 preferred), the base's
/// classical groups after them, and every SHA-256/SHA-384 TLS 1.3 suite's HKDF replaced by this
/// crate's key schedule: [`GroupPolicy::default()`]`.build(base)`, as
/// `hybrid_kx::rustls::with_hybrid_kx` does for rustls 0.23 (same groups, same order, same
/// HKDF; see there for the details).
///
/// # FIPS
///
/// Our HKDF reports `FipsStatus::Unvalidated`, so the result of a FIPS base is not FIPS (rustls
/// takes the minimum over every part). For a provider that must stay FIPS, use
/// [`GroupPolicy::fips`] instead. See `SECURITY.md`.
pub fn with_hybrid_kx(base: CryptoProvider) -> CryptoProvider {
    GroupPolicy::default().build(base)
}

/// The rustls-ring provider (`rustls_ring::DEFAULT_PROVIDER`, which has no post-quantum group)
/// with this crate's groups and HKDF: the ready-made choice.
#[cfg(feature = "ring-0_24")]
pub fn default_provider() -> CryptoProvider {
    with_hybrid_kx(::rustls_ring_0_24::DEFAULT_PROVIDER)
}

impl Sealed for CryptoProvider {}

impl PolicyBase for CryptoProvider {
    fn apply(self, policy: &GroupPolicy) -> Self {
        let base: Vec<(u16, bool)> = self
            .kx_groups
            .iter()
            .map(|g| (g.name().0, !matches!(g.fips(), FipsStatus::Unvalidated)))
            .collect();
        let kx_groups = policy
            .order(&base)
            .into_iter()
            .map(|slot| match slot {
                Slot::Ours(group) => kx_group(group),
                Slot::Base(i) => self.kx_groups[i],
            })
            .collect::<Vec<_>>();
        let provider = CryptoProvider {
            kx_groups: Cow::Owned(kx_groups),
            ..self
        };
        match policy.hkdf_source() {
            HkdfSource::Ours => with_our_hkdf(provider),
            HkdfSource::Base => provider,
        }
    }
}

/// `base` with this crate's HKDF in every SHA-256 and SHA-384 TLS 1.3 suite; groups and TLS 1.2
/// suites untouched.
fn with_our_hkdf(base: CryptoProvider) -> CryptoProvider {
    let suites = base
        .tls13_cipher_suites
        .iter()
        .map(|&suite| match our_hkdf(suite) {
            Some(hkdf) => with_hkdf(suite, hkdf),
            None => suite,
        })
        .collect::<Vec<_>>();
    CryptoProvider {
        tls13_cipher_suites: Cow::Owned(suites),
        ..base
    }
}

/// The HKDF of ours for a suite's hash, if we implement that hash.
fn our_hkdf(suite: &Tls13CipherSuite) -> Option<&'static dyn Hkdf> {
    match suite.common.hash_provider.algorithm() {
        HashAlgorithm::SHA256 => Some(HKDF_SHA256),
        HashAlgorithm::SHA384 => Some(HKDF_SHA384),
        _ => None,
    }
}

/// Base suites already copied with our HKDF.
static SUITES: Copies<Tls13CipherSuite> = Copies::new(Vec::new());

/// `suite` with `hkdf` as its HKDF provider, as a `'static` (copied once per base suite).
fn with_hkdf(
    suite: &'static Tls13CipherSuite,
    hkdf: &'static dyn Hkdf,
) -> &'static Tls13CipherSuite {
    copy_once(&SUITES, suite, || Tls13CipherSuite {
        common: CipherSuiteCommon {
            suite: suite.common.suite,
            hash_provider: suite.common.hash_provider,
            confidentiality_limit: suite.common.confidentiality_limit,
        },
        protocol_version: suite.protocol_version,
        hkdf_provider: hkdf,
        aead_alg: suite.aead_alg,
        quic: suite.quic,
    })
}
