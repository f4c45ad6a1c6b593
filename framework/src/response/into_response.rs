//! `IntoResponse` for the return values Flask views use: text, bytes, JSON, status
//! tuples, `Result`s.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};
use std::borrow::Cow;

use super::{Body, IntoResponse, Response};
use crate::HttpError;

impl IntoResponse for Response {
    fn into_response(self) -> Response {
        self
    }
}

impl IntoResponse for Body {
    fn into_response(self) -> Response {
        Response::new(self)
    }
}

fn html(body: Body) -> Response {
    let mut response = Response::new(body);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// Text is sent as `text/html; charset=utf-8`, as Flask does.
impl IntoResponse for &'static str {
    fn into_response(self) -> Response {
        html(self.into())
    }
}

impl IntoResponse for String {
    fn into_response(self) -> Response {
        html(self.into())
    }
}

impl IntoResponse for Cow<'static, str> {
    fn into_response(self) -> Response {
        match self {
            Cow::Borrowed(text) => text.into_response(),
            Cow::Owned(text) => text.into_response(),
        }
    }
}

fn octets(body: Body) -> Response {
    let mut response = Response::new(body);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    response
}

impl IntoResponse for Bytes {
    fn into_response(self) -> Response {
        octets(self.into())
    }
}

impl IntoResponse for Vec<u8> {
    fn into_response(self) -> Response {
        octets(self.into())
    }
}

/// An empty response with that status.
impl IntoResponse for StatusCode {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = self;
        response
    }
}

/// An empty `200 OK`.
impl IntoResponse for () {
    fn into_response(self) -> Response {
        Response::new(Body::empty())
    }
}

fn status_from(code: u16) -> Result<StatusCode, Response> {
    StatusCode::from_u16(code).map_err(|_| {
        tracing::error!(target: "phial::error", code, "handler returned an invalid status code");
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).render()
    })
}

/// `(body, status)`, Flask's `return body, 201`.
impl<R: IntoResponse> IntoResponse for (R, StatusCode) {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        *response.status_mut() = self.1;
        response
    }
}

/// `(body, 201)` with the status as a number.
impl<R: IntoResponse> IntoResponse for (R, u16) {
    fn into_response(self) -> Response {
        match status_from(self.1) {
            Ok(status) => (self.0, status).into_response(),
            Err(response) => response,
        }
    }
}

/// `(body, status, headers)`, Flask's three-element return tuple. The headers are
/// added to (not replacing) those the body set, except `Content-Type`, which replaces.
impl<R: IntoResponse, H: IntoHeaders> IntoResponse for (R, StatusCode, H) {
    fn into_response(self) -> Response {
        let mut response = (self.0, self.1).into_response();
        match self.2.into_headers() {
            Ok(headers) => {
                for (name, value) in headers {
                    if name == CONTENT_TYPE {
                        response.headers_mut().insert(name, value);
                    } else {
                        response.headers_mut().append(name, value);
                    }
                }
                response
            }
            Err(message) => {
                tracing::error!(target: "phial::error", %message, "handler returned an invalid header");
                HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).render()
            }
        }
    }
}

impl<R: IntoResponse, H: IntoHeaders> IntoResponse for (R, u16, H) {
    fn into_response(self) -> Response {
        match status_from(self.1) {
            Ok(status) => (self.0, status, self.2).into_response(),
            Err(response) => response,
        }
    }
}

/// Headers given in a return tuple: `[("X-Name", "value")]`, a `Vec` of pairs, or a
/// `HeaderMap`.
pub trait IntoHeaders {
    /// The headers, or a message naming the one that is not valid HTTP.
    fn into_headers(self) -> Result<Vec<(HeaderName, HeaderValue)>, String>;
}

fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("invalid header name {name:?}"))?;
    let header_value =
        HeaderValue::from_str(value).map_err(|_| format!("invalid value for header {name:?}: {value:?}"))?;
    Ok((header_name, header_value))
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> IntoHeaders for [(K, V); N] {
    fn into_headers(self) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
        self.iter().map(|(k, v)| header_pair(k.as_ref(), v.as_ref())).collect()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> IntoHeaders for Vec<(K, V)> {
    fn into_headers(self) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
        self.iter().map(|(k, v)| header_pair(k.as_ref(), v.as_ref())).collect()
    }
}

impl IntoHeaders for HeaderMap {
    fn into_headers(self) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
        let mut headers = Vec::with_capacity(self.len());
        let mut last: Option<HeaderName> = None;
        for (name, value) in self {
            if let Some(name) = name {
                last = Some(name);
            }
            if let Some(name) = &last {
                headers.push((name.clone(), value));
            }
        }
        Ok(headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_html_like_flask() {
        let response = "hello".into_response();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    }

    #[test]
    fn tuples_set_status_and_headers() {
        let response = ("created", 201, [("X-Id", "7"), ("Content-Type", "text/plain")]).into_response();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()["x-id"], "7");
        assert_eq!(response.headers()[CONTENT_TYPE], "text/plain");
    }

    #[test]
    fn invalid_status_or_header_is_a_500() {
        assert_eq!(("x", 1000u16).into_response().status(), StatusCode::INTERNAL_SERVER_ERROR);
        let response = ("x", 200, [("bad name", "v")]).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
