//! The TLS 1.3 key schedule (`hybrid_kx::key_schedule`): the typed errors for every `HkdfLabel`
//! limit, redacted `Debug` output, constant-time comparison and zeroization.
//!
//! The known-answer checks (RFC 8448 section 3, the s2n-tls hybrid handshake secrets, NIST ACVP
//! TLS-v1.3-KDF, RFC 5869, and the key update / exporter / binder cross-checks from RFC 8448
//! values) run in the known-answer engine: `kat/tests/`.

use hybrid_kx::key_schedule::{
    EarlySecret, HkdfLabel, KeyScheduleError, Prk, Sha256, Sha384, TranscriptHash, derive_secret,
    expand, expand_label, extract,
};

// ---------------------------------------------------------------------------------------------
// Negative tests: typed errors, no panics; redacted Debug
// ---------------------------------------------------------------------------------------------

#[test]
fn label_length_limits_are_typed_errors() {
    let prk = extract::<Sha256>(None, b"ikm");
    let mut out = [0u8; 32];
    // 249-byte label: full label exactly 255 bytes, accepted.
    assert!(expand_label(&prk, &[b'a'; 249], &[], &mut out).is_ok());
    let mut out = [0u8; 32];
    // 250 bytes: full label 256 bytes.
    assert_eq!(
        expand_label(&prk, &[b'a'; 250], &[], &mut out),
        Err(KeyScheduleError::LabelLength { len: 256 })
    );
    assert_eq!(
        HkdfLabel::new(&[0; 10_000], &[], 32),
        Err(KeyScheduleError::LabelLength { len: 10_006 })
    );
    // Empty label: full label "tls13 " is 6 bytes < 7.
    assert_eq!(
        expand_label(&prk, b"", &[], &mut out),
        Err(KeyScheduleError::LabelLength { len: 6 })
    );
    assert_eq!(
        derive_secret(&prk, &[b'x'; 300], &TranscriptHash::empty()).unwrap_err(),
        KeyScheduleError::LabelLength { len: 306 }
    );
    let exporter_master =
        EarlySecret::<Sha256>::new(None).early_exporter_master_secret(&TranscriptHash::empty());
    assert_eq!(
        exporter_master.export(&[b'e'; 250], b"", &mut out),
        Err(KeyScheduleError::LabelLength { len: 256 })
    );
    assert_eq!(
        exporter_master.export(b"", b"", &mut out),
        Err(KeyScheduleError::LabelLength { len: 6 })
    );
    assert_eq!(out, [0u8; 32], "output untouched on error");
}

#[test]
fn context_length_limit_is_a_typed_error() {
    let prk = extract::<Sha384>(None, b"ikm");
    let mut out = [0u8; 48];
    assert!(expand_label(&prk, b"label", &[7; 255], &mut out).is_ok());
    assert_eq!(
        expand_label(&prk, b"label", &[7; 256], &mut out),
        Err(KeyScheduleError::ContextTooLong { len: 256 })
    );
    let res_master = EarlySecret::<Sha384>::new(None)
        .into_handshake_secret(None)
        .into_master_secret()
        .resumption_master_secret(&TranscriptHash::empty());
    assert!(res_master.resumption_psk(&[1; 255]).is_ok());
    assert_eq!(
        res_master.resumption_psk(&[1; 256]).unwrap_err(),
        KeyScheduleError::ContextTooLong { len: 256 }
    );
}

#[test]
fn output_length_limits_are_typed_errors() {
    // HKDF-SHA256 limit: 255 * 32 = 8160 bytes.
    let prk = extract::<Sha256>(None, b"ikm");
    let mut ok = vec![0u8; 255 * 32];
    assert!(expand(&prk, &[b"info"], &mut ok).is_ok());
    assert!(expand_label(&prk, b"big", &[], &mut ok).is_ok());
    let mut too_long = vec![0u8; 255 * 32 + 1];
    let err = KeyScheduleError::OutputTooLong {
        len: 8161,
        max: 8160,
    };
    assert_eq!(expand(&prk, &[b"info"], &mut too_long), Err(err));
    assert_eq!(expand_label(&prk, b"big", &[], &mut too_long), Err(err));
    assert!(
        too_long.iter().all(|&b| b == 0),
        "output untouched on error"
    );
    // HKDF-SHA384 limit: 255 * 48 = 12240 bytes.
    let prk384 = extract::<Sha384>(None, b"ikm");
    let mut too_long = vec![0u8; 12_241];
    assert_eq!(
        expand_label(&prk384, b"big", &[], &mut too_long),
        Err(KeyScheduleError::OutputTooLong {
            len: 12_241,
            max: 12_240
        })
    );
    // HkdfLabel.length is a uint16.
    assert_eq!(
        HkdfLabel::new(b"key", &[], 65_536),
        Err(KeyScheduleError::OutputTooLong {
            len: 65_536,
            max: 65_535
        })
    );
    // Exporter output limit.
    let exporter =
        EarlySecret::<Sha256>::new(None).early_exporter_master_secret(&TranscriptHash::empty());
    let mut too_long = vec![0u8; 8161];
    assert_eq!(exporter.export(b"EXPORTER-x", b"", &mut too_long), Err(err));
    // Traffic key / IV containers hold at most 48 bytes.
    let hs = EarlySecret::<Sha256>::new(None)
        .into_handshake_secret(Some(b"shared"))
        .client_handshake_traffic_secret(&TranscriptHash::empty());
    assert_eq!(hs.traffic_key(32).unwrap().len(), 32);
    assert_eq!(hs.traffic_iv(48).unwrap().len(), 48);
    assert_eq!(
        hs.traffic_key(49).unwrap_err(),
        KeyScheduleError::OutputTooLong { len: 49, max: 48 }
    );
    assert_eq!(
        hs.traffic_iv(usize::MAX).unwrap_err(),
        KeyScheduleError::OutputTooLong {
            len: usize::MAX,
            max: 48
        }
    );
}

#[test]
fn wrong_lengths_and_small_buffers_are_typed_errors() {
    assert_eq!(
        Prk::<Sha256>::from_bytes(&[0; 31]).unwrap_err(),
        KeyScheduleError::InvalidLength {
            len: 31,
            expected: 32
        }
    );
    assert_eq!(
        Prk::<Sha384>::from_bytes(&[0; 32]).unwrap_err(),
        KeyScheduleError::InvalidLength {
            len: 32,
            expected: 48
        }
    );
    assert_eq!(
        TranscriptHash::<Sha384>::from_bytes(&[0; 49]).unwrap_err(),
        KeyScheduleError::InvalidLength {
            len: 49,
            expected: 48
        }
    );
    let label = HkdfLabel::new(b"finished", &[], 32).unwrap();
    let mut small = [0u8; 17];
    assert_eq!(
        label.encode_into(&mut small).unwrap_err(),
        KeyScheduleError::BufferTooSmall {
            needed: 18,
            available: 17
        }
    );
    // Errors display without panicking.
    for e in [
        KeyScheduleError::LabelLength { len: 6 },
        KeyScheduleError::ContextTooLong { len: 256 },
        KeyScheduleError::OutputTooLong { len: 1, max: 0 },
        KeyScheduleError::InvalidLength {
            len: 1,
            expected: 32,
        },
        KeyScheduleError::BufferTooSmall {
            needed: 2,
            available: 1,
        },
    ] {
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn debug_output_never_contains_secret_bytes() {
    // Any inputs do: every secret below is an HKDF output.
    let ecdhe: Vec<u8> = (1..=32).collect();
    let transcript: Vec<u8> = (0..32).map(|i| 0xa0 ^ i).collect();
    let early = EarlySecret::<Sha256>::new(None);
    let handshake = early.into_handshake_secret(Some(&ecdhe));
    let th = TranscriptHash::<Sha256>::from_bytes(&transcript).unwrap();
    let c_hs = handshake.client_handshake_traffic_secret(&th);
    let key = c_hs.traffic_key(16).unwrap();
    let iv = c_hs.traffic_iv(12).unwrap();
    let fin = c_hs.finished_key();
    let tag = fin.verify_data(&th);
    let prk = Prk::<Sha256>::from_bytes(c_hs.as_bytes()).unwrap();

    let checks: Vec<(String, Vec<u8>)> = vec![
        (format!("{handshake:?}"), handshake.as_bytes().to_vec()),
        (format!("{c_hs:?}"), c_hs.as_bytes().to_vec()),
        (format!("{key:?}"), key.as_bytes().to_vec()),
        (format!("{iv:?}"), iv.as_bytes().to_vec()),
        (format!("{fin:?}"), fin.as_bytes().to_vec()),
        (format!("{tag:?}"), tag.as_bytes().to_vec()),
        (format!("{prk:#?}"), prk.as_bytes().to_vec()),
    ];
    for (debug, bytes) in checks {
        let lower = debug.to_lowercase();
        assert!(!lower.contains(&hex::encode(&bytes)), "{debug}");
        // Not even a 4-byte window of the secret, in hex or as a decimal byte list.
        for window in bytes.windows(4) {
            assert!(!lower.contains(&hex::encode(window)), "{debug}");
        }
        assert!(!debug.contains(&format!("{:?}", &bytes[..4])), "{debug}");
        assert!(debug.contains("len"), "{debug}");
    }
    assert_eq!(
        format!("{c_hs:?}"),
        "HandshakeTrafficSecret { hash: \"SHA-256\", len: 32, .. }"
    );
    assert_eq!(format!("{key:?}"), "TrafficKey { len: 16, .. }");
}

#[test]
fn secrets_compare_in_constant_time_and_zeroize() {
    use subtle::ConstantTimeEq;
    use zeroize::Zeroize;

    let a = EarlySecret::<Sha256>::new(Some(b"psk"));
    let b = EarlySecret::<Sha256>::new(Some(b"psk"));
    let c = EarlySecret::<Sha256>::new(Some(b"other psk"));
    assert!(bool::from(a.ct_eq(&b)));
    assert!(!bool::from(a.ct_eq(&c)));
    assert_eq!(a, b);
    assert_ne!(a, c);

    let mut prk = extract::<Sha384>(None, b"ikm");
    assert_eq!(prk.as_bytes().len(), 48);
    prk.zeroize();
    assert_eq!(prk.as_bytes(), [0u8; 48]);

    // Same PSK, different hash: different lengths and values.
    assert_eq!(
        EarlySecret::<Sha384>::new(Some(b"psk")).as_bytes().len(),
        48
    );
}
