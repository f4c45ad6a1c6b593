//! Route attributes and decorators for [phial](https://docs.rs/phial).
//!
//! Use them through phial: `use phial::prelude::*;` brings in `route`, `get`,
//! `post`, `put`, `patch`, `delete`, `decorate` and `routes!`.
//!
//! ```ignore
//! use phial::prelude::*;
//!
//! #[get("/user/<int:user_id>")]
//! async fn user(user_id: i64) -> impl IntoResponse {
//!     jsonify!({"id": user_id})
//! }
//!
//! let mut app = App::new("demo");
//! app.register(routes![user]);
//! ```
//!
//! Each attribute keeps the function as it is (callable and testable) and adds a
//! braced struct of the same name that `routes!` turns into [`Route`]s: types and
//! values live in different namespaces, so `user(5)` still calls the function.
//!
//! Decorators go *below* the route attribute, as in Flask, and run in the order
//! they are written:
//!
//! ```ignore
//! #[get("/admin")]
//! #[decorate(AdminRequired)]
//! #[jwt_required(fresh = true)]
//! async fn admin() -> &'static str { "hi" }
//! ```
//!
//! The route attribute knows no decorator but `#[decorate]`: any attribute macro
//! from any crate written below it expands in written order, and a decorator
//! attribute becomes a `phial::Decorator` by expanding to
//! `#[::phial::decorate(expr, attribute = "its_name")]` (see `route::scan` for the
//! protocol). `#[jwt_required]` is built that way. A decorator attribute written
//! above the route attribute is a compile error that says to move it (Flask
//! silently ignores it, which leaves the view unprotected), for third-party
//! decorators too.
//!
//! The macros are built as Rocket's are: `route::parse` reads the attribute and
//! the function, `route::validate` checks them against the rule (with the same
//! rule parser phial uses at run time), and `route::expand` generates the code.
//!
//! [`Route`]: https://docs.rs/phial/latest/phial/struct.Route.html

mod decorator;
mod jwt_required;
mod route;
mod rule;

use proc_macro::TokenStream;

/// The argument of an attribute that a route attribute already applied: it expands
/// to nothing (see `route::expand`).
const CONSUMED: &str = "__phial_consumed";

/// Whether the attribute's arguments are the [`CONSUMED`] marker.
fn is_consumed_marker(args: &TokenStream) -> bool {
    args.to_string() == CONSUMED
}

/// `#[route("/rule", methods = ["GET", "POST"], endpoint = "name", strict_slashes = false)]`:
/// a route for the function (methods default to `GET`, as in Flask).
#[proc_macro_attribute]
pub fn route(args: TokenStream, item: TokenStream) -> TokenStream {
    if is_consumed_marker(&args) {
        return TokenStream::new();
    }
    route::attribute("route", args.into(), item.into()).into()
}

/// `#[get("/rule")]`: a `GET` route (with automatic `HEAD` and `OPTIONS`).
#[proc_macro_attribute]
pub fn get(args: TokenStream, item: TokenStream) -> TokenStream {
    if is_consumed_marker(&args) {
        return TokenStream::new();
    }
    route::attribute("get", args.into(), item.into()).into()
}

/// `#[post("/rule")]`: a `POST` route.
#[proc_macro_attribute]
pub fn post(args: TokenStream, item: TokenStream) -> TokenStream {
    if is_consumed_marker(&args) {
        return TokenStream::new();
    }
    route::attribute("post", args.into(), item.into()).into()
}

/// `#[put("/rule")]`: a `PUT` route.
#[proc_macro_attribute]
pub fn put(args: TokenStream, item: TokenStream) -> TokenStream {
    if is_consumed_marker(&args) {
        return TokenStream::new();
    }
    route::attribute("put", args.into(), item.into()).into()
}

/// `#[patch("/rule")]`: a `PATCH` route.
#[proc_macro_attribute]
pub fn patch(args: TokenStream, item: TokenStream) -> TokenStream {
    if is_consumed_marker(&args) {
        return TokenStream::new();
    }
    route::attribute("patch", args.into(), item.into()).into()
}

/// `#[delete("/rule")]`: a `DELETE` route.
#[proc_macro_attribute]
pub fn delete(args: TokenStream, item: TokenStream) -> TokenStream {
    if is_consumed_marker(&args) {
        return TokenStream::new();
    }
    route::attribute("delete", args.into(), item.into()).into()
}

/// `#[decorate(expr)]`, below a route attribute: wraps the handler in the
/// `phial::Decorator` that `expr` evaluates to (once, when the route is built).
///
/// Decorator attribute macros of other crates expand to
/// `#[::phial::decorate(expr, attribute = "their_name")]`: the route below takes it
/// in written order, and misplacement errors name `#[their_name]`.
#[proc_macro_attribute]
pub fn decorate(args: TokenStream, item: TokenStream) -> TokenStream {
    if is_consumed_marker(&args) {
        return TokenStream::new();
    }
    decorator::attach(args.into(), item.into()).into()
}

/// A route attribute resuming after another attribute macro below it expanded
/// (the decorator protocol; never written by hand).
#[doc(hidden)]
#[proc_macro_attribute]
pub fn __route(args: TokenStream, item: TokenStream) -> TokenStream {
    route::resume(args.into(), item.into()).into()
}

/// `#[jwt_required]` / `#[jwt_required(optional = true, fresh = true, refresh = true,
/// locations = ["headers", "cookies"], verify_type = false, skip_revocation_check = true)]`,
/// below a route attribute: flask-jwt-extended's `@jwt_required()`. Use it through
/// `phial_jwt::prelude::*`.
#[proc_macro_attribute]
pub fn jwt_required(args: TokenStream, item: TokenStream) -> TokenStream {
    jwt_required::attribute(args.into(), item.into()).into()
}
