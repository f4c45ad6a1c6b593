//! `Form<T>`: an urlencoded form body parsed into a type.

use http::StatusCode;
use serde::de::DeserializeOwned;

use super::FromRequest;
use crate::{HttpError, Request, ViewError};

/// An `application/x-www-form-urlencoded` body parsed into `T`.
///
/// Another content type is a 415; a missing or malformed field a 400 that says which.
/// For the raw fields use [`Request::form`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Form<T> {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        if request.mimetype() != "application/x-www-form-urlencoded" {
            return Err(HttpError::with_message(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expected a form body with Content-Type 'application/x-www-form-urlencoded'.",
            )
            .into());
        }
        serde_urlencoded::from_bytes(request.data()).map(Form).map_err(|err| {
            tracing::debug!(target: "phial::request", error = %err, "bad form body");
            HttpError::with_message(StatusCode::BAD_REQUEST, format!("Invalid form body: {err}")).into()
        })
    }
}
