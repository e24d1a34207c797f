//! The secret chain of RFC 8446 section 7.1, as a typestate.
//!
//! ```text
//!              0
//!              |
//!              v
//!    PSK ->  HKDF-Extract = Early Secret          --> EarlySecret
//!              |
//!              +-----> Derive-Secret(., "ext binder" | "res binder", "")
//!              |                     = binder_key
//!              +-----> Derive-Secret(., "c e traffic", ClientHello)
//!              |                     = client_early_traffic_secret
//!              +-----> Derive-Secret(., "e exp master", ClientHello)
//!              |                     = early_exporter_master_secret
//!              v
//!        Derive-Secret(., "derived", "")
//!              |
//!              v
//!    (EC)DHE -> HKDF-Extract = Handshake Secret   --> HandshakeSecret
//!              |
//!              +-----> Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
//!              +-----> Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
//!              v
//!        Derive-Secret(., "derived", "")
//!              |
//!              v
//!    0 -> HKDF-Extract = Master Secret            --> MasterSecret
//!              |
//!              +-----> Derive-Secret(., "c ap traffic", ClientHello...server Finished)
//!              +-----> Derive-Secret(., "s ap traffic", ClientHello...server Finished)
//!              +-----> Derive-Secret(., "exp master", ClientHello...server Finished)
//!              +-----> Derive-Secret(., "res master", ClientHello...client Finished)
//! ```
//!
//! Moving to the next stage consumes the previous one, so its secret is wiped
//! and cannot be used out of order.

use super::exporter::ExporterMasterSecret;
use super::hkdf::{HmacTag, extract_buf};
use super::hkdf_label::{StaticLabel, expand_label_hash_len, labels};
use super::resumption::{ResumptionMasterSecret, ResumptionPsk};
use super::secret::{SecretBuf, define_hash_secret};
use super::traffic::{
    ApplicationTrafficSecret, EarlyTrafficSecret, FinishedKey, HandshakeTrafficSecret,
    impl_finished_key,
};
use super::{HashAlgorithm, TranscriptHash};

define_hash_secret!(
    /// The Early Secret, `HKDF-Extract(0, PSK)` (RFC 8446 section 7.1): first
    /// stage of the key schedule. Source of the binder key, the 0-RTT secrets
    /// and (via [`Self::into_handshake_secret`]) the Handshake Secret.
    EarlySecret
);

define_hash_secret!(
    /// `Derive-Secret(stage secret, "derived", "")` (RFC 8446 section 7.1): the
    /// salt of the next HKDF-Extract. Exposed for tests against published
    /// traces; the typestate transitions compute it internally.
    DerivedSecret
);

define_hash_secret!(
    /// `binder_key` (RFC 8446 section 7.1): the BaseKey of the PSK binder
    /// (RFC 8446 section 4.2.11.2), which proves knowledge of the PSK.
    BinderKey
);

define_hash_secret!(
    /// The Handshake Secret, `HKDF-Extract(derived, (EC)DHE)` (RFC 8446
    /// section 7.1): second stage, source of the handshake traffic secrets.
    ///
    /// For hybrid key exchange the IKM is the concatenated hybrid shared
    /// secret (RFC 9954 section 3.3), used unchanged.
    HandshakeSecret
);

define_hash_secret!(
    /// The Master Secret, `HKDF-Extract(derived, 0)` (RFC 8446 section 7.1):
    /// final stage, source of the application traffic, exporter and
    /// resumption secrets.
    MasterSecret
);

/// Which kind of PSK a binder key is for (RFC 8446 sections 4.2.11.2 and 7.1).
///
/// The binder key labels differ ("ext binder" vs "res binder") so that a
/// binder computed for one kind can never be accepted as the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PskKind {
    /// An externally established PSK: label `"ext binder"`.
    External,
    /// A PSK from a NewSessionTicket (RFC 8446 section 4.6.1): label `"res binder"`.
    Resumption,
}

/// `Derive-Secret(secret, label, context)` for the fixed labels of RFC 8446.
fn derive<H: HashAlgorithm>(
    secret: &SecretBuf,
    label: StaticLabel,
    context: &TranscriptHash<H>,
) -> SecretBuf {
    expand_label_hash_len::<H>(secret, label, context.as_bytes())
}

/// `Derive-Secret(secret, "derived", "")` (RFC 8446 section 7.1).
fn derived<H: HashAlgorithm>(secret: &SecretBuf) -> SecretBuf {
    derive::<H>(secret, labels::DERIVED, &TranscriptHash::empty())
}

/// `HKDF-Extract(Derive-Secret(secret, "derived", ""), ikm)`, with `0^HashLen` as
/// IKM when `ikm` is `None` (RFC 8446 section 7.1).
fn next_stage<H: HashAlgorithm>(secret: &SecretBuf, ikm: Option<&[u8]>) -> SecretBuf {
    let salt = derived::<H>(secret);
    extract_or_zeros::<H>(Some(salt.as_bytes()), ikm)
}

/// `HKDF-Extract(salt, ikm)` with `0^HashLen` as IKM when `ikm` is `None`.
fn extract_or_zeros<H: HashAlgorithm>(salt: Option<&[u8]>, ikm: Option<&[u8]>) -> SecretBuf {
    let zeros = [0u8; super::MAX_SECRET_LEN];
    let ikm = ikm.unwrap_or_else(|| zeros.get(..H::HASH_LEN).unwrap_or(&zeros));
    extract_buf::<H>(salt, ikm)
}

impl<H: HashAlgorithm> EarlySecret<H> {
    /// `Early Secret = HKDF-Extract(0, PSK)` (RFC 8446 section 7.1).
    ///
    /// `psk` is the external or resumption PSK; `None` means no PSK, in which
    /// case RFC 8446 section 7.1 uses `HashLen` zero bytes as IKM.
    #[must_use]
    pub fn new(psk: Option<&[u8]>) -> Self {
        Self::from_buf(extract_or_zeros::<H>(None, psk))
    }

    /// `Early Secret = HKDF-Extract(0, PSK)` with a resumption PSK from a
    /// previous connection (RFC 8446 sections 4.6.1 and 7.1).
    #[must_use]
    pub fn from_resumption_psk(psk: &ResumptionPsk<H>) -> Self {
        Self::new(Some(psk.as_bytes()))
    }

    /// `binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "")`
    /// (RFC 8446 section 7.1), the BaseKey of the PSK binder (section 4.2.11.2).
    #[must_use]
    pub fn binder_key(&self, kind: PskKind) -> BinderKey<H> {
        let label = match kind {
            PskKind::External => labels::EXT_BINDER,
            PskKind::Resumption => labels::RES_BINDER,
        };
        BinderKey::from_buf(derive::<H>(self.buf(), label, &TranscriptHash::empty()))
    }

    /// `client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic",
    /// ClientHello)` (RFC 8446 section 7.1), protecting 0-RTT data.
    #[must_use]
    pub fn client_early_traffic_secret(
        &self,
        client_hello: &TranscriptHash<H>,
    ) -> EarlyTrafficSecret<H> {
        EarlyTrafficSecret::from_buf(derive::<H>(self.buf(), labels::C_E_TRAFFIC, client_hello))
    }

    /// `early_exporter_master_secret = Derive-Secret(Early Secret, "e exp master",
    /// ClientHello)` (RFC 8446 sections 7.1 and 7.5).
    #[must_use]
    pub fn early_exporter_master_secret(
        &self,
        client_hello: &TranscriptHash<H>,
    ) -> ExporterMasterSecret<H> {
        ExporterMasterSecret::from_buf(derive::<H>(self.buf(), labels::E_EXP_MASTER, client_hello))
    }

    /// `Derive-Secret(Early Secret, "derived", "")` (RFC 8446 section 7.1), the
    /// salt of the Handshake Secret.
    #[must_use]
    pub fn derived_secret(&self) -> DerivedSecret<H> {
        DerivedSecret::from_buf(derived::<H>(self.buf()))
    }

    /// `Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""),
    /// (EC)DHE)` (RFC 8446 section 7.1). Consumes (and wipes) the Early Secret.
    ///
    /// `shared_secret` is the key-exchange output: the (EC)DHE shared secret,
    /// or for a hybrid group the concatenated hybrid shared secret (RFC 9954
    /// section 3.3). `None` (PSK-only key exchange, `psk_ke`) means `HashLen`
    /// zero bytes.
    #[must_use]
    pub fn into_handshake_secret(self, shared_secret: Option<&[u8]>) -> HandshakeSecret<H> {
        HandshakeSecret::from_buf(next_stage::<H>(self.buf(), shared_secret))
    }
}

impl_finished_key!(BinderKey);

impl<H: HashAlgorithm> BinderKey<H> {
    /// The PSK binder: `HMAC(finished_key, Transcript-Hash(Truncate(ClientHello1)))`
    /// (RFC 8446 section 4.2.11.2). Check a received binder with `==`, which
    /// is constant-time.
    #[must_use]
    pub fn binder(&self, truncated_client_hello: &TranscriptHash<H>) -> HmacTag<H> {
        self.finished_key().verify_data(truncated_client_hello)
    }
}

impl<H: HashAlgorithm> HandshakeSecret<H> {
    /// `client_handshake_traffic_secret = Derive-Secret(Handshake Secret,
    /// "c hs traffic", ClientHello...ServerHello)` (RFC 8446 section 7.1).
    #[must_use]
    pub fn client_handshake_traffic_secret(
        &self,
        ch_to_sh: &TranscriptHash<H>,
    ) -> HandshakeTrafficSecret<H> {
        HandshakeTrafficSecret::from_buf(derive::<H>(self.buf(), labels::C_HS_TRAFFIC, ch_to_sh))
    }

    /// `server_handshake_traffic_secret = Derive-Secret(Handshake Secret,
    /// "s hs traffic", ClientHello...ServerHello)` (RFC 8446 section 7.1).
    #[must_use]
    pub fn server_handshake_traffic_secret(
        &self,
        ch_to_sh: &TranscriptHash<H>,
    ) -> HandshakeTrafficSecret<H> {
        HandshakeTrafficSecret::from_buf(derive::<H>(self.buf(), labels::S_HS_TRAFFIC, ch_to_sh))
    }

    /// `Derive-Secret(Handshake Secret, "derived", "")` (RFC 8446 section 7.1),
    /// the salt of the Master Secret.
    #[must_use]
    pub fn derived_secret(&self) -> DerivedSecret<H> {
        DerivedSecret::from_buf(derived::<H>(self.buf()))
    }

    /// `Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived",
    /// ""), 0)` (RFC 8446 section 7.1), with `HashLen` zero bytes as IKM.
    /// Consumes (and wipes) the Handshake Secret.
    #[must_use]
    pub fn into_master_secret(self) -> MasterSecret<H> {
        MasterSecret::from_buf(next_stage::<H>(self.buf(), None))
    }
}

impl<H: HashAlgorithm> MasterSecret<H> {
    /// `client_application_traffic_secret_0 = Derive-Secret(Master Secret,
    /// "c ap traffic", ClientHello...server Finished)` (RFC 8446 section 7.1).
    #[must_use]
    pub fn client_application_traffic_secret_0(
        &self,
        ch_to_server_finished: &TranscriptHash<H>,
    ) -> ApplicationTrafficSecret<H> {
        ApplicationTrafficSecret::from_buf(derive::<H>(
            self.buf(),
            labels::C_AP_TRAFFIC,
            ch_to_server_finished,
        ))
    }

    /// `server_application_traffic_secret_0 = Derive-Secret(Master Secret,
    /// "s ap traffic", ClientHello...server Finished)` (RFC 8446 section 7.1).
    #[must_use]
    pub fn server_application_traffic_secret_0(
        &self,
        ch_to_server_finished: &TranscriptHash<H>,
    ) -> ApplicationTrafficSecret<H> {
        ApplicationTrafficSecret::from_buf(derive::<H>(
            self.buf(),
            labels::S_AP_TRAFFIC,
            ch_to_server_finished,
        ))
    }

    /// `exporter_master_secret = Derive-Secret(Master Secret, "exp master",
    /// ClientHello...server Finished)` (RFC 8446 sections 7.1 and 7.5).
    #[must_use]
    pub fn exporter_master_secret(
        &self,
        ch_to_server_finished: &TranscriptHash<H>,
    ) -> ExporterMasterSecret<H> {
        ExporterMasterSecret::from_buf(derive::<H>(
            self.buf(),
            labels::EXP_MASTER,
            ch_to_server_finished,
        ))
    }

    /// `resumption_master_secret = Derive-Secret(Master Secret, "res master",
    /// ClientHello...client Finished)` (RFC 8446 sections 7.1 and 4.6.1).
    #[must_use]
    pub fn resumption_master_secret(
        &self,
        ch_to_client_finished: &TranscriptHash<H>,
    ) -> ResumptionMasterSecret<H> {
        ResumptionMasterSecret::from_buf(derive::<H>(
            self.buf(),
            labels::RES_MASTER,
            ch_to_client_finished,
        ))
    }
}
