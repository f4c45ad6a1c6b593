//! phial's error type: what can go wrong while setting up or serving an app.
//!
//! Errors a *client* causes are not these: they are HTTP responses
//! ([`HttpError`](crate::HttpError)). An [`Error`] is the app author's or the
//! machine's problem, and its message says what to change.

use std::fmt;
use std::panic::Location;

/// Everything that can go wrong in phial outside of a client's request.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A URL rule could not be registered (bad syntax, or a conflict with another rule).
    Route {
        /// The rule as written.
        rule: String,
        /// What is wrong and how to fix it.
        message: String,
        /// Where the route was registered.
        location: &'static Location<'static>,
    },
    /// A configuration value is missing or has the wrong type.
    Config {
        /// The config key.
        key: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// An extension (such as the JWT manager) refused to start.
    Extension {
        /// The extension's name.
        name: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A setup method was called after the app started serving.
    AlreadyStarted {
        /// The setup method.
        method: &'static str,
    },
    /// A function that needs the current app or request was called outside of one.
    OutsideContext {
        /// What was needed: "an app context" or "a request".
        needed: &'static str,
    },
    /// `url_for` could not build a URL.
    UrlBuild {
        /// The endpoint asked for.
        endpoint: String,
        /// What is missing or wrong.
        message: String,
    },
    /// A signed value (a session cookie) is not signed by any of the configured keys:
    /// it was changed, cut short, or signed with another key. itsdangerous's
    /// `BadSignature`; Flask reads such a session cookie as an empty session.
    BadSignature {
        /// What did not fit.
        message: String,
    },
    /// A signed value whose signature is good but whose timestamp is older than
    /// `max_age` allows, or in the future. itsdangerous's `SignatureExpired`.
    SignatureExpired {
        /// Seconds between the signature's timestamp and now (negative: in the future).
        age: i64,
        /// The most seconds allowed (`PERMANENT_SESSION_LIFETIME` for sessions).
        max_age: u64,
    },
    /// A signed value whose signature is good but whose content cannot be read (not
    /// base64, bad zlib data, not JSON, a Flask tag that does not fit).
    /// itsdangerous's `BadPayload`.
    BadPayload {
        /// What could not be read.
        message: String,
    },
    /// Several errors found at once while finalising the app.
    Many(Vec<Error>),
    /// A socket or file operation failed.
    Io(std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Route { rule, message, location } => {
                write!(f, "cannot register rule {rule:?} (at {location}): {message}")
            }
            Error::Config { key, message } => write!(f, "config key {key} {message}"),
            Error::Extension { name, message } => write!(f, "{name}: {message}"),
            Error::AlreadyStarted { method } => write!(
                f,
                "the setup method '{method}' can no longer be called on the application: \
                 it has already started serving; make all setup calls before run/serve/test_client"
            ),
            Error::OutsideContext { needed } => write!(
                f,
                "working outside of {needed}: this function needs {needed}; call it from a handler, \
                 a hook, or inside app.app_context(..)"
            ),
            Error::UrlBuild { endpoint, message } => {
                write!(f, "cannot build a URL for endpoint {endpoint:?}: {message}")
            }
            Error::BadSignature { message } => write!(
                f,
                "bad signature: {message}; the value was changed or cut short, or signed with a key that is \
                 not configured (for sessions: neither SECRET_KEY nor one of SECRET_KEY_FALLBACKS)"
            ),
            Error::SignatureExpired { age, .. } if *age < 0 => write!(
                f,
                "signature expired: it is dated {} s in the future; check the clocks of the servers that share \
                 the key",
                age.unsigned_abs()
            ),
            Error::SignatureExpired { age, max_age } => write!(
                f,
                "signature expired: signed {age} s ago, more than the {max_age} s allowed (for sessions: \
                 PERMANENT_SESSION_LIFETIME)"
            ),
            Error::BadPayload { message } => write!(
                f,
                "the signature is good but the payload cannot be read: {message}; the writer signed something \
                 that is not Flask's format"
            ),
            Error::Many(errors) => {
                writeln!(f, "{} problems found while starting the app:", errors.len())?;
                for error in errors {
                    writeln!(f, "  - {error}")?;
                }
                Ok(())
            }
            Error::Io(err) => write!(f, "I/O error: {err}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::Io(err)
    }
}

/// A handler that returns `Err(phial::Error)` answers 500: the error is the app's,
/// not the client's. The message is logged, never sent.
impl crate::IntoResponse for Error {
    fn into_response(self) -> crate::Response {
        tracing::error!(target: "phial::error", error = %self, "handler failed");
        crate::HttpError::new(http::StatusCode::INTERNAL_SERVER_ERROR).into_response()
    }
}
