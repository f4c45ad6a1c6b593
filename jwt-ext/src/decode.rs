//! Decoding a token fully: format, algorithm, signature, registered claims, the
//! identity claim, defaults, and the CSRF double-submit value — in
//! flask-jwt-extended's order, so that the first failure is upstream's.

use serde_json::Value;
use std::sync::Arc;
use subtle::ConstantTimeEq;

use crate::claims::{self, Validation};
use crate::jws::{self, SigningKey};
use crate::manager::Runtime;
use crate::{JWTManager, JsonObject, JwtError};

/// A token whose signature and claims were checked.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedToken {
    /// The header (`alg`, `typ`, and any additional headers).
    pub header: Arc<JsonObject>,
    /// The claims, with upstream's defaults filled in (`type`, `fresh`, `jti`).
    pub claims: Arc<JsonObject>,
}

/// Decodes and validates `token` with `runtime`'s settings.
pub(crate) fn decode(
    runtime: &Runtime,
    token: &str,
    csrf_value: Option<&str>,
    allow_expired: bool,
) -> Result<DecodedToken, JwtError> {
    let settings = &runtime.settings;
    let unverified = jws::decode_unverified(token, settings.max_token_length)?;
    let custom_key;
    let key = match &runtime.callbacks.decode_key {
        Some(loader) => {
            custom_key = SigningKey::new(loader(unverified.header(), unverified.claims()))?;
            &custom_key
        }
        None => {
            runtime.key.as_ref().ok_or_else(|| JwtError::Setup("no JWT_SECRET_KEY to verify tokens with".into()))?
        }
    };
    jws::verify(&unverified, &settings.decode_algorithms, key)?;
    let (header, mut claims) = unverified.into_shared_parts();

    let validation = Validation {
        leeway: settings.decode_leeway,
        audience: settings.decode_audience.clone(),
        issuer: settings.decode_issuer.clone(),
        verify_sub: settings.verify_sub,
        verify_exp: !allow_expired,
    };
    let now = runtime.clock.now().floor() as i64;
    match claims::validate(&header, &claims, now, &validation) {
        Ok(()) => {}
        Err(JwtError::Expired { .. }) => {
            // As upstream, the expired callback gets claims decoded without the `exp`
            // check, so that another failure still wins over "expired".
            claims::validate(&header, &claims, now, &Validation { verify_exp: false, ..validation })?;
            return Err(JwtError::Expired { header: Arc::unwrap_or_clone(header), claims });
        }
        Err(other) => return Err(other),
    }

    if !claims.contains_key(&settings.identity_claim) {
        return Err(JwtError::decode(format!("Missing claim: {}", settings.identity_claim)));
    }
    // Upstream's defaults for tokens made elsewhere (looked up first: `entry` would
    // allocate the key on every request).
    if !claims.contains_key("type") {
        claims.insert("type".to_owned(), Value::from("access"));
    }
    if !claims.contains_key("fresh") {
        claims.insert("fresh".to_owned(), Value::Bool(false));
    }
    if !claims.contains_key("jti") {
        claims.insert("jti".to_owned(), Value::Null);
    }

    if let Some(csrf_value) = csrf_value {
        let expected = match claims.get("csrf") {
            Some(Value::String(expected)) => expected,
            Some(_) => return Err(JwtError::decode("Invalid claim: csrf must be a string")),
            None => return Err(JwtError::decode("Missing claim: csrf")),
        };
        if !bool::from(expected.as_bytes().ct_eq(csrf_value.as_bytes())) {
            return Err(JwtError::Csrf("CSRF double submit tokens do not match".into()));
        }
    }
    Ok(DecodedToken { header, claims: Arc::new(claims) })
}

/// Decodes a token in the current app (Python's `decode_token`): format,
/// signature, claims, and — when `csrf_value` is given — the CSRF value. Does not
/// check the token's type, freshness or revocation. Returns the claims.
pub fn decode_token(token: &str, csrf_value: Option<&str>, allow_expired: bool) -> Result<JsonObject, JwtError> {
    let manager = JWTManager::current()?;
    let decoded = decode(manager.runtime()?, token, csrf_value, allow_expired)?;
    Ok(Arc::unwrap_or_clone(decoded.claims))
}

/// The `jti` of a (fully verified) token (Python's `get_jti`).
pub fn get_jti(token: &str) -> Result<Option<String>, JwtError> {
    Ok(decode_token(token, None, false)?.get("jti").and_then(Value::as_str).map(str::to_string))
}

/// The `csrf` claim of a (fully verified) token (Python's `get_csrf_token`).
pub fn get_csrf_token(token: &str) -> Result<String, JwtError> {
    match decode_token(token, None, false)?.get("csrf") {
        Some(Value::String(csrf)) => Ok(csrf.clone()),
        _ => Err(JwtError::decode("Missing claim: csrf")),
    }
}

/// The header of a token, without checking its signature (Python's
/// `get_unverified_jwt_headers`); malformed tokens are still refused.
pub fn get_unverified_jwt_headers(token: &str) -> Result<JsonObject, JwtError> {
    let max_len = JWTManager::current().ok().and_then(|m| m.settings().ok().map(|s| s.max_token_length));
    let unverified = jws::decode_unverified(token, max_len.unwrap_or(8192))?;
    Ok(unverified.into_parts().0)
}

impl JWTManager {
    /// Decodes a token without an app context (see [`decode_token`]).
    pub fn decode_token(
        &self,
        token: &str,
        csrf_value: Option<&str>,
        allow_expired: bool,
    ) -> Result<DecodedToken, JwtError> {
        decode(self.runtime()?, token, csrf_value, allow_expired)
    }
}
