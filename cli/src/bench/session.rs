//! One connection of `hybrid-kx bench`: TCP connect, TLS 1.3 handshake, close; its latency
//! (from `connect` to the client's Finished sent: what a user waits for before the first
//! request), whether it resumed, or the kind of its failure, in a few words that group equal
//! failures (`connect: connection refused`, `alert received: HandshakeFailure`).

use std::io;
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, HandshakeKind};

use crate::client::connect;

/// How long the client waits, after its close_notify, for the server's (and for the tickets
/// before it, with `--resume`) before it closes anyway.
const LINGER: Duration = Duration::from_secs(2);

/// A handshake that completed.
pub(crate) struct Completed {
    /// From `connect` to the handshake's end on the client.
    pub(crate) latency: Duration,
    /// A resumption (RFC 8446 section 2.2, with a fresh key exchange in the group measured).
    pub(crate) resumed: bool,
}

/// One connection to `address`: connect, handshake, close_notify, then read until the server
/// closes (so that the server's share of the work is done before the next connection and, with
/// resumption on, the tickets have arrived).
///
/// # Errors
/// The kind of failure, as [`failure_kind`] words it.
pub(crate) fn handshake(
    config: &Arc<ClientConfig>,
    address: &str,
    server_name: &ServerName<'static>,
) -> Result<Completed, String> {
    let start = Instant::now();
    let mut tcp = connect(address).map_err(|err| format!("connect: {}", io_kind(&err)))?;
    let mut conn = ClientConnection::new(Arc::clone(config), server_name.clone())
        .map_err(|err| format!("tls: {err}"))?;
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp)
            .map_err(|err| failure_kind(&err))?;
    }
    let latency = start.elapsed();
    let resumed = conn.handshake_kind() == Some(HandshakeKind::Resumed);
    close(&mut conn, &mut tcp);
    Ok(Completed { latency, resumed })
}

/// Sends close_notify, then reads (tickets, the server's close_notify) until the server closes,
/// fails, or [`LINGER`] passes. What happens here is not the handshake's: nothing is reported.
fn close(conn: &mut ClientConnection, tcp: &mut TcpStream) {
    conn.send_close_notify();
    while conn.wants_write() {
        if conn.write_tls(tcp).is_err() {
            return;
        }
    }
    let _ = tcp.set_read_timeout(Some(LINGER));
    loop {
        match conn.read_tls(tcp) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        match conn.process_new_packets() {
            Ok(state) if !state.peer_has_closed() => {}
            _ => return,
        }
    }
}

/// A failed handshake in a few words: the alert or TLS error rustls reports, or what the
/// socket did.
pub(crate) fn failure_kind(err: &io::Error) -> String {
    if let Some(tls) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    {
        return match tls {
            rustls::Error::AlertReceived(alert) => format!("alert received: {alert:?}"),
            rustls::Error::InvalidCertificate(cert) => format!("invalid certificate: {cert:?}"),
            other => format!("tls: {other}"),
        };
    }
    io_kind(err)
}

/// What the socket did, without the details that differ between equal failures.
fn io_kind(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "timed out".to_owned(),
        io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        io::ErrorKind::ConnectionReset => "connection reset".to_owned(),
        io::ErrorKind::UnexpectedEof => "closed by the server during the handshake".to_owned(),
        kind => format!("{kind}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_worded_by_kind_not_by_detail() {
        let alert = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure),
        );
        assert_eq!(failure_kind(&alert), "alert received: HandshakeFailure");
        let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "port 1");
        assert_eq!(failure_kind(&refused), "connection refused");
        let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "tls handshake eof");
        assert_eq!(
            failure_kind(&eof),
            "closed by the server during the handshake"
        );
    }
}
