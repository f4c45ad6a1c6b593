//! `ViewError`: any error a view, a hook or a decorator raises (documented on the type).

use std::any::TypeId;
use std::error::Error as StdError;
use std::fmt;

use crate::response::Jsonify;
use crate::{HttpError, abort_with};

/// Any error a view, a hook or a decorator raises, on its way to the app's error
/// handlers (Flask's uncaught exception).
///
/// A view returns `Result<T, E>` for any `E` that converts into a [`ViewError`]:
/// every `std::error::Error + Send + Sync + 'static` does, phial's [`HttpError`] and
/// phial-jwt's `JwtError` among them, so `?` works on all of them in one view. The
/// error travels to dispatch as a value (converting it is not rendering it);
/// dispatch asks the app's error handlers, by status for an [`HttpError`] and by
/// type for the others; an error no handler takes is logged with its chain and
/// answered as a 500 whose body says nothing about it.
///
/// ```
/// use phial::prelude::*;
///
/// #[derive(Debug)]
/// struct OutOfStock;
/// impl std::fmt::Display for OutOfStock {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("out of stock") }
/// }
/// impl std::error::Error for OutOfStock {}
///
/// async fn buy(request: Request) -> Result<Jsonify, ViewError> {
///     let order: serde_json::Value = request.get_json()?; // an HttpError (400, 415)
///     let count: u32 = std::fs::read_to_string("/nonexistent/stock")?.trim().parse()?; // io and parse errors
///     if count == 0 {
///         return Err(OutOfStock.into());
///     }
///     Ok(jsonify!({"ordered": order}))
/// }
///
/// let mut app = App::new("shop");
/// app.route("/buy", ["POST"], buy);
/// app.errorhandler_for(|_: &OutOfStock| jsonify!({"msg": "out of stock"}).status(409));
/// ```
///
/// `ViewError` does not implement `std::error::Error` itself (so that every error
/// can convert into it, as with `anyhow::Error`); [`ViewError::downcast_ref`] reads
/// the error it holds.
pub struct ViewError {
    error: Box<dyn StdError + Send + Sync>,
    type_id: TypeId,
    type_name: &'static str,
}

impl ViewError {
    /// Wraps `error`. (`?` and `.into()` do this.)
    pub fn new<E: StdError + Send + Sync + 'static>(error: E) -> ViewError {
        ViewError { error: Box::new(error), type_id: TypeId::of::<E>(), type_name: std::any::type_name::<E>() }
    }

    /// Whether the error is an `E`.
    pub fn is<E: StdError + 'static>(&self) -> bool {
        self.type_id == TypeId::of::<E>()
    }

    /// The error, if it is an `E`.
    pub fn downcast_ref<E: StdError + 'static>(&self) -> Option<&E> {
        self.error.downcast_ref::<E>()
    }

    /// The error by value, if it is an `E`; the `ViewError` back otherwise.
    pub fn downcast<E: StdError + 'static>(self) -> Result<E, ViewError> {
        if !self.is::<E>() {
            return Err(self);
        }
        match self.error.downcast::<E>() {
            Ok(error) => Ok(*error),
            // `is` said yes: downcast cannot fail.
            Err(error) => Err(ViewError { error, type_id: self.type_id, type_name: self.type_name }),
        }
    }

    /// The [`HttpError`] inside, if that is what it is.
    pub fn as_http_error(&self) -> Option<&HttpError> {
        self.downcast_ref::<HttpError>()
    }

    /// The `TypeId` of the error inside (error handlers are found by it).
    pub fn type_id_of_error(&self) -> TypeId {
        self.type_id
    }

    /// The Rust type name of the error inside, for logs.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The error inside, as a `std::error::Error`.
    pub fn as_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.error
    }

    /// The error and its sources, `: `-separated, for a log line.
    pub fn chain(&self) -> String {
        let mut text = self.error.to_string();
        let mut source = self.error.source();
        while let Some(error) = source {
            text.push_str(": ");
            text.push_str(&error.to_string());
            source = error.source();
        }
        text
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for ViewError {
    fn from(error: E) -> ViewError {
        ViewError::new(error)
    }
}

/// A `jsonify!` response raised as an error is sent as it is, past the error
/// handlers (Flask's `abort(response)`): what a decorator answers when it refuses a
/// request with its own body, `Err(jsonify!({"msg": "Admins only!"}).status(403).into())`.
impl From<Jsonify> for ViewError {
    fn from(response: Jsonify) -> ViewError {
        ViewError::new(abort_with(response))
    }
}

impl fmt::Debug for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ViewError").field("type", &self.type_name).field("error", &self.error).finish()
    }
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("loading the stock failed")
        }
    }
    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn any_error_converts_and_keeps_its_type() {
        fn raise() -> Result<(), ViewError> {
            Err(HttpError::new(StatusCode::NOT_FOUND))?
        }
        let error = raise().unwrap_err();
        assert!(error.is::<HttpError>());
        assert_eq!(error.as_http_error().map(HttpError::status), Some(StatusCode::NOT_FOUND));
        assert!(error.downcast::<std::io::Error>().is_err(), "not an io error: the ViewError comes back");
    }

    #[test]
    fn an_error_is_taken_back_by_value() {
        let error = ViewError::from(std::io::Error::other("disk"));
        assert_eq!(error.type_name(), "std::io::error::Error");
        let io = error.downcast::<std::io::Error>().unwrap();
        assert_eq!(io.to_string(), "disk");
    }

    #[test]
    fn a_jsonify_response_is_raised_as_it_is() {
        let error = ViewError::from(Jsonify::new(serde_json::json!({"msg": "no"})).status(403));
        let http_error = error.downcast::<HttpError>().unwrap();
        assert!(http_error.has_response());
        assert_eq!(http_error.render().status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn the_chain_names_every_source() {
        let error = ViewError::from(Outer(std::io::Error::other("disk full")));
        assert_eq!(error.to_string(), "loading the stock failed");
        assert_eq!(error.chain(), "loading the stock failed: disk full");
    }
}
