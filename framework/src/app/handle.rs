//! `AppHandle`: a finalised app, shared by every request (Flask's `current_app`).
//! Its request-handling methods (`handle`, `handle_from`, `test_request`) live in
//! `dispatch.rs`, with the pipeline they run, so that this module does not import
//! the dispatcher that imports it.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock, Weak};

use crate::error_handlers::ErrorHandlers;
use crate::handler::BoxedHandler;
use crate::hooks::Hooks;
use crate::layer::AppService;
use crate::routing::router::Router;
use crate::routing::rule::Rule;
use crate::server::body::BodyBudget;
use crate::server::limits::Limits;
use crate::templates::Templates;
use crate::{Config, Error};

/// A finalised app: cheap to clone, immutable, shared by all requests.
///
/// Reach it from a request with [`Request::app`](crate::Request::app) or
/// [`current_app()`](crate::current_app), or get it from
/// [`App::finalize`](crate::App::finalize).
#[derive(Clone)]
pub struct AppHandle {
    core: Arc<AppCore>,
}

/// Everything a finalised app holds.
pub(crate) struct AppCore {
    pub(crate) name: String,
    pub(crate) config: Config,
    pub(crate) extensions: http::Extensions,
    pub(crate) router: Router,
    pub(crate) routes: Vec<RouteEntry>,
    pub(crate) hooks: Hooks,
    pub(crate) error_handlers: ErrorHandlers,
    pub(crate) blueprints: Vec<BlueprintCore>,
    pub(crate) endpoints: HashMap<String, Arc<Rule>>,
    pub(crate) limits: Limits,
    /// The request-body bytes the app holds at once (`MAX_BODY_BYTES_IN_FLIGHT`).
    pub(crate) body_budget: BodyBudget,
    /// The app wrapped in its tower layers, when it has any (set once, right after
    /// the handle exists, as the innermost service refers back to the app).
    pub(crate) service: OnceLock<AppService>,
    /// The template environment (see [`templates`](crate::templates)).
    pub(crate) templates: Templates,
    /// Some route's view takes its body as a stream: a request with a body is
    /// routed before the body is read.
    pub(crate) streams_bodies: bool,
    /// Where sessions are kept (the signed cookie unless the app chose another).
    pub(crate) sessions: std::sync::Arc<dyn crate::sessions::SessionInterface>,
}

/// A registered route, as the dispatcher needs it.
pub(crate) struct RouteEntry {
    pub(crate) handler: BoxedHandler,
    pub(crate) endpoint: Arc<str>,
    pub(crate) rule: Arc<str>,
    pub(crate) blueprint: Option<usize>,
    /// The view takes its body as a stream: the server leaves it unread.
    pub(crate) streams_body: bool,
}

/// What remains of a blueprint once the app is finalised.
pub(crate) struct BlueprintCore {
    pub(crate) name: String,
    pub(crate) hooks: Hooks,
    pub(crate) error_handlers: ErrorHandlers,
    /// The blueprint's routed requests wrapped in its tower layers, when it has any.
    pub(crate) service: OnceLock<AppService>,
}

impl AppHandle {
    pub(crate) fn new(core: AppCore) -> AppHandle {
        AppHandle { core: Arc::new(core) }
    }

    pub(crate) fn core(&self) -> &AppCore {
        &self.core
    }

    /// A reference that does not keep the app alive (for services the app holds).
    pub(crate) fn downgrade(&self) -> Weak<AppCore> {
        Arc::downgrade(&self.core)
    }

    pub(crate) fn upgrade(core: &Weak<AppCore>) -> Option<AppHandle> {
        core.upgrade().map(|core| AppHandle { core })
    }

    /// The app's name.
    pub fn name(&self) -> &str {
        &self.core.name
    }

    /// The configuration as it was when the app was finalised.
    pub fn config(&self) -> &Config {
        &self.core.config
    }

    /// The extension objects.
    pub fn extensions(&self) -> &http::Extensions {
        &self.core.extensions
    }

    /// The extension object of type `T`, if the app has one.
    pub fn extension<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.core.extensions.get::<T>()
    }

    /// Builds the URL of `endpoint` (Flask's `url_for`): the rule's variables are
    /// filled from `values`, other values become the query string, quoted as
    /// Werkzeug quotes them. Flask's keyword arguments are values too: `_anchor`
    /// (a `#fragment`), `_external` (`"true"`: with scheme and host) and `_scheme`
    /// (which makes the URL external); `_method` is accepted and not sent. An
    /// external URL takes the host of the current request, or outside a request
    /// `SERVER_NAME` (and `PREFERRED_URL_SCHEME`, `http` unless set).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut app = App::new("demo");
    /// app.register([Route::new("/user/<int:id>", ["GET"], || async { "" }).endpoint("user")]);
    /// let handle = app.finalize().unwrap();
    /// assert_eq!(handle.url_for("user", [("id", "5"), ("tab", "posts")]).unwrap(), "/user/5?tab=posts");
    /// assert!(handle.url_for("nope", [("id", "5")]).is_err());
    /// ```
    pub fn url_for<K: AsRef<str>, V: ToString>(
        &self,
        endpoint: &str,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Result<String, Error> {
        let Some(rule) = self.core.endpoints.get(endpoint) else {
            return Err(Error::UrlBuild {
                endpoint: endpoint.to_string(),
                message: "no route has this endpoint name".to_string(),
            });
        };
        let error = |message: String| Error::UrlBuild { endpoint: endpoint.to_string(), message };
        let mut values: Vec<(String, String)> =
            values.into_iter().map(|(k, v)| (k.as_ref().to_string(), v.to_string())).collect();
        let mut take = |name: &str| values.iter().position(|(key, _)| key == name).map(|at| values.remove(at).1);
        let anchor = take("_anchor");
        let scheme = take("_scheme");
        let external = take("_external").map(|flag| matches!(flag.as_str(), "true" | "True" | "1"));
        take("_method");
        let mut url = crate::routing::url_for::build(rule, &values).map_err(error)?;
        if let Ok(request) = crate::request() {
            url.insert_str(0, request.script_root());
        }
        let external = match (external, &scheme) {
            (Some(false), Some(_)) => return Err(error("_scheme needs _external to be true".to_string())),
            (external, scheme) => external.unwrap_or(false) || scheme.is_some(),
        };
        if external {
            url = format!("{}{url}", self.origin(scheme).map_err(error)?);
        }
        if let Some(anchor) = anchor {
            url.push_str(&crate::routing::url_for::anchor(&anchor));
        }
        Ok(url)
    }

    /// `scheme://host` for an external URL: the current request's host, or
    /// `SERVER_NAME` outside a request.
    fn origin(&self, scheme: Option<String>) -> Result<String, String> {
        let config = |key: &str| self.config().get(key).and_then(|value| value.as_str()).map(str::to_string);
        if let Ok(request) = crate::request() {
            if let Some(host) = request.host() {
                return Ok(format!("{}://{host}", scheme.unwrap_or_else(|| request.scheme().to_string())));
            }
        }
        let Some(server_name) = config("SERVER_NAME") else {
            return Err("an external URL needs a request's host, or SERVER_NAME outside a request".to_string());
        };
        let scheme = scheme.or_else(|| config("PREFERRED_URL_SCHEME")).unwrap_or_else(|| "http".to_string());
        Ok(format!("{scheme}://{server_name}"))
    }

    pub(crate) fn blueprint_name(&self, index: usize) -> Option<&str> {
        self.core.blueprints.get(index).map(|b| b.name.as_str())
    }

    pub(crate) fn error_handlers(&self) -> &ErrorHandlers {
        &self.core.error_handlers
    }

    pub(crate) fn blueprint_error_handlers(&self, index: usize) -> Option<&ErrorHandlers> {
        self.core.blueprints.get(index).map(|b| &b.error_handlers)
    }
}

impl fmt::Debug for AppHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppHandle")
            .field("name", &self.core.name)
            .field("routes", &self.core.routes.len())
            .field("blueprints", &self.core.blueprints.len())
            .finish_non_exhaustive()
    }
}
