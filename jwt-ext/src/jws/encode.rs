//! Signing: `base64url(header) . base64url(claims) . base64url(mac)`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::Value;

use super::json::{OrderedClaims, to_python_json};
use super::key::SigningKey;
use crate::algorithm::Algorithm;
use crate::{JsonObject, JwtError};

/// Signs `claims` (serialised in their own order) with `algorithm`, under the header
/// `{"alg": .., "typ": "JWT"}` merged with `extra_headers` (which win), keys sorted
/// as PyJWT writes them.
pub fn encode(
    extra_headers: &JsonObject,
    algorithm: Algorithm,
    claims: &impl Serialize,
    key: &SigningKey,
) -> Result<String, JwtError> {
    let mut header = JsonObject::new();
    header.insert("alg".into(), Value::from(algorithm.as_str()));
    header.insert("typ".into(), Value::from("JWT"));
    header.extend(extra_headers.iter().map(|(k, v)| (k.clone(), v.clone())));
    let header = to_python_json(&OrderedClaims::sorted(&header)).map_err(unserialisable)?;
    let claims = to_python_json(claims).map_err(unserialisable)?;

    let mut token = String::with_capacity((header.len() + claims.len()) * 4 / 3 + 100);
    URL_SAFE_NO_PAD.encode_string(&header, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&claims, &mut token);
    let signature = key.sign(algorithm, token.as_bytes());
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&signature, &mut token);
    Ok(token)
}

fn unserialisable(err: serde_json::Error) -> JwtError {
    JwtError::Setup(format!("the token cannot be serialised to JSON: {err}"))
}
