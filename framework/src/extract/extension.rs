//! `Extension<T>` and `Stashed<T>`: objects of the app and values of the request.

use super::FromRequest;
use crate::{HttpError, Request, ViewError};

/// A clone of the object of type `T` stored in `app.extensions` (a database pool, a
/// client, the JWT manager). A missing extension is the app's mistake: a 500, logged.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extension<T>(pub T);

impl<T: Clone + Send + Sync + 'static> FromRequest for Extension<T> {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        match request.extension::<T>() {
            Some(value) => Ok(Extension(value.clone())),
            None => {
                tracing::error!(
                    target: "phial::error",
                    extension = std::any::type_name::<T>(),
                    "handler wants an extension that is not in app.extensions"
                );
                Err(HttpError::new(http::StatusCode::INTERNAL_SERVER_ERROR).into())
            }
        }
    }
}

/// A clone of the value of type `T` stored in the request's `g`, typically by a
/// decorator. A missing value means the decorator did not run: a 500, logged.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stashed<T>(pub T);

impl<T: Clone + Send + Sync + 'static> FromRequest for Stashed<T> {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        match request.g().get::<T>() {
            Some(value) => Ok(Stashed(value)),
            None => {
                tracing::error!(
                    target: "phial::error",
                    value = std::any::type_name::<T>(),
                    "handler wants a value in g that no decorator or hook stored"
                );
                Err(HttpError::new(http::StatusCode::INTERNAL_SERVER_ERROR).into())
            }
        }
    }
}
