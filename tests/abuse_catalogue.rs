//! The catalogue of malformed inputs, for every group, through the core API and through a real
//! rustls handshake: every class gives its typed error and the RFC's alert, never a panic, never
//! a secret.
//!
//! Client-share classes (checked by the server): length -1 / +1, empty, a whole component
//! missing or doubled, modulus-failing encapsulation key, all-zero and low-order X25519,
//! off-curve, compressed, hybrid-form and identity EC points.
//! Server-share classes (checked by the client): length -1 / +1, empty, truncated and oversized
//! ciphertext, all-zero and low-order X25519, off-curve, compressed and identity EC points.

mod common;

use hybrid_kx::{Alert, Error, NamedGroup, ShareKind};

/// Where each component sits in a group's shares.
struct Layout {
    ec_first: Option<usize>, // EC point length when the EC point comes first
    x25519_last: bool,
    mlkem_ek: usize,
    mlkem_ct: usize,
}

/// ML-KEM's (encapsulation key, ciphertext) lengths per parameter set (FIPS 203 section 8,
/// Table 3).
const MLKEM512: (usize, usize) = (800, 768);
const MLKEM768: (usize, usize) = (1184, 1088);
const MLKEM1024: (usize, usize) = (1568, 1568);

fn layout(group: NamedGroup) -> Layout {
    let (ec_first, x25519_last, (mlkem_ek, mlkem_ct)) = match group {
        NamedGroup::X25519MLKEM768 => (None, true, MLKEM768),
        NamedGroup::SecP256r1MLKEM768 => (Some(65), false, MLKEM768),
        NamedGroup::SecP384r1MLKEM1024 => (Some(97), false, MLKEM1024),
        NamedGroup::MLKEM768 => (None, false, MLKEM768),
        NamedGroup::MLKEM1024 => (None, false, MLKEM1024),
        NamedGroup::MLKEM512 => (None, false, MLKEM512),
        _ => panic!("{group}: a new group needs its layout in this test"),
    };
    Layout {
        ec_first,
        x25519_last,
        mlkem_ek,
        mlkem_ct,
    }
}

/// X25519 u-coordinates whose product with any scalar is all-zero (orders 1, 2, 4, 8 and
/// non-canonical encodings).
const LOW_ORDER_X25519: [[u8; 32]; 4] = [
    [0; 32],
    {
        let mut p = [0; 32];
        p[0] = 1;
        p
    },
    [
        0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4,
        0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49,
        0xb8, 0x00,
    ],
    {
        let mut p = [0xff; 32];
        p[0] = 0xec;
        p[31] = 0x7f;
        p
    },
];

/// Turns a valid share into a malformed one.
type Mutation = Box<dyn Fn(&[u8]) -> Vec<u8> + Send + Sync>;
/// The error a malformed share must produce, given (expected length, actual length).
type Expectation = Box<dyn Fn(usize, usize) -> Error + Send + Sync>;

/// A named mutation of a valid share and the error it must produce.
struct Case {
    name: String,
    mutate: Mutation,
    expected: Expectation,
}

fn case(
    name: impl Into<String>,
    mutate: impl Fn(&[u8]) -> Vec<u8> + Send + Sync + 'static,
    expected: impl Fn(usize, usize) -> Error + Send + Sync + 'static,
) -> Case {
    Case {
        name: name.into(),
        mutate: Box::new(mutate),
        expected: Box::new(expected),
    }
}

fn length_cases(share: ShareKind, component_len: usize) -> Vec<Case> {
    let err = move |expected, actual| Error::KeyShareLength {
        share,
        expected,
        actual,
    };
    vec![
        case("length -1", |s| s[..s.len() - 1].to_vec(), err),
        case("length +1", |s| [s, &[0]].concat(), err),
        case("empty", |_| Vec::new(), err),
        case(
            "first component missing",
            move |s| s[component_len.min(s.len() - 1)..].to_vec(),
            err,
        ),
        case(
            "last component doubled",
            move |s| [s, &s[s.len() - component_len.min(s.len())..]].concat(),
            err,
        ),
    ]
}

fn ec_point_cases(offset: usize, len: usize) -> Vec<Case> {
    let at = move |s: &[u8], f: &dyn Fn(&mut [u8])| {
        let mut s = s.to_vec();
        f(&mut s[offset..offset + len]);
        s
    };
    vec![
        case(
            "off-curve EC point",
            move |s| at(s, &|p| p[len - 1] ^= 1),
            |_, _| Error::EcPointNotOnCurve,
        ),
        case(
            "coordinate >= p",
            move |s| at(s, &|p| p[1..].fill(0xff)),
            |_, _| Error::EcPointNotOnCurve,
        ),
        case(
            "compressed EC point tag",
            move |s| at(s, &|p| p[0] = 0x02),
            |_, _| Error::EcPointNotUncompressed,
        ),
        case(
            "hybrid-form EC point tag",
            move |s| at(s, &|p| p[0] = 0x06),
            |_, _| Error::EcPointNotUncompressed,
        ),
        case(
            "identity encoding",
            move |s| at(s, &|p| p.fill(0)),
            |_, _| Error::EcPointNotUncompressed,
        ),
    ]
}

fn x25519_cases() -> Vec<Case> {
    LOW_ORDER_X25519
        .iter()
        .enumerate()
        .map(|(i, point)| {
            let point = *point;
            case(
                format!("low-order X25519 #{i}"),
                move |s| [&s[..s.len() - 32], &point[..]].concat(),
                |_, _| Error::X25519ZeroSharedSecret,
            )
        })
        .collect()
}

impl Layout {
    /// The length the "first component missing" and "last component doubled" cases cut and
    /// copy: the EC point when it comes first, the ML-KEM part (`mlkem_len`) when X25519 comes
    /// last, 32 bytes of a pure ML-KEM share.
    fn component_len(&self, mlkem_len: usize) -> usize {
        self.ec_first
            .unwrap_or(if self.x25519_last { mlkem_len } else { 32 })
    }

    /// The classical component's own cases: bad EC points when one comes first, low-order
    /// X25519 points when X25519 comes last.
    fn classical_cases(&self) -> Vec<Case> {
        let mut cases = Vec::new();
        if let Some(len) = self.ec_first {
            cases.extend(ec_point_cases(0, len));
        }
        if self.x25519_last {
            cases.extend(x25519_cases());
        }
        cases
    }
}

fn client_share_cases(group: NamedGroup) -> Vec<Case> {
    let l = layout(group);
    let mut cases = length_cases(ShareKind::Client, l.component_len(l.mlkem_ek));
    let ek_at = l.ec_first.unwrap_or(0);
    cases.push(case(
        "modulus-failing encapsulation key",
        move |s| {
            let mut s = s.to_vec();
            s[ek_at] = 0xff; // first 12-bit coefficient = 0x?ff | 0xf00 >= q
            s[ek_at + 1] |= 0x0f;
            s
        },
        |_, _| Error::EncapsulationKeyModulus,
    ));
    cases.extend(l.classical_cases());
    cases
}

fn server_share_cases(group: NamedGroup) -> Vec<Case> {
    let l = layout(group);
    let mut cases = length_cases(ShareKind::Server, l.component_len(l.mlkem_ct));
    let err = |expected, actual| Error::KeyShareLength {
        share: ShareKind::Server,
        expected,
        actual,
    };
    let ct_at = l.ec_first.unwrap_or(0);
    let ct_len = l.mlkem_ct;
    cases.push(case(
        "truncated ciphertext",
        move |s| [&s[..ct_at + ct_len - 16], &s[ct_at + ct_len..]].concat(),
        err,
    ));
    cases.push(case(
        "oversized ciphertext",
        move |s| [&s[..ct_at + ct_len], &[0u8; 16][..], &s[ct_at + ct_len..]].concat(),
        err,
    ));
    cases.extend(l.classical_cases());
    cases
}

/// `case`'s mutation of the valid share `valid` of `group`, given to `call`, neither panics nor
/// is accepted: `call` returns the case's error, whose alert is illegal_parameter.
fn assert_rejected<T>(
    group: NamedGroup,
    case: &Case,
    valid: &[u8],
    call: impl FnOnce(&[u8]) -> Result<T, Error>,
) {
    let bad = (case.mutate)(valid);
    let what = format!("{group}: {}", case.name);
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| call(&bad)))
        .unwrap_or_else(|_| panic!("{what}: panicked"))
        .err()
        .unwrap_or_else(|| panic!("{what}: accepted"));
    assert_eq!(err, (case.expected)(valid.len(), bad.len()), "{what}");
    assert_eq!(err.alert(), Alert::IllegalParameter, "{what}");
}

#[test]
fn every_malformed_client_share_is_rejected_by_the_core() {
    let mut total = 0;
    for &group in NamedGroup::ALL {
        let (valid, _) = group.generate_key_share().unwrap();
        for c in client_share_cases(group) {
            assert_rejected(group, &c, valid.as_bytes(), |bad| group.encapsulate(bad));
            total += 1;
        }
    }
    // 44 over the five RFC 10024 / MLKEM768 / MLKEM1024 groups, 6 for MLKEM512.
    assert_eq!(total, 44 + 6, "client-share cases");
}

#[test]
fn every_malformed_server_share_is_rejected_by_the_core() {
    let mut total = 0;
    for &group in NamedGroup::ALL {
        for c in server_share_cases(group) {
            let (client_share, state) = group.generate_key_share().unwrap();
            let (valid, _) = group.encapsulate(client_share.as_bytes()).unwrap();
            assert_rejected(group, &c, valid.as_bytes(), |bad| state.complete(bad));
            total += 1;
        }
    }
    // 49 over the five RFC 10024 / MLKEM768 / MLKEM1024 groups, 7 for MLKEM512.
    assert_eq!(total, 49 + 7, "server-share cases");
}

/// Every case a peer can put on the wire, through `malformed(client_is_evil, group, mutation,
/// name)`; returns how many ran. rustls refuses to encode an empty `key_exchange` (it is
/// `<1..2^16-1>`, RFC 8446 section 4.2.8), so a peer cannot send that class; the core tests
/// above cover it.
#[cfg(any(feature = "ring", feature = "ring-0_24"))]
fn on_the_wire(mut malformed: impl FnMut(bool, NamedGroup, Mutation, &str)) -> usize {
    let sendable = |c: &Case| c.name != "empty";
    let mut total = 0;
    for &group in NamedGroup::ALL {
        for c in client_share_cases(group).into_iter().filter(sendable) {
            malformed(true, group, c.mutate, &c.name);
            total += 1;
        }
        for c in server_share_cases(group).into_iter().filter(sendable) {
            malformed(false, group, c.mutate, &c.name);
            total += 1;
        }
    }
    total
}

#[cfg(feature = "ring")]
#[test]
fn every_malformed_share_aborts_a_real_rustls_handshake_with_illegal_parameter() {
    use common::tls::{client_sends_malformed_share, server_sends_malformed_share};
    let total = on_the_wire(|client_is_evil, group, mutate, name| {
        if client_is_evil {
            client_sends_malformed_share(group, mutate, name);
        } else {
            server_sends_malformed_share(group, mutate, name);
        }
    });
    assert_eq!(total, 50 + 56 - 12, "cases on the wire");
}

/// The same catalogue through the rustls 0.24 adapter: the same error on our side and the same
/// alert on the wire as on rustls 0.23.
#[cfg(feature = "ring-0_24")]
#[test]
fn every_malformed_share_aborts_a_real_rustls_0_24_handshake_with_illegal_parameter() {
    use common::tls_0_24::{Evil, malformed_share};
    let total = on_the_wire(|client_is_evil, group, mutate, name| {
        let evil = if client_is_evil {
            Evil::Client
        } else {
            Evil::Server
        };
        malformed_share(evil, group, mutate, name);
    });
    assert_eq!(total, 50 + 56 - 12, "cases on the wire");
}
