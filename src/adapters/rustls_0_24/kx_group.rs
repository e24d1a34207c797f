//! The groups of the table as rustls 0.24 `SupportedKxGroup` values. A hybrid's client side
//! starts as `StartedKeyExchange::Hybrid`, so rustls can offer its classical half as a second key
//! share from the same key pair (RFC 9954 section 3.2); a pure ML-KEM group starts as `Single`.

use alloc::boxed::Box;

use ::rustls_0_24::crypto::kx::{
    ActiveKeyExchange, CompletedKeyExchange, HybridKeyExchange, NamedGroup as RustlsNamedGroup,
    SharedSecret as RustlsSecret, StartedKeyExchange, SupportedKxGroup,
};
use ::rustls_0_24::error::{Error as RustlsError, PeerMisbehaved};
use ::rustls_0_24::pki_types::FipsStatus;

use crate::adapters::glue::exchange::{self, ClientExchange, Failure, KxGroup};
use crate::error::Error;
use crate::shared_secret::SharedSecret;

/// The status rustls-aws-lc-rs 0.24 reports for AWS-LC's FIPS module in FIPS mode (its
/// `fips()`), so that a provider mixing its parts and ours reports one certificate.
const AWS_LC_FIPS: FipsStatus = FipsStatus::certified(
    "https://csrc.nist.gov/projects/cryptographic-module-validation-program/certificate/5314",
);

/// Maps a core error to the rustls 0.24 error that produces its alert (see the module docs of
/// `hybrid_kx::rustls_0_24`).
fn to_rustls_error(err: Error) -> RustlsError {
    match Failure::from(err) {
        Failure::InvalidKeyShare => PeerMisbehaved::InvalidKeyShare.into(),
        Failure::RandomSource => RustlsError::FailedToGetRandomBytes,
        Failure::Internal(err) => RustlsError::General(alloc::format!("hybrid-kx: {err}")),
    }
}

/// The secret as rustls holds it: rustls copies the bytes and zeroizes its copy on drop; ours
/// is zeroized when `secret` drops.
fn to_rustls_secret(secret: &SharedSecret) -> RustlsSecret {
    RustlsSecret::from(secret.as_bytes())
}

impl SupportedKxGroup for KxGroup {
    /// Client side: a fresh key share (RFC 8446 section 4.2.8); a hybrid as `Hybrid`, so that
    /// its classical half can ride along.
    fn start(&self) -> Result<StartedKeyExchange, RustlsError> {
        let exchange = ClientExchange::start(self.group).map_err(to_rustls_error)?;
        Ok(if self.group.is_hybrid() {
            StartedKeyExchange::Hybrid(exchange)
        } else {
            StartedKeyExchange::Single(exchange)
        })
    }

    /// Server side in one step (the KEM shape of RFC 10024 section 3): validate the client's
    /// share, encapsulate, return our share and the secret.
    fn start_and_complete(&self, client_share: &[u8]) -> Result<CompletedKeyExchange, RustlsError> {
        exchange::respond(self.group, client_share, |share, secret| {
            CompletedKeyExchange {
                group: self.name(),
                pub_key: share.as_bytes().to_vec(),
                secret: to_rustls_secret(secret),
            }
        })
        .map_err(to_rustls_error)
    }

    fn name(&self) -> RustlsNamedGroup {
        RustlsNamedGroup::from(self.group.codepoint())
    }

    /// As the 0.23 adapter decides it (every component on AWS-LC's FIPS module in FIPS mode,
    /// the first secret approved, SP 800-56C rev 2), with the status rustls-aws-lc-rs reports
    /// for that module; `Unvalidated` otherwise (this crate's own code is not validated,
    /// SECURITY.md).
    fn fips(&self) -> FipsStatus {
        if KxGroup::fips(self) {
            AWS_LC_FIPS
        } else {
            FipsStatus::Unvalidated
        }
    }
}

impl ActiveKeyExchange for ClientExchange {
    fn complete(self: Box<Self>, server_share: &[u8]) -> Result<RustlsSecret, RustlsError> {
        ClientExchange::complete(&self, server_share, to_rustls_secret).map_err(to_rustls_error)
    }

    fn pub_key(&self) -> &[u8] {
        self.share()
    }

    fn group(&self) -> RustlsNamedGroup {
        RustlsNamedGroup::from(ClientExchange::group(self).codepoint())
    }
}

impl HybridKeyExchange for ClientExchange {
    /// The classical half as a standalone share (RFC 9954 section 3.2). Only hybrids start as
    /// `Hybrid`, so the half is always there; `0x0000` (no group) with an empty share could only
    /// come from a pure ML-KEM state, which rustls never asks.
    fn component(&self) -> (RustlsNamedGroup, &[u8]) {
        let (codepoint, share) = self.classical_share().unwrap_or((0, &[]));
        (RustlsNamedGroup::from(codepoint), share)
    }

    fn complete_component(
        self: Box<Self>,
        server_share: &[u8],
    ) -> Result<RustlsSecret, RustlsError> {
        self.complete_classical(server_share, to_rustls_secret)
            .map_err(to_rustls_error)
    }

    fn as_key_exchange(&self) -> &(dyn ActiveKeyExchange + 'static) {
        self
    }

    fn into_key_exchange(self: Box<Self>) -> Box<dyn ActiveKeyExchange> {
        self
    }
}

crate::groups::group_table!(
    crate::adapters::glue::kx_group_statics,
    ::rustls_0_24::crypto::kx::SupportedKxGroup,
    "0.24"
);
