//! The certificate a TLS server presents: read from the user's PEM files (`serve --cert FILE
//! --key FILE`) with one clear error for each way they can be wrong (missing, not PEM, not a
//! certificate, an encrypted key, a key of a type ring cannot sign with, a key that is not the
//! certificate's), or generated (`serve --generate-cert TYPE`); and any certificate described
//! as `openssl s_client` does (subject, key type and size), for `handshake` and `serve`.

use std::path::Path;

use hybrid_kx_support::tls::{Identity, KeyAlgorithm};
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use x509_cert::der::asn1::{ObjectIdentifier, UintRef};
use x509_cert::der::{Decode, Reader, SliceReader};

use crate::error::{BoxError, bad_input};

/// A certificate chain (leaf first) and the leaf's private key, as rustls takes them.
pub(crate) struct ServerCertificate {
    /// Leaf first, as sent in the Certificate message (RFC 8446 section 4.4.2).
    pub(crate) chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key (PKCS#8, PKCS#1 RSA or SEC1 EC).
    pub(crate) key: PrivateKeyDer<'static>,
    /// The chain as PEM, for `--cert-out` (only for a generated certificate: a user's file is
    /// already a file).
    pub(crate) generated_pem: Option<String>,
}

impl ServerCertificate {
    /// A fresh self-signed certificate for `localhost` and `127.0.0.1` with a key of this type.
    ///
    /// # Errors
    /// If rcgen cannot generate the key or sign the certificate.
    pub(crate) fn generate(algorithm: KeyAlgorithm) -> Result<Self, BoxError> {
        let identity = Identity::generate_with(algorithm)?;
        Ok(Self {
            chain: vec![identity.cert.clone()],
            key: identity.key(),
            generated_pem: Some(identity.cert_pem),
        })
    }

    /// The chain in `cert_path` and the key in `key_path` (PEM), checked as a server will use
    /// them: ring loads the key, and the key is the leaf certificate's.
    ///
    /// # Errors
    /// [`crate::error::BadInput`] naming the file and what is wrong with it.
    pub(crate) fn load(cert_path: &Path, key_path: &Path) -> Result<Self, BoxError> {
        let chain = read_chain(cert_path)?;
        let key = read_key(key_path)?;
        let provider = rustls::crypto::ring::default_provider();
        match CertifiedKey::from_der(chain.clone(), key.clone_key(), &provider) {
            Ok(_) => {}
            Err(rustls::Error::InconsistentKeys(_)) => {
                return Err(bad_input(format!(
                    "--key {}: not the key of the certificate in --cert {} (its public key \
                     differs)",
                    key_path.display(),
                    cert_path.display()
                )));
            }
            Err(err) => {
                return Err(bad_input(format!(
                    "--key {}: cannot be used for signing ({err}); supported: RSA (2048 bits \
                     or more), ECDSA P-256 or P-384, Ed25519",
                    key_path.display()
                )));
            }
        }
        Ok(Self {
            chain,
            key,
            generated_pem: None,
        })
    }
}

/// Reads a file given on the command line, naming the option and the file when it cannot.
fn read(option: &str, path: &Path) -> Result<Vec<u8>, BoxError> {
    std::fs::read(path)
        .map_err(|err| bad_input(format!("{option} {}: cannot read: {err}", path.display())))
}

/// The PEM `CERTIFICATE` blocks of `path`, each an X.509 certificate.
fn read_chain(path: &Path) -> Result<Vec<CertificateDer<'static>>, BoxError> {
    let bytes = read("--cert", path)?;
    let name = path.display();
    let chain = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| bad_input(format!("--cert {name}: not PEM: {}", pem_error(&err))))?;
    if chain.is_empty() {
        return Err(bad_input(format!(
            "--cert {name}: no CERTIFICATE block (a PEM certificate chain, leaf first)"
        )));
    }
    for (i, cert) in chain.iter().enumerate() {
        if let Err(err) = x509_cert::Certificate::from_der(cert) {
            return Err(bad_input(format!(
                "--cert {name}: certificate {} is not X.509: {err}",
                i + 1
            )));
        }
    }
    Ok(chain)
}

/// The one private key of `path`: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), not encrypted.
fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, BoxError> {
    let bytes = read("--key", path)?;
    let name = path.display();
    // PKCS#8 EncryptedPrivateKeyInfo, or OpenSSL's legacy PEM encryption (RFC 1421 headers):
    // rustls reads neither, and would only say that no key was found.
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || text.contains("Proc-Type: 4,ENCRYPTED")
    {
        return Err(bad_input(format!(
            "--key {name}: the key is encrypted; give it unencrypted (for instance \
             `openssl pkey -in {name} -out key.pem`)"
        )));
    }
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|err| match err {
        pem::Error::NoItemsFound => bad_input(format!(
            "--key {name}: no PRIVATE KEY block (PEM PKCS#8, RSA PKCS#1 or EC SEC1)"
        )),
        other => bad_input(format!("--key {name}: not PEM: {}", pem_error(&other))),
    })
}

/// A PEM error in words (pki-types' `Display` is its `Debug`).
fn pem_error(err: &pem::Error) -> String {
    match err {
        pem::Error::MissingSectionEnd { .. } => "a block has no END line".to_owned(),
        pem::Error::IllegalSectionStart { .. } => "malformed BEGIN line".to_owned(),
        pem::Error::Base64Decode(_) => "a block's base64 does not decode".to_owned(),
        other => format!("{other:?}"),
    }
}

/// What a client reports of the certificate a server presented.
pub(crate) struct Description {
    /// The subject as RFC 4514 writes it (`CN=rcgen self signed cert`).
    pub(crate) subject: String,
    /// The key type and size: `rsa-2048`, `ecdsa-p256`, `ecdsa-p384`, `ed25519`, ...
    pub(crate) key: String,
}

/// `cert` described; a certificate that does not parse is described as such, since the
/// handshake (which verified it or was told not to) already succeeded.
pub(crate) fn describe(cert: &CertificateDer<'_>) -> Description {
    match x509_cert::Certificate::from_der(cert) {
        Ok(parsed) => {
            let tbs = parsed.tbs_certificate();
            Description {
                subject: tbs.subject().to_string(),
                key: key_type(tbs.subject_public_key_info()),
            }
        }
        Err(err) => Description {
            subject: format!("unparsed ({err})"),
            key: "unknown".to_owned(),
        },
    }
}

/// OIDs of the key types a TLS 1.3 server certificate has (RFC 8017, RFC 5480, RFC 8410).
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const CURVES: [(ObjectIdentifier, &str); 3] = [
    (ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"), "p256"),
    (ObjectIdentifier::new_unwrap("1.3.132.0.34"), "p384"),
    (ObjectIdentifier::new_unwrap("1.3.132.0.35"), "p521"),
];

/// `rsa-BITS`, `rsa-pss-BITS`, `ecdsa-CURVE`, `ed25519`, `ed448`, or the algorithm's OID.
fn key_type(spki: &x509_cert::spki::SubjectPublicKeyInfoOwned) -> String {
    let oid = spki.algorithm.oid;
    let key = spki.subject_public_key.raw_bytes();
    match oid {
        RSA_ENCRYPTION | RSASSA_PSS => {
            let name = if oid == RSA_ENCRYPTION {
                "rsa"
            } else {
                "rsa-pss"
            };
            rsa_modulus_bits(key).map_or_else(|| name.to_owned(), |bits| format!("{name}-{bits}"))
        }
        EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|params| params.decode_as::<ObjectIdentifier>().ok());
            match CURVES.iter().find(|(known, _)| Some(*known) == curve) {
                Some((_, name)) => format!("ecdsa-{name}"),
                None => format!(
                    "ecdsa-{}",
                    curve.map_or("unknown".to_owned(), |c| c.to_string())
                ),
            }
        }
        ED25519 => "ed25519".to_owned(),
        ED448 => "ed448".to_owned(),
        other => other.to_string(),
    }
}

/// The size of an RSA modulus: `RSAPublicKey ::= SEQUENCE { modulus INTEGER, ... }` (RFC 8017
/// appendix A.1.1).
fn rsa_modulus_bits(key: &[u8]) -> Option<usize> {
    let mut reader = SliceReader::new(key).ok()?;
    let modulus = reader
        .sequence(|seq| {
            let modulus = UintRef::decode(seq)?;
            UintRef::decode(seq)?; // publicExponent
            Ok::<_, x509_cert::der::Error>(modulus.as_bytes().to_vec())
        })
        .ok()?;
    let first = *modulus.first()?;
    Some(modulus.len() * 8 - first.leading_zeros() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each generated key type is described by the name `--generate-cert` takes, and the
    /// subject is the one rcgen writes.
    #[test]
    fn generated_certificates_are_described_by_their_key_type() {
        for &algorithm in KeyAlgorithm::ALL {
            let cert = ServerCertificate::generate(algorithm).unwrap();
            let description = describe(&cert.chain[0]);
            assert_eq!(description.key, algorithm.name());
            assert_eq!(description.subject, "CN=rcgen self signed cert");
        }
    }

    #[test]
    fn bytes_that_are_not_a_certificate_are_described_as_such() {
        let description = describe(&CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x01]));
        assert!(
            description.subject.starts_with("unparsed"),
            "{}",
            description.subject
        );
        assert_eq!(description.key, "unknown");
    }

    /// A 2048-bit modulus with its top bit set, and one of 2047 bits (a leading zero byte for
    /// the sign, then 0x7f).
    #[test]
    fn rsa_modulus_sizes_are_counted_in_bits() {
        let encode = |modulus: &[u8]| {
            let mut integer = vec![0x02, 0x82];
            integer.extend_from_slice(&u16::try_from(modulus.len()).unwrap().to_be_bytes());
            integer.extend_from_slice(modulus);
            integer.extend_from_slice(&[0x02, 0x03, 0x01, 0x00, 0x01]);
            let mut seq = vec![0x30, 0x82];
            seq.extend_from_slice(&u16::try_from(integer.len()).unwrap().to_be_bytes());
            seq.extend_from_slice(&integer);
            seq
        };
        let mut full = vec![0x00, 0x80];
        full.resize(257, 0x01);
        assert_eq!(rsa_modulus_bits(&encode(&full)), Some(2048));
        let mut short = vec![0x7f];
        short.resize(256, 0x01);
        assert_eq!(rsa_modulus_bits(&encode(&short)), Some(2047));
        assert_eq!(rsa_modulus_bits(&[0x30, 0x00]), None);
    }
}
