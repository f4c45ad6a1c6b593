//! Responses: what a handler returns, and how it becomes HTTP.
//!
//! A handler returns anything that implements [`IntoResponse`], as a Flask view
//! returns a string, a dict, a tuple or a `Response`:
//!
//! | Flask | phial |
//! |---|---|
//! | `return "hello"` | `"hello"` or a `String` (text/html) |
//! | `return {"a": 1}` / `jsonify(a=1)` | `jsonify!({"a": 1})`, `Json(value)`, a `serde_json::Value` |
//! | `return body, 201` | `(body, 201)` |
//! | `return body, 201, {"X": "y"}` | `(body, 201, [("X", "y")])` |
//! | `return make_response(...)` | a [`Response`] |
//! | `abort(404)` | `Err(abort(404))` in a `Result` |
//! | `return Response(generate(), mimetype=m)` | [`stream(chunks).mimetype(m)`](stream()) |
//! | `stream_with_context(generate())` | [`stream_with_context(chunks)?`](stream_with_context) |
//! | `raise SomeError()` | `Err(some_error)?`, answered by the app's error handlers |

mod body;
mod cookies;
mod into_response;
mod json;
mod redirect;
pub mod sse;
mod stream;
mod view_result;

pub use body::{Body, BoxError};
pub use cookies::ResponseCookies;
pub use into_response::IntoHeaders;
pub(crate) use json::json_response;
pub use json::{Json, Jsonify};
pub use redirect::{redirect, redirect_with};
pub use stream::{StreamResponse, WithContext, stream, stream_with_context};
pub use view_result::IntoViewResult;

/// An HTTP response with a phial [`Body`].
pub type Response = http::Response<Body>;

/// Conversion of a value into a [`Response`]: a pure conversion, the same inside
/// and outside a request.
///
/// Implement it for your own types to return them from handlers. Errors are not
/// responses: a view returns them as `Err(e)` (see [`IntoViewResult`]), and the
/// app's error handlers answer them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a phial handler",
    label = "this type does not implement `IntoResponse`",
    note = "return a `Json(..)`, a `jsonify!({{..}})`, a `String`, a `(body, status)` tuple, a `Response`, or a `Result` of those"
)]
pub trait IntoResponse {
    /// Builds the response.
    fn into_response(self) -> Response;
}
