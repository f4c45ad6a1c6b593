//! Templates: Jinja2 syntax on [minijinja](https://docs.rs/minijinja), rendered as
//! Flask renders them.
//!
//! ```no_run
//! use phial::prelude::*;
//! use phial::templates::{context, render_template};
//!
//! async fn index() -> Result<String, ViewError> {
//!     Ok(render_template("index.html", context! { title => "Home", items => vec!["a", "b"] })?)
//! }
//!
//! let mut app = App::new("site"); // templates come from ./templates
//! app.route("/", ["GET"], index);
//! ```
//!
//! What Flask gives a template is there: inheritance, blocks, includes, macros and
//! Jinja2's filters and tests (minijinja's); autoescaping for `.html`, `.htm`,
//! `.xml`, `.xhtml` and `.svg` with MarkupSafe's escapes (`&#34;`, `&#39;`, `/` left
//! alone); `|safe`, `|e`, Flask's HTML-safe `|tojson`; `url_for(..)`, `request`,
//! `g` (what [`G::set`](crate::request::G::set) stored), `config`, `session` and
//! `get_flashed_messages()` (see [`sessions`](crate::sessions)); the app's
//! [context processors](crate::App::context_processor), [filters](crate::App::template_filter)
//! and [globals](crate::App::template_global); line endings and the trailing
//! newline as Jinja2 writes them. A rendered page is a `String`, which a view sends
//! as `text/html; charset=utf-8`.
//!
//! A template error (syntax, a missing template, an undefined value used where
//! Jinja2 refuses it) is an `Err` naming the template and line: returned from a
//! view with `?`, it is logged and answered with a 500.
//!
//! Where minijinja differs from Jinja2 beyond that is listed in the porting guide
//! and checked by `tests/templates.rs` against Flask's own renders.

mod cycler;
mod environment;
mod escape;
mod filters;
mod globals;
mod python_str;
mod session;

pub(crate) use environment::{TemplateSetup, Templates};
pub(crate) use escape::escape_html;

/// minijinja, for writing filters and globals ([`App::template_filter`](crate::App::template_filter)).
pub use minijinja;
/// minijinja's `context!` macro, to build a template's values:
/// `context! { title => "Home", user => user }`.
pub use minijinja::context;
/// A template's values and minijinja's errors.
pub use minijinja::{Error as TemplateError, Value};

use serde::Serialize;

/// Renders the template `name` from the app's template folders with `context`
/// (Flask's `render_template`). Call it during a request (or in
/// [`AppHandle::scope`](crate::AppHandle::scope)), where the app is known.
pub fn render_template(name: &str, context: impl Serialize) -> Result<String, TemplateError> {
    let app = current_app()?;
    app.core().templates.render(name, Value::from_serialize(context))
}

/// Renders `source`, a template in a string, with `context` (Flask's
/// `render_template_string`); it is autoescaped, as Flask's are.
pub fn render_template_string(source: &str, context: impl Serialize) -> Result<String, TemplateError> {
    let app = current_app()?;
    app.core().templates.render_string(source, Value::from_serialize(context))
}

/// A value that is already HTML and must not be escaped again (MarkupSafe's
/// `Markup`).
pub fn markup(html: impl Into<String>) -> Value {
    Value::from_safe_string(html.into())
}

fn current_app() -> Result<crate::AppHandle, TemplateError> {
    crate::current_app().map_err(|error| TemplateError::new(minijinja::ErrorKind::InvalidOperation, error.to_string()))
}
