//! TLS plumbing shared by `handshake`, `serve` and `bench`: our provider limited to the groups
//! asked for, by name (the certificate, the TLS 1.3 configurations and the recording key log
//! are `hybrid-kx-support`'s), a byte-recording stream and the key-share extension parser that
//! reports sizes on the wire.

use std::io::{self, Read, Write};
use std::sync::Arc;

use hybrid_kx::NamedGroup;
use rustls::crypto::{CryptoProvider, SupportedKxGroup};

use crate::error::{BoxError, bad_input};

/// Our provider (ring base, our groups and HKDF), optionally limited to `groups` in that order.
pub(crate) fn provider(groups: Option<&[&'static dyn SupportedKxGroup]>) -> Arc<CryptoProvider> {
    let mut provider = hybrid_kx::rustls::default_provider();
    if let Some(groups) = groups {
        provider.kx_groups = groups.to_vec();
    }
    Arc::new(provider)
}

/// Every group a command can be asked for: ours ([`NamedGroup::ALL`], MLKEM512 included), then
/// the classical groups of the ring base provider (x25519, secp256r1, secp384r1), to measure or
/// fall back to.
fn known_groups() -> Vec<&'static dyn SupportedKxGroup> {
    let mut groups: Vec<_> = NamedGroup::ALL
        .iter()
        .map(|&group| hybrid_kx::rustls::kx_group(group))
        .collect();
    for group in rustls::crypto::ring::default_provider().kx_groups {
        if !groups.iter().any(|known| known.name() == group.name()) {
            groups.push(group);
        }
    }
    groups
}

/// The groups `names` ask for, in that order (IANA names, case-insensitive: `X25519MLKEM768`,
/// `x25519`, `secp256r1`, ...).
///
/// # Errors
/// [`crate::error::BadInput`] naming the unknown or repeated group and the known ones.
pub(crate) fn groups_by_name(
    names: &[String],
) -> Result<Vec<&'static dyn SupportedKxGroup>, BoxError> {
    let known = known_groups();
    let mut groups: Vec<&'static dyn SupportedKxGroup> = Vec::with_capacity(names.len());
    for name in names {
        let group = known
            .iter()
            .copied()
            .find(|group| group_name(u16::from(group.name())).eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let list: Vec<String> = known
                    .iter()
                    .map(|group| group_name(u16::from(group.name())))
                    .collect();
                bad_input(format!(
                    "unknown group {name:?}; known: {}",
                    list.join(", ")
                ))
            })?;
        if groups.iter().any(|g| g.name() == group.name()) {
            return Err(bad_input(format!("group {name:?} given twice")));
        }
        groups.push(group);
    }
    Ok(groups)
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

/// `random` of a ServerHello that is a HelloRetryRequest (RFC 8446 section 4.1.3: SHA-256 of
/// "HelloRetryRequest").
const HELLO_RETRY_REQUEST_RANDOM: [u8; 32] = [
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
];

/// The plaintext handshake messages at the start of a flight, `(msg_type, body)`, reassembled
/// from their records (a ClientHello with a 1665-byte share still fits one record, but be
/// general): up to the first record that is neither handshake nor change_cipher_spec (the
/// encrypted part), or the end of what was recorded.
fn plaintext_handshake_messages(flight: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut records = Reader(flight);
    let mut payload = Vec::new();
    let mut messages = Vec::new();
    while let (Some(content_type), Some(_), Some(fragment)) =
        (records.u8(), records.take(2), records.vec16())
    {
        match content_type {
            20 => continue, // change_cipher_spec, between a HelloRetryRequest and its answer
            22 => payload.extend_from_slice(fragment),
            _ => break, // encrypted records follow the hellos
        }
        loop {
            let mut msg = Reader(&payload);
            let (Some(msg_type), Some(len)) = (msg.u8(), msg.u24()) else {
                break;
            };
            let Some(body) = msg.take(len) else { break };
            let Ok(msg_type) = u8::try_from(msg_type) else {
                break;
            };
            messages.push((msg_type, body.to_vec()));
            let consumed = 4 + len;
            payload.drain(..consumed);
        }
    }
    messages
}

/// `(group codepoint, key_exchange length)` of every `KeyShareEntry` in the first ClientHello
/// (msg_type 1) or the ServerHello (msg_type 2, a HelloRetryRequest skipped: it names a group
/// but carries no share) of `flight` (RFC 8446 section 4.2.8): what the client offered first,
/// and what the server answered with.
pub(crate) fn key_shares(flight: &[u8]) -> Vec<(u16, usize)> {
    fn parse(msg_type: u8, body: &[u8]) -> Option<Vec<(u16, usize)>> {
        let mut r = Reader(body);
        r.take(2)?; // legacy_version
        let random = r.take(32)?;
        if msg_type == 2 && random == HELLO_RETRY_REQUEST_RANDOM {
            return None;
        }
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
    plaintext_handshake_messages(flight)
        .iter()
        .filter(|(msg_type, _)| matches!(msg_type, 1 | 2))
        .find_map(|(msg_type, body)| parse(*msg_type, body))
        .unwrap_or_default()
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
