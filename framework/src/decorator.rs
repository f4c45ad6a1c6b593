//! Decorators: code that wraps a handler, like a Python decorator on a Flask view.
//!
//! A decorator runs [`before`](Decorator::before) the handler (and may answer in its
//! place, or store data in [`g`](crate::Request::g) for it) and
//! [`after`](Decorator::after) it (and may change the response). Apply one to a
//! route with the `#[decorate(expr)]` attribute below a route attribute, or with
//! [`Route::decorate`](crate::Route::decorate):
//!
//! ```
//! use phial::prelude::*;
//!
//! /// Refuses requests without an `X-Api-Key` header.
//! struct ApiKeyRequired;
//!
//! impl Decorator for ApiKeyRequired {
//!     async fn before(&self, request: &Request) -> Result<(), Response> {
//!         match request.header("X-Api-Key") {
//!             Some(_) => Ok(()),
//!             None => Err((jsonify!({"msg": "API key required"}), 401).into_response()),
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
use crate::{Request, Response};

/// Code that runs around a handler; see the [module docs](self).
pub trait Decorator: Send + Sync + 'static {
    /// Runs before the handler. `Err(response)` answers in the handler's place.
    fn before(&self, request: &Request) -> impl Future<Output = Result<(), Response>> + Send;

    /// Runs after the handler with its response; returns the response to send.
    fn after(&self, request: &Request, response: Response) -> Response {
        let _ = request;
        response
    }
}

/// Wraps `inner` so that `decorator` runs around it.
pub(crate) fn wrap<D: Decorator>(inner: BoxedHandler, decorator: Arc<D>) -> BoxedHandler {
    Arc::new(move |request: Request| {
        let inner = inner.clone();
        let decorator = decorator.clone();
        Box::pin(async move {
            if let Err(response) = decorator.before(&request).await {
                return response;
            }
            let response = inner(request.clone()).await;
            decorator.after(&request, response)
        })
    })
}
