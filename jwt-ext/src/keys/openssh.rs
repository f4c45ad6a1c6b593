//! OpenSSH public key lines (`ssh-rsa AAAA... comment`), as PyJWT reads them with
//! `cryptography`'s `load_ssh_public_key`, for RSA, ECDSA (nistp256/384/521) and
//! Ed25519.
//!
//! The format is RFC 4253 section 6.6 (RFC 5656 for EC, RFC 8709 for Ed25519):
//! base64 of length-prefixed fields. It is read here rather than with the
//! `ssh-key` crate, whose release on this RustCrypto generation needs a newer Rust
//! than phial's minimum.

use super::Verifier;
use crate::JwtError;
use base64::Engine;

/// The key of an OpenSSH public key line.
pub(super) fn public_key(line: &str) -> Result<Verifier, JwtError> {
    let mut words = line.split_ascii_whitespace();
    let (Some(kind), Some(blob)) = (words.next(), words.next()) else {
        return Err(malformed());
    };
    let blob = base64::engine::general_purpose::STANDARD.decode(blob).map_err(|_| malformed())?;
    let mut fields = Fields(&blob);
    if fields.next()? != kind.as_bytes() {
        return Err(JwtError::Setup("the OpenSSH public key's type does not match its data".into()));
    }
    let key = match kind {
        "ssh-rsa" => rsa(&mut fields)?,
        "ecdsa-sha2-nistp256" | "ecdsa-sha2-nistp384" | "ecdsa-sha2-nistp521" => ec(kind, &mut fields)?,
        "ssh-ed25519" => ed25519(&mut fields)?,
        _ => {
            return Err(JwtError::Setup(
                "the key is neither PEM nor an OpenSSH public key of type ssh-rsa, ecdsa-sha2-nistp256/384/521 \
                 or ssh-ed25519"
                    .into(),
            ));
        }
    };
    if !fields.0.is_empty() {
        return Err(malformed());
    }
    Ok(key)
}

fn malformed() -> JwtError {
    JwtError::Setup("the OpenSSH public key is malformed".into())
}

/// The length-prefixed fields of a key blob.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn next(&mut self) -> Result<&'a [u8], JwtError> {
        let (len, rest) = self.0.split_first_chunk::<4>().ok_or_else(malformed)?;
        let len = u32::from_be_bytes(*len) as usize;
        if rest.len() < len {
            return Err(malformed());
        }
        let (field, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(field)
    }
}

#[cfg(feature = "rsa")]
fn rsa(fields: &mut Fields<'_>) -> Result<Verifier, JwtError> {
    use rsa::BoxedUint;
    let e = fields.next()?;
    let n = fields.next()?;
    let key = rsa::PublicKey::new(BoxedUint::from_be_slice_vartime(n), BoxedUint::from_be_slice_vartime(e))
        .map_err(|err| JwtError::Setup(format!("the OpenSSH RSA public key cannot be used: {err}")))?;
    Ok(Verifier::Rsa(super::rsa::RsaVerifier::new(key)))
}

#[cfg(not(feature = "rsa"))]
fn rsa(_: &mut Fields<'_>) -> Result<Verifier, JwtError> {
    Err(JwtError::Setup("the key is an RSA key, and phial-jwt was built without its `rsa` feature".into()))
}

#[cfg(feature = "ecdsa")]
fn ec(kind: &str, fields: &mut Fields<'_>) -> Result<Verifier, JwtError> {
    use super::ecdsa::EcVerifier;
    let curve = fields.next()?;
    if kind.as_bytes().strip_prefix(b"ecdsa-sha2-") != Some(curve) {
        return Err(malformed());
    }
    let point = fields.next()?;
    let key = match kind {
        "ecdsa-sha2-nistp256" => p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map(EcVerifier::P256),
        "ecdsa-sha2-nistp384" => p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map(EcVerifier::P384),
        _ => p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map(EcVerifier::P521),
    };
    key.map(Verifier::Ec).map_err(|_| JwtError::Setup("the OpenSSH EC public key's point is not on its curve".into()))
}

#[cfg(not(feature = "ecdsa"))]
fn ec(_: &str, _: &mut Fields<'_>) -> Result<Verifier, JwtError> {
    Err(JwtError::Setup("the key is an EC key, and phial-jwt was built without its `ecdsa` feature".into()))
}

#[cfg(feature = "eddsa")]
fn ed25519(fields: &mut Fields<'_>) -> Result<Verifier, JwtError> {
    let bytes: &[u8; 32] = fields.next()?.try_into().map_err(|_| malformed())?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
        .map_err(|_| JwtError::Setup("the OpenSSH Ed25519 public key is not a valid point".into()))?;
    Ok(Verifier::Ed25519(super::eddsa::EdVerifier(key)))
}

#[cfg(not(feature = "eddsa"))]
fn ed25519(_: &mut Fields<'_>) -> Result<Verifier, JwtError> {
    Err(JwtError::Setup("the key is an Ed25519 key, and phial-jwt was built without its `eddsa` feature".into()))
}
