//! `jwt.use_blocklist(store)`: a store as the manager's `token_in_blocklist_loader`,
//! failing closed or open.

use phial::maybe_async::MaybeReady;
use serde_json::Value;
use std::sync::Arc;

use super::{Blocklist, TokenRef};
use crate::callbacks::BlocklistLoader;
use crate::{JWTManager, JsonObject, JwtError};

/// What a check does when the store cannot answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailMode {
    /// Refuse the request: 503 `{"msg": "Token revocation is unavailable right now;
    /// try again later"}`, and an error in the log (the default). A revoked token
    /// never gets through, at the cost of availability while the store is down.
    #[default]
    Closed,
    /// Let the token through as if it were not revoked, with a warning in the log
    /// for each such request. Logged-out tokens work again while the store is down.
    Open,
}

impl JWTManager {
    /// Checks every verified token against `store`, failing closed (see
    /// [`FailMode::Closed`]), and lets [`revoke_current_token`](super::revoke_current_token)
    /// and [`revoke_token`](super::revoke_token) write to it.
    ///
    /// This is `token_in_blocklist_loader` keyed on the `jti` claim; it replaces a
    /// loader set before, and a loader set after replaces it. Routes with
    /// `skip_revocation_check = true` do not consult the store. Without a blocklist
    /// no check runs at all.
    pub fn use_blocklist<B: Blocklist + 'static>(&self, store: B) -> &JWTManager {
        self.use_blocklist_with(store, FailMode::Closed)
    }

    /// [`use_blocklist`](JWTManager::use_blocklist) with an explicit [`FailMode`]:
    /// `jwt.use_blocklist_with(store, FailMode::Open)` keeps serving when the store
    /// is down. The mode applies to checks only; a failed revocation always answers
    /// 503.
    pub fn use_blocklist_with<B: Blocklist + 'static>(&self, store: B, mode: FailMode) -> &JWTManager {
        let store: Arc<dyn Blocklist> = Arc::new(store);
        self.register("use_blocklist", move |setup| {
            // The check is built when the app starts, once JWT_IDENTITY_CLAIM is known.
            setup.callbacks.token_in_blocklist = None;
            setup.callbacks.blocklist = Some(store);
            setup.callbacks.blocklist_mode = Some(mode);
        })
    }

    /// The store set with [`use_blocklist`](JWTManager::use_blocklist), once the app
    /// has started.
    pub fn blocklist(&self) -> Option<Arc<dyn Blocklist>> {
        self.runtime().ok()?.callbacks.blocklist.clone()
    }
}

/// The loader: look the `jti` up; on a store error, refuse (closed) or log and
/// accept (open).
pub(crate) fn check_with(store: Arc<dyn Blocklist>, mode: FailMode, identity_claim: String) -> BlocklistLoader {
    let identity_claim: Arc<str> = Arc::from(identity_claim);
    Arc::new(move |_header, claims| {
        let store = store.clone();
        let identity_claim = identity_claim.clone();
        MaybeReady::pending(async move {
            let identity = claims.get(&*identity_claim).map(|value| match value {
                Value::String(text) => std::borrow::Cow::Borrowed(text.as_str()),
                other => std::borrow::Cow::Owned(other.to_string()),
            });
            let issued_at =
                claims.get("iat").and_then(|iat| iat.as_u64().or_else(|| iat.as_f64().map(|f| f.max(0.0) as u64)));
            let family = claims.get(crate::rotation::FAMILY_CLAIM).and_then(Value::as_str);
            let token = TokenRef { jti: jti_of(&claims), identity: identity.as_deref(), issued_at, family };
            if token.jti.is_none() && token.identity.is_none() {
                return Ok(false);
            }
            match store.is_token_revoked(token).await {
                Ok(revoked) => Ok(revoked),
                Err(error) if mode == FailMode::Open => {
                    tracing::warn!(
                        target: "phial_jwt",
                        %error,
                        "token revocation cannot be checked; failing open: the token is accepted unchecked"
                    );
                    Ok(false)
                }
                Err(error) => Err(JwtError::from(error)),
            }
        })
    })
}

/// The `jti` claim (the decoder refuses one that is not a string).
pub(crate) fn jti_of(claims: &JsonObject) -> Option<&str> {
    claims.get("jti").and_then(Value::as_str)
}
