//! Fuzz target bodies for hybrid-kx, shared by the libFuzzer binaries (`fuzz_targets/`) and the
//! corpus replay test (`tests/replay.rs`). Each body must never panic on any input; where the
//! input is accepted it also checks the output's invariants (lengths, agreement). The
//! differential targets (`differential`) compare every backend and OpenSSL on each input.

pub mod differential;

use std::sync::{Arc, OnceLock};

use hybrid_kx::NamedGroup;
use hybrid_kx::key_schedule::{HkdfLabel, Prk, Sha256, Sha384, expand_label};
use hybrid_kx_support::tls::{Identity, client_config, connections, drive, server_config};

/// The group an input selects with its first byte.
fn pick(data: &[u8]) -> Option<(NamedGroup, &[u8])> {
    let (&first, rest) = data.split_first()?;
    Some((
        NamedGroup::ALL[usize::from(first) % NamedGroup::ALL.len()],
        rest,
    ))
}

/// A failure caused by the peer's share is the peer's fault: illegal_parameter (RFC 10024
/// section 5; RFC 8446 section 6.2).
fn assert_peer_fault(group: NamedGroup, err: &hybrid_kx::Error) {
    assert_eq!(
        err.alert(),
        hybrid_kx::Alert::IllegalParameter,
        "{group}: {err}"
    );
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
        Err(err) => assert_peer_fault(group, &err),
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
        Err(err) => assert_peer_fault(group, &err),
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
        let identity = Identity::generate().expect("cert");
        let provider = Arc::new(hybrid_kx::rustls::default_provider());
        Configs {
            client: Arc::new(
                client_config(provider.clone(), identity.roots()).expect("client config"),
            ),
            server: Arc::new(server_config(provider, &identity).expect("server config")),
        }
    })
}

/// A whole in-memory rustls handshake with our provider on both sides
/// (`hybrid_kx_support::tls::drive`), where the bytes of one flight are overwritten by the
/// input: `data[0]` picks the flight (client/server, 0..3), `data[1..3]` the offset, the rest
/// the bytes. Any outcome but a panic is fine; an untouched handshake must succeed.
pub fn tls_handshake(data: &[u8]) {
    let (selector, offset, patch) = match data {
        [s, hi, lo, rest @ ..] => (*s, usize::from(u16::from_be_bytes([*hi, *lo])), rest),
        _ => (0xff, 0, &[][..]),
    };
    let configs = configs();
    let (mut client, mut server) =
        connections(configs.client.clone(), configs.server.clone()).expect("connections");
    let mut flight = 0u8;
    let outcome = drive(&mut client, &mut server, |_, buf| {
        if flight == selector % 6 && !patch.is_empty() {
            let at = offset % buf.len();
            let n = patch.len().min(buf.len() - at);
            buf[at..at + n].copy_from_slice(&patch[..n]);
        }
        flight = flight.wrapping_add(1);
    });
    if patch.is_empty() {
        outcome.expect_success();
    }
}
