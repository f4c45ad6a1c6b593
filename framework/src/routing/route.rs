//! `Route`: one URL rule, its methods and its handler, ready to be registered.

use http::Method;
use std::any::TypeId;
use std::fmt;
use std::panic::Location;
use std::sync::Arc;

use super::methods::IntoMethods;
use crate::decorator::{self, Decorator};
use crate::handler::{self, BoxedHandler, Handler};

type Wrapper = Box<dyn FnOnce(BoxedHandler) -> BoxedHandler + Send>;

/// A URL rule bound to a handler, like one `@app.route(...)` in Flask.
///
/// Build one with [`Route::new`] (or the route attributes of `phial-macros`, which
/// build it for you) and register it with [`Scaffold::register`](crate::Scaffold::register).
///
/// ```
/// use phial::prelude::*;
///
/// async fn show_user(Path(id): Path<i64>) -> String {
///     format!("user {id}")
/// }
///
/// let route = Route::new("/user/<int:id>", ["GET"], show_user).endpoint("user");
/// assert_eq!(route.rule(), "/user/<int:id>");
/// let mut app = App::new("demo");
/// app.register([route]);
/// ```
pub struct Route {
    pub(crate) rule: String,
    pub(crate) methods: Result<Vec<Method>, String>,
    pub(crate) handler: BoxedHandler,
    pub(crate) handler_type: TypeId,
    pub(crate) endpoint: Option<String>,
    pub(crate) strict_slashes: bool,
    /// A parameter of the view takes the body as a stream.
    pub(crate) streams_body: bool,
    pub(crate) wrappers: Vec<Wrapper>,
    pub(crate) location: &'static Location<'static>,
}

impl Route {
    /// A route for `rule` answering `methods` with `handler`.
    ///
    /// The endpoint name defaults to the handler's function name (set another with
    /// [`Route::endpoint`]; closures have no name, so theirs defaults to the rule).
    #[track_caller]
    pub fn new<M, H: Handler<M>>(rule: impl Into<String>, methods: impl IntoMethods, handler: H) -> Route {
        let rule = rule.into();
        Route {
            methods: methods.into_methods(),
            handler: handler::boxed(handler),
            handler_type: TypeId::of::<H>(),
            endpoint: default_endpoint::<H>(),
            rule,
            strict_slashes: true,
            streams_body: H::STREAMS_BODY,
            wrappers: Vec::new(),
            location: Location::caller(),
        }
    }

    /// Sets the endpoint name used by `url_for` (Flask's `endpoint=`).
    pub fn endpoint(mut self, name: impl Into<String>) -> Route {
        self.endpoint = Some(name.into());
        self
    }

    /// With `false`, `/items` and `/items/` both match the rule (Flask's
    /// `strict_slashes=False`); by default a rule ending in `/` redirects the form
    /// without it, and a rule without `/` does not match the form with it.
    pub fn strict_slashes(mut self, strict: bool) -> Route {
        self.strict_slashes = strict;
        self
    }

    /// Wraps the handler in a [`Decorator`]. Decorators run in the order they are
    /// added: the first added runs its `before` first and its `after` last.
    pub fn decorate<D: Decorator>(mut self, decorator: D) -> Route {
        let decorator = Arc::new(decorator);
        self.wrappers.push(Box::new(move |inner| decorator::wrap(inner, decorator)));
        self
    }

    /// Marks the view as taking its body as a stream (used by the route attributes,
    /// whose handler takes the whole request).
    #[doc(hidden)]
    pub fn __streams_body(mut self, streams: bool) -> Route {
        self.streams_body |= streams;
        self
    }

    /// Marks the route as serving the view `V` (used by the route attributes so
    /// that stacked rules of one function share its endpoint).
    #[doc(hidden)]
    pub fn __view<V: 'static>(mut self) -> Route {
        self.handler_type = TypeId::of::<V>();
        self
    }

    /// The rule as written.
    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// The endpoint name: the one set, the handler's fn name, or for a closure
    /// the rule itself.
    pub fn endpoint_name(&self) -> &str {
        self.endpoint.as_deref().unwrap_or(&self.rule)
    }

    /// The handler with its decorators applied, first-added outermost.
    pub(crate) fn into_parts(self) -> (RouteSpec, BoxedHandler) {
        let handler = self.wrappers.into_iter().rev().fold(self.handler, |inner, wrap| wrap(inner));
        let spec = RouteSpec {
            rule: self.rule,
            methods: self.methods,
            handler_type: self.handler_type,
            endpoint: self.endpoint,
            strict_slashes: self.strict_slashes,
            streams_body: self.streams_body,
            location: self.location,
        };
        (spec, handler)
    }
}

/// What the router needs to know of a route, without its handler.
#[derive(Debug)]
pub(crate) struct RouteSpec {
    pub(crate) rule: String,
    pub(crate) methods: Result<Vec<Method>, String>,
    pub(crate) handler_type: TypeId,
    /// `None` for an anonymous closure: the endpoint is then the rule, shared
    /// by every closure on that rule.
    pub(crate) endpoint: Option<String>,
    pub(crate) strict_slashes: bool,
    pub(crate) streams_body: bool,
    pub(crate) location: &'static Location<'static>,
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Route")
            .field("rule", &self.rule)
            .field("methods", &self.methods)
            .field("endpoint", &self.endpoint)
            .field("decorators", &self.wrappers.len())
            .finish()
    }
}

/// The last path segment of a fn item's type name (`app::views::login` -> `login`);
/// `None` for closures.
fn default_endpoint<H>() -> Option<String> {
    let name = std::any::type_name::<H>();
    // Generic fns print their arguments (`views::show<u8>`); they are not part of the name.
    let name = name.split('<').next().unwrap_or(name);
    match name.rsplit("::").next() {
        Some(last) if !last.is_empty() && last != "{{closure}}" => Some(last.to_string()),
        _ => None,
    }
}

/// Something that gives routes: a [`Route`], or the struct a route attribute
/// generates for a function (what [`routes!`](crate::routes) takes).
pub trait IntoRoutes {
    /// The routes.
    fn into_routes(self) -> Vec<Route>;
}

impl IntoRoutes for Route {
    fn into_routes(self) -> Vec<Route> {
        vec![self]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn login() {}

    #[test]
    fn endpoints_default_to_the_fn_name() {
        let route = Route::new("/login", ["POST"], login);
        assert_eq!(route.endpoint_name(), "login");
        let closure = Route::new("/c", ["GET"], || async { "" });
        assert_eq!(closure.endpoint_name(), "/c");
    }
}
