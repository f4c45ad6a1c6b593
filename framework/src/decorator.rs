//! Decorators: code that wraps a handler, like a Python decorator on a Flask view.
//!
//! A decorator runs [`before`](Decorator::before) the handler (and may refuse the
//! request with an error, which the app's error handlers answer, or store data in
//! [`g`](crate::Request::g) for it) and [`after`](Decorator::after) it (and may
//! change the response). Both may await. Apply one to a route with the
//! `#[decorate(expr)]` attribute below a route attribute, or with
//! [`Route::decorate`](crate::Route::decorate):
//!
//! ```
//! use phial::prelude::*;
//!
//! /// Refuses requests without an `X-Api-Key` header.
//! struct ApiKeyRequired;
//!
//! impl Decorator for ApiKeyRequired {
//!     async fn before(&self, request: &Request) -> Result<(), ViewError> {
//!         match request.header("X-Api-Key") {
//!             Some(_) => Ok(()),
//!             // `abort_with` answers with this response, past the error handlers;
//!             // `Err(abort(401).into())` would let a 401 handler answer.
//!             None => Err(abort_with(jsonify!({"msg": "API key required"}).status(401)).into()),
//!         }
//!     }
//! }
//!
//! #[get("/data")]
//! #[decorate(ApiKeyRequired)]
//! async fn data() -> Json<Vec<u32>> {
//!     Json(vec![1, 2, 3])
//! }
//!
//! let mut app = App::new("demo");
//! app.register(routes![data]);
//! // Without the macros: Route::new("/data", ["GET"], data).decorate(ApiKeyRequired)
//! ```
//!
//! Several decorators run in the order they are written (the first is outermost),
//! as in Python.

use std::future::Future;
use std::sync::Arc;

use crate::handler::BoxedHandler;
use crate::{Request, Response, ViewError};

/// Code that runs around a handler; see the [module docs](self).
pub trait Decorator: Send + Sync + 'static {
    /// Runs before the handler. An error answers in the handler's place, through
    /// the app's error handlers (as the handler's own error would).
    fn before(&self, request: &Request) -> impl Future<Output = Result<(), ViewError>> + Send;

    /// Runs after the handler with its response (not when the handler or `before`
    /// failed); returns the response to send.
    fn after(&self, request: &Request, response: Response) -> impl Future<Output = Response> + Send {
        let _ = request;
        std::future::ready(response)
    }
}

/// Wraps `inner` so that `decorator` runs around it.
pub(crate) fn wrap<D: Decorator>(inner: BoxedHandler, decorator: Arc<D>) -> BoxedHandler {
    Arc::new(move |request: Request| {
        let inner = inner.clone();
        let decorator = decorator.clone();
        Box::pin(async move {
            decorator.before(&request).await?;
            let response = inner(request.clone()).await?;
            Ok(decorator.after(&request, response).await)
        })
    })
}
