//! The aws-lc-rs backend: AWS-LC (s2n-bignum's formally verified P-256, P-384 and X25519
//! assembly, mlkem-native's ML-KEM) through aws-lc-rs's safe API, for every primitive; AWS-LC's
//! FIPS module instead when the final build turns on `aws-lc-rs/fips`.
//!
//! What the safe API cannot do, and what the crate does about it:
//! - ML-KEM key generation takes no `d ‖ z` and encapsulation no `m`: both draw from AWS-LC's
//!   DRBG. The ML-KEM code says so (`Code::TAKES_SEED` is `false`) and runs only operations on
//!   the operating system's randomness; seeded ones run on another backend.
//! - It imports an expanded ML-KEM decapsulation key but checks only its length (the `H(ek)`
//!   check of FIPS 203 section 7.3 runs at decapsulation): the portable reference checks every
//!   imported key first (`PrivateKey::from_expanded_key`).
//! - Its EC peer-key parser accepts compressed, hybrid and DER encodings, more than RFC 8446
//!   section 4.2.8.2 allows: the EC code checks the uncompressed form itself first.
//! - Its failures carry no reason (`Unspecified`); each is mapped to the crate's error for the
//!   check that failed, as the other backends report it.
//!
//! Keys live in AWS-LC's `EVP_PKEY` objects on the C heap; AWS-LC wipes every allocation when it
//! frees it (`OPENSSL_free` calls `OPENSSL_cleanse`). A public-key object made from a private
//! key shares that `EVP_PKEY`, so the code copies the public bytes out and drops such objects at
//! once: the private key's memory is then freed, and wiped, when the crate's key drops.

pub(crate) mod agreement;
pub(crate) mod ecdh;
pub(crate) mod mlkem;
pub(crate) mod x25519;

use core::sync::atomic::AtomicU8;

use super::Backend;
use super::code::Family;

/// The aws-lc-rs family: runs on every CPU (AWS-LC picks its assembly with its own CPU
/// detection).
pub struct AwsLc;

impl Family for AwsLc {
    const BACKEND: Backend = Backend::AwsLc;
    type Cpu = ();
    fn cpu() -> Option<()> {
        Some(())
    }
}

/// Whether aws-lc-rs runs here (always, once compiled in).
pub(crate) fn cpu() -> Option<()> {
    AwsLc::cpu()
}

/// Whether aws-lc-rs runs AWS-LC's FIPS module in FIPS mode (`aws_lc_rs::try_fips_mode`, which
/// fails unless the build linked the FIPS module through `aws-lc-rs/fips`); asked once per
/// process, since it cannot change while the process runs.
pub(crate) fn fips_mode() -> bool {
    static FIPS: AtomicU8 = AtomicU8::new(0);
    super::checked_once(&FIPS, || aws_lc_rs::try_fips_mode().is_ok())
}
