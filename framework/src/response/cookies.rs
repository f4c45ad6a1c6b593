//! Setting and deleting cookies on a response, with the `cookie` crate.

use cookie::Cookie;
use http::header::{HeaderValue, SET_COOKIE};
use std::borrow::Cow;

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
    /// Adds a `Set-Cookie` header for `cookie`. The value is written as Werkzeug's
    /// `dump_cookie` writes it: as it is when it holds only letters, digits and
    /// ``!#$%&'()*+-./:<=>?@[]^_`{|}~``, otherwise double-quoted, with `"` and `\`
    /// backslash-escaped and control characters, `,`, `;` and non-ASCII bytes as
    /// `\ooo` octal escapes (what [`Request::cookies`](crate::Request::cookies) undoes).
    fn set_cookie(&mut self, cookie: Cookie<'_>);
    /// Adds a `Set-Cookie` header that deletes the cookie `name` at `path` (empty
    /// value, `Expires` in 1970, as Werkzeug does).
    fn delete_cookie(&mut self, name: &str, path: &str);
}

impl ResponseCookies for Response {
    fn set_cookie(&mut self, mut cookie: Cookie<'_>) {
        if let Cow::Owned(quoted) = quote_value(cookie.value()) {
            cookie.set_value(quoted);
        }
        match HeaderValue::from_str(&cookie.to_string()) {
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

/// A cookie value as Werkzeug writes it; see [`ResponseCookies::set_cookie`].
fn quote_value(value: &str) -> Cow<'_, str> {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'()*+-./:<=>?@[]^_`{|}~".contains(&b);
    if value.bytes().all(plain) {
        return Cow::Borrowed(value);
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for byte in value.bytes() {
        match byte {
            b'"' | b'\\' => {
                quoted.push('\\');
                quoted.push(char::from(byte));
            }
            // Werkzeug's escaping pattern stops at 0x19: 0x1a..=0x1f stay raw (and
            // then make the header invalid, as they would in Flask).
            0x00..=0x19 | b',' | b';' | 0x7f..=0xff => quoted.push_str(&format!("\\{byte:03o}")),
            _ => quoted.push(char::from(byte)),
        }
    }
    quoted.push('"');
    Cow::Owned(quoted)
}

#[cfg(test)]
mod tests {
    use super::quote_value;

    #[test]
    fn plain_values_are_written_as_they_are() {
        assert_eq!(quote_value("eyJ.e30-_sig"), "eyJ.e30-_sig");
        assert_eq!(quote_value(""), "");
    }

    #[test]
    fn other_values_are_quoted_with_werkzeugs_escapes() {
        assert_eq!(quote_value("a b"), r#""a b""#);
        assert_eq!(quote_value(r#"x"y\z"#), r#""x\"y\\z""#);
        assert_eq!(quote_value("x;y,z"), r#""x\073y\054z""#);
        assert_eq!(quote_value("é"), r#""\303\251""#);
    }
}
