//! `JwtError`: every way a JWT can be refused, mirroring flask-jwt-extended's
//! exceptions, with their default messages and status codes.
//!
//! Inside a request the manager's callbacks (`expired_token_loader`,
//! `invalid_token_loader`, ...) turn these into responses; without a manager, or
//! outside a request, [`JwtError::default_response`] gives upstream's default bodies.

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// A JSON object: a token's header or claims.
pub type JsonObject = Map<String, Value>;

/// Why a token (or its absence) was refused, or why the extension could not work.
///
/// The `Display` text of each variant is the exact message flask-jwt-extended sends.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum JwtError {
    /// No token where one was looked for (upstream `NoAuthorizationError`): 401.
    NoAuthorization(String),
    /// The CSRF double-submit check failed (upstream `CSRFError`): 401.
    Csrf(String),
    /// The `Authorization` header is malformed (upstream `InvalidHeaderError`): 422.
    InvalidHeader(String),
    /// The query-string token lacks its prefix (upstream `InvalidQueryParamError`): 422.
    InvalidQueryParam(String),
    /// The token cannot be decoded or its claims are invalid (PyJWT's `DecodeError`,
    /// `InvalidTokenError` and kin, upstream's `JWTDecodeError`): 422.
    Decode(String),
    /// An access token where a refresh token is required, or the reverse
    /// (upstream `WrongTokenError`): 422.
    WrongToken(String),
    /// The token has expired (PyJWT's `ExpiredSignatureError`): 401.
    Expired {
        /// The token's header.
        header: JsonObject,
        /// The token's claims.
        claims: JsonObject,
    },
    /// The route needs a fresh token (upstream `FreshTokenRequired`): 401.
    FreshTokenRequired {
        /// The token's header.
        header: JsonObject,
        /// The token's claims.
        claims: JsonObject,
    },
    /// The token is in the blocklist (upstream `RevokedTokenError`): 401.
    Revoked {
        /// The token's header.
        header: JsonObject,
        /// The token's claims.
        claims: JsonObject,
    },
    /// The user lookup loader found no user (upstream `UserLookupError`): 401.
    UserLookup {
        /// The token's header.
        header: JsonObject,
        /// The token's claims.
        claims: JsonObject,
    },
    /// The token verification loader refused the claims (upstream
    /// `UserClaimsVerificationError`): 400.
    UserClaimsVerification {
        /// The token's header.
        header: JsonObject,
        /// The token's claims.
        claims: JsonObject,
    },
    /// A retired refresh token was used again (`JWT_REFRESH_TOKEN_ROTATION`): its
    /// family is revoked. 401 `Refresh token reuse detected`.
    RefreshTokenReused {
        /// The token's header.
        header: JsonObject,
        /// The token's claims.
        claims: JsonObject,
    },
    /// The blocklist store could not be reached (a check while failing closed, or a
    /// revocation), or it is full: 503.
    BlocklistUnavailable(String),
    /// A remote key set (JWKS) was never fetched, so no token can be verified:
    /// 503, failing closed until the provider answers.
    KeysUnavailable(String),
    /// The app's mistake: a missing secret, a wrong config value, a function used
    /// outside a protected request. A 500; the message is logged, never sent.
    Setup(String),
}

impl JwtError {
    /// The status code of upstream's default response.
    pub fn status(&self) -> u16 {
        match self {
            JwtError::NoAuthorization(_)
            | JwtError::Csrf(_)
            | JwtError::Expired { .. }
            | JwtError::FreshTokenRequired { .. }
            | JwtError::Revoked { .. }
            | JwtError::UserLookup { .. }
            | JwtError::RefreshTokenReused { .. } => 401,
            JwtError::UserClaimsVerification { .. } => 400,
            JwtError::InvalidHeader(_)
            | JwtError::InvalidQueryParam(_)
            | JwtError::Decode(_)
            | JwtError::WrongToken(_) => 422,
            JwtError::BlocklistUnavailable(_) | JwtError::KeysUnavailable(_) => 503,
            JwtError::Setup(_) => 500,
        }
    }

    /// A decode error with `message` (shorthand used throughout the crate).
    pub(crate) fn decode(message: impl Into<String>) -> JwtError {
        JwtError::Decode(message.into())
    }
}

impl JwtError {
    /// The message flask-jwt-extended sends for this error (the `Display` text),
    /// borrowed when the variant carries it as is.
    pub(crate) fn message(&self) -> Cow<'_, str> {
        match self {
            JwtError::NoAuthorization(message)
            | JwtError::Csrf(message)
            | JwtError::InvalidHeader(message)
            | JwtError::InvalidQueryParam(message)
            | JwtError::Decode(message)
            | JwtError::WrongToken(message)
            | JwtError::Setup(message) => Cow::Borrowed(message),
            JwtError::Expired { .. } => Cow::Borrowed("Token has expired"),
            JwtError::FreshTokenRequired { .. } => Cow::Borrowed("Fresh token required"),
            JwtError::Revoked { .. } => Cow::Borrowed("Token has been revoked"),
            JwtError::RefreshTokenReused { .. } => Cow::Borrowed(crate::rotation::REUSE_MESSAGE),
            JwtError::UserLookup { claims, .. } => {
                Cow::Owned(format!("Error loading the user {}", identity_text(claims, "sub")))
            }
            JwtError::UserClaimsVerification { .. } => Cow::Borrowed("User claims verification failed"),
            JwtError::BlocklistUnavailable(message) => {
                Cow::Owned(format!("Token revocation is unavailable: {message}"))
            }
            JwtError::KeysUnavailable(message) => {
                Cow::Owned(format!("The verification keys are unavailable: {message}"))
            }
        }
    }
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for JwtError {}

/// The identity as Python's `str()` renders it in upstream's messages: strings bare,
/// other JSON values as JSON, a missing claim as `None`.
pub(crate) fn identity_text(claims: &JsonObject, identity_claim: &str) -> String {
    match claims.get(identity_claim) {
        None | Some(Value::Null) => "None".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(true)) => "True".to_string(),
        Some(Value::Bool(false)) => "False".to_string(),
        Some(other) => other.to_string(),
    }
}
