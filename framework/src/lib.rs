//! # phial
//!
//! A Flask-style web framework for Rust: apps, routes with Flask's URL rules,
//! blueprints, request hooks, error handlers, `jsonify`, a test client, and a hyper
//! server, with an API that reads like the Flask code it ports.
//!
//! ```
//! use phial::prelude::*;
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Login {
//!     username: String,
//! }
//!
//! async fn login(Json(body): Json<Login>) -> impl IntoResponse {
//!     if body.username != "test" {
//!         return (jsonify!({"msg": "Bad username or password"}), 401);
//!     }
//!     (jsonify!({"msg": format!("hello {}", body.username)}), 200)
//! }
//!
//! async fn user(Path(id): Path<i64>) -> Result<Json<serde_json::Value>, HttpError> {
//!     match id {
//!         1 => Ok(Json(serde_json::json!({"id": 1, "name": "test"}))),
//!         _ => Err(abort(404)),
//!     }
//! }
//!
//! let mut app = App::new("quickstart");
//! app.route("/login", ["POST"], login);
//! app.route("/user/<int:id>", ["GET"], user);
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let client = app.test_client();
//! let response = client.post("/login").json(&serde_json::json!({"username": "test"})).send().await;
//! assert_eq!(response.status(), 200);
//! assert_eq!(client.get("/user/2").send().await.status(), 404);
//! assert_eq!(client.get("/user/abc").send().await.status(), 404); // <int:..> does not convert
//! assert_eq!(client.get("/login").send().await.status(), 405);
//! # });
//! // In `main`: app.run().await serves on 127.0.0.1:5000, like Flask.
//! ```
//!
//! ## Layout
//! - [`App`] and [`Blueprint`] set things up; both dereference to [`Scaffold`] for
//!   routes, hooks ([`hooks`]) and error handlers ([`error_handlers`]).
//! - [`routing`]: Flask's rule syntax and the router; [`Route`] is one registered rule.
//! - [`Request`] (with [`request()`] and [`current_app()`] for code deep in a handler),
//!   [`extract`] for handler parameters, [`response`] for return values.
//! - [`HttpError`] and [`abort`] for HTTP errors; [`ViewError`] carries any error a
//!   view raises to the app's error handlers; [`Error`] is phial's own (setup, serving).
//! - [`maybe_async`]: hooks, error handlers and loaders may be plain or async.
//! - [`Decorator`]s wrap handlers, as Python decorators wrap views.
//! - [`server`] serves over TCP; [`testing`] drives an app without a socket.
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

// Lets the route attributes' `::phial::...` paths work inside this crate's own tests.
extern crate self as phial;

mod app;
mod blueprint;
mod config;
mod context;
pub mod decorator;
mod dispatch;
mod error;
pub mod error_handlers;
pub mod extract;
pub mod files;
pub mod handler;
pub mod hooks;
mod http_error;
pub mod layer;
#[cfg(feature = "logging")]
pub mod logging;
pub mod maybe_async;
pub mod python_json;
pub mod rate_limit;
pub mod request;
pub mod response;
pub mod routing;
mod scaffold;
mod secret;
mod served_line;
pub mod server;
pub mod sessions;
pub mod templates;
pub mod testing;
mod view_error;

pub use app::{App, AppHandle, StartupHook};
pub use blueprint::Blueprint;
pub use config::{Config, ConfigValue};
pub use context::{current_app, request};
pub use decorator::Decorator;
pub use error::Error;
pub use files::{send_file, send_from_directory};
pub use http_error::{HttpError, abort, abort_with};
pub use request::Request;
pub use response::{IntoResponse, IntoViewResult, Json, Response, redirect};
pub use routing::Route;
pub use secret::{Secret, is_secret_key};
pub use sessions::{flash, get_flashed_messages, session};
pub use templates::{render_template, render_template_string};

#[doc(hidden)]
pub use phial_macros::__route;
pub use phial_macros::{decorate, delete, get, patch, post, put, route};
pub use scaffold::Scaffold;
pub use view_error::ViewError;

/// The `cookie` crate, for building cookies to set on responses.
pub use cookie;
/// The `http` crate: status codes, headers, methods.
pub use http;

/// Builds the URL of `endpoint` in the current app (Flask's `url_for`). An
/// endpoint starting with `.` is relative to the current request's blueprint.
pub fn url_for<K: AsRef<str>, V: ToString>(
    endpoint: &str,
    values: impl IntoIterator<Item = (K, V)>,
) -> Result<String, Error> {
    let app = current_app()?;
    match endpoint.strip_prefix('.') {
        Some(local) => {
            let blueprint = request().ok().and_then(|r| r.blueprint().map(str::to_string));
            let full = match blueprint {
                Some(blueprint) => format!("{blueprint}.{local}"),
                None => local.to_string(),
            };
            app.url_for(&full, values)
        }
        None => app.url_for(endpoint, values),
    }
}

/// The routes of functions with route attributes, for
/// [`Scaffold::register`]: `app.register(routes![login, protected])`.
///
/// ```
/// use phial::prelude::*;
///
/// #[post("/login")]
/// async fn login() -> &'static str { "ok" }
///
/// #[get("/user/<int:id>")]
/// async fn user(id: i64) -> String { id.to_string() }
///
/// let mut app = App::new("demo");
/// app.register(routes![login, user]);
/// // The functions stay ordinary functions.
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// assert_eq!(user(5).await, "5");
/// # });
/// ```
#[macro_export]
macro_rules! routes {
    ($($($segment:ident)::+),* $(,)?) => {{
        let mut routes: ::std::vec::Vec<$crate::Route> = ::std::vec::Vec::new();
        $( routes.extend($crate::routing::IntoRoutes::into_routes($($segment)::+ {})); )*
        routes
    }};
}

/// Everything an app usually needs: `use phial::prelude::*;`.
pub mod prelude {
    pub use crate::extract::{Cookies, Extension, Form, FromRequest, Path, Query, Stashed};
    pub use crate::hooks::Unhandled;
    pub use crate::response::{Jsonify, ResponseCookies};
    pub use crate::testing::TestClient;
    pub use crate::{
        App, AppHandle, Blueprint, Config, Decorator, HttpError, IntoResponse, IntoViewResult, Json, Request, Response,
        Route, ViewError, abort, abort_with, current_app, flash, get_flashed_messages, jsonify, request, routes,
        session, url_for,
    };
    pub use http::StatusCode;
    pub use phial_macros::{decorate, delete, get, patch, post, put, route};
}

#[doc(hidden)]
pub mod __private {
    pub use serde_json;
}
