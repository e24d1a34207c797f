//! A QUIC (quinn 0.11, RFC 9000/9001) server and client over loopback on hybrid-kx's rustls
//! provider: the client opens a bidirectional stream, the server echoes it back.
//!
//! The client is the README's quinn configuration with one change: it offers X25519MLKEM768
//! alone, so a completed handshake shows the hybrid group was negotiated (a quinn connection
//! does not report its key-exchange group; `tests/quic.rs` records it on the server side for
//! every group). Its 1216-byte key share makes the ClientHello span two Initial datagrams.
//!
//! `cargo run -p hybrid-kx-ecosystem --example quic`

use std::sync::Arc;

use hybrid_kx_ecosystem::BoxError;
use hybrid_kx_support::tls::Identity;
use quinn::crypto::rustls::{QuicClientConfig, QuicServerConfig};
use rustls::crypto::CryptoProvider;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let identity = Identity::generate()?;

    // Server: the default provider (X25519MLKEM768 preferred, every default group, classical
    // fallback), TLS 1.3 only as QUIC requires (RFC 9001 section 4.2).
    let server_tls = rustls::ServerConfig::builder_with_provider(Arc::new(
        hybrid_kx::rustls::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS13])?
    .with_no_client_auth()
    .with_single_cert(vec![identity.cert.clone()], identity.key())?;
    let server_config =
        quinn::ServerConfig::with_crypto(Arc::new(QuicServerConfig::try_from(server_tls)?));
    let server = quinn::Endpoint::server(server_config, "127.0.0.1:0".parse()?)?;
    let server_addr = server.local_addr()?;
    let server_task = tokio::spawn(async move {
        let conn = server.accept().await.ok_or("no connection")?.await?;
        let (mut send, mut recv) = conn.accept_bi().await?;
        let got = recv.read_to_end(1 << 16).await?;
        send.write_all(b"echo: ").await?;
        send.write_all(&got).await?;
        send.finish()?;
        conn.closed().await;
        server.wait_idle().await;
        Ok::<(), BoxError>(())
    });

    // Client: X25519MLKEM768 only.
    let provider = CryptoProvider {
        kx_groups: vec![hybrid_kx::rustls::X25519MLKEM768],
        ..hybrid_kx::rustls::default_provider()
    };
    let client_tls = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(identity.roots())
        .with_no_client_auth();
    let mut client = quinn::Endpoint::client("127.0.0.1:0".parse()?)?;
    client.set_default_client_config(quinn::ClientConfig::new(Arc::new(
        QuicClientConfig::try_from(client_tls)?,
    )));
    let conn = client.connect(server_addr, "localhost")?.await?;
    let (mut send, mut recv) = conn.open_bi().await?;
    send.write_all(b"hello over QUIC").await?;
    send.finish()?;
    let reply = recv.read_to_end(1 << 16).await?;
    conn.close(0u32.into(), b"done");
    client.wait_idle().await;
    server_task.await??;

    println!(
        "quic group=X25519MLKEM768 (the only group offered) reply={:?}",
        String::from_utf8_lossy(&reply)
    );
    Ok(())
}
