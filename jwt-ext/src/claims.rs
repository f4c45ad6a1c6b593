//! The registered-claim checks PyJWT 2.10 runs after the signature
//! (`PyJWT._validate_claims`), in its order and with its messages.
//!
//! One rule is phial's own (CVE-2026-25537, see `jwt-attacks.md`): a registered claim
//! of the wrong JSON type is always an error, never treated as absent. `exp`, `nbf`
//! and `iat` must be JSON numbers (integer or float; PyJWT would also take numeric
//! strings and crash on `null`), and `exp`'s type is checked even when its expiry is
//! not (`verify_exp: false`, upstream's `allow_expired`).
//!
//! Time is an argument: [`validate`] reads no clock.

use crate::python_json::is_truthy;
use crate::{JsonObject, JwtError};
use serde_json::{Number, Value};
use std::time::Duration;

mod registered;

pub(crate) use registered::RegisteredClaims;

/// What [`validate`] checks besides the always-on `iat`, `nbf`, `exp`, `jti` checks:
/// upstream's `JWT_DECODE_LEEWAY`, `JWT_DECODE_AUDIENCE`, `JWT_DECODE_ISSUER` and
/// `JWT_VERIFY_SUB`, and `allow_expired`.
///
/// The default checks expiry and `sub`, with no leeway, audience or issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validation {
    /// Clock skew allowed on `exp`, `nbf` and `iat` (default zero).
    pub leeway: Duration,
    /// Accepted audiences; `None` leaves `aud` unchecked, even if the token has one.
    /// The token passes if one of its audiences is in this list.
    pub audience: Option<Vec<String>>,
    /// Accepted issuers; `None` leaves `iss` unchecked.
    pub issuer: Option<Vec<String>>,
    /// Refuse a `sub` that is not a string (PyJWT 2.10's `verify_sub`, upstream's
    /// `JWT_VERIFY_SUB`, default on).
    pub verify_sub: bool,
    /// Refuse expired tokens; `false` is upstream's `allow_expired=True`.
    pub verify_exp: bool,
}

impl Default for Validation {
    fn default() -> Validation {
        Validation { leeway: Duration::ZERO, audience: None, issuer: None, verify_sub: true, verify_exp: true }
    }
}

/// Checks the registered claims of a verified token at time `now` (Unix seconds),
/// stopping at the first failure, in PyJWT's order:
///
/// 1. `iat`: not a number → `Issued At claim (iat) must be an integer.`; later than
///    `now + leeway` → `The token is not yet valid (iat)`;
/// 2. `nbf`: not a number → `Not Before claim (nbf) must be an integer.`; later than
///    `now + leeway` → `The token is not yet valid (nbf)`;
/// 3. `exp`: not a number → `Expiration Time claim (exp) must be an integer.`;
///    `exp <= now - leeway` → [`JwtError::Expired`] (carrying `header` and `claims`,
///    for upstream's expired callback). A negative `exp` is simply expired;
/// 4. `iss` (when [`Validation::issuer`] is set): absent → `Token is missing the
///    "iss" claim`; not one of the issuers, or not a string → `Invalid issuer`;
/// 5. `aud` (when [`Validation::audience`] is set): absent or empty → `Token is
///    missing the "aud" claim`; not a string or a list of strings → `Invalid claim
///    format in token`; no audience in common → `Audience doesn't match`;
/// 6. `sub` (when [`Validation::verify_sub`]): present and not a string → `Subject
///    must be a string`;
/// 7. `jti`: present and not a string (`null` included) → `JWT ID must be a string`.
///
/// Time claims are truncated toward zero as Python's `int()` does (`exp: 1.9`
/// counts as 1), so a float `exp` such as upstream's freshness timestamps works.
/// `now` is whole seconds, rounded down from the clock: PyJWT compares those
/// whole-second claims with a fractional clock, and for whole-second leeways
/// `exp <= now - leeway` has the same answer with either clock.
///
/// ```
/// use phial_jwt::claims::{Validation, validate};
/// use phial_jwt::{JsonObject, JwtError};
/// use serde_json::json;
///
/// let header = JsonObject::new();
/// let claims = json!({"sub": "alice", "exp": 1_700_000_900});
/// let claims = claims.as_object().unwrap();
/// let checks = Validation::default();
/// assert_eq!(validate(&header, claims, 1_700_000_000, &checks), Ok(()));
/// let err = validate(&header, claims, 1_700_000_900, &checks).unwrap_err();
/// assert!(matches!(err, JwtError::Expired { .. }));
/// assert_eq!(err.to_string(), "Token has expired");
/// ```
pub fn validate(header: &JsonObject, claims: &JsonObject, now: i64, validation: &Validation) -> Result<(), JwtError> {
    check(claims, now, validation).map_err(|failure| match failure {
        Failure::Expired => JwtError::Expired { header: header.clone(), claims: claims.clone() },
        Failure::Invalid(error) => error,
    })
}

/// Where [`check`] reads the claims: a map of every claim, or the
/// [`RegisteredClaims`] kept while a payload was read (the checks read no other).
pub(crate) trait ClaimSource {
    /// The claim called `name`, if the token has it.
    fn claim(&self, name: &str) -> Option<&Value>;
}

impl ClaimSource for JsonObject {
    fn claim(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl ClaimSource for RegisteredClaims {
    fn claim(&self, name: &str) -> Option<&Value> {
        debug_assert!(RegisteredClaims::keeps(name), "{name} is read by the checks but not kept");
        self.get(name)
    }
}

/// Why [`check`] refused the claims: expired (the caller has the header and
/// claims that [`JwtError::Expired`] carries), or any other reason.
#[derive(Debug)]
pub(crate) enum Failure {
    Expired,
    Invalid(JwtError),
}

impl From<JwtError> for Failure {
    fn from(error: JwtError) -> Failure {
        Failure::Invalid(error)
    }
}

/// [`validate`]'s checks, in its order, on any [`ClaimSource`].
pub(crate) fn check(claims: &impl ClaimSource, now: i64, validation: &Validation) -> Result<(), Failure> {
    let leeway = i128::try_from(validation.leeway.as_nanos()).unwrap_or(i128::MAX);
    let now = i128::from(now) * NANOS;

    // `if let ... &&` chains need Rust 1.88; the workspace supports 1.85.
    let iat = time_claim(claims, "iat", "Issued At claim (iat) must be an integer.")?;
    if iat.is_some_and(|iat| iat * NANOS > now.saturating_add(leeway)) {
        return Err(JwtError::decode("The token is not yet valid (iat)").into());
    }
    let nbf = time_claim(claims, "nbf", "Not Before claim (nbf) must be an integer.")?;
    if nbf.is_some_and(|nbf| nbf * NANOS > now.saturating_add(leeway)) {
        return Err(JwtError::decode("The token is not yet valid (nbf)").into());
    }
    let exp = time_claim(claims, "exp", "Expiration Time claim (exp) must be an integer.")?;
    if validation.verify_exp && exp.is_some_and(|exp| exp * NANOS <= now.saturating_sub(leeway)) {
        return Err(Failure::Expired);
    }
    if let Some(issuers) = &validation.issuer {
        check_issuer(claims, issuers)?;
    }
    if let Some(audiences) = &validation.audience {
        check_audience(claims, audiences)?;
    }
    if validation.verify_sub && claims.claim("sub").is_some_and(|sub| !sub.is_string()) {
        return Err(JwtError::decode("Subject must be a string").into());
    }
    if claims.claim("jti").is_some_and(|jti| !jti.is_string()) {
        return Err(JwtError::decode("JWT ID must be a string").into());
    }
    Ok(())
}

const NANOS: i128 = 1_000_000_000;

/// A NumericDate claim as Python's `int()` reads a JSON number: truncated toward
/// zero. Values beyond `i64` are clamped (they are billions of years away either
/// way), which keeps the nanosecond arithmetic above within `i128`.
fn time_claim(claims: &impl ClaimSource, name: &str, wrong_type: &str) -> Result<Option<i128>, JwtError> {
    match claims.claim(name) {
        None => Ok(None),
        Some(Value::Number(number)) => Ok(Some(i128::from(truncate(number)))),
        Some(_) => Err(JwtError::decode(wrong_type)),
    }
}

fn truncate(number: &Number) -> i64 {
    if let Some(int) = number.as_i64() {
        int
    } else if number.is_u64() {
        i64::MAX
    } else {
        // `as` truncates toward zero and saturates; JSON numbers are never NaN.
        number.as_f64().map_or(0, |float| float as i64)
    }
}

fn check_issuer(claims: &impl ClaimSource, issuers: &[String]) -> Result<(), JwtError> {
    match claims.claim("iss") {
        None => Err(JwtError::decode("Token is missing the \"iss\" claim")),
        Some(Value::String(iss)) if issuers.iter().any(|accepted| accepted == iss) => Ok(()),
        Some(_) => Err(JwtError::decode("Invalid issuer")),
    }
}

fn check_audience(claims: &impl ClaimSource, audiences: &[String]) -> Result<(), JwtError> {
    let aud = match claims.claim("aud") {
        Some(aud) if is_truthy(aud) => aud,
        _ => return Err(JwtError::decode("Token is missing the \"aud\" claim")),
    };
    let invalid_format = || JwtError::decode("Invalid claim format in token");
    let matches = match aud {
        Value::String(aud) => audiences.contains(aud),
        Value::Array(items) => {
            let mut token_audiences = Vec::with_capacity(items.len());
            for item in items {
                token_audiences.push(item.as_str().ok_or_else(invalid_format)?);
            }
            audiences.iter().any(|accepted| token_audiences.contains(&accepted.as_str()))
        }
        _ => return Err(invalid_format()),
    };
    if matches { Ok(()) } else { Err(JwtError::decode("Audience doesn't match")) }
}

#[cfg(test)]
mod tests;
