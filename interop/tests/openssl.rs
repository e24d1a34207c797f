//! Our groups against OpenSSL 3.5+ (vendored, built from source by `openssl-src`), both
//! directions, over loopback TCP: an OpenSSL server against our rustls client, and our rustls
//! server against an OpenSSL client. OpenSSL is limited to the one group (`set_groups_list`),
//! and so is our provider; both sides must report that group.

use std::ops::Range;

use hybrid_kx::NamedGroup;
use hybrid_kx_interop::{
    Direction, Identity, OpensslOutcome, connect, edit_key_share, openssl_acceptor, openssl_client,
    openssl_connector, openssl_server, our_provider, run_pair, rustls_client, rustls_client_config,
    rustls_server, rustls_server_config, spawn_server, tampering_proxy,
};

/// OpenSSL's version number for 3.5.0 (`0xMNN00PP0L`).
const OPENSSL_3_5: i64 = 0x3050_0000;

#[test]
fn openssl_is_at_least_3_5() {
    let number = openssl::version::number();
    println!(
        "OpenSSL at run time: {} ({number:#x})",
        openssl::version::version()
    );
    assert!(
        number >= OPENSSL_3_5,
        "OpenSSL {} is older than 3.5, which has the ML-KEM groups",
        openssl::version::version()
    );
}

fn check_openssl(outcome: &OpensslOutcome, group: NamedGroup) {
    assert_eq!(
        outcome.group.as_deref(),
        Some(group.name()),
        "OpenSSL negotiated {outcome:?}"
    );
    assert_eq!(outcome.version, "TLSv1.3");
}

/// OpenSSL server, our rustls client.
fn openssl_server_ours_client(group: NamedGroup) {
    let identity = Identity::generate().expect("certificate");
    let acceptor = openssl_acceptor(&identity, group.name()).expect("OpenSSL acceptor");
    let client_config =
        rustls_client_config(our_provider(group.codepoint()), &identity).expect("client config");
    let (server, client) = run_pair(
        move |tcp| openssl_server(&acceptor, tcp),
        |tcp| rustls_client(client_config, tcp),
    );
    println!(
        "{}: OpenSSL server {server:?}, our client {client:?}",
        group.name()
    );
    check_openssl(&server, group);
    assert_eq!(client.codepoint, group.codepoint(), "{client:?}");
    assert!(client.implementation.contains("hybrid_kx"), "{client:?}");
}

/// Our rustls server, OpenSSL client.
fn ours_server_openssl_client(group: NamedGroup) {
    let identity = Identity::generate().expect("certificate");
    let server_config =
        rustls_server_config(our_provider(group.codepoint()), &identity).expect("server config");
    let connector = openssl_connector(&identity, group.name()).expect("OpenSSL connector");
    let (server, client) = run_pair(
        move |tcp| rustls_server(server_config, tcp),
        |tcp| openssl_client(&connector, tcp),
    );
    println!(
        "{}: our server {server:?}, OpenSSL client {client:?}",
        group.name()
    );
    check_openssl(&client, group);
    assert_eq!(server.codepoint, group.codepoint(), "{server:?}");
    assert!(server.implementation.contains("hybrid_kx"), "{server:?}");
}

#[test]
fn x25519mlkem768_openssl_server_ours_client() {
    openssl_server_ours_client(NamedGroup::X25519MLKEM768);
}

#[test]
fn x25519mlkem768_ours_server_openssl_client() {
    ours_server_openssl_client(NamedGroup::X25519MLKEM768);
}

#[test]
fn secp256r1mlkem768_openssl_server_ours_client() {
    openssl_server_ours_client(NamedGroup::SecP256r1MLKEM768);
}

#[test]
fn secp256r1mlkem768_ours_server_openssl_client() {
    ours_server_openssl_client(NamedGroup::SecP256r1MLKEM768);
}

#[test]
fn secp384r1mlkem1024_openssl_server_ours_client() {
    openssl_server_ours_client(NamedGroup::SecP384r1MLKEM1024);
}

#[test]
fn secp384r1mlkem1024_ours_server_openssl_client() {
    ours_server_openssl_client(NamedGroup::SecP384r1MLKEM1024);
}

#[test]
fn mlkem768_openssl_server_ours_client() {
    openssl_server_ours_client(NamedGroup::MLKEM768);
}

#[test]
fn mlkem768_ours_server_openssl_client() {
    ours_server_openssl_client(NamedGroup::MLKEM768);
}

#[test]
fn mlkem1024_openssl_server_ours_client() {
    openssl_server_ours_client(NamedGroup::MLKEM1024);
}

#[test]
fn mlkem1024_ours_server_openssl_client() {
    ours_server_openssl_client(NamedGroup::MLKEM1024);
}

#[test]
fn mlkem512_openssl_server_ours_client() {
    openssl_server_ours_client(NamedGroup::MLKEM512);
}

#[test]
fn mlkem512_ours_server_openssl_client() {
    ours_server_openssl_client(NamedGroup::MLKEM512);
}

// ---------------------------------------------------------------------------------------------
// Malformed shares from OpenSSL: a proxy changes the share bytes OpenSSL sent (same length),
// and our side must refuse them with illegal_parameter, which OpenSSL must then report.
// ---------------------------------------------------------------------------------------------

/// Where the parts of a group's shares are (RFC 10024 section 3; draft-ietf-tls-mlkem).
struct Layout {
    /// Offset of the ML-KEM encapsulation key in the client share.
    ek: usize,
    /// The classical share in the client share and in the server share, for a hybrid.
    classical: Option<(Range<usize>, Range<usize>)>,
}

fn layout(group: NamedGroup) -> Layout {
    let (ek, classical) = match group {
        // ek || X25519 from the client, ct || X25519 from the server.
        NamedGroup::X25519MLKEM768 => (0, Some((1184..1216, 1088..1120))),
        // The EC point comes first in both.
        NamedGroup::SecP256r1MLKEM768 => (65, Some((0..65, 0..65))),
        NamedGroup::SecP384r1MLKEM1024 => (97, Some((0..97, 0..97))),
        NamedGroup::MLKEM768 | NamedGroup::MLKEM1024 | NamedGroup::MLKEM512 => (0, None),
        _ => panic!("{group}: a new group needs its layout in this test"),
    };
    Layout { ek, classical }
}

/// Makes a classical share invalid: an all-zero X25519 key (whose shared secret is all
/// zeros, RFC 8446 section 7.4.2), or an uncompressed EC point moved off the curve (RFC 8446
/// section 4.2.8.2).
fn break_classical(group: NamedGroup, share: &mut [u8]) {
    if group == NamedGroup::X25519MLKEM768 {
        share.fill(0);
    } else {
        let last = share.len() - 1;
        share[last] ^= 1; // y changes, x does not: not a point of the curve
    }
}

/// OpenSSL client, a proxy changing its ClientHello share with `edit`, our rustls server.
fn malformed_client_share(group: NamedGroup, edit: impl FnOnce(&mut [u8]) + Send + 'static) {
    let identity = Identity::generate().expect("certificate");
    let server_config =
        rustls_server_config(our_provider(group.codepoint()), &identity).expect("server config");
    let connector = openssl_connector(&identity, group.name()).expect("OpenSSL connector");
    let (server_address, server) = spawn_server(move |tcp| rustls_server(server_config, tcp));
    let (proxy_address, proxy) = tampering_proxy(
        server_address,
        Direction::ClientToServer,
        edit_key_share(group, Direction::ClientToServer, edit),
    );
    let client = connect(proxy_address).and_then(|tcp| openssl_client(&connector, tcp));
    let proxy = proxy.join().expect("proxy thread panicked");
    let server = server.join().expect("server thread panicked");
    println!(
        "{}: our server {server:?}; OpenSSL client {client:?}",
        group.name()
    );
    proxy.expect("the proxy changes the client's share");
    let server = server.expect_err("our server must refuse the share");
    assert!(server.to_string().contains("InvalidKeyShare"), "{server}");
    let client = client.expect_err("the OpenSSL client must fail");
    assert!(client.to_string().contains("illegal parameter"), "{client}");
}

/// OpenSSL server, a proxy changing its ServerHello share with `edit`, our rustls client.
fn malformed_server_share(group: NamedGroup, edit: impl FnOnce(&mut [u8]) + Send + 'static) {
    let identity = Identity::generate().expect("certificate");
    let acceptor = openssl_acceptor(&identity, group.name()).expect("OpenSSL acceptor");
    let client_config =
        rustls_client_config(our_provider(group.codepoint()), &identity).expect("client config");
    let (server_address, server) = spawn_server(move |tcp| openssl_server(&acceptor, tcp));
    let (proxy_address, proxy) = tampering_proxy(
        server_address,
        Direction::ServerToClient,
        edit_key_share(group, Direction::ServerToClient, edit),
    );
    let client = connect(proxy_address).and_then(|tcp| rustls_client(client_config, tcp));
    let proxy = proxy.join().expect("proxy thread panicked");
    let server = server.join().expect("server thread panicked");
    println!(
        "{}: OpenSSL server {server:?}; our client {client:?}",
        group.name()
    );
    proxy.expect("the proxy changes the server's share");
    let client = client.expect_err("our client must refuse the share");
    assert!(client.to_string().contains("InvalidKeyShare"), "{client}");
    let server = server.expect_err("the OpenSSL server must fail");
    assert!(server.to_string().contains("illegal parameter"), "{server}");
}

/// An encapsulation key whose first coefficient is 4095 >= q fails the modulus check of
/// FIPS 203 section 7.2: every group's server must refuse it.
#[test]
fn malformed_mlkem_key_from_openssl_client_is_refused() {
    for &group in NamedGroup::ALL {
        let ek = layout(group).ek;
        malformed_client_share(group, move |share| {
            share[ek] = 0xff;
            share[ek + 1] |= 0x0f;
        });
    }
}

#[test]
fn malformed_classical_share_from_openssl_client_is_refused() {
    for &group in NamedGroup::ALL {
        if let Some((classical, _)) = layout(group).classical {
            malformed_client_share(group, move |share| {
                break_classical(group, &mut share[classical]);
            });
        }
    }
}

/// A ciphertext has no invalid values (ML-KEM's implicit rejection), so only the classical
/// half of a server share can be malformed at the same length.
#[test]
fn malformed_classical_share_from_openssl_server_is_refused() {
    for &group in NamedGroup::ALL {
        if let Some((_, classical)) = layout(group).classical {
            malformed_server_share(group, move |share| {
                break_classical(group, &mut share[classical]);
            });
        }
    }
}
