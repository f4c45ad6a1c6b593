//! HTTP errors: `abort(404)` and the JSON bodies phial answers with by default.

use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};
use std::borrow::Cow;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use crate::response::{IntoResponse, Response, json_response};

/// An HTTP error response: a status code and a message, sent as `{"msg": message}`.
///
/// This is Flask's `HTTPException`: [`abort`] makes one, the router makes them for
/// 404/405, the request parsers for 400/413/415. App error handlers registered with
/// [`Scaffold::errorhandler`](crate::Scaffold::errorhandler) replace the default body
/// by status code.
///
/// Return it from a handler as an error:
///
/// ```
/// use phial::prelude::*;
///
/// async fn user(id: i64) -> Result<Json<serde_json::Value>, HttpError> {
///     if id != 1 {
///         return Err(abort(404));
///     }
///     Ok(Json(serde_json::json!({"id": id})))
/// }
/// ```
pub struct HttpError {
    status: StatusCode,
    message: Cow<'static, str>,
    headers: Option<Box<HeaderMap>>,
    /// `abort_with`'s response. In a `Mutex` only so that `HttpError` is `Sync`, as
    /// errors must be, while a streaming body is not: it is never locked twice.
    response: Option<Box<Mutex<Response>>>,
}

impl HttpError {
    /// An error with the standard message for `status`.
    pub fn new(status: StatusCode) -> HttpError {
        HttpError { status, message: Cow::Borrowed(default_message(status)), headers: None, response: None }
    }

    /// An error with its own message (Flask's `abort(code, description=...)`).
    pub fn with_message(status: StatusCode, message: impl Into<Cow<'static, str>>) -> HttpError {
        HttpError { message: message.into(), ..HttpError::new(status) }
    }

    /// Adds a header to the error response (for example `Allow` on a 405).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> HttpError {
        self.headers.get_or_insert_with(Default::default).append(name, value);
        self
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message (Flask's `e.description`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The headers added to the response, if any.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.headers.as_deref()
    }

    /// Whether this error carries a ready-made response ([`abort_with`]), which is
    /// sent as it is, without error handlers.
    pub fn has_response(&self) -> bool {
        self.response.is_some()
    }

    /// Renders the default response (or the ready-made one).
    pub fn render(self) -> Response {
        if let Some(response) = self.response {
            return response.into_inner().unwrap_or_else(PoisonError::into_inner);
        }
        let mut response = json_response(self.status, &serde_json::json!({ "msg": self.message }));
        if let Some(headers) = self.headers {
            response.headers_mut().extend(*headers);
        }
        response
    }
}

/// Makes an [`HttpError`] for `status`, like Flask's `abort(status)`.
///
/// Rust has no exceptions: return it, as `return Err(abort(403));`. A code that is not
/// a valid HTTP status becomes a 500 (and is logged).
pub fn abort(status: u16) -> HttpError {
    match StatusCode::from_u16(status) {
        Ok(status) => HttpError::new(status),
        Err(_) => {
            tracing::error!(target: "phial::error", status, "abort() called with an invalid status code");
            HttpError::new(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// Aborts with a ready-made response, like Flask's `abort(response)`: error
/// handlers are skipped and the response is sent as it is.
pub fn abort_with(response: impl IntoResponse) -> HttpError {
    let response = response.into_response();
    HttpError { response: Some(Box::new(Mutex::new(response))), ..HttpError::new(StatusCode::INTERNAL_SERVER_ERROR) }
}

/// The default response, as [`render`](HttpError::render). Returned from a view
/// as `Err(..)` instead, an `HttpError` goes through the app's error handlers.
impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        self.render()
    }
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError").field("status", &self.status).field("message", &self.message).finish()
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.status.canonical_reason().unwrap_or(""), self.message)
    }
}

impl std::error::Error for HttpError {}

/// Werkzeug's descriptions of the common error statuses, as plain text.
pub(crate) fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The browser (or proxy) sent a request that this server could not understand.",
        401 => {
            "The server could not verify that you are authorized to access the URL requested. You either supplied \
             the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the \
             credentials required."
        }
        403 => {
            "You don't have the permission to access the requested resource. It is either read-protected or not \
             readable by the server."
        }
        404 => {
            "The requested URL was not found on the server. If you entered the URL manually please check your \
             spelling and try again."
        }
        405 => "The method is not allowed for the requested URL.",
        408 => {
            "The server closed the network connection because the browser didn't finish the request within the \
             specified time."
        }
        409 => "A conflict happened while processing the request.",
        410 => "The requested URL is no longer available on this server and there is no forwarding address.",
        413 => "The data value transmitted exceeds the capacity limit.",
        414 => "The length of the requested URL exceeds the capacity limit for this server.",
        415 => "The server does not support the media type transmitted in the request.",
        422 => "The request was well-formed but was unable to be followed due to semantic errors.",
        429 => "This user has exceeded an allotted request count. Try again later.",
        431 => "One or more header fields exceeds the maximum size.",
        500 => {
            "The server encountered an internal error and was unable to complete your request. Either the server is \
             overloaded or there is an error in the application."
        }
        501 => "The server does not support the action requested by the browser.",
        503 => {
            "The server is temporarily unable to service your request due to maintenance downtime or capacity \
             problems. Please try again later."
        }
        _ => status.canonical_reason().unwrap_or("Error"),
    }
}
