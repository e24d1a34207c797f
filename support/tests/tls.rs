//! The in-memory driver on rustls's own ring provider: a handshake both sides agree on, flight
//! by flight, and application data after it; a corrupted flight that fails the client, whose
//! alert still reaches the server; a flight that never arrives, which ends the run instead of
//! spinning.

use std::io::{Read, Write};
use std::sync::Arc;

use hybrid_kx_support::tls::{
    Failure, Identity, KeyAlgorithm, MAX_ROUNDS, Side, TLS13_ONLY, client_config, connections,
    drive, handshake, server_config, server_config_for_chain,
};
use rustls::{AlertDescription, ClientConnection, ProtocolVersion, ServerConnection};

fn pair() -> (ClientConnection, ServerConnection) {
    let identity = Identity::generate().unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let client = client_config(provider.clone(), identity.roots()).unwrap();
    let server = server_config(provider, &identity).unwrap();
    connections(Arc::new(client), Arc::new(server)).unwrap()
}

#[test]
fn a_handshake_finishes_flight_by_flight_and_carries_data_after() {
    let (mut client, mut server) = pair();
    let mut sides = Vec::new();
    let outcome = drive(&mut client, &mut server, |side, _| sides.push(side));
    // ClientHello; ServerHello to Finished; the client's Finished; the server's tickets.
    assert_eq!(
        sides,
        [Side::Client, Side::Server, Side::Client, Side::Server]
    );
    let negotiated = outcome.expect_success();
    assert_eq!(negotiated.version, Some(ProtocolVersion::TLSv1_3));
    assert_eq!(
        negotiated.group,
        Some(rustls::crypto::ring::kx_group::X25519.name())
    );
    assert!(negotiated.suite.is_some());

    client.writer().write_all(b"ping").unwrap();
    server.writer().write_all(b"pong").unwrap();
    assert_eq!(handshake(&mut client, &mut server), negotiated);
    let mut got = [0u8; 4];
    server.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"ping");
    client.reader().read_exact(&mut got).unwrap();
    assert_eq!(&got, b"pong");
}

#[test]
fn a_corrupted_flight_fails_the_client_and_its_alert_reaches_the_server() {
    let (mut client, mut server) = pair();
    let outcome = drive(&mut client, &mut server, |side, flight| {
        if side == Side::Server {
            // The last byte of the encrypted Finished record: its AEAD tag.
            *flight.last_mut().unwrap() ^= 1;
        }
    });
    assert!(!outcome.finished);
    assert!(
        matches!(
            outcome.client.error,
            Some(Failure::Tls(rustls::Error::DecryptError))
        ),
        "{outcome:?}"
    );
    assert!(
        matches!(
            outcome.server.error,
            Some(Failure::Tls(rustls::Error::AlertReceived(
                AlertDescription::BadRecordMac
            )))
        ),
        "{outcome:?}"
    );
}

#[test]
fn a_flight_that_never_arrives_ends_the_run_unfinished() {
    let (mut client, mut server) = pair();
    let outcome = drive(&mut client, &mut server, |side, flight| {
        if side == Side::Client {
            flight.truncate(3); // part of a record header: the server waits for the rest
        }
    });
    assert!(!outcome.finished);
    assert!(outcome.client.error.is_none() && outcome.server.error.is_none());
    // The first round moved the truncated ClientHello, the second nothing.
    assert_eq!(outcome.rounds, 2);
    assert!(outcome.rounds < MAX_ROUNDS);
    assert_eq!(outcome.server.negotiated.group, None);
}

/// Every generated key type serves a handshake (the client verifies the certificate and the
/// server's signature with it), and each is what its name says (the names are the CLI's).
#[test]
fn every_generated_key_type_serves_a_handshake() {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    for &algorithm in KeyAlgorithm::ALL {
        assert_eq!(KeyAlgorithm::from_name(algorithm.name()), Some(algorithm));
        let identity = Identity::generate_with(algorithm).unwrap();
        let client = client_config(provider.clone(), identity.roots()).unwrap();
        let server = server_config(provider.clone(), &identity).unwrap();
        let (mut client, mut server) = connections(Arc::new(client), Arc::new(server)).unwrap();
        handshake(&mut client, &mut server);
        // The key's PKCS#8 algorithm identifier: id-ecPublicKey with the curve, or id-Ed25519.
        let oid: &[u8] = match algorithm {
            KeyAlgorithm::EcdsaP256 => &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
            KeyAlgorithm::EcdsaP384 => &[0x2b, 0x81, 0x04, 0x00, 0x22],
            KeyAlgorithm::Ed25519 => &[0x2b, 0x65, 0x70],
        };
        assert!(
            identity.key_der().windows(oid.len()).any(|w| w == oid),
            "{}: the key is not of that type",
            algorithm.name()
        );
    }
    assert_eq!(KeyAlgorithm::from_name("rsa"), None);
}

/// A key that is not the certificate's is refused when the configuration is built, not at the
/// first handshake.
#[test]
fn a_chain_with_another_certificates_key_is_refused() {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let (one, other) = (Identity::generate().unwrap(), Identity::generate().unwrap());
    let err = server_config_for_chain(TLS13_ONLY, provider, vec![one.cert.clone()], other.key())
        .unwrap_err();
    assert!(matches!(err, rustls::Error::InconsistentKeys(_)), "{err:?}");
}
