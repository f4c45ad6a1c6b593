//! `Scaffold`: the setup methods an app and a blueprint share (routes, hooks, error
//! handlers), as Flask's `Scaffold` class.

use std::panic::Location;

use crate::error_handlers::ErrorHandlers;
use crate::handler::Handler;
use crate::hooks::{Hooks, Unhandled};
use crate::routing::IntoMethods;
use crate::{HttpError, IntoResponse, Request, Response, Route};

/// Routes, hooks and error handlers being set up; [`App`](crate::App) and
/// [`Blueprint`](crate::Blueprint) dereference to it, so these methods are
/// available on both.
#[derive(Default)]
pub struct Scaffold {
    pub(crate) routes: Vec<Route>,
    pub(crate) hooks: Hooks,
    pub(crate) error_handlers: ErrorHandlers,
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

    /// Adds a `before_request` hook: it runs before every request's view, and a
    /// `Some(response)` answers in the view's place.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut app = App::new("demo");
    /// app.before_request(|request: &Request| {
    ///     (request.header("X-Maintenance").is_some()).then(|| (jsonify!({"msg": "down"}), 503))
    /// });
    /// ```
    pub fn before_request<F, R>(&mut self, hook: F) -> &mut Self
    where
        F: Fn(&Request) -> Option<R> + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.hooks.before.push(std::sync::Arc::new(move |request| hook(request).map(IntoResponse::into_response)));
        self
    }

    /// Adds an `after_request` hook: it receives every response and returns the one to send.
    pub fn after_request<F>(&mut self, hook: F) -> &mut Self
    where
        F: Fn(&Request, Response) -> Response + Send + Sync + 'static,
    {
        self.hooks.after.push(std::sync::Arc::new(hook));
        self
    }

    /// Adds a `teardown_request` hook: it runs last, always, with the panic the
    /// request ended with, if any.
    pub fn teardown_request<F>(&mut self, hook: F) -> &mut Self
    where
        F: Fn(&Request, Option<&Unhandled>) + Send + Sync + 'static,
    {
        self.hooks.teardown.push(std::sync::Arc::new(hook));
        self
    }

    /// Handles HTTP errors of one status code (`@app.errorhandler(404)`): routing
    /// errors, `abort(..)`, parse errors, and 500s from panics.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut app = App::new("demo");
    /// app.errorhandler(404, |error: &HttpError| (jsonify!({"error": "not here", "detail": error.message()}), 404));
    /// ```
    pub fn errorhandler<F, R>(&mut self, status: u16, handler: F) -> &mut Self
    where
        F: Fn(&HttpError) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.error_handlers.on_status(status, handler);
        self
    }

    /// Handles errors of type `E` returned by handlers as `Err(e)`
    /// (`@app.errorhandler(MyError)`).
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// #[derive(Debug)]
    /// struct OutOfStock(String);
    ///
    /// impl IntoResponse for OutOfStock {
    ///     fn into_response(self) -> Response {
    ///         (jsonify!({"msg": "out of stock"}), 409).into_response()
    ///     }
    /// }
    ///
    /// let mut app = App::new("shop");
    /// app.errorhandler_for(|e: &OutOfStock| (jsonify!({"msg": format!("{} is out of stock", e.0)}), 409));
    /// ```
    pub fn errorhandler_for<E, F, R>(&mut self, handler: F) -> &mut Self
    where
        E: 'static,
        F: Fn(&E) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.error_handlers.on_type::<E, F, R>(handler);
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
            .finish_non_exhaustive()
    }
}
