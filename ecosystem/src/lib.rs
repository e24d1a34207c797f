//! hybrid-kx where users already are: an async HTTPS server and client (tokio, tokio-rustls,
//! hyper 1) and a quinn (QUIC) client configuration whose TLS 1.3 key exchange is this crate's
//! X25519MLKEM768 (RFC 10024 section 4), on rustls's ring provider.
//!
//! A separate workspace member so that `cargo test -p hybrid-kx` never compiles tokio or hyper.
//! The configuration code between the `README` markers below is what docs/integration.md shows;
//! `tests/https.rs` checks the page still contains it word for word, so the page cannot drift
//! from code that compiles and runs.

use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hybrid_kx_support::tls::Identity;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::net::{TcpListener, TcpStream};

/// The error type of this member's helpers: anything from TCP, TLS, HTTP or certificate
/// generation, sendable across tokio tasks.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// A tokio-rustls connector on this crate's provider: ring, with X25519MLKEM768 first and the
/// reused X25519 share beside it (RFC 9954 section 3.2), and this crate's HKDF for the TLS 1.3
/// key schedule (RFC 8446 section 7.1). Everything else is what a hyper user already writes.
///
/// # Errors
///
/// If rustls rejects the provider for the default protocol versions (it has no cipher suite or
/// no key-exchange group for them).
pub fn connector(roots: rustls::RootCertStore) -> Result<tokio_rustls::TlsConnector, BoxError> {
    // README-BEGIN client
    let provider = Arc::new(hybrid_kx::rustls::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    // README-END
    Ok(connector)
}

/// A tokio-rustls acceptor on this crate's provider (as [`connector`]): a server that prefers
/// X25519MLKEM768 and still accepts classical-only clients.
///
/// # Errors
///
/// If rustls rejects the provider, or the certificate and key do not match.
pub fn acceptor(
    certs: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<tokio_rustls::TlsAcceptor, BoxError> {
    // README-BEGIN server
    let provider = Arc::new(hybrid_kx::rustls::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    // README-END
    Ok(acceptor)
}

/// A quinn client configuration on this crate's provider: QUIC carries TLS 1.3 (RFC 9001), so
/// the same provider gives it X25519MLKEM768, and its Initial, Handshake and 1-RTT packet keys
/// (RFC 9001 section 5) come from the suite's HKDF, ours. QUIC is TLS 1.3 only, hence the
/// explicit version.
///
/// # Errors
///
/// If rustls rejects the provider, or quinn finds no TLS_AES_128_GCM_SHA256 suite with QUIC
/// support in it (RFC 9001 section 5.2 needs it for the Initial keys).
pub fn quinn_client_config(roots: rustls::RootCertStore) -> Result<quinn::ClientConfig, BoxError> {
    // README-BEGIN quinn
    let provider = Arc::new(hybrid_kx::rustls::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let quic = quinn::crypto::rustls::QuicClientConfig::try_from(config)?;
    let client_config = quinn::ClientConfig::new(Arc::new(quic));
    // README-END
    Ok(client_config)
}

/// What one request over HTTPS saw on both sides.
#[derive(Debug)]
pub struct Exchange {
    /// The key-exchange group the client negotiated (its TLS codepoint, RFC 8446 section 4.2.7).
    pub client_group: Option<u16>,
    /// The key-exchange group the server negotiated.
    pub server_group: Option<u16>,
    /// The request body as the server received it.
    pub request_body: Bytes,
    /// The HTTP status the client received.
    pub status: u16,
    /// The response body the client received.
    pub response_body: Bytes,
}

fn group_of(conn: &rustls::CommonState) -> Option<u16> {
    conn.negotiated_key_exchange_group()
        .map(|g| u16::from(g.name()))
}

/// Serves exactly one HTTPS connection on `listener`: each request is answered `200` with
/// `"echo: "` and the request body. Returns the negotiated group and the last request body.
///
/// # Errors
///
/// If accepting, the TLS handshake, or serving HTTP/1.1 fails.
pub async fn serve_one(
    listener: TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
) -> Result<(Option<u16>, Bytes), BoxError> {
    let (tcp, _) = listener.accept().await?;
    let tls = acceptor.accept(tcp).await?;
    let group = group_of(tls.get_ref().1);
    let received = Arc::new(std::sync::Mutex::new(Bytes::new()));
    let seen = received.clone();
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let seen = seen.clone();
        async move {
            let body = req.into_body().collect().await?.to_bytes();
            *seen.lock().unwrap_or_else(|p| p.into_inner()) = body.clone();
            let mut reply = b"echo: ".to_vec();
            reply.extend_from_slice(&body);
            Ok::<_, hyper::Error>(Response::new(Full::new(Bytes::from(reply))))
        }
    });
    hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(tls), service)
        .await?;
    let body = received.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok((group, body))
}

/// One `POST` of `body` to `https://localhost/echo` at `addr` through `connector`; returns the
/// negotiated group, the status and the response body.
///
/// # Errors
///
/// If the TCP connection, the TLS handshake, or the HTTP exchange fails.
pub async fn post(
    addr: SocketAddr,
    connector: &tokio_rustls::TlsConnector,
    body: &'static str,
) -> Result<(Option<u16>, u16, Bytes), BoxError> {
    let tcp = TcpStream::connect(addr).await?;
    let tls = connector
        .connect(ServerName::try_from("localhost")?, tcp)
        .await?;
    let group = group_of(tls.get_ref().1);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await?;
    let driver = tokio::spawn(conn);
    let request = Request::post("/echo")
        .header(hyper::header::HOST, "localhost")
        .body(Full::new(Bytes::from_static(body.as_bytes())))?;
    let response = sender.send_request(request).await?;
    let status = response.status().as_u16();
    let response_body = response.into_body().collect().await?.to_bytes();
    drop(sender); // closes the connection, so the server's `serve_connection` returns
    driver.await??;
    Ok((group, status, response_body))
}

/// A full loopback exchange: a server on `127.0.0.1:0` with a fresh self-signed `localhost`
/// certificate (`hybrid_kx_support::tls::Identity`; a real server loads its own: RFC 8446
/// section 4.4.2 only needs a chain the client trusts), a client that trusts it, one `POST` of
/// `body`.
///
/// # Errors
///
/// If any step fails (see [`serve_one`] and [`post`]), or the certificate cannot be made.
pub async fn loopback_exchange(body: &'static str) -> Result<Exchange, BoxError> {
    let identity = Identity::generate()?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(serve_one(
        listener,
        acceptor(vec![identity.cert.clone()], identity.key())?,
    ));
    let (client_group, status, response_body) =
        post(addr, &connector(identity.roots())?, body).await?;
    let (server_group, request_body) = server.await??;
    Ok(Exchange {
        client_group,
        server_group,
        request_body,
        status,
        response_body,
    })
}
