//! The async HTTPS example as a test: X25519MLKEM768 negotiated on both sides of a tokio-rustls +
//! hyper 1 connection over loopback, the request and response bodies intact; and the README's
//! "Use it with" code is the code of `src/lib.rs`, word for word.

/// X25519MLKEM768 (RFC 10024 section 4).
const X25519MLKEM768: u16 = 0x11EC;

#[tokio::test(flavor = "current_thread")]
async fn https_over_loopback_negotiates_x25519mlkem768_on_both_sides() {
    let x = hybrid_kx_ecosystem::loopback_exchange("post-quantum request body")
        .await
        .unwrap();
    assert_eq!(x.client_group, Some(X25519MLKEM768), "client side");
    assert_eq!(x.server_group, Some(X25519MLKEM768), "server side");
    assert_eq!(&x.request_body[..], b"post-quantum request body");
    assert_eq!(x.status, 200);
    assert_eq!(&x.response_body[..], b"echo: post-quantum request body");
}

#[tokio::test(flavor = "current_thread")]
async fn a_classical_only_client_still_gets_served() {
    // The server keeps the classical fallback: a client on plain ring (X25519 first, no hybrid)
    // completes, on X25519.
    let identity = hybrid_kx_support::tls::Identity::generate().unwrap();
    let config = hybrid_kx_support::tls::client_config_with_versions(
        rustls::DEFAULT_VERSIONS,
        std::sync::Arc::new(rustls::crypto::ring::default_provider()),
        identity.roots(),
    )
    .unwrap();
    let classical = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor =
        hybrid_kx_ecosystem::acceptor(vec![identity.cert.clone()], identity.key()).unwrap();
    let server = tokio::spawn(hybrid_kx_ecosystem::serve_one(listener, acceptor));
    let (group, status, body) = hybrid_kx_ecosystem::post(addr, &classical, "classical")
        .await
        .unwrap();
    let (server_group, _) = server.await.unwrap().unwrap();
    assert_eq!(group, Some(0x001D));
    assert_eq!(server_group, Some(0x001D));
    assert_eq!((status, &body[..]), (200, &b"echo: classical"[..]));
}

/// The lines between `// README-BEGIN name` and `// README-END` in `src`, unindented.
fn marked(src: &str, name: &str) -> String {
    let begin = format!("// README-BEGIN {name}");
    let start = src.find(&begin).unwrap_or_else(|| panic!("no {begin}"));
    let rest = &src[start + begin.len()..];
    let end = rest.find("// README-END").expect("no README-END");
    let lines: Vec<&str> = rest[..end]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let indent = lines
        .iter()
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap();
    lines
        .iter()
        .map(|l| format!("{}\n", &l[indent..]))
        .collect()
}

#[test]
fn integration_page_shows_the_compiled_configuration_code_verbatim() {
    let lib = include_str!("../src/lib.rs");
    let readme = include_str!("../../docs/integration.md");
    for name in ["client", "server", "quinn"] {
        let code = marked(lib, name);
        assert!(code.lines().count() >= 5, "{name}: {code}");
        let block = format!("```rust,ignore\n{code}```");
        assert!(
            readme.contains(&block),
            "docs/integration.md lacks the `{name}` block of ecosystem/src/lib.rs:\n{block}"
        );
    }
    // The dependency lines the page shows are the ones this member builds with.
    let manifest = include_str!("../Cargo.toml");
    for dep in ["tokio-rustls = ", "hybrid-kx = ", "quinn = "] {
        let line = manifest.lines().find(|l| l.starts_with(dep)).unwrap();
        let shown = line.replace("path = \"..\", ", "version = \"0.1\", ");
        assert!(
            readme.contains(&shown),
            "docs/integration.md lacks `{shown}`"
        );
    }
}
