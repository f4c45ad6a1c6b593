//! Reading the verified token of the current request: `get_jwt()`,
//! `get_jwt_identity()`, `get_jwt_header()`, `current_user()`,
//! `get_jwt_request_location()`, and the same as handler parameters.
//!
//! They work after `#[jwt_required]` or `verify_jwt_in_request` ran in this request
//! (in the handler, in later decorators, and in `after_request` hooks). Elsewhere
//! they return [`JwtError::Setup`] (a 500, as upstream's `RuntimeError`), except
//! `get_jwt_request_location`, which returns `None`. On an optional route without a
//! token, the claims and header are empty and the identity and user are absent.

use phial::extract::FromRequest;
use phial::{Request, ViewError};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

use crate::locations::Location;
use crate::verify::Verified;
use crate::{JWTManager, JsonObject, JwtError};

const NOT_VERIFIED: &str = "You must call `@jwt_required()` or `verify_jwt_in_request()` before using this method";

fn verified_in(request: &Request) -> Result<Arc<Verified>, JwtError> {
    request.g().get::<Arc<Verified>>().ok_or_else(|| JwtError::Setup(NOT_VERIFIED.into()))
}

fn verified() -> Result<Arc<Verified>, JwtError> {
    let request = phial::request().map_err(|_| JwtError::Setup(NOT_VERIFIED.into()))?;
    verified_in(&request)
}

/// The claims of the verified token (Python's `get_jwt()`); empty on an optional
/// route without a token.
pub fn get_jwt() -> Result<Arc<JsonObject>, JwtError> {
    Ok(verified()?.token.as_ref().map_or_else(Default::default, |t| t.claims().clone()))
}

/// The header of the verified token (Python's `get_jwt_header()`).
pub fn get_jwt_header() -> Result<Arc<JsonObject>, JwtError> {
    Ok(verified()?.token.as_ref().map_or_else(Default::default, |t| t.header.clone()))
}

/// The identity claim (`JWT_IDENTITY_CLAIM`, `sub` by default) as `T` (Python's
/// `get_jwt_identity()`): `get_jwt_identity::<String>()`, or
/// `get_jwt_identity::<Option<String>>()` on an optional route.
pub fn get_jwt_identity<T: DeserializeOwned>() -> Result<T, JwtError> {
    let verified = verified()?;
    let manager = JWTManager::current()?;
    let claim = &manager.settings()?.identity_claim;
    let identity = verified.token.as_ref().and_then(|t| t.claim(claim)).unwrap_or(&Value::Null);
    // Read in place: a `&Value` is a serde deserializer, so nothing is copied.
    T::deserialize(identity).map_err(|err| {
        JwtError::Setup(format!("the identity {identity} cannot be read as {}: {err}", std::any::type_name::<T>()))
    })
}

/// Where the verified token was found (Python's `get_jwt_request_location()`);
/// `None` outside a verified request or on an optional route without a token.
pub fn get_jwt_request_location() -> Option<Location> {
    verified().ok()?.location
}

/// The user loaded by `user_lookup_loader` (Python's `get_current_user()`); `None`
/// on an optional route without a token.
pub fn get_current_user<U: Send + Sync + 'static>() -> Result<Option<Arc<U>>, JwtError> {
    let verified = verified()?;
    if JWTManager::current()?.runtime()?.callbacks.user_lookup.is_none() {
        return Err(JwtError::Setup("You must provide a `@jwt.user_lookup_loader` callback to use this method".into()));
    }
    match &verified.user {
        None => Ok(None),
        Some(user) => user.0.clone().downcast::<U>().map(Some).map_err(|_| {
            JwtError::Setup(format!(
                "current_user::<{}>() does not match the type user_lookup_loader returns",
                std::any::type_name::<U>()
            ))
        }),
    }
}

/// The user loaded by `user_lookup_loader` (Python's `current_user`); an error when
/// there is none (an optional route without a token).
pub fn current_user<U: Send + Sync + 'static>() -> Result<Arc<U>, JwtError> {
    get_current_user::<U>()?.ok_or_else(|| JwtError::Setup("there is no current user: no token was sent".into()))
}

/// The verified token's claims as a handler parameter.
///
/// ```
/// use phial::prelude::*;
/// use phial_jwt::prelude::*;
///
/// #[get("/protected")]
/// #[jwt_required]
/// async fn protected(Claims(claims): Claims) -> impl IntoResponse {
///     jsonify!({"logged_in_as": claims["sub"]})
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Claims(pub Arc<JsonObject>);

impl FromRequest for Claims {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        let verified = verified_in(request)?;
        Ok(Claims(verified.token.as_ref().map_or_else(Default::default, |t| t.claims().clone())))
    }
}

/// The user loaded by `user_lookup_loader`, as a handler parameter (a 500 when the
/// route did not verify a token or the type does not match).
#[derive(Debug)]
pub struct CurrentUser<U>(pub Arc<U>);

impl<U: Send + Sync + 'static> FromRequest for CurrentUser<U> {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        let verified = verified_in(request)?;
        let user = verified.user.as_ref().ok_or_else(|| {
            JwtError::Setup("there is no current user: no user_lookup_loader, or no token was sent".into())
        })?;
        let user = user.0.clone().downcast::<U>().map_err(|_| {
            JwtError::Setup(format!(
                "CurrentUser<{}> does not match the type user_lookup_loader returns",
                std::any::type_name::<U>()
            ))
        })?;
        Ok(CurrentUser(user))
    }
}
