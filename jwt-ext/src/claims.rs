//! Validating the registered claims, in PyJWT 2.10's order and with its messages:
//! `iat`, `nbf`, `exp`, then `iss`, `aud`, `sub`, `jti`.
//!
//! Stricter than PyJWT where PyJWT is loose: a time claim must be a JSON number (a
//! string such as `"123"` is refused, never treated as absent: CVE-2026-25537), and
//! `iss` must be a string. A float is a number (truncated like Python's `int()`); a
//! negative or past `exp` is simply expired.

use serde_json::Value;
use std::fmt;

use crate::{JsonObject, JwtError};

/// What to check, from the manager's settings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Validation {
    /// Seconds of clock skew allowed for `exp`, `nbf` and `iat` (`JWT_DECODE_LEEWAY`).
    pub leeway: i64,
    /// Accepted audiences; `None` skips the check (`JWT_DECODE_AUDIENCE`).
    pub audience: Option<Vec<String>>,
    /// Accepted issuers; `None` skips the check (`JWT_DECODE_ISSUER`).
    pub issuer: Option<Vec<String>>,
    /// Refuse a non-string `sub` (`JWT_VERIFY_SUB`).
    pub verify_sub: bool,
    /// Check `exp` (off for `decode_token(.., allow_expired = true)`).
    pub verify_exp: bool,
}

/// Why claims were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimError {
    /// The token has expired (the caller adds its header and claims).
    Expired,
    /// Another failure, with upstream's message.
    Invalid(String),
}

impl fmt::Display for ClaimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimError::Expired => f.write_str("Signature has expired"),
            ClaimError::Invalid(message) => f.write_str(message),
        }
    }
}

impl From<ClaimError> for JwtError {
    fn from(error: ClaimError) -> JwtError {
        JwtError::Decode(error.to_string())
    }
}

fn invalid(message: &str) -> ClaimError {
    ClaimError::Invalid(message.to_string())
}

/// A time claim as whole seconds (Python's `int()` truncates floats toward zero);
/// `Err` when present and not a number.
fn seconds(claims: &JsonObject, name: &str, message: &str) -> Result<Option<i64>, ClaimError> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(number)) => match (number.as_i64(), number.as_f64()) {
            (Some(whole), _) => Ok(Some(whole)),
            // Beyond i64 (or a float): truncate and saturate.
            (None, Some(float)) => Ok(Some(float.trunc() as i64)),
            (None, None) => Err(invalid(message)),
        },
        Some(_) => Err(invalid(message)),
    }
}

/// Checks `claims` at time `now` (whole epoch seconds).
pub fn validate(claims: &JsonObject, now: i64, validation: &Validation) -> Result<(), ClaimError> {
    let leeway = validation.leeway;
    if let Some(iat) = seconds(claims, "iat", "Issued At claim (iat) must be an integer.")? {
        if iat > now.saturating_add(leeway) {
            return Err(invalid("The token is not yet valid (iat)"));
        }
    }
    if let Some(nbf) = seconds(claims, "nbf", "Not Before claim (nbf) must be an integer.")? {
        if nbf > now.saturating_add(leeway) {
            return Err(invalid("The token is not yet valid (nbf)"));
        }
    }
    if validation.verify_exp {
        if let Some(exp) = seconds(claims, "exp", "Expiration Time claim (exp) must be an integer.")? {
            if exp <= now.saturating_sub(leeway) {
                return Err(ClaimError::Expired);
            }
        }
    }
    if let Some(issuers) = &validation.issuer {
        match claims.get("iss") {
            None => return Err(invalid("Token is missing the \"iss\" claim")),
            Some(Value::String(iss)) if issuers.contains(iss) => {}
            Some(_) => return Err(invalid("Invalid issuer")),
        }
    }
    if let Some(audiences) = &validation.audience {
        let in_token: Vec<&Value> = match claims.get("aud") {
            None | Some(Value::Null) => return Err(invalid("Token is missing the \"aud\" claim")),
            Some(Value::String(aud)) if aud.is_empty() => return Err(invalid("Token is missing the \"aud\" claim")),
            Some(Value::Array(items)) if items.is_empty() => return Err(invalid("Token is missing the \"aud\" claim")),
            Some(single @ Value::String(_)) => vec![single],
            Some(Value::Array(items)) => items.iter().collect(),
            Some(_) => return Err(invalid("Invalid claim format in token")),
        };
        if in_token.iter().any(|aud| !aud.is_string()) {
            return Err(invalid("Invalid claim format in token"));
        }
        if !in_token
            .iter()
            .filter_map(|aud| aud.as_str())
            .any(|aud| audiences.iter().any(|a| a == aud))
        {
            return Err(invalid("Audience doesn't match"));
        }
    }
    if validation.verify_sub && claims.get("sub").is_some_and(|sub| !sub.is_string()) {
        return Err(invalid("Subject must be a string"));
    }
    if claims.get("jti").is_some_and(|jti| !jti.is_string()) {
        return Err(invalid("JWT ID must be a string"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    fn claims(value: Value) -> JsonObject {
        value.as_object().unwrap().clone()
    }

    fn check(value: Value) -> Result<(), ClaimError> {
        validate(
            &claims(value),
            NOW,
            &Validation {
                verify_exp: true,
                verify_sub: true,
                ..Validation::default()
            },
        )
    }

    fn message(result: Result<(), ClaimError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn time_claims_must_be_numbers() {
        assert_eq!(
            message(check(json!({"iat": "1"}))),
            "Issued At claim (iat) must be an integer."
        );
        assert_eq!(
            message(check(json!({"nbf": [1]}))),
            "Not Before claim (nbf) must be an integer."
        );
        assert_eq!(
            message(check(json!({"exp": "9999999999"}))),
            "Expiration Time claim (exp) must be an integer."
        );
        assert_eq!(
            message(check(json!({"exp": null}))),
            "Expiration Time claim (exp) must be an integer."
        );
        assert!(check(json!({"exp": (NOW + 60) as f64 + 0.5, "iat": NOW as f64 - 0.5})).is_ok());
    }

    #[test]
    fn expiry_with_and_without_leeway() {
        assert_eq!(check(json!({"exp": NOW})), Err(ClaimError::Expired));
        assert_eq!(check(json!({"exp": -5})), Err(ClaimError::Expired));
        assert!(check(json!({"exp": NOW + 1})).is_ok());
        let leeway = Validation {
            leeway: 10,
            verify_exp: true,
            ..Validation::default()
        };
        assert!(validate(&claims(json!({"exp": NOW - 5})), NOW, &leeway).is_ok());
        assert_eq!(
            validate(&claims(json!({"exp": NOW - 10})), NOW, &leeway),
            Err(ClaimError::Expired)
        );
        let skip = Validation {
            verify_exp: false,
            ..Validation::default()
        };
        assert!(validate(&claims(json!({"exp": 0})), NOW, &skip).is_ok());
    }

    #[test]
    fn not_yet_valid_tokens() {
        assert_eq!(
            message(check(json!({"nbf": NOW + 1}))),
            "The token is not yet valid (nbf)"
        );
        assert_eq!(
            message(check(json!({"iat": NOW + 1}))),
            "The token is not yet valid (iat)"
        );
        let leeway = Validation {
            leeway: 5,
            ..Validation::default()
        };
        assert!(validate(&claims(json!({"nbf": NOW + 5, "iat": NOW + 5})), NOW, &leeway).is_ok());
    }

    #[test]
    fn pyjwt_order_iat_then_nbf_then_exp() {
        assert_eq!(
            message(check(json!({"iat": "x", "nbf": "y"}))),
            "Issued At claim (iat) must be an integer."
        );
        assert_eq!(check(json!({"exp": 0, "sub": 5})), Err(ClaimError::Expired));
    }

    #[test]
    fn issuer_and_audience_when_configured() {
        let v = Validation {
            issuer: Some(vec!["me".into()]),
            audience: Some(vec!["api".into(), "web".into()]),
            ..Validation::default()
        };
        let run = |value: Value| validate(&claims(value), NOW, &v).map_err(|e| e.to_string());
        assert_eq!(
            run(json!({"aud": "api"})),
            Err("Token is missing the \"iss\" claim".into())
        );
        assert_eq!(run(json!({"iss": "you", "aud": "api"})), Err("Invalid issuer".into()));
        assert_eq!(run(json!({"iss": ["me"], "aud": "api"})), Err("Invalid issuer".into()));
        assert_eq!(
            run(json!({"iss": "me"})),
            Err("Token is missing the \"aud\" claim".into())
        );
        assert_eq!(
            run(json!({"iss": "me", "aud": ""})),
            Err("Token is missing the \"aud\" claim".into())
        );
        assert_eq!(
            run(json!({"iss": "me", "aud": 5})),
            Err("Invalid claim format in token".into())
        );
        assert_eq!(
            run(json!({"iss": "me", "aud": ["api", 5]})),
            Err("Invalid claim format in token".into())
        );
        assert_eq!(
            run(json!({"iss": "me", "aud": "other"})),
            Err("Audience doesn't match".into())
        );
        assert_eq!(run(json!({"iss": "me", "aud": ["other", "web"]})), Ok(()));
        // Unconfigured: not checked at all, even when present.
        assert!(check(json!({"aud": 5, "iss": 7})).is_ok());
    }

    #[test]
    fn subject_and_jti_types() {
        assert_eq!(message(check(json!({"sub": 123}))), "Subject must be a string");
        assert_eq!(message(check(json!({"sub": {}}))), "Subject must be a string");
        let lax = Validation {
            verify_sub: false,
            ..Validation::default()
        };
        assert!(validate(&claims(json!({"sub": 123})), NOW, &lax).is_ok());
        assert_eq!(message(check(json!({"jti": 5}))), "JWT ID must be a string");
    }
}
