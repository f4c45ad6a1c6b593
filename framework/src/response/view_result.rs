//! `IntoViewResult`: what a view may return. Anything that is a response
//! ([`IntoResponse`]), or a `Result` whose error converts into a [`ViewError`], so
//! that `?` works on any error and the error reaches the app's error handlers as a
//! value.

use super::{IntoResponse, Response};
use crate::ViewError;

/// What a view (or a hook or an error handler) returns: anything that is a response
/// ([`IntoResponse`]), or a `Result` whose error converts into a [`ViewError`], so
/// that `?` works on any error and the error reaches the app's error handlers as a
/// value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a phial view",
    label = "neither a response nor a `Result` of one",
    note = "return something that implements `IntoResponse` (a `Json(..)`, a `jsonify!({{..}})`, a `String`, a \
            `(body, status)` tuple, a `Response`), or a `Result<T, E>` of one where `E` is a `ViewError` or any \
            `std::error::Error + Send + Sync + 'static` (`?` converts it)"
)]
pub trait IntoViewResult {
    /// The response, or the error to hand to the error handlers.
    fn into_view_result(self) -> Result<Response, ViewError>;
}

impl<R: IntoResponse> IntoViewResult for R {
    fn into_view_result(self) -> Result<Response, ViewError> {
        Ok(self.into_response())
    }
}

impl<T: IntoResponse, E: Into<ViewError>> IntoViewResult for Result<T, E> {
    fn into_view_result(self) -> Result<Response, ViewError> {
        match self {
            Ok(value) => Ok(value.into_response()),
            Err(error) => Err(error.into()),
        }
    }
}
