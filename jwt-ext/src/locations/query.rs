//! Tokens in the query string (`?jwt=...`), with an optional required prefix.

use phial::Request;

use crate::JwtError;
use crate::config::Settings;

/// The encoded token from the query string, or why there is none.
pub(super) fn extract(request: &Request, settings: &Settings) -> Result<String, JwtError> {
    let name = &settings.query_string_name;
    let prefix = &settings.query_string_value_prefix;
    let value = match request.args().get(name) {
        Some(value) if !value.is_empty() => value,
        // Upstream's message, typo included, so that clients comparing it keep working.
        _ => return Err(JwtError::NoAuthorization(format!("Missing '{name}' query paramater"))),
    };
    match value.strip_prefix(prefix.as_str()) {
        Some(token) => Ok(token.to_string()),
        None => Err(JwtError::InvalidQueryParam(format!(
            "Invalid value for query parameter '{name}'. Expected the value to start with '{prefix}'"
        ))),
    }
}
