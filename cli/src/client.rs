//! The client side of `handshake --connect` and `bench`, from the same options: whom to trust
//! (`--ca FILE`, the webpki roots, or nobody with `--insecure`), the name to verify and send
//! (`--server-name`), the ALPN protocols to offer, and the TCP connection, with timeouts so that
//! a server that stops answering fails the handshake instead of hanging the command.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{
    SupportedKxGroup, WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use hybrid_kx_support::tls::{TLS13_ONLY, client_config};

use crate::error::{BoxError, bad_input};
use crate::tls::provider;

/// Connect, read and write timeout of every client socket.
pub(crate) const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// How a client authenticates the server and what it offers besides the groups.
#[derive(clap::Args, Clone, Debug)]
pub(crate) struct ClientArgs {
    /// Trust the PEM certificates in FILE instead of the webpki roots (with --connect).
    #[arg(long, value_name = "FILE", requires = "connect")]
    ca: Option<PathBuf>,
    /// The name to verify and send as SNI (default: HOST of --connect).
    #[arg(long, value_name = "NAME", requires = "connect")]
    server_name: Option<String>,
    /// Accept any certificate (the server's signature is still checked): for test servers
    /// only, it authenticates nobody.
    #[arg(long, conflicts_with = "ca", requires = "connect")]
    insecure: bool,
    /// Offer this ALPN protocol (repeatable, in preference order; for example h2, http/1.1).
    #[arg(long = "alpn", value_name = "PROTOCOL")]
    pub(crate) alpn: Vec<String>,
}

/// A server to connect to: its address as given, and the name to verify.
pub(crate) struct Target {
    /// `HOST:PORT` as given.
    pub(crate) address: String,
    /// The name to verify and send (`--server-name`, or HOST).
    pub(crate) server_name: ServerName<'static>,
}

impl ClientArgs {
    /// The server at `address` (`HOST:PORT`, `[IPv6]:PORT`) and the name to verify.
    ///
    /// # Errors
    /// [`crate::error::BadInput`] if `address` has no port or the name is not a DNS name or
    /// IP address.
    pub(crate) fn target(&self, address: &str) -> Result<Target, BoxError> {
        let Some((host, port)) = address.rsplit_once(':') else {
            return Err(bad_input(format!(
                "--connect {address:?}: expected HOST:PORT"
            )));
        };
        if port.parse::<u16>().is_err() {
            return Err(bad_input(format!(
                "--connect {address:?}: {port:?} is not a port"
            )));
        }
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let name = self.server_name.as_deref().unwrap_or(host).to_owned();
        let server_name = ServerName::try_from(name.clone())
            .map_err(|_| bad_input(format!("{name:?} is not a DNS name or IP address")))?;
        Ok(Target {
            address: address.to_owned(),
            server_name,
        })
    }

    /// A TLS 1.3 client on our provider offering `groups` in that order, trusting what the
    /// options say, offering their ALPN protocols.
    ///
    /// # Errors
    /// [`crate::error::BadInput`] if `--ca` cannot be read or holds no certificate.
    pub(crate) fn config(
        &self,
        groups: &[&'static dyn SupportedKxGroup],
    ) -> Result<ClientConfig, BoxError> {
        let provider = provider(Some(groups));
        let mut config = if self.insecure {
            let verifier = AcceptAnyCertificate(provider.signature_verification_algorithms);
            ClientConfig::builder_with_provider(provider)
                .with_protocol_versions(TLS13_ONLY)?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth()
        } else {
            client_config(Arc::clone(&provider), self.roots()?)?
        };
        config.alpn_protocols = self.alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
        Ok(config)
    }

    /// `--ca`'s certificates, or the webpki roots.
    fn roots(&self) -> Result<RootCertStore, BoxError> {
        let mut roots = RootCertStore::empty();
        let Some(path) = &self.ca else {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            return Ok(roots);
        };
        let name = path.display();
        let bytes = std::fs::read(path)
            .map_err(|err| bad_input(format!("--ca {name}: cannot read: {err}")))?;
        for cert in CertificateDer::pem_slice_iter(&bytes) {
            let cert = cert.map_err(|err| bad_input(format!("--ca {name}: not PEM: {err:?}")))?;
            roots
                .add(cert)
                .map_err(|err| bad_input(format!("--ca {name}: {err}")))?;
        }
        if roots.is_empty() {
            return Err(bad_input(format!("--ca {name}: no CERTIFICATE block")));
        }
        Ok(roots)
    }
}

/// A TCP connection to `address` with [`IO_TIMEOUT`] on connect, read and write, and Nagle
/// off: our flights are several small records, which Nagle's algorithm would hold back until
/// the peer's delayed ACK (about 40 ms per round trip).
///
/// # Errors
/// If the address does not resolve, or the connection fails.
pub(crate) fn connect(address: &str) -> std::io::Result<TcpStream> {
    let resolved: Vec<SocketAddr> = address.to_socket_addrs()?.collect();
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
    for addr in resolved {
        match TcpStream::connect_timeout(&addr, IO_TIMEOUT) {
            Ok(tcp) => {
                tcp.set_nodelay(true)?;
                tcp.set_read_timeout(Some(IO_TIMEOUT))?;
                tcp.set_write_timeout(Some(IO_TIMEOUT))?;
                return Ok(tcp);
            }
            Err(err) => last = err,
        }
    }
    Err(last)
}

/// `--insecure`: any certificate chain and name is accepted, but the server must still sign
/// the handshake with the certificate's key (so the key type and the signature schemes are
/// exercised as with a verified certificate).
#[derive(Debug)]
struct AcceptAnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use rustls::client::WebPkiServerVerifier;
    use rustls::crypto::CryptoProvider;

    use super::*;

    /// What a verifying client on `provider` offers.
    fn verified_schemes(provider: Arc<CryptoProvider>) -> Vec<SignatureScheme> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap()
            .supported_verify_schemes()
    }

    fn args() -> ClientArgs {
        ClientArgs {
            ca: None,
            server_name: None,
            insecure: true,
            alpn: vec!["h2".to_owned()],
        }
    }

    /// `--insecure` offers the same signature schemes as a verifying client.
    #[test]
    fn the_insecure_client_offers_the_verified_clients_schemes() {
        let provider = provider(None);
        let insecure = AcceptAnyCertificate(provider.signature_verification_algorithms);
        assert_eq!(
            insecure.supported_verify_schemes(),
            verified_schemes(provider)
        );
    }

    #[test]
    fn targets_take_the_host_unless_a_name_is_given() {
        let target = args().target("127.0.0.1:8443").unwrap();
        assert_eq!(target.server_name.to_str(), "127.0.0.1");
        let target = args().target("[::1]:8443").unwrap();
        assert_eq!(target.server_name.to_str(), "::1");
        let named = ClientArgs {
            server_name: Some("localhost".to_owned()),
            ..args()
        };
        assert_eq!(
            named.target("127.0.0.1:1").unwrap().server_name.to_str(),
            "localhost"
        );
        for bad in ["localhost", "localhost:http", "host:99999"] {
            let err = args().target(bad).err().unwrap();
            assert!(err.is::<crate::error::BadInput>(), "{bad}: {err}");
        }
    }
}
