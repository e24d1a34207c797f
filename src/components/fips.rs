//! FIPS 140-3 status of a composition: what the rustls adapters report for each group
//! (`SupportedKxGroup::fips`).
//!
//! A group counts as FIPS key establishment when two things hold:
//! - every primitive runs inside a validated module in FIPS mode
//!   ([`Backend::is_fips_module`](crate::Backend::is_fips_module): aws-lc-rs on AWS-LC's FIPS
//!   module, which then goes first for every primitive, on the operating-system-random paths the
//!   adapters use);
//! - the secret qualifies. A primitive qualifies when it is an approved scheme: ML-KEM (FIPS
//!   203, SP 800-227) and ECDH on P-256 and P-384 (SP 800-56A rev 3, whose appendix D lists the
//!   approved curves); X25519 (RFC 7748) is not one. A hybrid's secret `Z' = Z ‖ T` qualifies
//!   when `Z`, the part that comes first, does (SP 800-56C rev 2 section 2: an approved secret
//!   followed by auxiliary key material): ML-KEM decides X25519MLKEM768, the curve decides
//!   SecP256r1MLKEM768 and SecP384r1MLKEM1024. rustls decides its own hybrids by the same rule
//!   (`Hybrid::fips` in rustls 0.23 and 0.24).

use super::hybrid::Hybrid;
use super::key::{Implementations, preferred};
use crate::backend::code::Source;

/// The FIPS 140-3 status of a composition (see the module docs).
pub(crate) trait Fips {
    /// Whether every primitive runs inside a validated module in FIPS mode here.
    fn in_fips_module() -> bool;
    /// Whether the composition counts as FIPS key establishment here: every primitive in the
    /// module, and the secret that comes first approved.
    fn fips() -> bool;
}

impl<P: Implementations> Fips for P {
    fn in_fips_module() -> bool {
        preferred::<P>(Source::System).is_fips_module()
    }

    fn fips() -> bool {
        P::SHAPE.fips_approved && Self::in_fips_module()
    }
}

impl<A: Fips, B: Fips> Fips for Hybrid<A, B> {
    fn in_fips_module() -> bool {
        A::in_fips_module() && B::in_fips_module()
    }

    /// `A`'s secret comes first in the hybrid's (RFC 10024 section 4), so `A` decides; `B`
    /// must run in the module too.
    fn fips() -> bool {
        A::fips() && B::in_fips_module()
    }
}
