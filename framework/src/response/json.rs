//! JSON responses: [`Json`] writes a value as serde_json does (a struct keeps its
//! field order); [`Jsonify`] (made by the `jsonify!` macro) writes Flask's
//! `jsonify` bytes: keys sorted, non-ASCII escaped, Python's float spelling, a
//! trailing newline.

use bytes::{BufMut, BytesMut};
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use super::{Body, IntoResponse, Response};
use crate::python_json;

/// JSON in both directions: as a return value it serialises `T` as
/// `application/json`; as a handler parameter it parses the request body with
/// Flask's `get_json` rules (see [`Request::get_json`](crate::Request::get_json)).
///
/// ```
/// use phial::prelude::*;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Deserialize)]
/// struct Login { username: String }
///
/// #[derive(Serialize)]
/// struct Greeting { hello: String }
///
/// async fn login(Json(body): Json<Login>) -> Json<Greeting> {
///     Json(Greeting { hello: body.username })
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        let mut buf = BytesMut::with_capacity(128).writer();
        match serde_json::to_writer(&mut buf, &self.0) {
            Ok(()) => {
                buf.get_mut().put_u8(b'\n');
                with_json_type(StatusCode::OK, buf.into_inner().freeze().into())
            }
            Err(err) => {
                tracing::error!(target: "phial::error", error = %err, "response value could not be serialised to JSON");
                crate::HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).into_response()
            }
        }
    }
}

/// A JSON value rendered like Flask's `jsonify`: compact, keys sorted at every
/// level, characters outside printable ASCII as `\uXXXX` escapes, floats as Python
/// spells them, a trailing newline, `Content-Type: application/json` (see
/// [`python_json`](crate::python_json)). Made by [`jsonify!`](crate::jsonify).
///
/// Its status (200 by default) and headers can be set, so that every path of a
/// view can return the same type, as a Flask view returns `jsonify(x)` on one path
/// and `jsonify(y), 422` on another:
///
/// ```
/// use phial::prelude::*;
///
/// async fn login(Json(body): Json<serde_json::Value>) -> Jsonify {
///     if body["username"] != "test" {
///         return jsonify!({"msg": "Bad username or password"}).status(401);
///     }
///     jsonify!({"access_token": "..."}).header("Cache-Control", "no-store")
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Jsonify {
    value: Value,
    status: u16,
    headers: Vec<(String, String)>,
}

impl Jsonify {
    /// Wraps a JSON value (status 200, no extra headers).
    pub fn new(value: Value) -> Jsonify {
        Jsonify { value, status: 200, headers: Vec::new() }
    }

    /// Sets the status code (Flask's `return jsonify(x), 422`). A number that is not
    /// an HTTP status is a logged 500 when the response is built.
    pub fn status(mut self, status: u16) -> Jsonify {
        self.status = status;
        self
    }

    /// Adds a header (Flask's `return jsonify(x), 200, {"X-Name": "value"}`). A name
    /// or value that is not valid in HTTP is a logged 500 when the response is built.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Jsonify {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The JSON value.
    pub fn value(&self) -> &Value {
        &self.value
    }
}

impl IntoResponse for Jsonify {
    fn into_response(self) -> Response {
        let response = json_response(StatusCode::OK, &self.value);
        if self.status == 200 && self.headers.is_empty() {
            return response;
        }
        (response, self.status, self.headers).into_response()
    }
}

/// A bare `serde_json::Value` is sent like Flask sends a returned dict: through `jsonify`.
impl IntoResponse for Value {
    fn into_response(self) -> Response {
        json_response(StatusCode::OK, &self)
    }
}

/// Builds a `jsonify`-style response with the given status.
pub(crate) fn json_response(status: StatusCode, value: &Value) -> Response {
    with_json_type(status, Body::from(to_sorted_json(value)))
}

fn with_json_type(status: StatusCode, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `jsonify`'s bytes: [`python_json::to_writer_sorted`] and a trailing newline.
fn to_sorted_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    python_json::to_writer_sorted(&mut out, value);
    out.push(b'\n');
    out
}

/// Builds a JSON response the way Flask's `jsonify` does: keys sorted, compact, with
/// a trailing newline. The argument is `serde_json::json!` syntax.
///
/// ```
/// use phial::prelude::*;
///
/// async fn protected() -> impl IntoResponse {
///     jsonify!({"logged_in_as": "test"})
/// }
///
/// async fn login_failed() -> impl IntoResponse {
///     (jsonify!({"msg": "Bad username or password"}), 401)
/// }
/// ```
#[macro_export]
macro_rules! jsonify {
    ($($json:tt)+) => {
        $crate::response::Jsonify::new($crate::__private::serde_json::json!($($json)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorted_json_sorts_nested_keys_and_ends_with_newline() {
        let bytes = to_sorted_json(&json!({"b": 1, "a": {"d": [1, {"z": 0, "y": "é"}], "c": null}}));
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "{\"a\":{\"c\":null,\"d\":[1,{\"y\":\"\\u00e9\",\"z\":0}]},\"b\":1}\n"
        );
    }

    #[test]
    fn jsonify_takes_a_status_and_headers() {
        let response = Jsonify::new(json!({"msg": "no"})).status(422).header("X-Reason", "test").into_response();
        assert_eq!(response.status(), 422);
        assert_eq!(response.headers()["x-reason"], "test");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(&response.body().as_bytes().unwrap()[..], b"{\"msg\":\"no\"}\n");

        let invalid = Jsonify::new(json!(1)).status(1000).into_response();
        assert_eq!(invalid.status(), 500);
    }

    #[test]
    fn json_keeps_struct_order() {
        #[derive(Serialize)]
        struct S {
            b: u8,
            a: u8,
        }
        let response = Json(S { b: 1, a: 2 }).into_response();
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(&response.body().as_bytes().unwrap()[..], b"{\"b\":1,\"a\":2}\n");
    }
}
