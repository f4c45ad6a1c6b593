//! Turning a `JwtError` into a response: through the manager's callbacks, or with
//! flask-jwt-extended's default bodies (`{"msg": "..."}`, the key set by
//! `JWT_ERROR_MESSAGE_KEY`) and statuses.

use phial::http::StatusCode;
use phial::http::header::{CONTENT_TYPE, HeaderValue};
use phial::maybe_async::MaybeReady;
use phial::python_json;
use phial::response::Body;
use phial::{HttpError, IntoResponse, Response};

use crate::JwtError;
use crate::callbacks::Callbacks;
use crate::config::Settings;
use crate::error::identity_text;

/// The response for `error` with these callbacks (ready at once unless the
/// callback that answers is async).
pub(crate) fn respond(callbacks: &Callbacks, settings: &Settings, error: &JwtError) -> MaybeReady<Response> {
    let key = &settings.error_message_key;
    let custom = match error {
        JwtError::NoAuthorization(message) | JwtError::Csrf(message) => {
            callbacks.unauthorized.as_ref().map(|callback| callback(message))
        }
        JwtError::InvalidHeader(message)
        | JwtError::InvalidQueryParam(message)
        | JwtError::Decode(message)
        | JwtError::WrongToken(message) => callbacks.invalid.as_ref().map(|callback| callback(message)),
        JwtError::Expired { header, claims } => callbacks.expired.as_ref().map(|callback| callback(header, claims)),
        JwtError::FreshTokenRequired { header, claims } => {
            callbacks.needs_fresh.as_ref().map(|callback| callback(header, claims))
        }
        JwtError::Revoked { header, claims } => callbacks.revoked.as_ref().map(|callback| callback(header, claims)),
        JwtError::UserLookup { header, claims } => {
            if let Some(callback) = &callbacks.user_lookup_error {
                Some(callback(header, claims))
            } else {
                let identity = identity_text(claims, &settings.identity_claim);
                let message = format!("Error loading the user {identity}");
                Some(MaybeReady::ready(message_response(key, &message, StatusCode::UNAUTHORIZED)))
            }
        }
        JwtError::UserClaimsVerification { header, claims } => {
            callbacks.verification_failed.as_ref().map(|callback| callback(header, claims))
        }
        JwtError::BlocklistUnavailable(_) | JwtError::Setup(_) => None,
    };
    custom.unwrap_or_else(|| MaybeReady::ready(error.default_response(key)))
}

/// `{<key>: message}` as `jsonify` writes it, built without a JSON map: errors
/// are answered as often as tokens are accepted.
fn message_response(key: &str, message: &str, status: StatusCode) -> Response {
    // `{"key":"message"}\n`: exactly the right size unless something needs escaping.
    let mut body = Vec::with_capacity(key.len() + message.len() + 8);
    body.push(b'{');
    python_json::write_str(&mut body, key);
    body.push(b':');
    python_json::write_str(&mut body, message);
    body.extend_from_slice(b"}\n");
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

impl JwtError {
    /// Upstream's default response: `{<key>: message}` with the error's status. A
    /// [`Setup`](JwtError::Setup) error is the app's mistake: it is logged and
    /// answered with a plain 500, its message never sent.
    pub fn default_response(&self, message_key: &str) -> Response {
        match self {
            JwtError::Setup(message) => {
                tracing::error!(target: "phial_jwt", %message, "JWT extension misused; answering 500");
                HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).render()
            }
            JwtError::BlocklistUnavailable(message) => {
                tracing::error!(target: "phial_jwt", %message, "token revocation is unavailable; answering 503");
                message_response(
                    message_key,
                    "Token revocation is unavailable right now; try again later",
                    StatusCode::SERVICE_UNAVAILABLE,
                )
            }
            other => {
                let status = StatusCode::from_u16(other.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                message_response(message_key, &other.message(), status)
            }
        }
    }
}

/// Upstream's default response (a pure conversion). Returned from a view as
/// `Err(..)` instead, a `JwtError` reaches the app's error handlers, where the
/// manager's callbacks answer it.
impl IntoResponse for JwtError {
    fn into_response(self) -> Response {
        self.default_response("msg")
    }
}
