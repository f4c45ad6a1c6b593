//! Tokens in the JSON body (`{"access_token": "..."}`), for requests with a JSON
//! content type.

use phial::Request;
use serde_json::Value;

use crate::JwtError;
use crate::config::Settings;

/// The encoded token from the JSON body, or why there is none.
pub(super) fn extract(request: &Request, settings: &Settings, refresh: bool) -> Result<String, JwtError> {
    if !request.is_json() {
        return Err(JwtError::NoAuthorization("Invalid content-type. Must be application/json.".to_string()));
    }
    let key = if refresh { &settings.refresh_json_key } else { &settings.json_key };
    let missing = || JwtError::NoAuthorization(format!("Missing \"{key}\" key in json data."));
    // Malformed JSON, a body that is not an object, a missing or empty key: all
    // "missing" (upstream answers a 500 for a non-object body; phial does not).
    let body: Value = request.get_json().map_err(|_| missing())?;
    match body.get(key.as_str()) {
        Some(Value::String(token)) if !token.is_empty() => Ok(token.clone()),
        None | Some(Value::Null) | Some(Value::Bool(false)) => Err(missing()),
        Some(Value::String(_)) => Err(missing()),
        Some(_) => Err(JwtError::Decode("Invalid token type. Token must be a string".to_string())),
    }
}
