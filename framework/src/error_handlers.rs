//! Error handlers: Flask's `@app.errorhandler(404)` and `@app.errorhandler(MyError)`.
//!
//! Handlers are found when an error turns into a response: a routing 404/405, a
//! handler's `Err(e)`, a decorator's refusal, a panic (a 500). The lookup order is
//! Flask's: for an [`HttpError`], handlers for its status code (the matched
//! blueprint's, then the app's); then handlers for the error's type (blueprint's,
//! then app's); then the error's own response.

use std::any::{Any, TypeId};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use crate::context::{self, Context};
use crate::{HttpError, IntoResponse, Response};

type StatusHandler = Arc<dyn Fn(&HttpError) -> Response + Send + Sync>;
type TypeHandler = Arc<dyn Fn(&dyn Any) -> Option<Response> + Send + Sync>;

/// The error handlers of an app or of a blueprint.
#[derive(Clone, Default)]
pub(crate) struct ErrorHandlers {
    // An app has a handful of handlers: lists searched in order find one faster
    // than a hash map hashes the key, on every error response.
    by_status: Vec<(u16, StatusHandler)>,
    by_type: Vec<(TypeId, TypeHandler)>,
}

impl ErrorHandlers {
    pub(crate) fn on_status<F, R>(&mut self, status: u16, handler: F)
    where
        F: Fn(&HttpError) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        replace_or_push(&mut self.by_status, status, Arc::new(move |error| handler(error).into_response()));
    }

    pub(crate) fn on_type<E, F, R>(&mut self, handler: F)
    where
        E: 'static,
        F: Fn(&E) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        let handler: TypeHandler =
            Arc::new(move |error: &dyn Any| error.downcast_ref::<E>().map(|e| handler(e).into_response()));
        replace_or_push(&mut self.by_type, TypeId::of::<E>(), handler);
    }

    fn for_status(&self, status: u16) -> Option<&StatusHandler> {
        self.by_status.iter().find(|(key, _)| *key == status).map(|(_, handler)| handler)
    }

    fn for_type(&self, type_id: TypeId) -> Option<&TypeHandler> {
        self.by_type.iter().find(|(key, _)| *key == type_id).map(|(_, handler)| handler)
    }
}

/// Registers `handler` for `key`; a later registration replaces an earlier one, as
/// in Flask.
fn replace_or_push<K: PartialEq, H>(handlers: &mut Vec<(K, H)>, key: K, handler: H) {
    match handlers.iter_mut().find(|(existing, _)| *existing == key) {
        Some(slot) => slot.1 = handler,
        None => handlers.push((key, handler)),
    }
}

/// Turns `error` into a response through the error handlers of the current app, or
/// with `default` when none applies (or outside of an app context).
///
/// Types that should be catchable by the app's handlers call this from their
/// `IntoResponse` implementation; `Result<T, E>` does it for its `Err`.
pub fn handle_error_with<E: 'static>(error: E, default: impl FnOnce(E) -> Response) -> Response {
    let handled = context::with(|context| {
        let context = context?;
        if context.in_error_handler.get() {
            return None;
        }
        let handler = find(context, &error)?;
        context.in_error_handler.set(true);
        let response = catch_unwind(AssertUnwindSafe(|| handler.call(&error)));
        context.in_error_handler.set(false);
        Some(response.unwrap_or_else(|panic| {
            tracing::error!(target: "phial::error", panic = %crate::dispatch::panic_message(&*panic), "error handler panicked");
            Some(HttpError::new(http::StatusCode::INTERNAL_SERVER_ERROR).render())
        }))
    });
    match handled.flatten() {
        Some(response) => response,
        None => default(error),
    }
}

/// The handler that answers an error, borrowed from the app.
enum Found<'a> {
    Status(&'a StatusHandler),
    Type(&'a TypeHandler),
}

impl Found<'_> {
    fn call(&self, error: &dyn Any) -> Option<Response> {
        match self {
            Found::Status(handler) => error.downcast_ref::<HttpError>().map(|error| handler(error)),
            Found::Type(handler) => handler(error),
        }
    }
}

fn find<'a, E: 'static>(context: &'a Context, error: &E) -> Option<Found<'a>> {
    let app = &context.app;
    let blueprint = context.request.as_ref().and_then(|r| r.blueprint_index());
    // The matched blueprint's handlers first, then the app's.
    let scopes = [blueprint.and_then(|b| app.blueprint_error_handlers(b)), Some(app.error_handlers())];
    let scopes = scopes.iter().flatten();
    if let Some(http_error) = (error as &dyn Any).downcast_ref::<HttpError>() {
        let status = http_error.status().as_u16();
        if let Some(handler) = scopes.clone().find_map(|s| s.for_status(status)) {
            return Some(Found::Status(handler));
        }
    }
    scopes.clone().find_map(|s| s.for_type(TypeId::of::<E>())).map(Found::Type)
}
