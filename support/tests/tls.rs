//! The in-memory driver on rustls's own ring provider: a handshake both sides agree on, flight
//! by flight, and application data after it; a corrupted flight that fails the client, whose
//! alert still reaches the server; a flight that never arrives, which ends the run instead of
//! spinning.

use std::io::{Read, Write};
use std::sync::Arc;

use hybrid_kx_support::tls::{
    Failure, Identity, MAX_ROUNDS, Side, client_config, connections, drive, handshake,
    server_config,
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
