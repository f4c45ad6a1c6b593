//! `request.get_json()` with Flask's rules: 415 for a wrong content type, 400 for a
//! malformed body or one that does not fit the expected type.

use http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Request;
use super::objects_only::ObjectsOnly;
use crate::HttpError;

/// The message of a 415, as Werkzeug words it.
const NOT_JSON: &str = "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.";

impl Request {
    /// Whether the content type is `application/json` or `application/*+json`
    /// (parameters such as `charset` allowed), like `request.is_json`.
    pub fn is_json(&self) -> bool {
        let mimetype = self.mimetype();
        mimetype == "application/json" || (mimetype.starts_with("application/") && mimetype.ends_with("+json"))
    }

    /// Parses the body as JSON into `T`, with Flask's `get_json()` rules:
    /// - a content type that is not JSON: 415;
    /// - an empty or malformed body: 400 with Werkzeug's "The browser (or proxy) sent
    ///   a request that this server could not understand.", or, when the app's
    ///   `DEBUG` is on, the parser's detail (`Failed to decode JSON object: ...`), as
    ///   Flask 3.1 answers;
    /// - JSON that does not fit `T`: 400 naming the field, e.g.
    ///   `Invalid JSON body at 'username': invalid type: integer `5`, expected a string`;
    ///   a struct is read from a JSON object only (serde would also fill one from an
    ///   array, field by field: `["test", "test"]` is not a login).
    ///
    /// Take `T = serde_json::Value` to accept any JSON value.
    pub fn get_json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        if !self.is_json() {
            tracing::debug!(target: "phial::request", mimetype = %self.mimetype(), "JSON expected");
            return Err(HttpError::with_message(StatusCode::UNSUPPORTED_MEDIA_TYPE, NOT_JSON));
        }
        self.get_json_force()
    }

    /// Like [`get_json`](Request::get_json) but ignores the content type
    /// (`get_json(force=True)`).
    pub fn get_json_force<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        let debug = self.config().get_bool("DEBUG").ok().flatten().unwrap_or(false);
        parse(self.data(), debug)
    }

    /// The body as a JSON value, or `None` for a wrong content type or a malformed
    /// body (`get_json(silent=True)`).
    pub fn get_json_silent(&self) -> Option<Value> {
        self.get_json().ok()
    }

    /// Shorthand for [`get_json`](Request::get_json) (`request.json`).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        self.get_json()
    }
}

/// Parses `body` into `T` (a struct from a JSON object only: see `objects_only.rs`),
/// telling malformed JSON apart from JSON of the wrong shape;
/// the parser's detail on malformed JSON only in `debug`, as Flask.
fn parse<T: DeserializeOwned>(body: &[u8], debug: bool) -> Result<T, HttpError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(ObjectsOnly(&mut deserializer)).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = match inner.classify() {
            serde_json::error::Category::Data if path != "." => {
                format!("Invalid JSON body at '{path}': {}", strip_position(&inner.to_string()))
            }
            serde_json::error::Category::Data => {
                format!("Invalid JSON body: {}", strip_position(&inner.to_string()))
            }
            _ => return malformed(&inner, debug),
        };
        tracing::debug!(target: "phial::request", %message, "JSON body does not fit");
        HttpError::with_message(StatusCode::BAD_REQUEST, message)
    })?;
    deserializer.end().map_err(|err| malformed(&err, debug))?;
    Ok(value)
}

/// Malformed JSON: Werkzeug's plain 400, or Flask's debug message.
fn malformed(error: &serde_json::Error, debug: bool) -> HttpError {
    tracing::debug!(target: "phial::request", %error, "malformed JSON body");
    if debug {
        HttpError::with_message(StatusCode::BAD_REQUEST, format!("Failed to decode JSON object: {error}"))
    } else {
        HttpError::new(StatusCode::BAD_REQUEST)
    }
}

/// serde_json appends " at line L column C" to data errors, which says little about
/// a field; keep the message only.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Login {
        username: String,
        password: String,
    }

    fn message<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
        parse::<T>(body.as_bytes(), true).unwrap_err().message().to_string()
    }

    #[test]
    fn malformed_and_empty_bodies_in_debug_say_why() {
        assert!(message::<Value>("").starts_with("Failed to decode JSON object: EOF"));
        assert!(message::<Value>("{\"a\":").starts_with("Failed to decode JSON object"));
        assert!(message::<Value>("{} x").starts_with("Failed to decode JSON object: trailing characters"));
    }

    #[test]
    fn malformed_bodies_outside_debug_get_werkzeugs_plain_400() {
        for body in ["", "{\"a\":", "{} x"] {
            let error = parse::<Value>(body.as_bytes(), false).unwrap_err();
            assert_eq!(error.status(), StatusCode::BAD_REQUEST);
            assert_eq!(error.message(), "The browser (or proxy) sent a request that this server could not understand.");
        }
        // A body that does not fit the type still names the field: Flask has no such case.
        let error = parse::<Login>(br#"{"username": 5, "password": "x"}"#, false).unwrap_err();
        assert!(error.message().starts_with("Invalid JSON body at 'username'"));
    }

    #[test]
    fn shape_errors_name_the_field() {
        assert_eq!(
            message::<Login>(r#"{"username": 5, "password": "x"}"#),
            "Invalid JSON body at 'username': invalid type: integer `5`, expected a string"
        );
        assert_eq!(message::<Login>(r#"{"username": "a"}"#), "Invalid JSON body: missing field `password`");
        assert!(message::<Login>("\"x\"").starts_with("Invalid JSON body: invalid type: string"));
        // serde would read a struct from an array, field by field: refused as such.
        assert_eq!(
            message::<Login>(r#"["a", "b"]"#),
            "Invalid JSON body: invalid type: sequence, expected struct Login"
        );
    }

    #[test]
    fn any_json_value_is_accepted_as_value() {
        assert_eq!(parse::<Value>(b"[1, null]", false).unwrap(), serde_json::json!([1, null]));
    }
}
