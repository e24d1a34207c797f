//! A rustls 0.23 `CryptoProvider` with this crate's groups first and its key schedule as the
//! TLS 1.3 HKDF: the policy's choices (`glue::policy`) put into rustls 0.23's types.

use alloc::vec::Vec;

use ::rustls::crypto::CryptoProvider;
use ::rustls::crypto::hash::HashAlgorithm;
use ::rustls::crypto::tls13::Hkdf;
use ::rustls::{SupportedCipherSuite, Tls13CipherSuite};

use super::hkdf::{HKDF_SHA256, HKDF_SHA384};
use super::kx_group::kx_group;
use crate::adapters::glue::Sealed;
use crate::adapters::glue::policy::{GroupPolicy, HkdfSource, PolicyBase, Slot};
use crate::adapters::glue::suites::{Copies, copy_once};

/// `base`, with this crate's default groups first (X25519MLKEM768 preferred) and every TLS 1.3
/// cipher suite's HKDF replaced by this crate's key schedule: the one-call form of
/// [`GroupPolicy::default()`]`.build(base)` (see [`GroupPolicy`] for the other policies).
///
/// - Groups: ours come first, in [`crate::NamedGroup::DEFAULT`] order (the opt-in MLKEM512 is
///   left out: add [`super::MLKEM512`] to `kx_groups` to offer it); the base provider's groups
///   follow, X25519 first, minus any with the same codepoint as one of ours (so a base that has
///   its own X25519MLKEM768, like aws-lc-rs, uses ours). Keeping the base's X25519 and
///   secp256r1 lets a client offer the reused classical share beside the hybrid one (RFC 9954
///   section 3.2).
/// - Cipher suites: same order and AEADs as `base`; the SHA-256 and SHA-384 TLS 1.3 suites get
///   [`super::HKDF_SHA256`] / [`super::HKDF_SHA384`]. Suites with another hash and TLS 1.2
///   suites are kept unchanged.
///
/// Cipher suites are `&'static` in rustls, so each distinct base suite is copied once into a
/// process-wide table (a few hundred bytes in total) and reused by later calls.
///
/// # FIPS
///
/// The result is never FIPS: this crate's HKDF reports `fips() == false`, so a FIPS `base`
/// (for example rustls's aws-lc-rs provider in FIPS mode) becomes a provider whose
/// [`CryptoProvider::fips`] (and so `ClientConfig::fips` / `ServerConfig::fips`) is `false`.
/// For a provider that must stay FIPS, use [`GroupPolicy::fips`] instead. See `SECURITY.md`.
pub fn with_hybrid_kx(base: CryptoProvider) -> CryptoProvider {
    GroupPolicy::default().build(base)
}

/// rustls's ring provider with this crate's groups and HKDF: the ready-made choice.
#[cfg(feature = "ring")]
pub fn default_provider() -> CryptoProvider {
    with_hybrid_kx(::rustls::crypto::ring::default_provider())
}

impl Sealed for CryptoProvider {}

impl PolicyBase for CryptoProvider {
    fn apply(self, policy: &GroupPolicy) -> Self {
        let base: Vec<(u16, bool)> = self
            .kx_groups
            .iter()
            .map(|g| (u16::from(g.name()), g.fips()))
            .collect();
        let kx_groups = policy
            .order(&base)
            .into_iter()
            .map(|slot| match slot {
                Slot::Ours(group) => kx_group(group),
                Slot::Base(i) => self.kx_groups[i],
            })
            .collect();
        let provider = CryptoProvider { kx_groups, ..self };
        match policy.hkdf_source() {
            HkdfSource::Ours => with_our_hkdf(provider),
            HkdfSource::Base => provider,
        }
    }
}

/// `base` with this crate's HKDF in every SHA-256 and SHA-384 TLS 1.3 suite (RFC 8446 section
/// 7.1 runs through it); groups untouched.
fn with_our_hkdf(base: CryptoProvider) -> CryptoProvider {
    let cipher_suites = base
        .cipher_suites
        .iter()
        .map(|suite| match suite {
            SupportedCipherSuite::Tls13(tls13) => match our_hkdf(tls13) {
                Some(hkdf) => SupportedCipherSuite::Tls13(with_hkdf(tls13, hkdf)),
                None => *suite,
            },
            #[allow(unreachable_patterns)] // TLS 1.2 suites exist only with rustls's `tls12`
            _ => *suite,
        })
        .collect();
    CryptoProvider {
        cipher_suites,
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
        common: ::rustls::CipherSuiteCommon {
            suite: suite.common.suite,
            hash_provider: suite.common.hash_provider,
            confidentiality_limit: suite.common.confidentiality_limit,
        },
        hkdf_provider: hkdf,
        aead_alg: suite.aead_alg,
        quic: suite.quic,
    })
}
