//! The independent reference: OpenSSL 3.6 (built from source through `openssl-src`), which
//! shares no code with any of the crate's backends, as a [`Kx`] for one primitive or for a
//! group assembled from its components (RFC 10024 section 4: shares and secrets concatenated in
//! wire order).
//!
//! What OpenSSL is asked, and what the harness decides itself:
//! - ML-KEM: key generation from the seed `d ‖ z` (EVP_PKEY_fromdata "seed"), the expanded key
//!   (`raw_private_key`), the encapsulation key parsed with FIPS 203's modulus check
//!   (`public_key_from_raw_bytes_ex`), deterministic encapsulation with `m` (the "ikme"
//!   parameter of EVP_PKEY_encapsulate_init), decapsulation with implicit rejection.
//! - X25519: the public key of a scalar, X25519 through `Deriver`, which refuses an all-zero
//!   result.
//! - P-256, P-384: the scalar checked in `[1, n-1]` (`EC_KEY_check_key`), the public point, the
//!   peer point decoded and checked (`EC_POINT_oct2point`, `EC_KEY_check_key`), ECDH.
//! - The TLS rules no library applies, which the harness applies before OpenSSL: a share of
//!   the wrong length is refused (at the group layer, the whole share first; RFC 10024 section
//!   4.1); an EC point must be `0x04 ‖ X ‖ Y` (RFC 8446 section 4.2.8.2). OpenSSL itself also
//!   accepts the compressed and hybrid forms and decodes `00` as the identity, so it is asked
//!   only about 0x04 points of the exact length. A component handed a point of the wrong length
//!   (which the group layer never does) may refuse it as not uncompressed, not on the curve or
//!   of the wrong length.
//!
//! Each refusal carries every reason that applies to the step (the peer's point and the
//! server's own scalar are judged apart), so the comparison does not depend on the order in
//! which an implementation checks them; for a group, the reasons of the first component in wire
//! order that refuses.

use std::ptr;

use foreign_types::ForeignTypeRef;
use openssl::bn::{BigNum, BigNumContext};
use openssl::derive::Deriver;
use openssl::ec::{EcGroup, EcKey, EcPoint, PointConversionForm};
use openssl::error::ErrorStack;
use openssl::nid::Nid;
use openssl::pkey::{Id, KeyType, PKey, Private, Public};
use openssl::pkey_ctx::PkeyCtx;

use super::kx::{Generated, Kx};
use super::primitive::{Curve, MlKem, Prim, Side};
use super::verdict::{Reason, Reasons, Verdict};

/// The OpenSSL version string (`OpenSSL 3.6.3 9 Jun 2026`), for reports.
pub fn version() -> &'static str {
    openssl::version::version()
}

/// A refusal for `reason`.
fn refused(reason: Reason) -> Verdict {
    Verdict::Refused(Reasons::one(reason))
}

/// An OpenSSL failure no rule explains: a refusal for no known reason, which matches no
/// implementation's error.
fn unexplained(_: ErrorStack) -> Verdict {
    Verdict::Refused(Reasons::NONE)
}

fn cvt(r: std::ffi::c_int) -> Result<(), ErrorStack> {
    if r <= 0 {
        Err(ErrorStack::get())
    } else {
        Ok(())
    }
}

impl MlKem {
    fn key_type(self) -> KeyType {
        match self {
            Self::K512 => KeyType::ML_KEM_512,
            Self::K768 => KeyType::ML_KEM_768,
            Self::K1024 => KeyType::ML_KEM_1024,
        }
    }
}

/// `ML-KEM.KeyGen_internal(d, z)` from the 64-byte seed: `ek`, the expanded `dk`, the key.
fn mlkem_keygen(kem: MlKem, seed: &[u8]) -> Result<Generated<PKey<Private>>, ErrorStack> {
    let key = PKey::private_key_from_seed(None, kem.key_type(), None, seed)?;
    Ok((key.raw_public_key()?, key.raw_private_key()?, key))
}

/// `ML-KEM.Encaps_internal(ek, m)` → (c, K) with a parsed key, through "ikme".
fn mlkem_encaps(
    kem: MlKem,
    key: &PKey<Public>,
    m: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), ErrorStack> {
    let ctx = PkeyCtx::new(key)?;
    let mut m = m.to_vec(); // OSSL_PARAM takes a *mut buffer; OpenSSL only reads it.
    let mut c = vec![0u8; kem.ct_len()];
    let mut k = vec![0u8; 32];
    let (mut c_len, mut k_len) = (c.len(), k.len());
    // SAFETY: `ctx` is a live EVP_PKEY_CTX; the OSSL_PARAM array ends with OSSL_PARAM_END and
    // points into `m`, which outlives both calls; the output buffers are as long as the
    // lengths passed with them.
    unsafe {
        let params = [
            openssl_sys::OSSL_PARAM_construct_octet_string(
                c"ikme".as_ptr(),
                m.as_mut_ptr().cast(),
                m.len(),
            ),
            openssl_sys::OSSL_PARAM_construct_end(),
        ];
        cvt(openssl_sys::EVP_PKEY_encapsulate_init(
            ctx.as_ptr(),
            params.as_ptr(),
        ))?;
        cvt(openssl_sys::EVP_PKEY_encapsulate(
            ctx.as_ptr(),
            c.as_mut_ptr(),
            &mut c_len,
            k.as_mut_ptr(),
            &mut k_len,
        ))?;
    }
    c.truncate(c_len);
    k.truncate(k_len);
    Ok((c, k))
}

/// `ML-KEM.Decaps(dk, c)`: implicit rejection for a well-sized ciphertext.
fn mlkem_decaps(key: &PKey<Private>, c: &[u8]) -> Result<Vec<u8>, ErrorStack> {
    let ctx = PkeyCtx::new(key)?;
    let mut k = vec![0u8; 32];
    let mut k_len = k.len();
    // SAFETY: a live context; NULL parameters are allowed; the buffers are sized as passed.
    unsafe {
        cvt(openssl_sys::EVP_PKEY_decapsulate_init(
            ctx.as_ptr(),
            ptr::null(),
        ))?;
        cvt(openssl_sys::EVP_PKEY_decapsulate(
            ctx.as_ptr(),
            k.as_mut_ptr(),
            &mut k_len,
            c.as_ptr(),
            c.len(),
        ))?;
    }
    k.truncate(k_len);
    Ok(k)
}

/// X25519's public key of a 32-byte scalar (OpenSSL clamps it, RFC 7748 section 5).
fn x25519_public(scalar: &[u8]) -> Result<Vec<u8>, ErrorStack> {
    PKey::private_key_from_raw_bytes(scalar, Id::X25519)?.raw_public_key()
}

/// X25519(scalar, u), refused with the reason when the result is all zeros.
fn x25519(scalar: &[u8], u: &[u8]) -> Result<Vec<u8>, Verdict> {
    let private = PKey::private_key_from_raw_bytes(scalar, Id::X25519).map_err(unexplained)?;
    let peer = PKey::public_key_from_raw_bytes(u, Id::X25519).map_err(unexplained)?;
    let mut deriver = Deriver::new(&private).map_err(unexplained)?;
    deriver.set_peer(&peer).map_err(unexplained)?;
    // Deriver fails on an all-zero result (RFC 7748 section 6.1), and on nothing else here.
    deriver
        .derive_to_vec()
        .map_err(|_| refused(Reason::ZeroSecret))
}

impl Curve {
    fn group(self) -> Result<EcGroup, ErrorStack> {
        EcGroup::from_curve_name(match self {
            Self::P256 => Nid::X9_62_PRIME256V1,
            Self::P384 => Nid::SECP384R1,
        })
    }
}

/// The private key of a big-endian scalar; OpenSSL's key check refuses 0 and n or above.
fn ec_private(curve: Curve, scalar: &[u8]) -> Result<PKey<Private>, Reasons> {
    let build = || -> Result<Option<PKey<Private>>, ErrorStack> {
        let group = curve.group()?;
        let d = BigNum::from_slice(scalar)?;
        let mut ctx = BigNumContext::new()?;
        let mut q = EcPoint::new(&group)?;
        q.mul_generator2(&group, &d, &mut ctx)?;
        let key = EcKey::from_private_components(&group, &d, &q)?;
        if key.check_key().is_err() {
            return Ok(None);
        }
        Ok(Some(PKey::from_ec_key(key)?))
    };
    match build() {
        Ok(Some(key)) => Ok(key),
        Ok(None) => Err(Reasons::one(Reason::Scalar)),
        Err(_) => Err(Reasons::NONE),
    }
}

/// The uncompressed point of a private key.
fn ec_public(curve: Curve, key: &PKey<Private>) -> Result<Vec<u8>, ErrorStack> {
    let group = curve.group()?;
    let mut ctx = BigNumContext::new()?;
    key.ec_key()?
        .public_key()
        .to_bytes(&group, PointConversionForm::UNCOMPRESSED, &mut ctx)
}

/// The peer's point under the TLS rules, then OpenSSL's decoding and full check.
fn ec_peer(curve: Curve, point: &[u8]) -> Result<PKey<Public>, Reasons> {
    if point.len() != 1 + 2 * curve.coordinate_len() {
        let reasons = Reasons::one(Reason::Length).with(Reason::NotUncompressed);
        return Err(reasons.with(Reason::NotOnCurve));
    }
    if point[0] != 0x04 {
        return Err(Reasons::one(Reason::NotUncompressed));
    }
    let decode = || -> Result<PKey<Public>, ErrorStack> {
        let group = curve.group()?;
        let mut ctx = BigNumContext::new()?;
        let q = EcPoint::from_bytes(&group, point, &mut ctx)?;
        let key = EcKey::from_public_key(&group, &q)?;
        key.check_key()?;
        PKey::from_ec_key(key)
    };
    decode().map_err(|_| Reasons::one(Reason::NotOnCurve))
}

/// ECDH: the x-coordinate of the product (OpenSSL pads it to the field length).
fn ecdh(private: &PKey<Private>, peer: &PKey<Public>) -> Result<Vec<u8>, Verdict> {
    let mut deriver = Deriver::new(private).map_err(unexplained)?;
    deriver.set_peer(peer).map_err(unexplained)?;
    deriver.derive_to_vec().map_err(unexplained)
}

/// The client's private state of one component.
pub enum Key {
    /// An ML-KEM key.
    MlKem(PKey<Private>),
    /// An X25519 scalar.
    X25519(Vec<u8>),
    /// A NIST private key.
    Nist(Curve, PKey<Private>),
}

/// One primitive on OpenSSL.
pub struct OpenSsl(pub Prim);

impl OpenSsl {
    /// Whether `share` has `side`'s length.
    fn exact(&self, side: Side, share: &[u8]) -> Result<(), Verdict> {
        if share.len() == self.0.share_len(side) {
            Ok(())
        } else if matches!(self.0, Prim::Nist(_)) {
            // The EC decoder's reasons for a wrong length, as `ec_peer` gives them.
            Err(Verdict::Refused(
                Reasons::one(Reason::Length)
                    .with(Reason::NotUncompressed)
                    .with(Reason::NotOnCurve),
            ))
        } else {
            Err(refused(Reason::Length))
        }
    }
}

impl Kx for OpenSsl {
    type State = Key;

    fn name(&self) -> String {
        format!("{:?} on OpenSSL", self.0)
    }

    fn keygen(&self, seed: &[u8]) -> Result<Generated<Key>, Verdict> {
        match self.0 {
            Prim::MlKem(kem) => {
                let (ek, dk, key) = mlkem_keygen(kem, seed).map_err(unexplained)?;
                Ok((ek, dk, Key::MlKem(key)))
            }
            Prim::X25519 => {
                let public = x25519_public(seed).map_err(unexplained)?;
                Ok((public, Vec::new(), Key::X25519(seed.to_vec())))
            }
            Prim::Nist(curve) => {
                let key = ec_private(curve, seed).map_err(Verdict::Refused)?;
                let public = ec_public(curve, &key).map_err(unexplained)?;
                Ok((public, Vec::new(), Key::Nist(curve, key)))
            }
        }
    }

    fn respond(&self, client_share: &[u8], seed: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Verdict> {
        match self.0 {
            Prim::MlKem(kem) => {
                self.exact(Side::Client, client_share)?;
                let ek =
                    PKey::public_key_from_raw_bytes_ex(None, kem.key_type(), None, client_share)
                        .map_err(|_| refused(Reason::Modulus))?;
                mlkem_encaps(kem, &ek, seed).map_err(unexplained)
            }
            Prim::X25519 => {
                self.exact(Side::Client, client_share)?;
                let secret = x25519(seed, client_share)?;
                Ok((x25519_public(seed).map_err(unexplained)?, secret))
            }
            Prim::Nist(curve) => match (ec_peer(curve, client_share), ec_private(curve, seed)) {
                (Ok(peer), Ok(own)) => {
                    let secret = ecdh(&own, &peer)?;
                    Ok((ec_public(curve, &own).map_err(unexplained)?, secret))
                }
                (peer, own) => {
                    let reasons = peer
                        .err()
                        .unwrap_or_default()
                        .union(own.err().unwrap_or_default());
                    Err(Verdict::Refused(reasons))
                }
            },
        }
    }

    fn complete(&self, key: Key, server_share: &[u8]) -> Result<Vec<u8>, Verdict> {
        match key {
            Key::MlKem(key) => {
                self.exact(Side::Server, server_share)?;
                mlkem_decaps(&key, server_share).map_err(unexplained)
            }
            Key::X25519(scalar) => {
                self.exact(Side::Server, server_share)?;
                x25519(&scalar, server_share)
            }
            Key::Nist(curve, key) => {
                let peer = ec_peer(curve, server_share).map_err(Verdict::Refused)?;
                ecdh(&key, &peer)
            }
        }
    }
}

/// A group assembled from its components on OpenSSL.
pub struct OpenSslGroup(pub Vec<Prim>);

impl OpenSslGroup {
    /// `share` cut into the components' parts, or the length refusal.
    fn split<'a>(&self, side: Side, share: &'a [u8]) -> Result<Vec<&'a [u8]>, Verdict> {
        let total: usize = self.0.iter().map(|p| p.share_len(side)).sum();
        if share.len() != total {
            return Err(refused(Reason::Length));
        }
        let mut rest = share;
        Ok(self
            .0
            .iter()
            .map(|p| {
                let (part, tail) = rest.split_at(p.share_len(side));
                rest = tail;
                part
            })
            .collect())
    }

    /// `seed` cut into the components' seeds.
    fn seeds<'a>(&self, side: Side, mut seed: &'a [u8]) -> Vec<&'a [u8]> {
        self.0
            .iter()
            .map(|p| {
                let (part, tail) = seed.split_at(p.seed_len(side).min(seed.len()));
                seed = tail;
                part
            })
            .collect()
    }
}

impl Kx for OpenSslGroup {
    type State = Vec<Key>;

    fn name(&self) -> String {
        format!("{:?} on OpenSSL", self.0)
    }

    fn keygen(&self, seed: &[u8]) -> Result<Generated<Vec<Key>>, Verdict> {
        let (mut share, mut keys) = (Vec::new(), Vec::new());
        for (&prim, seed) in self.0.iter().zip(self.seeds(Side::Client, seed)) {
            let (part, _, key) = OpenSsl(prim).keygen(seed)?;
            share.extend(part);
            keys.push(key);
        }
        Ok((share, Vec::new(), keys))
    }

    fn respond(&self, client_share: &[u8], seed: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Verdict> {
        let parts = self.split(Side::Client, client_share)?;
        let (mut share, mut secret) = (Vec::new(), Vec::new());
        for ((&prim, part), seed) in self.0.iter().zip(parts).zip(self.seeds(Side::Server, seed)) {
            let (s, k) = OpenSsl(prim).respond(part, seed)?;
            share.extend(s);
            secret.extend(k);
        }
        Ok((share, secret))
    }

    fn complete(&self, keys: Vec<Key>, server_share: &[u8]) -> Result<Vec<u8>, Verdict> {
        let parts = self.split(Side::Server, server_share)?;
        let mut secret = Vec::new();
        for ((&prim, key), part) in self.0.iter().zip(keys).zip(parts) {
            secret.extend(OpenSsl(prim).complete(key, part)?);
        }
        Ok(secret)
    }
}
