//! Turning a `JwtError` into a response: through the manager's callbacks, or with
//! flask-jwt-extended's default bodies (`{"msg": "..."}`, the key set by
//! `JWT_ERROR_MESSAGE_KEY`) and statuses.

use bytes::Bytes;
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

/// The default answer to a request with no `Authorization` header (or whatever
/// `JWT_HEADER_NAME` says), rendered once when the manager starts: it answers every
/// request that comes without a token, by far the most frequent error.
#[derive(Debug)]
pub(crate) struct MissingHeaderAnswer {
    message: String,
    body: Bytes,
}

impl MissingHeaderAnswer {
    pub(crate) fn new(settings: &Settings) -> MissingHeaderAnswer {
        let message = crate::locations::missing_header_message(&settings.header_name);
        let body = message_body(&settings.error_message_key, &message).into();
        MissingHeaderAnswer { message, body }
    }

    /// The answer, when `message` is the one it was rendered for.
    fn answer(&self, message: &str) -> Option<Response> {
        (message == self.message).then(|| json_response(Body::from(self.body.clone()), StatusCode::UNAUTHORIZED))
    }
}

/// The response for `error` with these callbacks (ready at once unless the
/// callback that answers is async).
pub(crate) fn respond(
    callbacks: &Callbacks,
    settings: &Settings,
    missing_header: &MissingHeaderAnswer,
    error: &JwtError,
) -> MaybeReady<Response> {
    let key = &settings.error_message_key;
    let custom = match error {
        JwtError::NoAuthorization(message) => match &callbacks.unauthorized {
            Some(callback) => Some(callback(message)),
            None => missing_header.answer(message).map(MaybeReady::ready),
        },
        JwtError::Csrf(message) => callbacks.unauthorized.as_ref().map(|callback| callback(message)),
        JwtError::InvalidHeader(message)
        | JwtError::InvalidQueryParam(message)
        | JwtError::Decode(message)
        | JwtError::WrongToken(message) => callbacks.invalid.as_ref().map(|callback| callback(message)),
        JwtError::Expired { header, claims } => callbacks.expired.as_ref().map(|callback| callback(header, claims)),
        JwtError::FreshTokenRequired { header, claims } => {
            callbacks.needs_fresh.as_ref().map(|callback| callback(header, claims))
        }
        JwtError::Revoked { header, claims } => callbacks.revoked.as_ref().map(|callback| callback(header, claims)),
        JwtError::RefreshTokenReused { header, claims } => {
            callbacks.refresh_reuse.as_ref().map(|callback| callback(header, claims))
        }
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
        JwtError::BlocklistUnavailable(_) | JwtError::KeysUnavailable(_) | JwtError::Setup(_) => None,
    };
    custom.unwrap_or_else(|| MaybeReady::ready(error.default_response(key)))
}

/// `{<key>: message}` as `jsonify` writes it, built without a JSON map: errors
/// are answered as often as tokens are accepted.
fn message_response(key: &str, message: &str, status: StatusCode) -> Response {
    json_response(Body::from(message_body(key, message)), status)
}

/// `{"key":"message"}\n`, in a buffer of exactly the right size unless something
/// needs escaping.
fn message_body(key: &str, message: &str) -> Vec<u8> {
    let mut body = Vec::with_capacity(key.len() + message.len() + 8);
    body.push(b'{');
    python_json::write_str(&mut body, key);
    body.push(b':');
    python_json::write_str(&mut body, message);
    body.extend_from_slice(b"}\n");
    body
}

fn json_response(body: Body, status: StatusCode) -> Response {
    let mut response = Response::new(body);
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
            JwtError::KeysUnavailable(message) => {
                tracing::error!(target: "phial_jwt", %message, "no verification keys; answering 503");
                message_response(
                    message_key,
                    "The keys that verify tokens are unavailable right now; try again later",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(header_name: &str, message_key: &str) -> Settings {
        let mut config = phial::Config::new();
        config.set("JWT_SECRET_KEY", "k").set("JWT_HEADER_NAME", header_name).set("JWT_ERROR_MESSAGE_KEY", message_key);
        Settings::from_config(&config, false).unwrap()
    }

    fn parts(response: Response) -> (StatusCode, Option<HeaderValue>, Bytes) {
        let body = response.body().as_bytes().cloned().unwrap_or_default();
        (response.status(), response.headers().get(CONTENT_TYPE).cloned(), body)
    }

    #[test]
    fn the_rendered_missing_header_answer_is_the_default_answer() {
        for (name, key) in [("Authorization", "msg"), ("X-Api-\"Token\"", "error")] {
            let settings = settings(name, key);
            let canned = MissingHeaderAnswer::new(&settings);
            let error = JwtError::NoAuthorization(crate::locations::missing_header_message(name));
            let answered = respond(&Callbacks::default(), &settings, &canned, &error);
            let MaybeReady::Ready(answered) = answered else { panic!("a default answer is ready at once") };
            assert_eq!(parts(answered), parts(error.default_response(key)), "{name}");
        }
        let canned = MissingHeaderAnswer::new(&settings("Authorization", "msg"));
        assert!(canned.answer("Missing cookie \"access_token_cookie\"").is_none(), "only for its own message");
    }
}
