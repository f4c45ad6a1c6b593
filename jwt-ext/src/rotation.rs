//! Refresh-token rotation with reuse detection (`JWT_REFRESH_TOKEN_ROTATION`,
//! phial's; upstream leaves it to the app).
//!
//! Every token descending from one login carries the same family id in its
//! [`FAMILY_CLAIM`] claim: the tokens a login creates start a family, and tokens
//! created while a request holds a token of a family (the refresh route, implicit
//! refresh) join it. On a `#[jwt_required(refresh = true)]` route the refresh
//! token is retired by its first use (atomically in every store: of two concurrent
//! refreshes with one token, exactly one passes). Presenting a retired refresh token
//! again is reuse (the token was stolen, or the client is confused): the whole
//! family, access and refresh tokens, is revoked, and the request gets 401
//! [`REUSE_MESSAGE`] (or `refresh_token_reuse_loader`'s response).
//! `JWT_REFRESH_TOKEN_REUSE_GRACE` seconds (0 by default) let the winner's own
//! retries through.

use serde_json::Value;
use std::time::Duration;

use crate::JwtError;
use crate::blocklist::family_entry;
use crate::decode::DecodedToken;
use crate::manager::Runtime;

/// The claim that holds a token's family id.
pub const FAMILY_CLAIM: &str = "fam";

/// The 401 message when a retired refresh token comes back.
pub const REUSE_MESSAGE: &str = "Refresh token reuse detected";

/// The family a request's first new token started, for its other new tokens.
#[derive(Clone)]
struct NewFamily(String);

/// The family a new token joins: the current token's, else the one this request
/// already started, else a new one. `None` when rotation is off.
pub(crate) fn family_for_new_token(runtime: &Runtime) -> Option<String> {
    if !runtime.settings.refresh_rotation {
        return None;
    }
    if let Some(family) = crate::get_jwt().ok().and_then(|claims| claims.get(FAMILY_CLAIM)?.as_str().map(str::to_owned))
    {
        return Some(family);
    }
    let request = phial::request().ok();
    if let Some(NewFamily(family)) = request.as_ref().and_then(|request| request.g().get::<NewFamily>()) {
        return Some(family);
    }
    let family = uuid::Uuid::new_v4().simple().to_string();
    if let Some(request) = request {
        request.g().insert(NewFamily(family.clone()));
    }
    Some(family)
}

/// On a refresh route: retires `token`; a use after its first (past the grace
/// window) revokes its family and refuses the request.
pub(crate) async fn retire_or_detect_reuse(runtime: &Runtime, token: &DecodedToken) -> Result<(), JwtError> {
    let store = runtime.callbacks.blocklist.as_ref().ok_or_else(|| {
        JwtError::Setup("JWT_REFRESH_TOKEN_ROTATION needs a blocklist: call jwt.use_blocklist(store)".into())
    })?;
    let jti = token.claim("jti").and_then(Value::as_str).ok_or_else(|| JwtError::decode("Missing claim: jti"))?;
    let settings = &runtime.settings;
    let now = runtime.clock.now().floor().max(0.0) as u64;
    let expires_at = token.claim("exp").and_then(Value::as_f64).map(|exp| seconds_after(exp, settings.decode_leeway));
    let Some(first_use) = store.retire(jti, now, expires_at).await? else {
        return Ok(());
    };
    let grace = settings.refresh_reuse_grace.as_secs();
    if grace > 0 && now.saturating_sub(first_use) < grace {
        return Ok(());
    }
    let family = token.claim(FAMILY_CLAIM).and_then(Value::as_str);
    tracing::warn!(
        target: "phial_jwt",
        jti,
        family,
        identity = ?token.claim(&settings.identity_claim),
        "a retired refresh token was used again: revoking its family"
    );
    if let Some(family) = family {
        let keep_until =
            settings.refresh_expires.map(|lifetime| seconds_after(now as f64, lifetime + settings.decode_leeway));
        store.revoke(&family_entry(family), keep_until).await?;
    }
    Err(JwtError::RefreshTokenReused { header: (*token.header).clone(), claims: (**token.claims()).clone() })
}

/// `at` plus `delta`, in whole seconds, rounded up.
fn seconds_after(at: f64, delta: Duration) -> u64 {
    (at + delta.as_secs_f64()).ceil().max(0.0) as u64
}
