//! `JWTManager`: the extension object, like flask-jwt-extended's `JWTManager(app)`.
//!
//! It lives in `app.extensions`, holds the callbacks, and reads its config when the
//! app is finalised; after that it is immutable (no locks on the request path).

use phial::{App, IntoResponse, Request, Response};
use serde::Serialize;
use std::any::{Any, TypeId};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::callbacks::{Callbacks, LoadedUser, LoaderOutput};
use crate::claims::Validation;
use crate::config::{self, Settings};
use crate::jws::SigningKey;
use crate::{Clock, JsonObject, JwtError};

/// The JWT extension of an app: config, callbacks, and the key, shared by every
/// request.
///
/// ```
/// use phial::prelude::*;
/// use phial_jwt::prelude::*;
///
/// let mut app = App::new("demo");
/// app.config.set("JWT_SECRET_KEY", "super-secret");
/// let jwt = JWTManager::new(&mut app);
/// jwt.expired_token_loader(|_header, _claims| (jsonify!({"code": "dave", "err": "I can't let you do that"}), 401));
/// app.finalize().unwrap();
/// ```
///
/// Callbacks must be registered before the app starts (the first `run`, `serve`,
/// `test_client` or `finalize`); registering one later panics, as Flask refuses
/// setup after the first request.
#[derive(Clone)]
pub struct JWTManager {
    inner: Arc<Inner>,
}

struct Inner {
    setup: Mutex<Setup>,
    runtime: OnceLock<Runtime>,
}

#[derive(Default)]
pub(crate) struct Setup {
    pub(crate) callbacks: Callbacks,
    clock: Clock,
}

/// What a started manager works with.
pub(crate) struct Runtime {
    pub(crate) settings: Settings,
    /// The registered-claim checks the settings ask for (`JWT_DECODE_*`,
    /// `JWT_VERIFY_SUB`), built once rather than for every token.
    pub(crate) validation: Validation,
    pub(crate) callbacks: Callbacks,
    pub(crate) key: Option<SigningKey>,
    pub(crate) clock: Clock,
}

impl Default for JWTManager {
    /// A manager not yet bound to an app (Python's `JWTManager()`); bind it with
    /// [`init_app`](JWTManager::init_app).
    fn default() -> JWTManager {
        JWTManager { inner: Arc::new(Inner { setup: Mutex::default(), runtime: OnceLock::new() }) }
    }
}

impl JWTManager {
    /// A manager bound to `app` (Python's `JWTManager(app)`).
    pub fn new(app: &mut App) -> JWTManager {
        let manager = JWTManager::default();
        manager.init_app(app);
        manager
    }

    /// Binds the manager to `app` (Python's `jwt.init_app(app)`): sets every
    /// `JWT_*` config key that is not set yet to upstream's default, stores the
    /// manager in `app.extensions`, reads the config when the app starts, and turns
    /// JWT errors raised anywhere in the app into the callbacks' responses.
    pub fn init_app(&self, app: &mut App) {
        for (key, value) in config::defaults() {
            app.config.set_default(key, value);
        }
        app.extensions.insert(self.clone());
        let manager = self.clone();
        app.on_startup(move |config, _extensions| manager.start(config));
        let manager = self.clone();
        app.errorhandler_for(move |error: &JwtError| manager.respond(error));
    }

    /// Reads the config and freezes the callbacks.
    fn start(&self, config: &phial::Config) -> Result<(), phial::Error> {
        let setup = self.setup();
        let callbacks = setup.callbacks.clone();
        let has_key_loaders = callbacks.encode_key.is_some() && callbacks.decode_key.is_some();
        let settings = Settings::from_config(config, has_key_loaders)?;
        let key = match settings.secret.as_deref().map(SigningKey::new).transpose() {
            Ok(key) => key,
            Err(err) => {
                return Err(phial::Error::Config {
                    key: "JWT_SECRET_KEY".into(),
                    message: format!("cannot be used: {err}"),
                });
            }
        };
        let validation = Validation {
            leeway: settings.decode_leeway,
            audience: settings.decode_audience.clone(),
            issuer: settings.decode_issuer.clone(),
            verify_sub: settings.verify_sub,
            verify_exp: true,
        };
        let runtime = Runtime { settings, validation, callbacks, key, clock: setup.clock.clone() };
        self.inner.runtime.set(runtime).map_err(|_| phial::Error::Extension {
            name: "JWTManager",
            message: "this manager already serves another app; create one JWTManager per app".to_string(),
        })
    }

    fn setup(&self) -> MutexGuard<'_, Setup> {
        self.inner.setup.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Changes a callback; panics once the app has started.
    pub(crate) fn register(&self, loader: &str, change: impl FnOnce(&mut Setup)) -> &JWTManager {
        assert!(
            self.inner.runtime.get().is_none(),
            "JWTManager::{loader} was called after the app started; register callbacks before run/serve/test_client"
        );
        change(&mut self.setup());
        self
    }

    /// The started manager, or why it cannot work yet.
    pub(crate) fn runtime(&self) -> Result<&Runtime, JwtError> {
        self.inner.runtime.get().ok_or_else(|| {
            JwtError::Setup(
                "the JWTManager has not started: finalise the app (run, serve, test_client or finalize) first".into(),
            )
        })
    }

    /// The settings read from the config (after the app started).
    pub fn settings(&self) -> Result<&Settings, JwtError> {
        self.runtime().map(|runtime| &runtime.settings)
    }

    /// The manager of the app serving `request`.
    pub fn of(request: &Request) -> Result<&JWTManager, JwtError> {
        request.extension::<JWTManager>().ok_or_else(not_initialized)
    }

    /// The manager of the current app (request or app context).
    pub fn current() -> Result<JWTManager, JwtError> {
        let app = phial::current_app().map_err(|err| JwtError::Setup(err.to_string()))?;
        app.extension::<JWTManager>().cloned().ok_or_else(not_initialized)
    }

    /// The current time by the manager's clock, in seconds since the epoch: compare
    /// it with token times (`exp`), as an implicit-refresh hook does.
    pub fn now(&self) -> Result<f64, JwtError> {
        Ok(self.runtime()?.clock.now())
    }

    /// Uses `clock` instead of the system clock (tests freeze or move time with it).
    pub fn set_clock(&self, clock: Clock) -> &JWTManager {
        self.register("set_clock", |setup| setup.clock = clock)
    }

    /// The response when a token has expired (default: 401 `Token has expired`).
    pub fn expired_token_loader<F, R>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.register("expired_token_loader", |s| {
            s.callbacks.expired = Some(Arc::new(move |h, c| callback(h, c).into_response()))
        })
    }

    /// The response for an invalid token, given upstream's message (default: 422).
    pub fn invalid_token_loader<F, R>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&str) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.register("invalid_token_loader", |s| {
            s.callbacks.invalid = Some(Arc::new(move |message| callback(message).into_response()))
        })
    }

    /// The response when no token was sent or the CSRF check failed (default: 401).
    pub fn unauthorized_loader<F, R>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&str) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.register("unauthorized_loader", |s| {
            s.callbacks.unauthorized = Some(Arc::new(move |message| callback(message).into_response()))
        })
    }

    /// The response when a fresh token is required (default: 401 `Fresh token required`).
    pub fn needs_fresh_token_loader<F, R>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.register("needs_fresh_token_loader", |s| {
            s.callbacks.needs_fresh = Some(Arc::new(move |h, c| callback(h, c).into_response()))
        })
    }

    /// The response for a revoked token (default: 401 `Token has been revoked`).
    pub fn revoked_token_loader<F, R>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.register("revoked_token_loader", |s| {
            s.callbacks.revoked = Some(Arc::new(move |h, c| callback(h, c).into_response()))
        })
    }

    /// The response when the user lookup finds nobody (default: 401
    /// `Error loading the user <identity>`).
    pub fn user_lookup_error_loader<F, R>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.register("user_lookup_error_loader", |s| {
            s.callbacks.user_lookup_error = Some(Arc::new(move |h, c| callback(h, c).into_response()))
        })
    }

    /// The response when `token_verification_loader` refuses a token (default: 400
    /// `User claims verification failed`).
    pub fn token_verification_failed_loader<F, R>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.register("token_verification_failed_loader", |s| {
            s.callbacks.verification_failed = Some(Arc::new(move |h, c| callback(h, c).into_response()))
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

    /// The key new tokens are signed with, given the identity as JSON (default: the
    /// secret).
    pub fn encode_key_loader<F, K>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&serde_json::Value) -> K + Send + Sync + 'static,
        K: AsRef<[u8]>,
    {
        self.register("encode_key_loader", |s| {
            s.callbacks.encode_key = Some(Arc::new(move |identity| callback(identity).as_ref().to_vec()))
        })
    }

    /// The key a token is verified with, given its unverified header and claims
    /// (default: the secret).
    pub fn decode_key_loader<F, K>(&self, callback: F) -> &JWTManager
    where
        F: Fn(&JsonObject, &JsonObject) -> K + Send + Sync + 'static,
        K: AsRef<[u8]>,
    {
        self.register("decode_key_loader", |s| {
            s.callbacks.decode_key = Some(Arc::new(move |h, c| callback(h, c).as_ref().to_vec()))
        })
    }

    /// Whether a token is revoked, plain or async: `true` answers 401 `Token has
    /// been revoked`. Called on every protected request unless
    /// `skip_revocation_check`. Replaces a store set with
    /// [`use_blocklist`](JWTManager::use_blocklist), which is the ready-made way.
    pub fn token_in_blocklist_loader<F, R, M>(&self, callback: F) -> &JWTManager
    where
        F: Fn(Arc<JsonObject>, Arc<JsonObject>) -> R + Send + Sync + 'static,
        R: LoaderOutput<bool, M>,
    {
        self.register("token_in_blocklist_loader", |s| {
            s.callbacks.blocklist = None;
            s.callbacks.token_in_blocklist = Some(Arc::new(move |h, c| {
                let answer = callback(h, c).into_future();
                Box::pin(async move { Ok(answer.await) })
            }))
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
        R: LoaderOutput<Option<U>, M>,
        U: Send + Sync + 'static,
    {
        self.register("user_lookup_loader", |s| {
            s.callbacks.user_lookup = Some(Arc::new(move |h, c| {
                let user = callback(h, c).into_future();
                Box::pin(async move { user.await.map(|user| Arc::new(user) as LoadedUser) })
            }))
        })
    }

    /// The response for `error`, through the callbacks (or upstream's defaults).
    pub fn respond(&self, error: &JwtError) -> Response {
        match self.runtime() {
            Ok(runtime) => crate::responses::respond(runtime, error),
            Err(_) => error.default_response("msg"),
        }
    }
}

/// Any serialisable value as a JSON object (`null` counts as empty); anything else
/// is the app's mistake, reported when the token is made.
pub(crate) fn to_object<T: Serialize + ?Sized>(value: &T, what: &str) -> Result<JsonObject, JwtError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(serde_json::Value::Null) => Ok(JsonObject::new()),
        Ok(other) => Err(JwtError::Setup(format!("{what} must be a JSON object, not {other}"))),
        Err(err) => Err(JwtError::Setup(format!("{what} cannot be serialised to JSON: {err}"))),
    }
}

fn not_initialized() -> JwtError {
    JwtError::Setup("You must initialize a JWTManager with this phial application before using this method".into())
}

impl fmt::Debug for JWTManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JWTManager").field("started", &self.inner.runtime.get().is_some()).finish_non_exhaustive()
    }
}
