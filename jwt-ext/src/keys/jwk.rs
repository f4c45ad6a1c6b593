//! Public keys as JSON Web Keys (RFC 7517, with RFC 7518's RSA and EC parameters
//! and RFC 8037's Ed25519), both ways: for publishing a key set, and for reading
//! an identity provider's.
//!
//! Only public keys cross this boundary. Writing never emits private parameters;
//! reading ignores them (`d`, `p`, ...), and refuses symmetric (`oct`) keys: a key
//! set is public, and an HMAC secret in it would let anyone sign.

use super::{Verifier, VerifyingKey};
#[cfg(feature = "ecdsa")]
use crate::algorithm::KeyType;
use crate::{JsonObject, JwtError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

impl VerifyingKey {
    /// The key's public parameters as a JWK (`kty` and, by type, `n`/`e`,
    /// `crv`/`x`/`y`, or `crv`/`x`); `None` for an HMAC secret, which is never
    /// published. The key set adds `kid`, `use` and `alg`.
    pub fn to_jwk(&self) -> Option<JsonObject> {
        let members: Option<Vec<(&str, String)>> = match &*self.inner {
            Verifier::Hmac(_) => None,
            #[cfg(feature = "rsa")]
            Verifier::Rsa(key) => {
                use rsa::traits::PublicKeyParts;
                Some(vec![
                    ("e", b64(&key.public().e_bytes())),
                    ("kty", "RSA".into()),
                    ("n", b64(&key.public().n_bytes())),
                ])
            }
            #[cfg(feature = "ecdsa")]
            Verifier::Ec(key) => {
                let point = key.uncompressed_point();
                let (x, y) = point[1..].split_at((point.len() - 1) / 2);
                Some(vec![
                    ("crv", curve_name(key.key_type()).into()),
                    ("kty", "EC".into()),
                    ("x", b64(x)),
                    ("y", b64(y)),
                ])
            }
            #[cfg(feature = "eddsa")]
            Verifier::Ed25519(key) => {
                Some(vec![("crv", "Ed25519".into()), ("kty", "OKP".into()), ("x", b64(&key.bytes()))])
            }
        };
        Some(members?.into_iter().map(|(name, value)| (name.to_owned(), Value::String(value))).collect())
    }

    /// The RFC 7638 thumbprint: base64url of the SHA-256 of the required members in
    /// lexicographic order. A stable `kid` for a key that has none. `None` for HMAC.
    pub fn thumbprint(&self) -> Option<String> {
        let jwk = self.to_jwk()?;
        // to_jwk lists exactly the required members; RFC 7638 orders them by name.
        let mut names: Vec<&String> = jwk.keys().collect();
        names.sort();
        let members: Vec<String> =
            names.iter().map(|name| format!("\"{name}\":\"{}\"", jwk[*name].as_str().unwrap_or_default())).collect();
        Some(b64(&Sha256::digest(format!("{{{}}}", members.join(",")).as_bytes())))
    }

    /// A public key from a JWK's members (`kty` `RSA`, `EC` with `crv` P-256,
    /// P-384 or P-521, or `OKP` with `crv` Ed25519). RSA moduli under
    /// [`DEFAULT_RSA_MIN_BITS`](super::DEFAULT_RSA_MIN_BITS) are refused.
    pub fn from_jwk(jwk: &JsonObject) -> Result<VerifyingKey, JwtError> {
        let key = VerifyingKey::wrap(match member(jwk, "kty")? {
            "RSA" => rsa(jwk)?,
            "EC" => ec(jwk)?,
            "OKP" => okp(jwk)?,
            "oct" => return Err(invalid("kty \"oct\" (a shared secret) is never accepted in a key set")),
            other => return Err(invalid(&format!("kty \"{other}\" is not RSA, EC or OKP"))),
        });
        key.check_rsa_size(super::DEFAULT_RSA_MIN_BITS)?;
        Ok(key)
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn invalid(why: &str) -> JwtError {
    JwtError::Setup(format!("the JWK cannot be used: {why}"))
}

fn member<'a>(jwk: &'a JsonObject, name: &str) -> Result<&'a str, JwtError> {
    jwk.get(name).and_then(Value::as_str).ok_or_else(|| invalid(&format!("no \"{name}\" string member")))
}

#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa"))]
fn bytes(jwk: &JsonObject, name: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD.decode(member(jwk, name)?).map_err(|_| invalid(&format!("\"{name}\" is not base64url")))
}

#[cfg(feature = "ecdsa")]
fn curve_name(key_type: KeyType) -> &'static str {
    match key_type {
        KeyType::P384 => "P-384",
        KeyType::P521 => "P-521",
        _ => "P-256",
    }
}

#[cfg(feature = "rsa")]
fn rsa(jwk: &JsonObject) -> Result<Verifier, JwtError> {
    use rsa::BoxedUint;
    let (n, e) = (bytes(jwk, "n")?, bytes(jwk, "e")?);
    let key = rsa::PublicKey::new(BoxedUint::from_be_slice_vartime(&n), BoxedUint::from_be_slice_vartime(&e))
        .map_err(|err| invalid(&format!("not a usable RSA key ({err})")))?;
    Ok(Verifier::Rsa(super::rsa::RsaVerifier::new(key)))
}

#[cfg(not(feature = "rsa"))]
fn rsa(_: &JsonObject) -> Result<Verifier, JwtError> {
    Err(invalid("an RSA key, and phial-jwt was built without its `rsa` feature"))
}

#[cfg(feature = "ecdsa")]
fn ec(jwk: &JsonObject) -> Result<Verifier, JwtError> {
    use super::ecdsa::EcVerifier;
    let (x, y) = (bytes(jwk, "x")?, bytes(jwk, "y")?);
    let (curve, field_len) = match member(jwk, "crv")? {
        "P-256" => (KeyType::P256, 32),
        "P-384" => (KeyType::P384, 48),
        "P-521" => (KeyType::P521, 66),
        other => return Err(invalid(&format!("crv \"{other}\" is not P-256, P-384 or P-521"))),
    };
    if x.len() != field_len || y.len() != field_len {
        return Err(invalid("\"x\" and \"y\" are not as long as the curve's field"));
    }
    let point = [&[4u8][..], &x, &y].concat();
    let key = match curve {
        KeyType::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map(EcVerifier::P256),
        KeyType::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(&point).map(EcVerifier::P384),
        _ => p521::ecdsa::VerifyingKey::from_sec1_bytes(&point).map(EcVerifier::P521),
    };
    key.map(Verifier::Ec).map_err(|_| invalid("the point is not on the curve"))
}

#[cfg(not(feature = "ecdsa"))]
fn ec(_: &JsonObject) -> Result<Verifier, JwtError> {
    Err(invalid("an EC key, and phial-jwt was built without its `ecdsa` feature"))
}

#[cfg(feature = "eddsa")]
fn okp(jwk: &JsonObject) -> Result<Verifier, JwtError> {
    if member(jwk, "crv")? != "Ed25519" {
        return Err(invalid("an OKP key whose crv is not Ed25519"));
    }
    let x: [u8; 32] = bytes(jwk, "x")?.try_into().map_err(|_| invalid("\"x\" is not 32 bytes"))?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&x).map_err(|_| invalid("\"x\" is not an Ed25519 point"))?;
    Ok(Verifier::Ed25519(super::eddsa::EdVerifier(key)))
}

#[cfg(not(feature = "eddsa"))]
fn okp(_: &JsonObject) -> Result<Verifier, JwtError> {
    Err(invalid("an Ed25519 key, and phial-jwt was built without its `eddsa` feature"))
}
