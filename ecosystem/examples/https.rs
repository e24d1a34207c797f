//! An async HTTPS server and client over loopback (tokio, tokio-rustls, hyper 1) on hybrid-kx's
//! rustls provider: prints the negotiated key-exchange group on both sides and the response.
//!
//! `cargo run -p hybrid-kx-ecosystem --example https`

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), hybrid_kx_ecosystem::BoxError> {
    let x = hybrid_kx_ecosystem::loopback_exchange("hello over X25519MLKEM768").await?;
    let name = |g: Option<u16>| {
        g.and_then(hybrid_kx::NamedGroup::from_codepoint)
            .map_or("classical or none", |g| g.name())
    };
    println!(
        "client_group={} server_group={} status={} response={:?}",
        name(x.client_group),
        name(x.server_group),
        x.status,
        String::from_utf8_lossy(&x.response_body)
    );
    Ok(())
}
