//! Making tokens: `create_access_token` and `create_refresh_token`, with
//! flask-jwt-extended's claim layout and options.
//!
//! ```
//! use phial::prelude::*;
//! use phial_jwt::prelude::*;
//! use std::time::Duration;
//!
//! let mut app = App::new("demo");
//! app.config.set("JWT_SECRET_KEY", "super-secret");
//! JWTManager::new(&mut app);
//! let app = app.finalize().unwrap(); // the app that serves
//! app.app_context(|| {
//!     let plain = create_access_token("test").unwrap();
//!     let fresh = access_token("test")
//!         .fresh(true)
//!         .expires_delta(Duration::from_secs(60))
//!         .additional_claims(serde_json::json!({"role": "admin"}))
//!         .create()
//!         .unwrap();
//!     let claims = decode_token(&fresh, None, false).unwrap();
//!     assert_eq!(claims["role"], "admin");
//!     assert_eq!(claims["fresh"], true);
//!     # let _ = plain;
//! });
//! ```

use serde::Serialize;
use serde_json::{Value, json};
use std::any::Any;
use std::time::Duration;

use crate::jws::{self, OrderedClaims};
use crate::keys::missing_key;
use crate::manager::{Runtime, to_object};
use crate::{JWTManager, JsonObject, JwtError};

/// The two kinds of token flask-jwt-extended makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An access token (`"type": "access"`).
    Access,
    /// A refresh token (`"type": "refresh"`).
    Refresh,
}

impl TokenKind {
    /// The value of the `type` claim.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Access => "access",
            TokenKind::Refresh => "refresh",
        }
    }
}

/// The `fresh` claim of an access token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fresh {
    /// `"fresh": false` (the default).
    No,
    /// `"fresh": true`.
    Yes,
    /// Fresh for a while after creation: stored as the epoch time it ends.
    For(Duration),
    /// Fresh until this epoch time (seconds).
    Until(f64),
}

impl From<bool> for Fresh {
    fn from(fresh: bool) -> Fresh {
        if fresh { Fresh::Yes } else { Fresh::No }
    }
}

impl From<Duration> for Fresh {
    fn from(window: Duration) -> Fresh {
        Fresh::For(window)
    }
}

/// When a token expires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expiry {
    /// `JWT_ACCESS_TOKEN_EXPIRES` / `JWT_REFRESH_TOKEN_EXPIRES`.
    Configured,
    /// After this long (zero means never, as upstream's falsy delta).
    After(Duration),
    /// No `exp` claim.
    Never,
}

/// A token being made: set options, then [`create`](TokenBuilder::create) it.
/// Start one with [`access_token`] or [`refresh_token`], or
/// [`JWTManager::access_token`] outside an app context.
#[must_use = "a token builder does nothing until `create` is called"]
pub struct TokenBuilder {
    manager: Option<JWTManager>,
    kind: TokenKind,
    identity: Result<Value, JwtError>,
    raw_identity: Box<dyn Any + Send>,
    fresh: Fresh,
    expiry: Expiry,
    additional_claims: Result<JsonObject, JwtError>,
    additional_headers: Result<JsonObject, JwtError>,
}

impl std::fmt::Debug for TokenBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenBuilder")
            .field("kind", &self.kind)
            .field("identity", &self.identity)
            .field("fresh", &self.fresh)
            .field("expiry", &self.expiry)
            .finish_non_exhaustive()
    }
}

impl TokenBuilder {
    pub(crate) fn new<I: Serialize + Send + 'static>(
        manager: Option<JWTManager>,
        kind: TokenKind,
        identity: I,
    ) -> TokenBuilder {
        TokenBuilder {
            manager,
            kind,
            identity: serde_json::to_value(&identity)
                .map_err(|err| JwtError::Setup(format!("the identity cannot be serialised to JSON: {err}"))),
            raw_identity: Box::new(identity),
            fresh: Fresh::No,
            expiry: Expiry::Configured,
            additional_claims: Ok(JsonObject::new()),
            additional_headers: Ok(JsonObject::new()),
        }
    }

    /// Marks an access token fresh: `true`, or fresh for a [`Duration`] (refresh
    /// tokens are never fresh, as upstream).
    pub fn fresh(mut self, fresh: impl Into<Fresh>) -> TokenBuilder {
        self.fresh = fresh.into();
        self
    }

    /// Expires after `delta` instead of the configured lifetime (zero: never).
    pub fn expires_delta(mut self, delta: Duration) -> TokenBuilder {
        self.expiry = Expiry::After(delta);
        self
    }

    /// Never expires: no `exp` claim (upstream's `expires_delta=False`).
    pub fn never_expires(mut self) -> TokenBuilder {
        self.expiry = Expiry::Never;
        self
    }

    /// Claims to add (a JSON object or any struct): they win over
    /// `additional_claims_loader`'s and over the default claims.
    pub fn additional_claims(mut self, claims: impl Serialize) -> TokenBuilder {
        self.additional_claims = to_object(&claims, "additional_claims");
        self
    }

    /// Headers to add: they win over `additional_headers_loader`'s and over `alg`/`typ`.
    pub fn additional_headers(mut self, headers: impl Serialize) -> TokenBuilder {
        self.additional_headers = to_object(&headers, "additional_headers");
        self
    }

    /// Makes the signed token.
    pub fn create(self) -> Result<String, JwtError> {
        let manager = match self.manager.clone() {
            Some(manager) => manager,
            None => JWTManager::current()?,
        };
        let runtime = manager.runtime()?;
        encode(runtime, self)
    }
}

/// Builds the claims in upstream's order and signs them.
fn encode(runtime: &Runtime, token: TokenBuilder) -> Result<String, JwtError> {
    let settings = &runtime.settings;
    let callbacks = &runtime.callbacks;
    let identity = token.identity?;
    let now = runtime.clock.now();
    let iat = now.floor() as i64;

    let subject = match &callbacks.identity {
        Some((type_id, loader)) if *type_id == (*token.raw_identity).type_id() => {
            loader(&*token.raw_identity).unwrap_or_else(|| identity.clone())
        }
        _ => identity.clone(),
    };
    let fresh = match (token.kind, token.fresh) {
        (TokenKind::Refresh, _) | (_, Fresh::No) => json!(false),
        (_, Fresh::Yes) => json!(true),
        (_, Fresh::Until(at)) => json!(at),
        (_, Fresh::For(window)) => json!(now + window.as_secs_f64()),
    };
    let lifetime = match (token.expiry, token.kind) {
        (Expiry::Never, _) => None,
        (Expiry::After(delta), _) => Some(delta).filter(|d| !d.is_zero()),
        (Expiry::Configured, TokenKind::Access) => settings.access_expires,
        (Expiry::Configured, TokenKind::Refresh) => settings.refresh_expires,
    };

    let mut claims = OrderedClaims::new();
    claims.insert("fresh", fresh);
    claims.insert("iat", json!(iat));
    claims.insert("jti", json!(uuid::Uuid::new_v4().to_string()));
    claims.insert("type", json!(token.kind.as_str()));
    claims.insert(&settings.identity_claim, subject);
    if settings.encode_nbf {
        claims.insert("nbf", json!(iat));
    }
    if settings.csrf_protect {
        claims.insert("csrf", json!(uuid::Uuid::new_v4().to_string()));
    }
    if let Some(audience) = &settings.encode_audience {
        claims.insert("aud", audience.clone());
    }
    if let Some(issuer) = &settings.encode_issuer {
        claims.insert("iss", json!(issuer));
    }
    if let Some(lifetime) = lifetime {
        // PyJWT turns `now + delta` into whole seconds.
        claims.insert("exp", json!((now + lifetime.as_secs_f64()).floor() as i64));
    }
    if let Some(family) = crate::rotation::family_for_new_token(runtime) {
        claims.insert(crate::rotation::FAMILY_CLAIM, json!(family));
    }
    if let Some(loader) = &callbacks.additional_claims {
        for (key, value) in loader(&identity)? {
            claims.insert(&key, value);
        }
    }
    for (key, value) in token.additional_claims? {
        claims.insert(&key, value);
    }

    let mut headers = match &callbacks.additional_headers {
        Some(loader) => loader(&identity)?,
        None => JsonObject::new(),
    };
    headers.extend(token.additional_headers?);

    match (&callbacks.encode_key, &callbacks.key_set) {
        (Some(loader), _) => jws::encode(&headers, settings.algorithm, &claims, &loader(&identity)?),
        (None, Some(source)) => {
            let set = source.current();
            let (kid, alg, key) =
                set.signing_key().ok_or_else(|| JwtError::Setup("the key set has no signing key".into()))?;
            headers.entry("kid").or_insert_with(|| kid.into());
            jws::encode(&headers, alg, &claims, key)
        }
        (None, None) => {
            let key =
                runtime.keys.signing.as_ref().ok_or_else(|| missing_key("JWT_PRIVATE_KEY", settings.algorithm))?;
            jws::encode(&headers, settings.algorithm, &claims, key)
        }
    }
}

/// Starts an access token for `identity` in the current app (Python's
/// `create_access_token(identity=..., fresh=..., ...)` as a builder).
pub fn access_token<I: Serialize + Send + 'static>(identity: I) -> TokenBuilder {
    TokenBuilder::new(None, TokenKind::Access, identity)
}

/// Starts a refresh token for `identity` in the current app.
pub fn refresh_token<I: Serialize + Send + 'static>(identity: I) -> TokenBuilder {
    TokenBuilder::new(None, TokenKind::Refresh, identity)
}

/// An access token for `identity` with the default options (Python's
/// `create_access_token(identity)`). Needs a request or app context.
pub fn create_access_token<I: Serialize + Send + 'static>(identity: I) -> Result<String, JwtError> {
    access_token(identity).create()
}

/// A refresh token for `identity` with the default options (Python's
/// `create_refresh_token(identity)`). Needs a request or app context.
pub fn create_refresh_token<I: Serialize + Send + 'static>(identity: I) -> Result<String, JwtError> {
    refresh_token(identity).create()
}

impl JWTManager {
    /// Starts an access token without an app context (the app must have started).
    pub fn access_token<I: Serialize + Send + 'static>(&self, identity: I) -> TokenBuilder {
        TokenBuilder::new(Some(self.clone()), TokenKind::Access, identity)
    }

    /// Starts a refresh token without an app context (the app must have started).
    pub fn refresh_token<I: Serialize + Send + 'static>(&self, identity: I) -> TokenBuilder {
        TokenBuilder::new(Some(self.clone()), TokenKind::Refresh, identity)
    }
}
