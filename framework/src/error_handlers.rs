//! Error handlers: Flask's `@app.errorhandler(404)` and `@app.errorhandler(MyError)`.
//!
//! Handlers are found when an error turns into a response: a routing 404/405, a
//! handler's `Err(e)`, a decorator's refusal, a panic (a 500). The lookup order is
//! Flask's: for an [`HttpError`], handlers for its status code (the matched
//! blueprint's, then the app's); then handlers for the error's type (blueprint's,
//! then app's); then the error's own response.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use crate::context::{self, Context};
use crate::{HttpError, IntoResponse, Response};

type StatusHandler = Arc<dyn Fn(&HttpError) -> Response + Send + Sync>;
type TypeHandler = Arc<dyn Fn(&dyn Any) -> Option<Response> + Send + Sync>;

/// The error handlers of an app or of a blueprint.
#[derive(Clone, Default)]
pub(crate) struct ErrorHandlers {
    by_status: HashMap<u16, StatusHandler>,
    by_type: HashMap<TypeId, TypeHandler>,
}

impl ErrorHandlers {
    pub(crate) fn on_status<F, R>(&mut self, status: u16, handler: F)
    where
        F: Fn(&HttpError) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        self.by_status.insert(status, Arc::new(move |error| handler(error).into_response()));
    }

    pub(crate) fn on_type<E, F, R>(&mut self, handler: F)
    where
        E: 'static,
        F: Fn(&E) -> R + Send + Sync + 'static,
        R: IntoResponse,
    {
        let handler: TypeHandler =
            Arc::new(move |error: &dyn Any| error.downcast_ref::<E>().map(|e| handler(e).into_response()));
        self.by_type.insert(TypeId::of::<E>(), handler);
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
        let response = catch_unwind(AssertUnwindSafe(|| handler(&error)));
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

type Found = Box<dyn FnOnce(&dyn Any) -> Option<Response>>;

fn find<E: 'static>(context: &Context, error: &E) -> Option<Found> {
    let app = &context.app;
    let blueprint = context.request.as_ref().and_then(|r| r.blueprint_index());
    let scopes: Vec<&ErrorHandlers> =
        blueprint.and_then(|b| app.blueprint_error_handlers(b)).into_iter().chain([app.error_handlers()]).collect();
    if let Some(http_error) = (error as &dyn Any).downcast_ref::<HttpError>() {
        let status = http_error.status().as_u16();
        if let Some(handler) = scopes.iter().find_map(|s| s.by_status.get(&status)) {
            let handler = handler.clone();
            return Some(Box::new(move |e: &dyn Any| e.downcast_ref::<HttpError>().map(|e| handler(e))));
        }
    }
    let handler = scopes.iter().find_map(|s| s.by_type.get(&TypeId::of::<E>()))?.clone();
    Some(Box::new(move |e: &dyn Any| handler(e)))
}
