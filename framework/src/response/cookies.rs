//! Setting and deleting cookies on a response, with the `cookie` crate.

use cookie::Cookie;
use http::header::{HeaderValue, SET_COOKIE};

use super::Response;

/// Cookie helpers on [`Response`], like Flask's `response.set_cookie` and
/// `response.delete_cookie`.
///
/// ```
/// use phial::prelude::*;
/// use phial::cookie::Cookie;
///
/// let mut response = jsonify!({"msg": "login successful"}).into_response();
/// response.set_cookie(Cookie::build(("session", "abc")).http_only(true).path("/").build());
/// response.delete_cookie("old", "/");
/// assert_eq!(response.headers().get_all("set-cookie").iter().count(), 2);
/// ```
pub trait ResponseCookies {
    /// Adds a `Set-Cookie` header for `cookie`.
    fn set_cookie(&mut self, cookie: Cookie<'_>);
    /// Adds a `Set-Cookie` header that deletes the cookie `name` at `path` (empty
    /// value, `Expires` in 1970, as Werkzeug does).
    fn delete_cookie(&mut self, name: &str, path: &str);
}

impl ResponseCookies for Response {
    fn set_cookie(&mut self, cookie: Cookie<'_>) {
        match HeaderValue::from_str(&cookie.encoded().to_string()) {
            Ok(value) => {
                self.headers_mut().append(SET_COOKIE, value);
            }
            Err(_) => {
                tracing::error!(target: "phial::error", name = cookie.name(), "cookie is not a valid header value; not set")
            }
        }
    }

    fn delete_cookie(&mut self, name: &str, path: &str) {
        let cookie = Cookie::build((name.to_string(), ""))
            .path(path.to_string())
            .expires(cookie::time::OffsetDateTime::UNIX_EPOCH)
            .build();
        self.set_cookie(cookie);
    }
}
