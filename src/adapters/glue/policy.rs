//! Group policy: which of this crate's groups a rustls `CryptoProvider` offers, in which order,
//! whether the reused classical share goes with them, and whose HKDF runs the TLS 1.3 key
//! schedule. The same policy, presets and ordering for every rustls version; each adapter only
//! puts the result into its own `CryptoProvider` ([`PolicyBase`]).
//!
//! A client's `supported_groups` extension lists its groups in preference order
//! (RFC 8446 section 4.2.7), and rustls sends a `key_share` only for the first of them
//! (section 4.2.8). A server that shares a group with the client but none of the offered shares
//! answers with a HelloRetryRequest (section 4.1.4), one more round trip. The choice of the
//! first group, and of the classical share that rides with it (RFC 9954 section 3.2 key-share
//! reuse), is therefore what decides whether a given server costs one or two round trips; the
//! presets below each fix that choice for one kind of deployment.

use alloc::vec::Vec;

use crate::groups::NamedGroup;

/// Which of the base provider's classical (non-post-quantum) groups a [`GroupPolicy`] keeps.
///
/// rustls offers a hybrid group's classical half as a second `key_share` entry exactly when the
/// matching classical group is in `kx_groups` (RFC 9954 section 3.2; rustls's
/// `ActiveKeyExchange::hybrid_component`), and a group in `kx_groups` is also in
/// `supported_groups`, so a server may pick it. The two cannot be separated: offering the reused
/// share *is* offering the classical group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassicalGroups {
    /// None of the base's groups: only this crate's groups are offered, so there is no reused
    /// classical share and no classical fallback. A classical-only peer fails the handshake
    /// (`handshake_failure`, RFC 8446 section 4.1.1) instead of silently negotiating a
    /// quantum-vulnerable group.
    None,
    /// Only the base's group matching the classical half of the *first* group (X25519,
    /// secp256r1 or secp384r1), right after this crate's groups: the ClientHello carries the
    /// reused share, and that one classical group is the only fallback. Nothing is kept when the
    /// first group is a pure ML-KEM group (it has no classical half).
    ReusedShareOnly,
    /// The matching group as for [`Self::ReusedShareOnly`], then every other base group in the
    /// base's order (minus any with one of this crate's codepoints, so ours are used): the
    /// widest interoperability, for clients that meet classical-only servers.
    All,
    /// As [`Self::All`], but only the base's groups that report FIPS status themselves
    /// (`SupportedKxGroup::fips`): on a FIPS base in FIPS mode, secp256r1 and secp384r1 (SP
    /// 800-56A rev 3) and not X25519, so no X25519 share is reused and the provider stays
    /// FIPS. On a base that is not in FIPS mode, none.
    Fips,
}

/// Whose HKDF runs the TLS 1.3 key schedule (RFC 8446 section 7.1) of the provider's cipher
/// suites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HkdfSource {
    /// This crate's HKDF (the adapter's `HKDF_SHA256` / `HKDF_SHA384`) for the SHA-256 and SHA-384
    /// TLS 1.3 suites (the default): the key schedule is part of what this crate delivers and
    /// tests against RFC 8448, and keeps every hybrid secret in zeroizing buffers.
    Ours,
    /// The base provider's suites unchanged: for a validated (FIPS 140-3) base whose module
    /// boundary must include the key derivation, or any deployment that only wants the groups
    /// added without replacing the HKDF.
    Base,
}

/// A builder of a rustls `CryptoProvider` from any base provider: this crate's groups in a
/// chosen order, a choice of the base's classical groups, and a choice of HKDF.
///
/// Start from a preset ([`Self::default`], [`Self::nist`], [`Self::cnsa2`], [`Self::pq_only`],
/// [`Self::fips`]) or from [`Self::new`], adjust, then [`Self::build`]:
///
/// ```
/// # #[cfg(feature = "ring")] {
/// use hybrid_kx::NamedGroup;
/// use hybrid_kx::rustls::{ClassicalGroups, GroupPolicy, HkdfSource};
///
/// let provider = GroupPolicy::new(&[NamedGroup::SecP256r1MLKEM768, NamedGroup::X25519MLKEM768])
///     .classical(ClassicalGroups::ReusedShareOnly)
///     .hkdf(HkdfSource::Base)
///     .build(rustls::crypto::ring::default_provider());
/// let names: Vec<u16> = provider.kx_groups.iter().map(|g| u16::from(g.name())).collect();
/// assert_eq!(names, [0x11EB, 0x11EC, 0x0017]); // the hybrids, then secp256r1 for the reused share
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupPolicy {
    groups: Vec<NamedGroup>,
    classical: ClassicalGroups,
    hkdf: HkdfSource,
}

impl Default for GroupPolicy {
    /// The default policy, what each adapter's `with_hybrid_kx` applies: the groups of
    /// [`NamedGroup::DEFAULT`] (X25519MLKEM768 first, the most deployed hybrid; MLKEM512 left
    /// out as opt-in), every classical group of the base after them
    /// ([`ClassicalGroups::All`]), and this crate's HKDF.
    ///
    /// For a general-purpose client: its first flight carries the X25519MLKEM768 share and the
    /// reused X25519 share, so a hybrid server and an X25519-only server both finish in one
    /// round trip (RFC 9954 section 3.2), and a P-256-only server still completes after a
    /// HelloRetryRequest.
    fn default() -> Self {
        Self::new(NamedGroup::DEFAULT)
    }
}

impl GroupPolicy {
    /// `groups` in this order (a repeated group is kept at its first place), with
    /// [`ClassicalGroups::All`] and [`HkdfSource::Ours`].
    ///
    /// The order is the client's preference order in `supported_groups` (RFC 8446 section
    /// 4.2.7), and the first group is the one whose share rustls sends (section 4.2.8).
    pub fn new(groups: &[NamedGroup]) -> Self {
        let mut unique = Vec::with_capacity(groups.len());
        for &group in groups {
            if !unique.contains(&group) {
                unique.push(group);
            }
        }
        Self {
            groups: unique,
            classical: ClassicalGroups::All,
            hkdf: HkdfSource::Ours,
        }
    }

    /// NIST curves first: SecP256r1MLKEM768 (RFC 10024) with a reused secp256r1 share, then the
    /// other default groups, then the base's classical groups with secp256r1 first.
    ///
    /// For clients that talk to servers that only do P-256 (many FIPS-configured and
    /// hardware-backed servers): with the default policy such a server sees only X25519MLKEM768
    /// and X25519 shares and answers with a HelloRetryRequest (rustls#2495); with this one
    /// it picks the secp256r1 share, or the hybrid if it has it, in one round trip.
    pub fn nist() -> Self {
        Self::new(&[
            NamedGroup::SecP256r1MLKEM768,
            NamedGroup::X25519MLKEM768,
            NamedGroup::SecP384r1MLKEM1024,
            NamedGroup::MLKEM768,
            NamedGroup::MLKEM1024,
        ])
    }

    /// CNSA 2.0: SecP384r1MLKEM1024 only, with a reused secp384r1 share and no other group.
    ///
    /// For US national-security-system deployments moving to CNSA 2.0, whose key establishment
    /// is ML-KEM-1024: SecP384r1MLKEM1024 (RFC 10024) pairs it with P-384, the CNSA 1.0 curve,
    /// so the connection stays at least as strong as CNSA 1.0 during the transition. The
    /// secp384r1 share keeps one round trip with P-384-only (CNSA 1.0) servers, which then
    /// negotiate plain secp384r1; a deployment that must refuse them sets
    /// [`ClassicalGroups::None`] on top.
    pub fn cnsa2() -> Self {
        Self::new(&[NamedGroup::SecP384r1MLKEM1024]).classical(ClassicalGroups::ReusedShareOnly)
    }

    /// Post-quantum only: the pure ML-KEM groups of draft-ietf-tls-mlkem, MLKEM1024 then
    /// MLKEM768, and no classical group at all.
    ///
    /// For closed deployments that have decided against elliptic curves (draft-ietf-tls-mlkem
    /// defines these groups for them: one standardised KEM, no hybrid combiner). Such a
    /// client cannot talk to a classical-only server at all: the handshake fails rather than
    /// falling back. MLKEM512 stays opt-in (add it with [`Self::new`]).
    pub fn pq_only() -> Self {
        Self::new(&[NamedGroup::MLKEM1024, NamedGroup::MLKEM768]).classical(ClassicalGroups::None)
    }

    /// FIPS 140-3: the three hybrids of RFC 10024 (X25519MLKEM768, SecP256r1MLKEM768,
    /// SecP384r1MLKEM1024, in that order), then the base's FIPS classical groups
    /// ([`ClassicalGroups::Fips`]), with the base's HKDF ([`HkdfSource::Base`]).
    ///
    /// For a provider that must stay FIPS (its `fips()`, and so `ClientConfig::fips()` and
    /// `ServerConfig::fips()`, true): build it on rustls's aws-lc-rs FIPS provider
    /// (`rustls::crypto::default_fips_provider()` on 0.23 with rustls's `fips` feature;
    /// `rustls_aws_lc_rs::DEFAULT_FIPS_PROVIDER` on 0.24), which turns on `aws-lc-rs/fips`, with
    /// this crate's `backend-aws-lc`: every part of the groups then runs on AWS-LC's FIPS
    /// module, and each group reports FIPS exactly when its secret qualifies (SP 800-56C rev 2:
    /// the part that comes first decides, so all three hybrids do; the rule is rustls's own).
    /// The key schedule stays in the module (the base's HKDF). Anything else (no
    /// `backend-aws-lc`, no FIPS module) gives a provider that says it is not FIPS; nothing
    /// fails silently. What is validated: SECURITY.md, "FIPS status".
    pub fn fips() -> Self {
        Self::new(&[
            NamedGroup::X25519MLKEM768,
            NamedGroup::SecP256r1MLKEM768,
            NamedGroup::SecP384r1MLKEM1024,
        ])
        .classical(ClassicalGroups::Fips)
        .hkdf(HkdfSource::Base)
    }

    /// Replaces the groups (see [`Self::new`]), keeping the other choices.
    #[must_use]
    pub fn groups(self, groups: &[NamedGroup]) -> Self {
        Self {
            groups: Self::new(groups).groups,
            ..self
        }
    }

    /// Which classical groups of the base are kept (and so whether the reused share is offered).
    #[must_use]
    pub fn classical(self, classical: ClassicalGroups) -> Self {
        Self { classical, ..self }
    }

    /// Whose HKDF runs the TLS 1.3 key schedule.
    #[must_use]
    pub fn hkdf(self, hkdf: HkdfSource) -> Self {
        Self { hkdf, ..self }
    }

    /// This crate's groups of the policy, in order.
    pub fn named_groups(&self) -> &[NamedGroup] {
        &self.groups
    }

    /// The classical-group choice.
    pub fn classical_groups(&self) -> ClassicalGroups {
        self.classical
    }

    /// The HKDF choice.
    pub fn hkdf_source(&self) -> HkdfSource {
        self.hkdf
    }

    /// `base` under this policy: this crate's groups in the policy's order, then the base's
    /// classical groups the policy keeps ([`ClassicalGroups`]), and with [`HkdfSource::Ours`]
    /// this crate's HKDF in every SHA-256 and SHA-384 TLS 1.3 cipher suite (same order and AEADs;
    /// TLS 1.2 suites and other hashes unchanged). Everything else (signature verification,
    /// randomness, key loading) stays the base's.
    ///
    /// `base` is a rustls 0.23 `CryptoProvider` (feature `rustls`) or a rustls 0.24 one (feature
    /// `rustls-0_24`), and the result is of the same version.
    ///
    /// Classical groups come after all of ours, never between them: `supported_groups` is a
    /// preference order (RFC 8446 section 4.2.7), so X25519 placed right after X25519MLKEM768
    /// would rank a quantum-vulnerable group above SecP256r1MLKEM768 for every server that
    /// honours client preference.
    pub fn build<P: PolicyBase>(&self, base: P) -> P {
        base.apply(self)
    }

    /// The provider's groups in order, for the base's groups `base` (their codepoints, and
    /// whether each reports FIPS status): every group of the policy, then the base's that the
    /// policy keeps.
    pub(crate) fn order(&self, base: &[(u16, bool)]) -> Vec<Slot> {
        let mut out: Vec<Slot> = self.groups.iter().map(|&g| Slot::Ours(g)).collect();
        // The base's groups that are not one of ours (a base with its own X25519MLKEM768, like
        // aws-lc-rs, uses ours instead), and for `Fips` only those that report FIPS.
        let fips_only = self.classical == ClassicalGroups::Fips;
        let classical = base
            .iter()
            .enumerate()
            .filter(move |&(_, &(codepoint, fips))| {
                NamedGroup::from_codepoint(codepoint).is_none() && (fips || !fips_only)
            })
            .map(|(i, &(codepoint, _))| (i, codepoint));
        let reused = self.groups.first().and_then(|g| g.classical_codepoint());
        let matches = |&(_, codepoint): &(usize, u16)| Some(codepoint) == reused;
        let first = classical.clone().find(matches).map(|(i, _)| Slot::Base(i));
        match self.classical {
            ClassicalGroups::None => {}
            ClassicalGroups::ReusedShareOnly => out.extend(first),
            ClassicalGroups::All | ClassicalGroups::Fips => {
                out.extend(first);
                out.extend(
                    classical
                        .filter(|entry| !matches(entry))
                        .map(|(i, _)| Slot::Base(i)),
                );
            }
        }
        out
    }
}

/// One place of a provider's group list under a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// One of this crate's groups.
    Ours(NamedGroup),
    /// The base provider's group at this index.
    Base(usize),
}

/// A rustls `CryptoProvider` a [`GroupPolicy`] applies to: the one of each rustls version this
/// crate has an adapter for. Sealed.
pub trait PolicyBase: Sized + super::Sealed {
    /// `self` under `policy` (see [`GroupPolicy::build`]).
    fn apply(self, policy: &GroupPolicy) -> Self;
}
