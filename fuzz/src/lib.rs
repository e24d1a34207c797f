//! Fuzz target bodies for hybrid-kx, shared by the libFuzzer binaries (`fuzz_targets/`) and the
//! corpus replay test (`tests/replay.rs`). Each body must never panic on any input; where the
//! input is accepted it also checks the output's invariants (lengths, agreement).

use std::sync::{Arc, OnceLock};

use hybrid_kx::NamedGroup;
use hybrid_kx::key_schedule::{HkdfLabel, Prk, Sha256, Sha384, expand_label};

/// The group an input selects with its first byte.
fn pick(data: &[u8]) -> Option<(NamedGroup, &[u8])> {
    let (&first, rest) = data.split_first()?;
    Some((
        NamedGroup::ALL[usize::from(first) % NamedGroup::ALL.len()],
        rest,
    ))
}

/// Server side: parse, validate and encapsulate to an arbitrary client share.
pub fn client_share(data: &[u8]) {
    let Some((group, share)) = pick(data) else {
        return;
    };
    let seed = vec![0x5a; group.server_seed_len()];
    match group.encapsulate_from_seed(share, &seed) {
        Ok((server_share, secret)) => {
            assert_eq!(share.len(), group.client_share_len());
            assert_eq!(server_share.as_bytes().len(), group.server_share_len());
            assert_eq!(secret.len(), group.shared_secret_len());
        }
        Err(err) => {
            // Every failure caused by the client's share is the peer's: illegal_parameter
            // (RFC 10024 section 5; RFC 8446 section 6.2).
            assert_eq!(
                err.alert(),
                hybrid_kx::Alert::IllegalParameter,
                "{group}: {err}"
            );
        }
    }
}

/// Client side: complete a fixed client state with an arbitrary server share.
pub fn server_share(data: &[u8]) {
    let Some((group, share)) = pick(data) else {
        return;
    };
    let seed = vec![0xa5; group.client_seed_len()];
    let (_, state) = group
        .generate_key_share_from_seed(&seed)
        .expect("fixed valid seed");
    match state.complete(share) {
        Ok(secret) => {
            assert_eq!(share.len(), group.server_share_len());
            assert_eq!(secret.len(), group.shared_secret_len());
        }
        Err(err) => {
            assert_eq!(
                err.alert(),
                hybrid_kx::Alert::IllegalParameter,
                "{group}: {err}"
            );
        }
    }
}

/// HKDF-Expand-Label with arbitrary label, context and length (RFC 8446 section 7.1 limits).
pub fn hkdf_label(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let length = usize::from(u16::from_be_bytes([data[0], data[1]])) % 20_000;
    let split = usize::from(data[2]).min(data.len() - 3);
    let (label, context) = data[3..].split_at(split);
    if let Ok(info) = HkdfLabel::new(label, context, length) {
        let mut encoded = vec![0u8; info.encoded_len()];
        let written = info.encode_into(&mut encoded).expect("sized buffer");
        assert_eq!(written.len(), 2 + 1 + 6 + label.len() + 1 + context.len());
    }
    let mut out = vec![0u8; length];
    let prk256 = Prk::<Sha256>::from_bytes(&[7; 32]).expect("32 bytes");
    let prk384 = Prk::<Sha384>::from_bytes(&[7; 48]).expect("48 bytes");
    let a = expand_label(&prk256, label, context, &mut out).is_ok();
    let b = expand_label(&prk384, label, context, &mut out).is_ok();
    // The label/context limits do not depend on the hash; only the output limit does.
    if length <= 255 * 32 {
        assert_eq!(a, b);
    }
}

struct Configs {
    client: Arc<rustls::ClientConfig>,
    server: Arc<rustls::ServerConfig>,
}

fn configs() -> &'static Configs {
    static CONFIGS: OnceLock<Configs> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
        let cert = ck.cert.der().clone();
        let key = rustls::pki_types::PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der());
        let provider = Arc::new(hybrid_kx::rustls::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert.clone()).expect("root");
        let client = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .expect("tls13")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let server = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .expect("tls13")
            .with_no_client_auth()
            .with_single_cert(vec![cert], key.into())
            .expect("server cert");
        Configs {
            client: Arc::new(client),
            server: Arc::new(server),
        }
    })
}

/// A whole in-memory rustls handshake with our provider on both sides, where the bytes of one
/// flight are overwritten by the input: `data[0]` picks the flight (client/server, 0..3),
/// `data[1..3]` the offset, the rest the bytes. Any outcome but a panic is fine; an untouched
/// handshake must succeed.
pub fn tls_handshake(data: &[u8]) {
    let (selector, offset, patch) = match data {
        [s, hi, lo, rest @ ..] => (*s, usize::from(u16::from_be_bytes([*hi, *lo])), rest),
        _ => (0xff, 0, &[][..]),
    };
    let configs = configs();
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let mut client = rustls::ClientConnection::new(configs.client.clone(), name).expect("client");
    let mut server = rustls::ServerConnection::new(configs.server.clone()).expect("server");
    let mut flight = 0u8;
    let mut failed = false;
    for _ in 0..8 {
        for from_client in [true, false] {
            let mut buf = Vec::new();
            let wrote = if from_client {
                write_all(&mut client, &mut buf)
            } else {
                write_all(&mut server, &mut buf)
            };
            if !wrote || buf.is_empty() {
                continue;
            }
            if flight == selector % 6 && !patch.is_empty() && !buf.is_empty() {
                let at = offset % buf.len();
                let n = patch.len().min(buf.len() - at);
                buf[at..at + n].copy_from_slice(&patch[..n]);
            }
            flight += 1;
            let ok = if from_client {
                read_all(&mut server, &buf)
            } else {
                read_all(&mut client, &buf)
            };
            failed |= !ok;
        }
        if failed || (!client.is_handshaking() && !server.is_handshaking()) {
            break;
        }
    }
    if patch.is_empty() {
        assert!(!failed && !client.is_handshaking() && !server.is_handshaking());
    }
}

fn write_all<D>(conn: &mut rustls::ConnectionCommon<D>, buf: &mut Vec<u8>) -> bool {
    while conn.wants_write() {
        if conn.write_tls(buf).is_err() {
            return false;
        }
    }
    true
}

fn read_all<D>(conn: &mut rustls::ConnectionCommon<D>, mut buf: &[u8]) -> bool {
    while !buf.is_empty() {
        if conn.read_tls(&mut buf).is_err() || conn.process_new_packets().is_err() {
            return false;
        }
    }
    true
}
