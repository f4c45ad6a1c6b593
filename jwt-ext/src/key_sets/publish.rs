//! Publishing the app's public keys as a JWKS document, for other services to
//! verify its tokens: [`JWTManager::jwks`] and a ready view for
//! `/.well-known/jwks.json`.

use crate::{JWTManager, JwtError};
use phial::Response;
use phial::response::IntoResponse;
use serde_json::{Value, json};

impl JWTManager {
    /// The public keys that verify this app's tokens, as a JWKS document
    /// (RFC 7517 section 5): the key set's, or else the configured
    /// `JWT_PUBLIC_KEY` (or `JWT_PRIVATE_KEY`'s public half) under its RFC 7638
    /// thumbprint as `kid`. An HMAC secret is never published: with HS256 the
    /// document is `{"keys": []}`.
    pub fn jwks(&self) -> Result<Value, JwtError> {
        let runtime = self.runtime()?;
        if let Some(source) = &runtime.callbacks.key_set {
            return Ok(source.current().jwks());
        }
        let keys: Vec<Value> = runtime
            .keys
            .verifying
            .iter()
            .filter_map(|key| {
                let mut jwk = key.to_jwk()?;
                jwk.insert("kid".into(), json!(key.thumbprint()?));
                jwk.insert("use".into(), json!("sig"));
                jwk.insert("alg".into(), json!(runtime.settings.algorithm.as_str()));
                Some(Value::Object(jwk))
            })
            .collect();
        Ok(json!({ "keys": keys }))
    }
}

/// A view answering the current app's [`JWTManager::jwks`], for
/// `app.route("/.well-known/jwks.json", ["GET"], phial_jwt::jwks_endpoint)`.
pub async fn jwks_endpoint() -> Response {
    match JWTManager::current().and_then(|manager| manager.jwks()) {
        Ok(document) => phial::jsonify!(document).into_response(),
        Err(err) => err.into_response(),
    }
}
