//! rustls fixtures every handshake test, tool and benchmark of the workspace needs: a
//! self-signed certificate, TLS 1.3 client and server configurations on a given provider, a
//! key log that records the secrets both sides derive, and a driver that runs a client and a
//! server against each other in memory, flight by flight, and says what each side negotiated.
//!
//! Written once so that a fix (a bound on the rounds, an alert still delivered after a failure,
//! a certificate that names `127.0.0.1` too) reaches every test; what is particular to one test
//! (a group that corrupts its share, a ClientHello parser, a recording socket) stays in it.

use std::io;
use std::sync::{Arc, Mutex};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{
    CipherSuite, ClientConfig, ClientConnection, CommonState, ConnectionCommon, ProtocolVersion,
    RootCertStore, ServerConfig, ServerConnection, SupportedProtocolVersion,
};
use zeroize::Zeroizing;

/// The name the certificate is for and the clients ask for (it also names `127.0.0.1`).
pub const SERVER_NAME: &str = "localhost";

/// TLS 1.3 alone: the version the hybrid groups exist for (RFC 8446 section 4.2.7), and what
/// the configurations below use unless told otherwise.
pub const TLS13_ONLY: &[&SupportedProtocolVersion] = &[&rustls::version::TLS13];

// ------------------------------------------------------------------ certificate

/// The key types [`Identity::generate_with`] can make: those rcgen generates on ring, which
/// every TLS 1.3 client verifies (RSA keys are not among them: ring cannot generate them, so an
/// RSA certificate comes from elsewhere, `openssl req` for instance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// ECDSA on P-256 with SHA-256 (`ecdsa_secp256r1_sha256`): what [`Identity::generate`]
    /// makes, the most widely accepted TLS 1.3 certificate key.
    EcdsaP256,
    /// ECDSA on P-384 with SHA-384 (`ecdsa_secp384r1_sha384`), as CNSA 2.0 profiles ask.
    EcdsaP384,
    /// Ed25519 (`ed25519`), which some clients do not offer.
    Ed25519,
}

impl KeyAlgorithm {
    /// Every generated key type, in the order tools list them.
    pub const ALL: &[Self] = &[Self::EcdsaP256, Self::EcdsaP384, Self::Ed25519];

    /// The name tools use for it on the command line (`ecdsa-p256`, `ecdsa-p384`, `ed25519`).
    pub fn name(self) -> &'static str {
        match self {
            Self::EcdsaP256 => "ecdsa-p256",
            Self::EcdsaP384 => "ecdsa-p384",
            Self::Ed25519 => "ed25519",
        }
    }

    /// The key type [`name`](Self::name) gives, if any (exact, lower case).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|key| key.name() == name)
    }

    fn rcgen_algorithm(self) -> &'static rcgen::SignatureAlgorithm {
        match self {
            Self::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            Self::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            Self::Ed25519 => &rcgen::PKCS_ED25519,
        }
    }
}

/// A self-signed certificate for [`SERVER_NAME`] and `127.0.0.1` (rcgen on ring), ECDSA P-256
/// unless [`Identity::generate_with`] chose another key type, and its key, in the forms rustls
/// takes and as DER and PEM for OpenSSL and for files.
pub struct Identity {
    /// The certificate (DER): the whole chain, and the one root a client trusts.
    pub cert: CertificateDer<'static>,
    /// The certificate as PEM, for clients that read a file (`hybrid-kx serve --cert-out`).
    pub cert_pem: String,
    /// The PKCS#8 private key (DER).
    key: PrivatePkcs8KeyDer<'static>,
}

impl Identity {
    /// A fresh ECDSA P-256 key pair and certificate.
    ///
    /// # Errors
    /// If rcgen cannot generate the key or sign the certificate.
    pub fn generate() -> Result<Self, rcgen::Error> {
        Self::generate_with(KeyAlgorithm::EcdsaP256)
    }

    /// A fresh key pair of the type given and its certificate.
    ///
    /// # Errors
    /// If rcgen cannot generate the key or sign the certificate.
    pub fn generate_with(algorithm: KeyAlgorithm) -> Result<Self, rcgen::Error> {
        let signing_key = rcgen::KeyPair::generate_for(algorithm.rcgen_algorithm())?;
        let cert =
            rcgen::CertificateParams::new(vec![SERVER_NAME.to_owned(), "127.0.0.1".to_owned()])?
                .self_signed(&signing_key)?;
        Ok(Self {
            cert: cert.der().clone(),
            cert_pem: cert.pem(),
            key: PrivatePkcs8KeyDer::from(signing_key.serialize_der()),
        })
    }

    /// The private key as rustls takes it (a copy: a configuration owns its key).
    pub fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(self.key.clone_key())
    }

    /// The private key as PKCS#8 DER, as OpenSSL reads it.
    pub fn key_der(&self) -> &[u8] {
        self.key.secret_pkcs8_der()
    }

    /// A root store that trusts this certificate alone.
    ///
    /// # Panics
    /// If rustls cannot parse the certificate rcgen made (it always can).
    pub fn roots(&self) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        roots
            .add(self.cert.clone())
            .expect("rustls parses the certificate rcgen made");
        roots
    }
}

// ------------------------------------------------------------------ configurations

/// A TLS 1.3 server on `provider` presenting `identity`, without client authentication.
///
/// # Errors
/// If the provider has no cipher suite or key-exchange group for TLS 1.3, or its key provider
/// cannot load the key.
pub fn server_config(
    provider: Arc<CryptoProvider>,
    identity: &Identity,
) -> Result<ServerConfig, rustls::Error> {
    server_config_with_versions(TLS13_ONLY, provider, identity)
}

/// [`server_config`] for the protocol `versions` given (`rustls::DEFAULT_VERSIONS`: what a
/// server left to rustls's defaults offers).
///
/// # Errors
/// As [`server_config`], for those versions.
pub fn server_config_with_versions(
    versions: &[&'static SupportedProtocolVersion],
    provider: Arc<CryptoProvider>,
    identity: &Identity,
) -> Result<ServerConfig, rustls::Error> {
    server_config_for_chain(
        versions,
        provider,
        vec![identity.cert.clone()],
        identity.key(),
    )
}

/// A server presenting a certificate chain and key from anywhere (files a user gave, in any
/// key type the provider loads), for the protocol `versions` given: the certificate rustls
/// checks against the key before it accepts them.
///
/// # Errors
/// If the provider has no cipher suite or key-exchange group for those versions, cannot load
/// the key, or the key is not the certificate's (`Error::InconsistentKeys`).
pub fn server_config_for_chain(
    versions: &[&'static SupportedProtocolVersion],
    provider: Arc<CryptoProvider>,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<ServerConfig, rustls::Error> {
    ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)?
        .with_no_client_auth()
        .with_single_cert(chain, key)
}

/// A TLS 1.3 client on `provider` trusting `roots` (for a server of this module:
/// [`Identity::roots`]), without a client certificate.
///
/// # Errors
/// If the provider has no cipher suite or key-exchange group for TLS 1.3.
pub fn client_config(
    provider: Arc<CryptoProvider>,
    roots: RootCertStore,
) -> Result<ClientConfig, rustls::Error> {
    client_config_with_versions(TLS13_ONLY, provider, roots)
}

/// [`client_config`] for the protocol `versions` given.
///
/// # Errors
/// As [`client_config`], for those versions.
pub fn client_config_with_versions(
    versions: &[&'static SupportedProtocolVersion],
    provider: Arc<CryptoProvider>,
    roots: RootCertStore,
) -> Result<ClientConfig, rustls::Error> {
    Ok(ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// A client connection to [`SERVER_NAME`] and a server connection, ready for [`drive`].
///
/// # Errors
/// If rustls refuses to start either connection.
pub fn connections(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
) -> Result<(ClientConnection, ServerConnection), rustls::Error> {
    let name =
        ServerName::try_from(SERVER_NAME).map_err(|e| rustls::Error::General(e.to_string()))?;
    Ok((
        ClientConnection::new(client, name)?,
        ServerConnection::new(server)?,
    ))
}

// ------------------------------------------------------------------ key log

/// A logged (NSS key log label, secret) pair; the secret is wiped when it drops.
pub type LoggedSecret = (String, Zeroizing<Vec<u8>>);

/// Records every secret rustls logs (`ServerConfig::key_log`, `ClientConfig::key_log`), so that
/// both sides' handshake, application and exporter secrets can be compared, or checked against
/// the crate's own key schedule. The secrets are wiped when they drop, here or where they were
/// moved to: `hybrid-kx handshake` uses this log too. A log shared by many connections keeps
/// every session's secrets: long-running servers and load tests leave `key_log` unset.
#[derive(Debug, Default)]
pub struct RecordingKeyLog {
    entries: Mutex<Vec<LoggedSecret>>,
}

impl RecordingKeyLog {
    /// Moves the logged pairs out, sorted by label then secret, leaving the log empty.
    pub fn take_entries(&self) -> Vec<LoggedSecret> {
        let mut entries = self
            .entries
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default();
        sort(&mut entries);
        entries
    }

    /// A copy of the logged pairs, sorted by label then secret.
    pub fn entries(&self) -> Vec<LoggedSecret> {
        let mut entries = self.entries.lock().map(|e| e.clone()).unwrap_or_default();
        sort(&mut entries);
        entries
    }

    /// The first secret logged under `label`, if any.
    pub fn get(&self, label: &str) -> Option<Zeroizing<Vec<u8>>> {
        let entries = self.entries.lock().ok()?;
        entries
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, s)| s.clone())
    }
}

/// Sorts by label, then by secret: the two sides log in different orders.
fn sort(entries: &mut [LoggedSecret]) {
    entries.sort_by(|a, b| (&a.0, a.1.as_slice()).cmp(&(&b.0, b.1.as_slice())));
}

impl rustls::KeyLog for RecordingKeyLog {
    fn log(&self, label: &str, _client_random: &[u8], secret: &[u8]) {
        if let Ok(mut entries) = self.entries.lock() {
            // Each secret is in its own heap block; growing `entries` moves only pointers.
            entries.push((label.to_owned(), Zeroizing::new(secret.to_vec())));
        }
    }

    fn will_log(&self, _label: &str) -> bool {
        true
    }
}

// ------------------------------------------------------------------ in-memory handshake

/// Rounds [`drive`] runs at most (a round: the client's flight, then the server's). A full
/// handshake with a HelloRetryRequest and tickets takes three; a failure ends the run at once.
pub const MAX_ROUNDS: usize = 16;

/// Which side wrote a flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The [`ClientConnection`].
    Client,
    /// The [`ServerConnection`].
    Server,
}

/// Why one side stopped.
#[derive(Debug)]
pub enum Failure {
    /// rustls rejected what it received (`process_new_packets`): the error a TLS peer sees, or
    /// `AlertReceived` for the side that got the other's alert.
    Tls(rustls::Error),
    /// rustls would not take or give bytes (`read_tls`, `write_tls`): its buffers are full.
    Io(io::Error),
}

/// What one side negotiated (`None` for what it has not agreed on yet, or failed before).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Negotiated {
    /// The key-exchange group (RFC 8446 section 4.2.7).
    pub group: Option<rustls::NamedGroup>,
    /// The protocol version.
    pub version: Option<ProtocolVersion>,
    /// The cipher suite.
    pub suite: Option<CipherSuite>,
}

impl Negotiated {
    /// What `conn` negotiated.
    pub fn of(conn: &CommonState) -> Self {
        Self {
            group: conn.negotiated_key_exchange_group().map(|g| g.name()),
            version: conn.protocol_version(),
            suite: conn.negotiated_cipher_suite().map(|s| s.suite()),
        }
    }
}

/// How one side's part of a [`drive`] ended.
#[derive(Debug)]
pub struct SideOutcome {
    /// What it negotiated.
    pub negotiated: Negotiated,
    /// Why it stopped, if it failed: its own error, or `AlertReceived` with the alert the other
    /// side sent as it failed.
    pub error: Option<Failure>,
}

/// How a [`drive`] ended.
#[derive(Debug)]
pub struct Outcome {
    /// The client's side.
    pub client: SideOutcome,
    /// The server's side.
    pub server: SideOutcome,
    /// Both sides are past the handshake and have nothing left to send; `false` when a side
    /// failed, when nothing moved any more, or when [`MAX_ROUNDS`] ran out.
    pub finished: bool,
    /// Rounds run.
    pub rounds: usize,
}

impl Outcome {
    /// What both sides negotiated, after checking the run succeeded.
    ///
    /// # Panics
    /// If a side failed, if the handshake did not finish, or if the two sides disagree.
    pub fn expect_success(self) -> Negotiated {
        assert!(
            self.client.error.is_none() && self.server.error.is_none(),
            "handshake failed: client {:?}, server {:?}",
            self.client.error,
            self.server.error
        );
        assert!(
            self.finished,
            "handshake did not finish in {} rounds",
            self.rounds
        );
        assert_eq!(
            self.client.negotiated, self.server.negotiated,
            "the client and the server negotiated differently"
        );
        self.client.negotiated
    }
}

/// Runs `client` and `server` against each other in memory until both are past the handshake
/// with nothing left to send, one fails, nothing moves, or [`MAX_ROUNDS`] have run. Each round
/// moves the client's flight (everything it has to send) to the server, then the server's to
/// the client; `on_flight` sees every non-empty flight before it is delivered, and may change
/// it (a malicious network) or record it.
///
/// A side that fails still sends its alert: the server's goes out with its flight, and the
/// client's is delivered after the round. Application data written to either side before the
/// call is moved too, so a call after the handshake delivers it. Never panics (unless
/// `on_flight` does): every outcome is in the [`Outcome`].
pub fn drive(
    client: &mut ClientConnection,
    server: &mut ServerConnection,
    on_flight: impl FnMut(Side, &mut Vec<u8>),
) -> Outcome {
    let mut pipe = Pipe {
        // One buffer for every flight: a ClientHello with the largest share fits twice.
        buf: Vec::with_capacity(16 * 1024),
        on_flight,
        client_error: None,
        server_error: None,
    };
    let mut rounds = 0;
    let mut finished = false;
    while rounds < MAX_ROUNDS {
        rounds += 1;
        let mut moved = pipe.flight(Side::Client, client, server);
        moved |= pipe.flight(Side::Server, server, client);
        if pipe.client_error.is_some() || pipe.server_error.is_some() {
            if pipe.server_error.is_none() {
                pipe.flight(Side::Client, client, server);
            }
            break;
        }
        if is_done(client) && is_done(server) {
            finished = true;
            break;
        }
        if !moved {
            break; // both wait for bytes that will not come
        }
    }
    Outcome {
        client: SideOutcome {
            negotiated: Negotiated::of(client),
            error: pipe.client_error,
        },
        server: SideOutcome {
            negotiated: Negotiated::of(server),
            error: pipe.server_error,
        },
        finished,
        rounds,
    }
}

/// A handshake that must succeed: [`drive`] without touching the flights, then
/// [`Outcome::expect_success`]. After the handshake, a call delivers the application data
/// written since.
///
/// # Panics
/// As [`Outcome::expect_success`].
pub fn handshake(client: &mut ClientConnection, server: &mut ServerConnection) -> Negotiated {
    drive(client, server, |_, _| {}).expect_success()
}

/// Past the handshake, with nothing left to send.
fn is_done<D>(conn: &ConnectionCommon<D>) -> bool {
    !conn.is_handshaking() && !conn.wants_write()
}

/// What [`drive`] carries from one flight to the next: the buffer, the hook, each side's
/// failure.
struct Pipe<F> {
    buf: Vec<u8>,
    on_flight: F,
    client_error: Option<Failure>,
    server_error: Option<Failure>,
}

impl<F: FnMut(Side, &mut Vec<u8>)> Pipe<F> {
    /// Moves one flight: everything `from` (the `side` given) has to send, through the hook,
    /// into `to`, record by record until `to` fails (a receiver that already failed gets
    /// nothing). Returns whether there was anything to send.
    fn flight<A, B>(
        &mut self,
        side: Side,
        from: &mut ConnectionCommon<A>,
        to: &mut ConnectionCommon<B>,
    ) -> bool {
        let (from_error, to_error) = match side {
            Side::Client => (&mut self.client_error, &mut self.server_error),
            Side::Server => (&mut self.server_error, &mut self.client_error),
        };
        self.buf.clear();
        while from.wants_write() {
            match from.write_tls(&mut self.buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    from_error.get_or_insert(Failure::Io(e));
                    break;
                }
            }
        }
        if self.buf.is_empty() {
            return false;
        }
        (self.on_flight)(side, &mut self.buf);
        if to_error.is_some() {
            return true;
        }
        let mut rest = &self.buf[..];
        while !rest.is_empty() {
            match to.read_tls(&mut rest) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    *to_error = Some(Failure::Io(e));
                    break;
                }
            }
            if let Err(e) = to.process_new_packets() {
                *to_error = Some(Failure::Tls(e));
                break;
            }
        }
        true
    }
}
