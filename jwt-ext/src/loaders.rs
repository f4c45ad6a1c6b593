//! The manager's loader decorators: flask-jwt-extended's `@jwt.expired_token_loader`
//! and the others, as methods that register a callback before the app starts.
//!
//! Callbacks that answer with a response may be plain (`|header, claims| (jsonify!(..), 401)`)
//! or async (`|header, claims| async move { .. }`, a future that owns what it uses);
//! the blocklist and user lookups may be either too.

use phial::maybe_async::{MaybeAsync, MaybeAsyncResponse};
use serde::Serialize;
use std::any::{Any, TypeId};
use std::sync::Arc;

use crate::callbacks::LoadedUser;
use crate::keys::{DecodeKeyOutput, LoadedKey, SigningKey};
use crate::manager::to_object;
use crate::{JWTManager, JsonObject};

impl JWTManager {
    /// The response when a token has expired (default: 401 `Token has expired`).
    pub fn expired_token_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: MaybeAsyncResponse<M>,
    {
        self.register("expired_token_loader", |s| {
            s.callbacks.expired = Some(Arc::new(move |h, c| callback(h, c).into_maybe_response()))
        })
    }

    /// The response for an invalid token, given upstream's message (default: 422).
    pub fn invalid_token_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&str) -> R + Send + Sync + 'static,
        R: MaybeAsyncResponse<M>,
    {
        self.register("invalid_token_loader", |s| {
            s.callbacks.invalid = Some(Arc::new(move |message| callback(message).into_maybe_response()))
        })
    }

    /// The response when no token was sent or the CSRF check failed (default: 401).
    pub fn unauthorized_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&str) -> R + Send + Sync + 'static,
        R: MaybeAsyncResponse<M>,
    {
        self.register("unauthorized_loader", |s| {
            s.callbacks.unauthorized = Some(Arc::new(move |message| callback(message).into_maybe_response()))
        })
    }

    /// The response when a fresh token is required (default: 401 `Fresh token required`).
    pub fn needs_fresh_token_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: MaybeAsyncResponse<M>,
    {
        self.register("needs_fresh_token_loader", |s| {
            s.callbacks.needs_fresh = Some(Arc::new(move |h, c| callback(h, c).into_maybe_response()))
        })
    }

    /// The response for a revoked token (default: 401 `Token has been revoked`).
    pub fn revoked_token_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: MaybeAsyncResponse<M>,
    {
        self.register("revoked_token_loader", |s| {
            s.callbacks.revoked = Some(Arc::new(move |h, c| callback(h, c).into_maybe_response()))
        })
    }

    /// The response when a retired refresh token is used again with
    /// `JWT_REFRESH_TOKEN_ROTATION` (default: 401 `Refresh token reuse detected`);
    /// its family is already revoked when this runs: a place to alert.
    pub fn refresh_token_reuse_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: MaybeAsyncResponse<M>,
    {
        self.register("refresh_token_reuse_loader", |s| {
            s.callbacks.refresh_reuse = Some(Arc::new(move |h, c| callback(h, c).into_maybe_response()))
        })
    }

    /// The response when the user lookup finds nobody (default: 401
    /// `Error loading the user <identity>`).
    pub fn user_lookup_error_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: MaybeAsyncResponse<M>,
    {
        self.register("user_lookup_error_loader", |s| {
            s.callbacks.user_lookup_error = Some(Arc::new(move |h, c| callback(h, c).into_maybe_response()))
        })
    }

    /// The response when `token_verification_loader` refuses a token (default: 400
    /// `User claims verification failed`).
    pub fn token_verification_failed_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: MaybeAsyncResponse<M>,
    {
        self.register("token_verification_failed_loader", |s| {
            s.callbacks.verification_failed = Some(Arc::new(move |h, c| callback(h, c).into_maybe_response()))
        })
    }

    /// Claims added to every new token, given the identity as JSON (before
    /// `user_identity_loader`); `create_*_token(..).additional_claims(..)` wins over
    /// them.
    pub fn additional_claims_loader<F, C>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&serde_json::Value) -> C + Send + Sync + 'static,
        C: Serialize,
    {
        self.register("additional_claims_loader", |s| {
            s.callbacks.additional_claims =
                Some(Arc::new(move |identity| to_object(&callback(identity), "additional_claims_loader's result")))
        })
    }

    /// Headers added to every new token, given the identity as JSON.
    pub fn additional_headers_loader<F, C>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&serde_json::Value) -> C + Send + Sync + 'static,
        C: Serialize,
    {
        self.register("additional_headers_loader", |s| {
            s.callbacks.additional_headers =
                Some(Arc::new(move |identity| to_object(&callback(identity), "additional_headers_loader's result")))
        })
    }

    /// Turns the identity given to `create_*_token` into the identity claim, for
    /// identities of type `T` (others are serialised as they are):
    /// `jwt.user_identity_loader(|user: &User| user.id.to_string())`.
    pub fn user_identity_loader<T, F, R>(&self, callback: F) -> &JWTManager
    where
        T: 'static,
        F: Fn(&T) -> R + Send + Sync + 'static,
        R: Serialize,
    {
        self.register("user_identity_loader", |s| {
            let loader = move |identity: &dyn Any| {
                identity.downcast_ref::<T>().and_then(|identity| serde_json::to_value(callback(identity)).ok())
            };
            s.callbacks.identity = Some((TypeId::of::<T>(), Arc::new(loader)))
        })
    }

    /// The key new tokens are signed with, given the identity as JSON (default:
    /// `JWT_SECRET_KEY`, or `JWT_PRIVATE_KEY` for an asymmetric `JWT_ALGORITHM`).
    ///
    /// The callback returns a [`SigningKey`] parsed ahead of time (a clone is cheap),
    /// or a `Result` of one: keys are never parsed per token. The key must fit
    /// `JWT_ALGORITHM` (or the `alg` of the token's additional headers). It is
    /// plain, not async: creating a token is synchronous, as upstream's
    /// `create_access_token`.
    pub fn encode_key_loader<F, K>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&serde_json::Value) -> K + Send + Sync + 'static,
        K: LoadedKey<SigningKey>,
    {
        self.register("encode_key_loader", |s| {
            s.callbacks.encode_key = Some(Arc::new(move |identity| callback(identity).into_key()))
        })
    }

    /// The key a token is verified with, given its unverified header and claims
    /// (default: `JWT_SECRET_KEY`, or `JWT_PUBLIC_KEY` for an asymmetric
    /// `JWT_ALGORITHM`): how an app picks a key by `kid` or by issuer.
    ///
    /// The callback returns a [`VerifyingKey`](crate::keys::VerifyingKey) parsed ahead of time, an `Option`
    /// of one (`None`: 422 `No key matches the token's kid`), or a `Result`; or a
    /// future of any of these (`async move { .. }` owning what it uses: take the
    /// `kid` out of the header first), which `#[jwt_required]` awaits. The token's
    /// `alg` must be in `JWT_DECODE_ALGORITHMS` and fit the key's type.
    pub fn decode_key_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: DecodeKeyOutput<M>,
    {
        self.register("decode_key_loader", |s| {
            s.callbacks.decode_key = Some(Arc::new(move |h, c| callback(h, c).into_pending_key()))
        })
    }

    /// Whether a token is revoked, plain or async: `true` answers 401 `Token has
    /// been revoked`. Called on every protected request unless
    /// `skip_revocation_check`. Replaces a store set with
    /// [`use_blocklist`](JWTManager::use_blocklist), which is the ready-made way.
    pub fn token_in_blocklist_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(Arc<JsonObject>, Arc<JsonObject>) -> R + Send + Sync + 'static,
        R: MaybeAsync<bool, M>,
    {
        self.register("token_in_blocklist_loader", |s| {
            s.callbacks.blocklist = None;
            s.callbacks.blocklist_mode = None;
            s.callbacks.token_in_blocklist = Some(Arc::new(move |h, c| callback(h, c).into_maybe_ready().map(Ok)))
        })
    }

    /// Extra checks of the claims: `false` answers 400 `User claims verification failed`.
    pub fn token_verification_loader<F>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> bool + Send + Sync + 'static,
    {
        self.register("token_verification_loader", |s| s.callbacks.token_verification = Some(Arc::new(callback)))
    }

    /// Loads the user of a verified token, plain or async; `None` answers 401
    /// `Error loading the user <identity>`. Read it with
    /// [`current_user`](crate::current_user) or the [`CurrentUser`](crate::CurrentUser)
    /// extractor.
    pub fn user_lookup_loader<F, R, M, U>(&self, callback: F) -> &JWTManager
    where
        F: Fn(Arc<JsonObject>, Arc<JsonObject>) -> R + Send + Sync + 'static,
        R: MaybeAsync<Option<U>, M>,
        U: Send + Sync + 'static,
    {
        self.register("user_lookup_loader", |s| {
            s.callbacks.user_lookup = Some(Arc::new(move |h, c| {
                callback(h, c).into_maybe_ready().map(|user| user.map(|user| Arc::new(user) as LoadedUser))
            }))
        })
    }
}
