//! TLS plumbing shared by `handshake` and `serve`: our provider limited to the groups asked for
//! (the certificate, the TLS 1.3 configurations and the recording key log are
//! `hybrid-kx-support`'s), a byte-recording stream and the key-share extension parser that
//! reports sizes on the wire.

use std::io::{self, Read, Write};
use std::sync::Arc;

use hybrid_kx::NamedGroup;
use rustls::crypto::{CryptoProvider, SupportedKxGroup};

/// Boxed error for the command-line layer.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Our provider (ring base, our groups and HKDF), optionally limited to `groups` in that order.
pub(crate) fn provider(groups: Option<&[&'static dyn SupportedKxGroup]>) -> Arc<CryptoProvider> {
    let mut provider = hybrid_kx::rustls::default_provider();
    if let Some(groups) = groups {
        provider.kx_groups = groups.to_vec();
    }
    Arc::new(provider)
}

/// A stream that keeps a copy of the first bytes read and written (the first flights).
pub(crate) struct RecordingStream<S> {
    inner: S,
    pub(crate) read: Vec<u8>,
    pub(crate) written: Vec<u8>,
}

/// Enough for a ClientHello or ServerHello flight with the largest share.
const RECORD_LIMIT: usize = 16 * 1024;

impl<S> RecordingStream<S> {
    pub(crate) fn new(inner: S) -> Self {
        Self {
            inner,
            read: Vec::new(),
            written: Vec::new(),
        }
    }
}

impl<S: Read> Read for RecordingStream<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = RECORD_LIMIT.saturating_sub(self.read.len());
        self.read.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }
}

impl<S> RecordingStream<S> {
    fn record_written(&mut self, mut data: &[u8]) {
        let room = RECORD_LIMIT.saturating_sub(self.written.len());
        data = &data[..data.len().min(room)];
        self.written.extend_from_slice(data);
    }
}

impl<S: Write> Write for RecordingStream<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.record_written(&buf[..n]);
        Ok(n)
    }

    /// Passed through, not left to the default (which writes only the first buffer): rustls
    /// hands a whole flight (ServerHello, ChangeCipherSpec, the encrypted messages) to one
    /// vectored write, and with `TCP_NODELAY` each separate write leaves as its own segment. A
    /// peer that reads a lone ServerHello sends its ChangeCipherSpec alone, and its kernel then
    /// holds the Finished behind it (Nagle) until this side's delayed ACK, about 40 ms later.
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        let n = self.inner.write_vectored(bufs)?;
        let mut left = n;
        for buf in bufs {
            if left == 0 {
                break;
            }
            let take = left.min(buf.len());
            self.record_written(&buf[..take]);
            left -= take;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A small reader over TLS structures (RFC 8446 section 3): every read is bounds-checked.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n)?;
        self.0 = tail;
        Some(head)
    }
    fn u8(&mut self) -> Option<usize> {
        self.take(1).map(|b| usize::from(b[0]))
    }
    fn u16(&mut self) -> Option<usize> {
        self.take(2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
    }
    fn u24(&mut self) -> Option<usize> {
        self.take(3)
            .map(|b| (usize::from(b[0]) << 16) | (usize::from(b[1]) << 8) | usize::from(b[2]))
    }
    fn vec8(&mut self) -> Option<&'a [u8]> {
        let n = self.u8()?;
        self.take(n)
    }
    fn vec16(&mut self) -> Option<&'a [u8]> {
        let n = self.u16()?;
        self.take(n)
    }
}

/// The first handshake message of a flight: reassembled from the handshake records at its
/// start (a ClientHello with a 1665-byte share still fits one record, but be general).
fn first_handshake_message(flight: &[u8]) -> Option<(u8, Vec<u8>)> {
    let mut records = Reader(flight);
    let mut payload = Vec::new();
    loop {
        let content_type = records.u8()?;
        records.take(2)?; // legacy_record_version
        let fragment = records.vec16()?;
        if content_type != 22 {
            break; // change_cipher_spec or encrypted records follow the hello
        }
        payload.extend_from_slice(fragment);
        let mut msg = Reader(&payload);
        let msg_type = msg.u8()?;
        let len = msg.u24()?;
        if let Some(body) = msg.take(len) {
            return Some((u8::try_from(msg_type).ok()?, body.to_vec()));
        }
    }
    None
}

/// `(group codepoint, key_exchange length)` of every `KeyShareEntry` in the first
/// ClientHello (msg_type 1) or ServerHello (msg_type 2) of `flight` (RFC 8446 section 4.2.8).
pub(crate) fn key_shares(flight: &[u8]) -> Vec<(u16, usize)> {
    fn parse(flight: &[u8]) -> Option<Vec<(u16, usize)>> {
        let (msg_type, body) = first_handshake_message(flight)?;
        let mut r = Reader(&body);
        r.take(2 + 32)?; // legacy_version, random
        r.vec8()?; // legacy_session_id(_echo)
        match msg_type {
            1 => {
                r.vec16()?; // cipher_suites
                r.vec8()?; // legacy_compression_methods
            }
            2 => {
                r.take(2 + 1)?; // cipher_suite, legacy_compression_method
            }
            _ => return None,
        }
        let mut exts = Reader(r.vec16()?);
        let mut shares = Vec::new();
        while !exts.0.is_empty() {
            let ext_type = exts.u16()?;
            let data = exts.vec16()?;
            if ext_type != 0x0033 {
                continue;
            }
            let mut entries = Reader(data);
            if msg_type == 1 {
                entries = Reader(entries.vec16()?); // client_shares<0..2^16-1>
            }
            while !entries.0.is_empty() {
                let group = u16::try_from(entries.u16()?).ok()?;
                shares.push((group, entries.vec16()?.len()));
            }
        }
        Some(shares)
    }
    parse(flight).unwrap_or_default()
}

/// A readable name for any `NamedGroup` codepoint.
pub(crate) fn group_name(codepoint: u16) -> String {
    match NamedGroup::from_codepoint(codepoint) {
        Some(group) => group.name().to_owned(),
        None => match codepoint {
            0x001D => "x25519".to_owned(),
            0x0017 => "secp256r1".to_owned(),
            0x0018 => "secp384r1".to_owned(),
            0x001E => "x448".to_owned(),
            other => format!("0x{other:04x}"),
        },
    }
}

/// Formats the key shares as `name:len,name:len`.
pub(crate) fn describe_shares(shares: &[(u16, usize)]) -> String {
    if shares.is_empty() {
        return "none".to_owned();
    }
    shares
        .iter()
        .map(|(group, len)| format!("{}:{len}", group_name(*group)))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use std::io::{IoSlice, Write};

    use super::RecordingStream;

    /// A flight handed to one vectored write must reach the socket as one write (and be
    /// recorded whole): the default `write_vectored` would pass on only the first record.
    #[test]
    fn a_vectored_write_passes_through_whole() {
        let records: [&[u8]; 3] = [b"server hello", b"ccs", b"encrypted extensions, finished"];
        let mut stream = RecordingStream::new(Vec::new());
        let slices = records.map(IoSlice::new);
        let n = stream.write_vectored(&slices).unwrap();
        let flight = records.concat();
        assert_eq!(n, flight.len());
        assert_eq!(stream.inner, flight);
        assert_eq!(stream.written, flight);
    }
}
