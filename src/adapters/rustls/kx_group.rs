//! The groups of the table as rustls 0.23 `SupportedKxGroup` values: bytes in, bytes out,
//! errors mapped by their TLS alert. The core decides everything else (lengths, validation,
//! secret order); the exchange itself is the shared `glue::exchange`.

use alloc::boxed::Box;

use ::rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SupportedKxGroup};
use ::rustls::{NamedGroup as RustlsNamedGroup, PeerMisbehaved, ProtocolVersion};

use crate::adapters::glue::exchange::{self, ClientExchange, Failure, KxGroup};
use crate::error::Error;
use crate::shared_secret::SharedSecret;

/// Maps a core error to the rustls error that produces its alert.
///
/// `illegal_parameter` failures become `PeerMisbehaved::InvalidKeyShare`, the error rustls's own
/// providers use for a bad key share; a failed random source `FailedToGetRandomBytes`; the rest
/// `Error::General`. (rustls 0.23 sends `illegal_parameter` for every key-exchange failure
/// whatever the error, so the distinction shows in the local error, not on the wire.)
pub(crate) fn to_rustls_error(err: Error) -> ::rustls::Error {
    match Failure::from(err) {
        Failure::InvalidKeyShare => PeerMisbehaved::InvalidKeyShare.into(),
        Failure::RandomSource => ::rustls::Error::FailedToGetRandomBytes,
        Failure::Internal(err) => ::rustls::Error::General(alloc::format!("hybrid-kx: {err}")),
    }
}

/// The secret as rustls holds it: rustls copies the bytes and zeroizes its copy on drop; ours
/// is zeroized when `secret` drops.
fn to_rustls_secret(secret: &SharedSecret) -> ::rustls::crypto::SharedSecret {
    ::rustls::crypto::SharedSecret::from(secret.as_bytes())
}

impl SupportedKxGroup for KxGroup {
    /// Client side: a fresh key share (RFC 8446 section 4.2.8).
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, ::rustls::Error> {
        Ok(ClientExchange::start(self.group).map_err(to_rustls_error)?)
    }

    /// Server side in one step (the KEM shape of RFC 10024 section 3): validate the client's
    /// share, encapsulate, return our share and the secret.
    fn start_and_complete(
        &self,
        client_share: &[u8],
    ) -> Result<CompletedKeyExchange, ::rustls::Error> {
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

    /// FIPS key establishment: every component on AWS-LC's FIPS module in FIPS mode, and the
    /// secret that comes first an approved scheme's (SP 800-56C rev 2, the rule rustls applies
    /// to its own hybrids); false otherwise, and always without `backend-aws-lc`.
    fn fips(&self) -> bool {
        KxGroup::fips(self)
    }

    /// These groups are defined for TLS 1.3 only (RFC 10024 section 1; draft-ietf-tls-mlkem).
    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

impl ActiveKeyExchange for ClientExchange {
    fn complete(
        self: Box<Self>,
        server_share: &[u8],
    ) -> Result<::rustls::crypto::SharedSecret, ::rustls::Error> {
        ClientExchange::complete(&self, server_share, to_rustls_secret).map_err(to_rustls_error)
    }

    /// The classical half as a standalone share (RFC 9954 section 3.2), so rustls can offer it
    /// beside the hybrid share from one key generation.
    fn hybrid_component(&self) -> Option<(RustlsNamedGroup, &[u8])> {
        self.classical_share()
            .map(|(codepoint, share)| (RustlsNamedGroup::from(codepoint), share))
    }

    fn complete_hybrid_component(
        self: Box<Self>,
        server_share: &[u8],
    ) -> Result<::rustls::crypto::SharedSecret, ::rustls::Error> {
        self.complete_classical(server_share, to_rustls_secret)
            .map_err(to_rustls_error)
    }

    fn pub_key(&self) -> &[u8] {
        self.share()
    }

    fn group(&self) -> RustlsNamedGroup {
        RustlsNamedGroup::from(ClientExchange::group(self).codepoint())
    }
}

crate::groups::group_table!(
    crate::adapters::glue::kx_group_statics,
    ::rustls::crypto::SupportedKxGroup,
    "0.23"
);
