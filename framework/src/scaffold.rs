//! `Scaffold`: the setup methods an app and a blueprint share (routes, hooks, error
//! handlers), as Flask's `Scaffold` class.

use std::panic::Location;

use std::sync::Arc;

use bytes::Bytes;
use tower::{Layer, Service};

use crate::error_handlers::{ErrorHandler, ErrorHandlers};
use crate::handler::Handler;
use crate::hooks::{AfterRequestHook, BeforeRequestHook, Hooks, TeardownRequestHook};
use crate::layer::{AppService, BoxedLayer};
use crate::response::{Body, BoxError};
use crate::routing::IntoMethods;
use crate::{HttpError, Route};

/// Routes, hooks and error handlers being set up; [`App`](crate::App) and
/// [`Blueprint`](crate::Blueprint) dereference to it, so these methods are
/// available on both.
#[derive(Default)]
pub struct Scaffold {
    pub(crate) routes: Vec<Route>,
    pub(crate) hooks: Hooks,
    pub(crate) error_handlers: ErrorHandlers,
    pub(crate) layers: Vec<BoxedLayer>,
}

impl Scaffold {
    /// Adds a route, like `@app.route(rule, methods=[...])`.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut app = App::new("demo");
    /// app.route("/login", ["POST"], || async { jsonify!({"msg": "ok"}) });
    /// ```
    ///
    /// Rule errors and conflicts are reported when the app starts, with this call's
    /// location.
    #[track_caller]
    pub fn route<M, H: Handler<M>>(&mut self, rule: &str, methods: impl IntoMethods, handler: H) -> &mut Self {
        let route = Route::new(rule, methods, handler);
        self.routes.push(Route { location: Location::caller(), ..route });
        self
    }

    /// Adds routes built with [`Route::new`] or the route attributes
    /// (`app.register(routes![login, protected])`).
    pub fn register(&mut self, routes: impl IntoIterator<Item = Route>) -> &mut Self {
        self.routes.extend(routes);
        self
    }

    /// Adds a `before_request` hook: it runs before every request's view; a
    /// `Some(response)` answers in the view's place, an `Err(e)` goes to the error
    /// handlers. Plain or async (see [`hooks`](crate::hooks)):
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut app = App::new("demo");
    /// app.before_request(|request: &Request| {
    ///     (request.header("X-Maintenance").is_some()).then(|| (jsonify!({"msg": "down"}), 503))
    /// });
    /// app.before_request(|request: Request| async move {
    ///     // e.g. load the user from a database, then keep it for the view
    ///     request.g().insert(String::from("ann"));
    /// });
    /// ```
    pub fn before_request<M>(&mut self, hook: impl BeforeRequestHook<M>) -> &mut Self {
        self.hooks.before.push(Arc::new(move |request| hook.call(request)));
        self
    }

    /// Adds an `after_request` hook: it receives every response and returns the one
    /// to send. Plain (`|request: &Request, response: Response| response`) or async
    /// (`|request: Request, response: Response| async move { response }`).
    pub fn after_request<M>(&mut self, hook: impl AfterRequestHook<M>) -> &mut Self {
        self.hooks.after.push(Arc::new(move |request, response| hook.call(request, response)));
        self
    }

    /// Adds a `teardown_request` hook: it runs last, always, with the error the
    /// request ended with (a panic, or an error no handler answered), if any. Plain
    /// or async.
    pub fn teardown_request<M>(&mut self, hook: impl TeardownRequestHook<M>) -> &mut Self {
        self.hooks.teardown.push(Arc::new(move |request, error| hook.call(request, error)));
        self
    }

    /// Wraps the app (before routing) or the blueprint (after routing, around its
    /// routes, their automatic `OPTIONS`/`HEAD` answers and its hooks) in a tower
    /// layer: tower-http's `CorsLayer`, `CompressionLayer`, `TimeoutLayer`,
    /// `TraceLayer`, `SetRequestIdLayer`, and the like. The last layer added is the
    /// outermost. See [`layer`](crate::layer) for how bodies and errors are handled.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut app = App::new("demo");
    /// app.route("/", ["GET"], || async { "hello" });
    /// app.layer(tower::timeout::TimeoutLayer::new(std::time::Duration::from_secs(10)));
    /// ```
    pub fn layer<L, B>(&mut self, layer: L) -> &mut Self
    where
        L: Layer<AppService> + Send + 'static,
        L::Service: Service<http::Request<Body>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
        <L::Service as Service<http::Request<Body>>>::Future: Send + 'static,
        <L::Service as Service<http::Request<Body>>>::Error: Into<BoxError>,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        self.layers.push(crate::layer::boxed(layer));
        self
    }

    /// Handles HTTP errors of one status code (`@app.errorhandler(404)`): routing
    /// errors, `abort(..)`, rejected parameters, and 500s (from panics and from
    /// errors no other handler takes). Plain (`|error: &HttpError| ..`) or async
    /// (`|error: HttpError| async move { .. }`).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut app = App::new("demo");
    /// app.errorhandler(404, |error: &HttpError| (jsonify!({"error": "not here", "detail": error.message()}), 404));
    /// ```
    pub fn errorhandler<M>(&mut self, status: u16, handler: impl ErrorHandler<HttpError, M>) -> &mut Self {
        self.error_handlers.on_status(status, handler);
        self
    }

    /// Handles errors of type `E` raised by views, decorators and hooks
    /// (`@app.errorhandler(MyError)`): any `std::error::Error + Send + Sync`, such as
    /// a database error. Plain (`|error: &E| ..`) or async (`|error: E| async move { .. }`).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[derive(Debug)]
    /// struct OutOfStock(String);
    /// impl std::fmt::Display for OutOfStock {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{} is out of stock", self.0) }
    /// }
    /// impl std::error::Error for OutOfStock {}
    ///
    /// let mut app = App::new("shop");
    /// app.errorhandler_for(|e: &OutOfStock| jsonify!({"msg": e.to_string()}).status(409));
    /// ```
    pub fn errorhandler_for<E, M>(&mut self, handler: impl ErrorHandler<E, M>) -> &mut Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        self.error_handlers.on_type::<E, M>(handler);
        self
    }
}

impl std::fmt::Debug for Scaffold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scaffold")
            .field("routes", &self.routes)
            .field("before_request", &self.hooks.before.len())
            .field("after_request", &self.hooks.after.len())
            .field("teardown_request", &self.hooks.teardown.len())
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}
