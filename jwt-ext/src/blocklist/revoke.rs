//! Revoking tokens from handlers: upstream's `DELETE /logout` in one line.

use serde_json::Value;
use std::time::Duration;

use super::IdentityCutoff;
use super::wiring::jti_of;
use crate::{JWTManager, JsonObject, JwtError, get_jwt, get_jwt_request_location};

/// Revokes the token verified in the current request, until it would expire
/// anyway: the body of a logout route under `#[jwt_required]` (with
/// `verify_type = false` it revokes refresh tokens too).
///
/// Errors: 503 ([`JwtError::BlocklistUnavailable`]) when the store fails or is full;
/// 422 `Missing claim: jti` for a token without `jti`; a 500
/// ([`JwtError::Setup`]) when no blocklist is configured or no token was verified
/// (outside `#[jwt_required]`, or an optional route called without a token).
pub async fn revoke_current_token() -> Result<(), JwtError> {
    if get_jwt_request_location().is_none() {
        return Err(JwtError::Setup(
            "revoke_current_token() needs a verified token: call it under #[jwt_required] with a token".into(),
        ));
    }
    let claims = get_jwt()?;
    JWTManager::current()?.revoke_token(&claims).await
}

/// Revokes the token with these verified claims in the current app (for example
/// claims from [`decode_token`](crate::decode_token), to revoke a token other than
/// the request's). Same errors as [`revoke_current_token`].
pub async fn revoke_token(claims: &JsonObject) -> Result<(), JwtError> {
    JWTManager::current()?.revoke_token(claims).await
}

impl JWTManager {
    /// Revokes the token with these verified claims in this manager's store, until
    /// its `exp` plus `JWT_DECODE_LEEWAY` (forever, as far as the store goes, when
    /// it has no `exp`). Works outside requests too (an admin task, a CLI).
    pub async fn revoke_token(&self, claims: &JsonObject) -> Result<(), JwtError> {
        let runtime = self.runtime()?;
        let store = runtime.callbacks.blocklist.clone().ok_or_else(|| {
            JwtError::Setup("no blocklist is configured: call jwt.use_blocklist(store) before revoking tokens".into())
        })?;
        let jti = jti_of(claims).ok_or_else(|| JwtError::decode("Missing claim: jti"))?;
        let expires_at = refused_from(claims, runtime.settings.decode_leeway)?;
        store.revoke(jti, expires_at).await.map_err(JwtError::from)
    }
}

/// The Unix second from which a token with these claims is refused as expired:
/// `exp + leeway`, rounded up (the decoder refuses when `exp <= now - leeway`). `None` without
/// `exp`.
/// Revokes every token of `identity` issued up to now ("log out everywhere": a
/// password change, a stolen device), in the current app: each token of that
/// identity whose `iat` is at or before the current second is refused with 401
/// `Token has been revoked`; a login in a later second works. `identity` is as in
/// the tokens' identity claim (`"alice"`, or `42` for a numeric one). Needs a store
/// that keeps cut-offs (all three of phial's do).
pub async fn revoke_all_tokens_for(identity: impl serde::Serialize) -> Result<(), JwtError> {
    JWTManager::current()?.revoke_all_tokens_for(identity, None).await
}

/// Revokes every token of the current token's identity but the current one ("log
/// out everywhere else"), under `#[jwt_required]`.
pub async fn revoke_all_other_tokens() -> Result<(), JwtError> {
    if get_jwt_request_location().is_none() {
        return Err(JwtError::Setup(
            "revoke_all_other_tokens() needs a verified token: call it under #[jwt_required] with a token".into(),
        ));
    }
    let manager = JWTManager::current()?;
    let claims = get_jwt()?;
    let identity_claim = &manager.settings()?.identity_claim;
    let identity = claims.get(identity_claim.as_str()).cloned().unwrap_or(Value::Null);
    let jti = jti_of(&claims).ok_or_else(|| JwtError::decode("Missing claim: jti"))?;
    manager.revoke_all_tokens_for(identity, Some(jti)).await
}

impl JWTManager {
    /// [`revoke_all_tokens_for`] on this manager, sparing the token whose `jti`
    /// is `except_jti` if given.
    pub async fn revoke_all_tokens_for(
        &self,
        identity: impl serde::Serialize,
        except_jti: Option<&str>,
    ) -> Result<(), JwtError> {
        let runtime = self.runtime()?;
        let store = runtime.callbacks.blocklist.clone().ok_or_else(|| {
            JwtError::Setup("no blocklist is configured: call jwt.use_blocklist(store) before revoking tokens".into())
        })?;
        let identity = match serde_json::to_value(identity) {
            Ok(Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(err) => return Err(JwtError::Setup(format!("the identity cannot be written as JSON: {err}"))),
        };
        let settings = &runtime.settings;
        let now = runtime.clock.now().floor().max(0.0) as u64;
        // Kept until the longest-lived token it refuses has expired anyway.
        let keep_until = match (settings.access_expires, settings.refresh_expires) {
            (Some(access), Some(refresh)) => {
                let longest = access.max(refresh) + settings.decode_leeway;
                Some(now.saturating_add(longest.as_secs()).saturating_add(1))
            }
            _ => None,
        };
        let cutoff =
            IdentityCutoff { identity, issued_up_to: now, except_jti: except_jti.map(str::to_owned), keep_until };
        store.revoke_identity(&cutoff).await.map_err(JwtError::from)
    }
}

fn refused_from(claims: &JsonObject, leeway: Duration) -> Result<Option<u64>, JwtError> {
    let exp = match claims.get("exp") {
        None => return Ok(None),
        Some(Value::Number(number)) => number.as_i64().or_else(|| number.as_f64().map(|float| float.ceil() as i64)),
        Some(_) => None,
    };
    let exp = exp.ok_or_else(|| JwtError::decode("Expiration Time claim (exp) must be an integer."))?;
    // A leeway of a fraction of a second still counts as a whole one: revocations
    // may outlive the token a little, never the reverse.
    let leeway = leeway.as_secs().saturating_add(u64::from(leeway.subsec_nanos() > 0));
    let deadline = exp.saturating_add(i64::try_from(leeway).unwrap_or(i64::MAX)).max(0);
    Ok(Some(u64::try_from(deadline).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> JsonObject {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn deadline_is_exp_plus_leeway() {
        assert_eq!(refused_from(&claims(json!({"exp": 100})), Duration::ZERO), Ok(Some(100)));
        assert_eq!(refused_from(&claims(json!({"exp": 100})), Duration::from_secs(10)), Ok(Some(110)));
        assert_eq!(refused_from(&claims(json!({"exp": 100.9})), Duration::ZERO), Ok(Some(101)));
        assert_eq!(refused_from(&claims(json!({"exp": -5})), Duration::ZERO), Ok(Some(0)));
        assert_eq!(refused_from(&claims(json!({"exp": 1e300})), Duration::ZERO), Ok(Some(i64::MAX as u64)));
        assert_eq!(refused_from(&claims(json!({"exp": 100})), Duration::from_millis(1)), Ok(Some(101)));
        assert_eq!(refused_from(&claims(json!({})), Duration::ZERO), Ok(None));
        assert!(refused_from(&claims(json!({"exp": "soon"})), Duration::ZERO).is_err());
    }
}
