//! Parsers of the plaintext handshake messages a test needs to look at on the wire (the
//! ClientHello's key shares and supported groups), for either rustls version.

/// The plaintext handshake messages (header included) at the start of a flight, in order.
pub fn plaintext_handshake_messages(flight: &[u8]) -> Vec<Vec<u8>> {
    let mut payload = Vec::new();
    let mut rest = flight;
    while rest.len() >= 5 {
        let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
        if rest[0] == 22 {
            payload.extend_from_slice(&rest[5..5 + len]);
        }
        rest = &rest[5 + len..];
    }
    let mut messages = Vec::new();
    let mut p = &payload[..];
    while p.len() >= 4 {
        let len = (usize::from(p[1]) << 16) | (usize::from(p[2]) << 8) | usize::from(p[3]);
        if p.len() < 4 + len {
            break;
        }
        messages.push(p[..4 + len].to_vec());
        p = &p[4 + len..];
    }
    messages
}

/// (group, share length) of every key share in a ClientHello message (header included).
pub fn client_hello_key_shares(ch: &[u8]) -> Vec<(u16, usize)> {
    let mut shares = Vec::new();
    for (ty, data) in client_hello_extensions(ch) {
        if ty == 0x0033 {
            let mut e = &data[2..];
            while e.len() >= 4 {
                let group = u16::from_be_bytes([e[0], e[1]]);
                let l = usize::from(u16::from_be_bytes([e[2], e[3]]));
                shares.push((group, l));
                e = &e[4 + l..];
            }
        }
    }
    shares
}

/// The `supported_groups` list (RFC 8446 section 4.2.7) of a ClientHello message (header
/// included), in the client's preference order.
pub fn client_hello_supported_groups(ch: &[u8]) -> Vec<u16> {
    let mut groups = Vec::new();
    for (ty, data) in client_hello_extensions(ch) {
        if ty == 0x000a {
            groups.extend(
                data[2..]
                    .chunks(2)
                    .map(|g| u16::from_be_bytes([g[0], g[1]])),
            );
        }
    }
    groups
}

/// (type, body) of every extension of a ClientHello message (header included).
fn client_hello_extensions(ch: &[u8]) -> Vec<(u16, &[u8])> {
    let mut p = &ch[4 + 2 + 32..];
    let sid = usize::from(p[0]);
    p = &p[1 + sid..];
    let suites = usize::from(u16::from_be_bytes([p[0], p[1]]));
    p = &p[2 + suites..];
    let comp = usize::from(p[0]);
    p = &p[1 + comp + 2..];
    let mut out = Vec::new();
    while p.len() >= 4 {
        let ty = u16::from_be_bytes([p[0], p[1]]);
        let len = usize::from(u16::from_be_bytes([p[2], p[3]]));
        out.push((ty, &p[4..4 + len]));
        p = &p[4 + len..];
    }
    out
}
