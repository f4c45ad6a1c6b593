//! Error handlers: Flask's `@app.errorhandler(404)` and `@app.errorhandler(MyError)`.
//!
//! Every error of a request reaches dispatch as a [`ViewError`] value: a view's or a
//! decorator's `Err(e)`, an extractor's rejection, a hook's failure, a routing
//! 404/405, a panic (as a 500). Dispatch then looks for a handler in Flask's order:
//! for an [`HttpError`], handlers for its status code (the matched blueprint's, then
//! the app's); then handlers for the error's type (the blueprint's, then the
//! app's). Without one, an `HttpError` renders itself, and any other error is
//! logged with its chain and becomes a 500 (which a 500 handler may answer), its
//! body saying nothing about it.
//!
//! A handler may be plain, taking the error by reference, or async, taking it by
//! value, and returns a response or a `Result` of one:
//!
//! ```
//! use phial::prelude::*;
//!
//! let mut app = App::new("demo");
//! app.errorhandler(404, |error: &HttpError| jsonify!({"msg": error.message()}).status(404));
//! app.errorhandler_for(|error: std::io::Error| async move {
//!     // e.g. write an audit row, then answer
//!     jsonify!({"msg": "storage is unavailable"}).status(503)
//! });
//! ```

use futures_util::FutureExt;
use std::any::TypeId;
use std::error::Error as StdError;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use crate::hooks::{Unhandled, panic_message};
use crate::maybe_async::{Eventual, Immediate, MaybeReady};
use crate::response::IntoViewResult;
use crate::{HttpError, Response, ViewError};
use http::StatusCode;

type ErasedHandler = Arc<dyn Fn(ViewError) -> MaybeReady<Result<Response, ViewError>> + Send + Sync>;

/// A handler for errors of type `E`, plain or async; see the [module docs](self).
pub trait ErrorHandler<E, M>: Send + Sync + 'static {
    /// Answers `error`.
    fn call(&self, error: E) -> MaybeReady<Result<Response, ViewError>>;
}

impl<E, F, R> ErrorHandler<E, (Immediate, R)> for F
where
    F: Fn(&E) -> R + Send + Sync + 'static,
    R: IntoViewResult,
{
    fn call(&self, error: E) -> MaybeReady<Result<Response, ViewError>> {
        MaybeReady::ready(self(&error).into_view_result())
    }
}

impl<E, F, Fut> ErrorHandler<E, (Eventual, Fut)> for F
where
    F: Fn(E) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoViewResult,
{
    fn call(&self, error: E) -> MaybeReady<Result<Response, ViewError>> {
        let future = self(error);
        MaybeReady::pending(async move { future.await.into_view_result() })
    }
}

/// The error handlers of an app or of a blueprint.
#[derive(Clone, Default)]
pub(crate) struct ErrorHandlers {
    // An app has a handful of handlers: lists searched in order find one faster
    // than a hash map hashes the key.
    by_status: Vec<(u16, ErasedHandler)>,
    by_type: Vec<(TypeId, ErasedHandler)>,
    /// The app's `DEBUG`, read when it starts: an unhandled error's 500 then says
    /// what the error was (Flask shows its traceback page).
    debug: bool,
}

impl ErrorHandlers {
    /// Answers unhandled errors with their text in the body (the app's `DEBUG`).
    pub(crate) fn set_debug(&mut self, debug: bool) {
        self.debug = debug;
    }

    pub(crate) fn on_status<M>(&mut self, status: u16, handler: impl ErrorHandler<HttpError, M>) {
        replace_or_push(&mut self.by_status, status, erase::<HttpError, M>(handler));
    }

    pub(crate) fn on_type<E, M>(&mut self, handler: impl ErrorHandler<E, M>)
    where
        E: StdError + Send + Sync + 'static,
    {
        replace_or_push(&mut self.by_type, TypeId::of::<E>(), erase::<E, M>(handler));
    }

    fn for_status(&self, status: u16) -> Option<&ErasedHandler> {
        self.by_status.iter().find(|(key, _)| *key == status).map(|(_, handler)| handler)
    }

    fn for_type(&self, type_id: TypeId) -> Option<&ErasedHandler> {
        self.by_type.iter().find(|(key, _)| *key == type_id).map(|(_, handler)| handler)
    }
}

/// The handler with its error type erased: it takes the `ViewError` back when the
/// error is not an `E` (never, as handlers are found by type).
fn erase<E, M>(handler: impl ErrorHandler<E, M>) -> ErasedHandler
where
    E: StdError + Send + Sync + 'static,
{
    Arc::new(move |error: ViewError| match error.downcast::<E>() {
        Ok(error) => handler.call(error),
        Err(error) => MaybeReady::ready(Err(error)),
    })
}

/// Registers `handler` for `key`; a later registration replaces an earlier one, as
/// in Flask.
fn replace_or_push<K: PartialEq, H>(handlers: &mut Vec<(K, H)>, key: K, handler: H) {
    match handlers.iter_mut().find(|(existing, _)| *existing == key) {
        Some(slot) => slot.1 = handler,
        None => handlers.push((key, handler)),
    }
}

/// What answering an error produced: the response, and the error the request
/// ended with when no handler took it (for the teardown hooks).
pub(crate) struct Answered {
    response: Response,
    unhandled: Option<Unhandled>,
}

impl Answered {
    fn by(response: Response) -> Answered {
        Answered { response, unhandled: None }
    }

    /// The response; records an unhandled error in `unhandled`.
    pub(crate) fn into_response(self, unhandled: &mut Option<Unhandled>) -> Response {
        if self.unhandled.is_some() {
            *unhandled = self.unhandled;
        }
        self.response
    }
}

/// The response to `error`, by the handlers in `scopes` (the matched blueprint's,
/// then the app's); see the [module docs](self). Ready at once unless the handler
/// that answers is async.
pub(crate) fn respond(scopes: [Option<&ErrorHandlers>; 2], error: ViewError) -> MaybeReady<Answered> {
    if let Some(handler) = find(&scopes, &error) {
        return call(handler, error).map(|answer| match answer {
            Ok(response) => Answered::by(response),
            Err(failure) => {
                // As in Flask, an error raised by an error handler is a 500, not handled again.
                tracing::error!(target: "phial::error", error = %failure, "error handler failed; answering 500");
                Answered {
                    response: HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).render(),
                    unhandled: Some(Unhandled::new(failure)),
                }
            }
        });
    }
    let error = match error.downcast::<HttpError>() {
        Ok(http_error) => return MaybeReady::ready(Answered::by(http_error.render())),
        Err(error) => error,
    };
    // Nobody handles it: Flask's InternalServerError, which a 500 handler may answer.
    let chain = error.chain();
    tracing::error!(target: "phial::error", error = %chain, error_type = error.type_name(), "unhandled error; answering 500");
    let unhandled = Some(Unhandled::new(chain));
    let status = StatusCode::INTERNAL_SERVER_ERROR;
    match scopes.iter().flatten().find_map(|s| s.for_status(status.as_u16())) {
        Some(handler) => call(handler, HttpError::new(status).into()).map(move |answer| {
            let response = answer.unwrap_or_else(|failure| {
                tracing::error!(target: "phial::error", error = %failure, "500 handler failed");
                HttpError::new(status).render()
            });
            Answered { response, unhandled }
        }),
        None if scopes.iter().flatten().any(|handlers| handlers.debug) => {
            let body = serde_json::json!({"msg": HttpError::new(status).message(), "error": unhandled.as_ref().map_or("", Unhandled::message)});
            MaybeReady::ready(Answered { response: crate::response::json_response(status, &body), unhandled })
        }
        None => MaybeReady::ready(Answered { response: HttpError::new(status).render(), unhandled }),
    }
}

fn find<'a>(scopes: &[Option<&'a ErrorHandlers>], error: &ViewError) -> Option<&'a ErasedHandler> {
    let scopes = scopes.iter().flatten();
    if let Some(http_error) = error.as_http_error() {
        if http_error.has_response() {
            // abort_with(response): sent as it is.
            return None;
        }
        let status = http_error.status().as_u16();
        if let Some(handler) = scopes.clone().find_map(|s| s.for_status(status)) {
            return Some(handler);
        }
    }
    scopes.clone().find_map(|s| s.for_type(error.type_id_of_error()))
}

/// Calls a handler, catching its panic; the response, or the failure's text. A
/// plain handler answers at once, without a future.
fn call(handler: &ErasedHandler, error: ViewError) -> MaybeReady<Result<Response, String>> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| handler(error))) {
        Ok(MaybeReady::Ready(answer)) => MaybeReady::ready(answer.map_err(|error| error.chain())),
        Ok(MaybeReady::Pending(pending)) => MaybeReady::pending(async move {
            match AssertUnwindSafe(pending).catch_unwind().await {
                Ok(answer) => answer.map_err(|error| error.chain()),
                Err(panic) => Err(panic_message(&*panic)),
            }
        }),
        Err(panic) => MaybeReady::ready(Err(panic_message(&*panic))),
    }
}
