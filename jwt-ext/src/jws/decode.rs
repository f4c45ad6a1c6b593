//! Reading a token: splitting, base64url, JSON (see the [module docs](super) for
//! the order of checks), then verifying its algorithm and signature.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::json::parse_object;
use super::key::SigningKey;
use crate::algorithm::Algorithm;
use crate::{JsonObject, JwtError};

/// A token parsed but not yet verified.
#[derive(Clone, Debug, PartialEq)]
pub struct UnverifiedToken<'t> {
    signing_input: &'t str,
    signature: Vec<u8>,
    header: JsonObject,
    claims: JsonObject,
}

impl UnverifiedToken<'_> {
    /// The header, not yet trusted.
    pub fn header(&self) -> &JsonObject {
        &self.header
    }

    /// The claims, not yet trusted.
    pub fn claims(&self) -> &JsonObject {
        &self.claims
    }

    /// The header and the claims.
    pub fn into_parts(self) -> (JsonObject, JsonObject) {
        (self.header, self.claims)
    }
}

/// Parses `token` without verifying it; refuses malformed tokens with upstream's
/// messages (and tokens over `max_len` bytes before any decoding).
pub fn decode_unverified(token: &str, max_len: usize) -> Result<UnverifiedToken<'_>, JwtError> {
    if token.len() > max_len {
        return Err(JwtError::decode("Token is too large"));
    }
    let not_enough = || JwtError::decode("Not enough segments");
    let (signing_input, crypto) = token.rsplit_once('.').ok_or_else(not_enough)?;
    let (header_segment, claims_segment) = signing_input.split_once('.').ok_or_else(not_enough)?;

    let header_bytes = URL_SAFE_NO_PAD
        .decode(header_segment)
        .map_err(|_| JwtError::decode("Invalid header padding"))?;
    let header =
        parse_object(&header_bytes).map_err(|why| JwtError::decode(format!("Invalid header string: {why}")))?;
    let claims_bytes = URL_SAFE_NO_PAD
        .decode(claims_segment)
        .map_err(|_| JwtError::decode("Invalid payload padding"))?;
    let signature = URL_SAFE_NO_PAD
        .decode(crypto)
        .map_err(|_| JwtError::decode("Invalid crypto padding"))?;
    let claims =
        parse_object(&claims_bytes).map_err(|why| JwtError::decode(format!("Invalid payload string: {why}")))?;

    if header.get("kid").is_some_and(|kid| !kid.is_string()) {
        return Err(JwtError::decode("Key ID header parameter must be a string"));
    }
    match header.get("crit") {
        None => {}
        Some(Value::Array(items)) if items.is_empty() => {}
        Some(_) => {
            return Err(JwtError::decode(
                "Invalid header string: critical extensions (crit) are not supported",
            ));
        }
    }
    Ok(UnverifiedToken {
        signing_input,
        signature,
        header,
        claims,
    })
}

/// Checks the token's algorithm against `allowed` and its signature against `key`.
/// The header's `alg` never selects the key or the verifier: it must name one of
/// the allowed algorithms, and the MAC must match for it.
pub fn verify(token: &UnverifiedToken<'_>, allowed: &[Algorithm], key: &SigningKey) -> Result<(), JwtError> {
    let name = match token.header.get("alg") {
        None => return Err(JwtError::decode("Algorithm not specified")),
        Some(Value::String(name)) => name.as_str(),
        Some(_) => return Err(JwtError::decode("The specified alg value is not allowed")),
    };
    let algorithm = Algorithm::from_header(name)
        .filter(|algorithm| allowed.contains(algorithm))
        .ok_or_else(|| JwtError::decode("The specified alg value is not allowed"))?;
    if key.verify(algorithm, token.signing_input.as_bytes(), &token.signature) {
        Ok(())
    } else {
        Err(JwtError::decode("Signature verification failed"))
    }
}
