//! `JWTManager`: the extension object, like flask-jwt-extended's `JWTManager(app)`.
//!
//! It lives in `app.extensions`, holds the callbacks, and reads its config when the
//! app is finalised; after that it is immutable (no locks on the request path).
//!
//! This file holds its lifecycle. Its other methods live with the feature they
//! serve, as flask-jwt-extended's functions do: the loader decorators in
//! `loaders.rs`, token creation in `tokens.rs`, decoding in `decode.rs`, the
//! blocklist in `blocklist/`.

use phial::error_handlers::ErrorHandler;
use phial::maybe_async::MaybeReady;
use phial::{App, Request, Response, ViewError};
use serde::Serialize;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::callbacks::Callbacks;
use crate::claims::Validation;
use crate::config::{self, ConfiguredKeys, Settings};
use crate::responses::MissingHeaderAnswer;
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
/// Callbacks must be registered before the app starts (`run`, `serve`,
/// `test_client` or `finalize`): the manager is immutable while serving, so a
/// callback registered later has no effect, and an error in the log says so.
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
    /// The keys from the config (`JWT_SECRET_KEY`, `JWT_PRIVATE_KEY`, `JWT_PUBLIC_KEY`).
    pub(crate) keys: ConfiguredKeys,
    pub(crate) clock: Clock,
    /// The default 401 for a request without the header, rendered once.
    pub(crate) missing_header: MissingHeaderAnswer,
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
        app.errorhandler_for(JwtErrorHandler(self.clone()));
    }

    /// Reads the config and freezes the callbacks.
    fn start(&self, config: &phial::Config) -> Result<(), phial::Error> {
        let setup = self.setup();
        let mut callbacks = setup.callbacks.clone();
        let has_key_loaders =
            callbacks.key_set.is_some() || (callbacks.encode_key.is_some() && callbacks.decode_key.is_some());
        let settings = Settings::from_config(config, has_key_loaders)?;
        if settings.refresh_rotation && callbacks.blocklist.is_none() {
            return Err(phial::Error::Config {
                key: "JWT_REFRESH_TOKEN_ROTATION".into(),
                message: "needs a blocklist store to remember used refresh tokens: call jwt.use_blocklist(store)"
                    .into(),
            });
        }
        if let (Some(store), Some(mode)) = (&callbacks.blocklist, callbacks.blocklist_mode) {
            let check = crate::blocklist::wiring::check_with(store.clone(), mode, settings.identity_claim.clone());
            callbacks.token_in_blocklist = Some(check);
        }
        let keys =
            ConfiguredKeys::from_settings(&settings, callbacks.decode_key.is_some() || callbacks.key_set.is_some())?;
        let validation = Validation {
            leeway: settings.decode_leeway,
            audience: settings.decode_audience.clone(),
            issuer: settings.decode_issuer.clone(),
            verify_sub: settings.verify_sub,
            verify_exp: true,
        };
        let missing_header = MissingHeaderAnswer::new(&settings);
        let runtime = Runtime { settings, validation, callbacks, keys, clock: setup.clock.clone(), missing_header };
        self.inner.runtime.set(runtime).map_err(|_| phial::Error::Extension {
            name: "JWTManager",
            message: "this manager already serves another app; create one JWTManager per app".to_string(),
        })
    }

    fn setup(&self) -> MutexGuard<'_, Setup> {
        self.inner.setup.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Changes a callback before the app starts; after, it has no effect and says so
    /// in the log (the manager is immutable while serving).
    pub(crate) fn register(&self, loader: &str, change: impl FnOnce(&mut Setup)) -> &JWTManager {
        if self.inner.runtime.get().is_some() {
            tracing::error!(
                target: "phial_jwt",
                "JWTManager::{loader} was called after the app started and has no effect: register callbacks \
                 before run, serve, test_client or finalize"
            );
            return self;
        }
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

    /// The response for `error`, through the callbacks (or upstream's defaults);
    /// await it (it is ready at once unless the callback that answers is async).
    pub fn respond(&self, error: &JwtError) -> MaybeReady<Response> {
        match self.runtime() {
            Ok(runtime) => {
                crate::responses::respond(&runtime.callbacks, &runtime.settings, &runtime.missing_header, error)
            }
            Err(_) => MaybeReady::ready(error.default_response("msg")),
        }
    }
}

/// The app's error handler for `JwtError`, registered by `init_app` as upstream's
/// `init_app` registers Flask error handlers: the manager's callbacks answer.
struct JwtErrorHandler(JWTManager);

impl ErrorHandler<JwtError, JwtErrorHandler> for JwtErrorHandler {
    fn call(&self, error: JwtError) -> MaybeReady<Result<Response, ViewError>> {
        self.0.respond(&error).map(Ok)
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
