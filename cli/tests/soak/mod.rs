//! The soak of `serve` (`serve_soak_mixes_groups_hrr_and_malformed_hellos` in
//! `serve_load.rs`): ClientHellos built byte by byte, so that any field can be wrong, and the
//! catalogue of malformed hellos with the alert the RFCs require for each.

use hybrid_kx::NamedGroup;

/// `illegal_parameter` (RFC 8446 section 6.2).
const ILLEGAL_PARAMETER: u8 = 47;
/// `decode_error`.
const DECODE_ERROR: u8 = 50;
/// `unexpected_message`.
const UNEXPECTED_MESSAGE: u8 = 10;
/// `record_overflow`.
const RECORD_OVERFLOW: u8 = 22;
/// `protocol_version`.
const PROTOCOL_VERSION: u8 = 70;
/// `handshake_failure`.
const HANDSHAKE_FAILURE: u8 = 40;
/// `insufficient_security`.
const INSUFFICIENT_SECURITY: u8 = 71;
/// `missing_extension`.
const MISSING_EXTENSION: u8 = 109;

/// A TLS 1.3 ClientHello (RFC 8446 section 4.1.2) with every field settable.
#[derive(Clone)]
pub struct Hello {
    /// The record's content type (22, handshake).
    pub content_type: u8,
    /// The handshake message type (1, client_hello).
    pub message_type: u8,
    pub suites: Vec<u16>,
    pub compression: Vec<u8>,
    /// `supported_versions`.
    pub versions: Vec<u16>,
    /// `supported_groups`.
    pub groups: Vec<u16>,
    /// `key_share` entries.
    pub shares: Vec<(u16, Vec<u8>)>,
    /// `signature_algorithms`, if sent.
    pub signature_schemes: Option<Vec<u16>>,
    /// Added to the extensions' length field: a length that overruns the message.
    pub extensions_overrun: u16,
}

impl Hello {
    /// A valid hello offering `group` alone, with a fresh share.
    pub fn offering(group: NamedGroup) -> Self {
        let (share, _) = group.generate_key_share().unwrap();
        Self {
            content_type: 22,
            message_type: 1,
            suites: vec![0x1301, 0x1302, 0x1303],
            compression: vec![0],
            versions: vec![0x0304],
            groups: vec![group.codepoint()],
            shares: vec![(group.codepoint(), share.as_bytes().to_vec())],
            // ECDSA P-256/P-384 with SHA-256/384, RSA-PSS, Ed25519.
            signature_schemes: Some(vec![0x0403, 0x0503, 0x0804, 0x0805, 0x0807]),
            extensions_overrun: 0,
        }
    }

    /// The hello as one record.
    pub fn record(&self) -> Vec<u8> {
        let mut extensions = Vec::new();
        let mut extension = |kind: u16, body: Vec<u8>| {
            extensions.extend_from_slice(&kind.to_be_bytes());
            extensions.extend_from_slice(&u16_len(body.len()));
            extensions.extend_from_slice(&body);
        };
        let versions: Vec<u8> = self.versions.iter().flat_map(|v| v.to_be_bytes()).collect();
        extension(0x002b, [&[versions.len() as u8][..], &versions].concat());
        extension(
            0x000a,
            vector16(self.groups.iter().flat_map(|g| g.to_be_bytes()).collect()),
        );
        let shares = self
            .shares
            .iter()
            .flat_map(|(g, s)| [&g.to_be_bytes()[..], &u16_len(s.len()), s].concat())
            .collect();
        extension(0x0033, vector16(shares));
        if let Some(schemes) = &self.signature_schemes {
            extension(
                0x000d,
                vector16(schemes.iter().flat_map(|s| s.to_be_bytes()).collect()),
            );
        }
        let mut body = vec![0x03, 0x03];
        body.extend_from_slice(&[0x42; 32]); // random
        body.push(32);
        body.extend_from_slice(&[0x24; 32]); // legacy_session_id (middlebox compatibility)
        body.extend(vector16(
            self.suites.iter().flat_map(|s| s.to_be_bytes()).collect(),
        ));
        body.push(self.compression.len() as u8);
        body.extend_from_slice(&self.compression);
        let declared = extensions.len() + usize::from(self.extensions_overrun);
        body.extend_from_slice(&u16_len(declared));
        body.extend_from_slice(&extensions);
        let mut message = vec![self.message_type];
        message.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        message.extend_from_slice(&body);
        record(self.content_type, &message)
    }
}

fn u16_len(len: usize) -> [u8; 2] {
    u16::try_from(len).unwrap().to_be_bytes()
}

fn vector16(items: Vec<u8>) -> Vec<u8> {
    [&u16_len(items.len())[..], &items].concat()
}

/// A TLSPlaintext record (RFC 8446 section 5.1), legacy version 0x0301 as a first ClientHello
/// sends it.
fn record(content_type: u8, fragment: &[u8]) -> Vec<u8> {
    [
        &[content_type, 3, 1][..],
        &u16_len(fragment.len()),
        fragment,
    ]
    .concat()
}

/// A malformed first flight and the alerts the RFCs allow in answer.
pub struct Malformed {
    pub name: String,
    pub bytes: Vec<u8>,
    pub alerts: &'static [u8],
    /// Where rustls answers with another alert than the RFC requires: that alert, documented
    /// with an upstream report in docs/upstream-rustls-alerts.md. The soak expects it, so that
    /// a change in rustls shows.
    pub deviation: Option<u8>,
}

impl Malformed {
    /// The alert `serve` is expected to answer with: the RFC's, or the documented deviation.
    pub fn expected(&self) -> &[u8] {
        self.deviation
            .as_slice()
            .first()
            .map_or(self.alerts, std::slice::from_ref)
    }
}

/// Bytes of each primitive's client share (FIPS 203 section 8, RFC 7748, SEC 1).
fn part_len(part: &str) -> usize {
    match part {
        "ML-KEM-512" => 800,
        "ML-KEM-768" => 1184,
        "ML-KEM-1024" => 1568,
        "X25519" => 32,
        "P-256" => 65,
        "P-384" => 97,
        other => panic!("unknown part {other}"),
    }
}

/// Where each part of `group`'s client share starts, by name.
fn part_offset(group: NamedGroup, wanted: impl Fn(&str) -> bool) -> Option<(usize, usize)> {
    let mut at = 0;
    for part in group.parts() {
        if wanted(part) {
            return Some((at, part_len(part)));
        }
        at += part_len(part);
    }
    None
}

/// Every malformed hello the soak sends, with its RFC alert:
/// - per group, a share one byte short (RFC 10024 section 5, draft-ietf-tls-mlkem section 3),
///   an ML-KEM coefficient of 4095 (the FIPS 203 section 7.2 modulus check), and for the
///   hybrids an all-zero X25519 part (RFC 8446 section 7.4.2) or an EC point off the curve or
///   compressed (RFC 8446 section 4.2.8.2): `illegal_parameter`;
/// - a compression method besides null (RFC 8446 section 4.1.2): `illegal_parameter`;
/// - TLS 1.2 alone in `supported_versions` (section 4.2.1): `protocol_version`;
/// - no group or no cipher suite in common (section 4.1.1): `handshake_failure` or
///   `insufficient_security`;
/// - extensions that overrun the message (section 6.2): `decode_error`;
/// - a Finished first (section 4), application data first (section 5): `unexpected_message`;
/// - no `signature_algorithms` (section 9.2): `missing_extension`, where rustls sends
///   `handshake_failure`;
/// - a record of 2^14 + 1 bytes (section 5.1): `record_overflow`, where rustls reads the
///   record and answers what it holds (all zeros: a HelloRequest, `unexpected_message`).
pub fn catalogue() -> Vec<Malformed> {
    let mut all = Vec::new();
    let mut add = |name: String, hello: &Hello, alerts: &'static [u8]| {
        all.push(Malformed {
            name,
            bytes: hello.record(),
            alerts,
            deviation: None,
        });
    };
    for &group in NamedGroup::ALL {
        let valid = Hello::offering(group);
        let with_share = |edit: &dyn Fn(&mut Vec<u8>)| {
            let mut hello = valid.clone();
            edit(&mut hello.shares[0].1);
            hello
        };
        add(
            format!("{group}: share one byte short"),
            &with_share(&|s| {
                s.pop();
            }),
            &[ILLEGAL_PARAMETER],
        );
        let (kem, _) = part_offset(group, |p| p.starts_with("ML-KEM")).unwrap();
        add(
            format!("{group}: ML-KEM coefficient 4095"),
            &with_share(&|s| {
                s[kem] = 0xff;
                s[kem + 1] |= 0x0f;
            }),
            &[ILLEGAL_PARAMETER],
        );
        if let Some((at, len)) = part_offset(group, |p| p == "X25519") {
            add(
                format!("{group}: X25519 u = 0"),
                &with_share(&|s| {
                    s[at..at + len].fill(0);
                }),
                &[ILLEGAL_PARAMETER],
            );
        }
        if let Some((at, len)) = part_offset(group, |p| p.starts_with("P-")) {
            add(
                format!("{group}: EC point off the curve"),
                &with_share(&|s| {
                    s[at + len - 1] ^= 1;
                }),
                &[ILLEGAL_PARAMETER],
            );
            add(
                format!("{group}: EC point tagged compressed"),
                &with_share(&|s| {
                    s[at] = 0x02;
                }),
                &[ILLEGAL_PARAMETER],
            );
        }
    }
    let base = Hello::offering(NamedGroup::X25519MLKEM768);
    let changed = |edit: &dyn Fn(&mut Hello)| {
        let mut hello = base.clone();
        edit(&mut hello);
        hello
    };
    add(
        "compression methods null and DEFLATE".into(),
        &changed(&|h| h.compression = vec![0, 1]),
        &[ILLEGAL_PARAMETER],
    );
    add(
        "supported_versions TLS 1.2 only".into(),
        &changed(&|h| h.versions = vec![0x0303]),
        &[PROTOCOL_VERSION],
    );
    add(
        "no group in common (ffdhe2048)".into(),
        &changed(&|h| {
            h.groups = vec![0x0100];
            h.shares.clear();
        }),
        &[HANDSHAKE_FAILURE, INSUFFICIENT_SECURITY],
    );
    add(
        "no cipher suite in common".into(),
        &changed(&|h| h.suites = vec![0x1399]),
        &[HANDSHAKE_FAILURE, INSUFFICIENT_SECURITY],
    );
    add(
        "extensions overrun the message".into(),
        &changed(&|h| h.extensions_overrun = 1),
        &[DECODE_ERROR],
    );
    add(
        "a Finished first".into(),
        &changed(&|h| h.message_type = 20),
        &[UNEXPECTED_MESSAGE],
    );
    add(
        "application data first".into(),
        &changed(&|h| h.content_type = 23),
        &[UNEXPECTED_MESSAGE],
    );
    all.push(Malformed {
        name: "no signature_algorithms".into(),
        bytes: changed(&|h| h.signature_schemes = None).record(),
        alerts: &[MISSING_EXTENSION],
        deviation: Some(HANDSHAKE_FAILURE),
    });
    all.push(Malformed {
        name: "a record of 2^14 + 1 bytes".into(),
        bytes: record(22, &vec![0; (1 << 14) + 1]),
        alerts: &[RECORD_OVERFLOW],
        deviation: Some(UNEXPECTED_MESSAGE),
    });
    all
}

/// The first record of a server's answer: (content type, its first two bytes: an alert's level
/// and description), or `None` if the server sent nothing.
pub fn first_record(answer: &[u8]) -> Option<(u8, [u8; 2])> {
    match answer {
        [content_type, _, _, _, _, a, b, ..] => Some((*content_type, [*a, *b])),
        _ => None,
    }
}
