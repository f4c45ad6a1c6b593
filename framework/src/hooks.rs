//! Request hooks: Flask's `before_request`, `after_request` and `teardown_request`.
//!
//! For each request, in Flask's order:
//! 1. `before_request` hooks, the app's then the matched blueprint's, in registration
//!    order; the first that answers (`Some(response)`) or fails (`Err(e)`, handled by
//!    the error handlers) ends the chain and the view is skipped. They run even when
//!    no route matched (the 404 comes after them).
//! 2. the view (or the routing error, or the short-circuit response);
//! 3. `after_request` hooks, the blueprint's then the app's, each in reverse
//!    registration order; each receives the response and returns the one to send.
//!    They also run for error responses.
//! 4. `teardown_request` hooks, always, last; they receive the error the request
//!    ended with (a panic, or an error no handler took), if any.
//!
//! Every hook may be a plain closure or an async one:
//!
//! | hook | plain | async |
//! |---|---|---|
//! | before | `\|request: &Request\| -> Option<R>` | `\|request: Request\| async move { .. }` |
//! | after | `\|request: &Request, response: Response\| -> Response` | `\|request: Request, response: Response\| async move { .. }` |
//! | teardown | `\|request: &Request, error: Option<&Unhandled>\|` | `\|request: Request, error: Option<Unhandled>\| async move { .. }` |
//!
//! A before hook returns `()`, `Option<R>` (`R: IntoResponse`), or a `Result` of
//! either, so `?` works in it (in an `async move` block, name the error type once,
//! as Rust asks of any async block that uses `?`: `Ok::<_, ViewError>(None)`); an
//! after hook returns a response or a `Result` of one. Closures name their
//! parameters' types, which tells the plain form from the async one. An app without
//! hooks pays nothing; plain hooks are called without boxing.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::maybe_async::{Eventual, Immediate, MaybeReady};
use crate::response::IntoViewResult;
use crate::{IntoResponse, Request, Response, ViewError};

/// What a before hook decided: go on (`None`), answer, or fail.
pub(crate) type BeforeOutcome = Result<Option<Response>, ViewError>;

pub(crate) type BeforeHook = Arc<dyn Fn(&Request) -> MaybeReady<BeforeOutcome> + Send + Sync>;
pub(crate) type AfterHook = Arc<dyn Fn(&Request, Response) -> MaybeReady<Result<Response, ViewError>> + Send + Sync>;
pub(crate) type TeardownHook = Arc<dyn Fn(&Request, Option<&Unhandled>) -> MaybeReady<()> + Send + Sync>;

/// The hooks of an app or of a blueprint.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) before: Vec<BeforeHook>,
    pub(crate) after: Vec<AfterHook>,
    pub(crate) teardown: Vec<TeardownHook>,
}

impl Hooks {
    pub(crate) fn is_empty(&self) -> bool {
        self.before.is_empty() && self.after.is_empty() && self.teardown.is_empty()
    }
}

/// The error a request ended with, given to `teardown_request` hooks (Flask passes
/// the unhandled exception): a panic, or an error no error handler answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unhandled {
    message: String,
}

impl Unhandled {
    pub(crate) fn new(message: String) -> Unhandled {
        Unhandled { message }
    }

    /// The panic's message, or the error's chain.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The text of a panic payload.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic with a non-text payload".to_string()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request failed: {}", self.message)
    }
}

/// What a `before_request` hook may return: `()` or `None` to go on, `Some(r)` to
/// answer with `r`, or a `Result` of those so that `?` works.
pub trait IntoBeforeOutcome {
    /// The hook's decision.
    fn into_before_outcome(self) -> Result<Option<Response>, ViewError>;
}

impl IntoBeforeOutcome for () {
    fn into_before_outcome(self) -> Result<Option<Response>, ViewError> {
        Ok(None)
    }
}

impl<R: IntoResponse> IntoBeforeOutcome for Option<R> {
    fn into_before_outcome(self) -> Result<Option<Response>, ViewError> {
        Ok(self.map(IntoResponse::into_response))
    }
}

impl<E: Into<ViewError>> IntoBeforeOutcome for Result<(), E> {
    fn into_before_outcome(self) -> Result<Option<Response>, ViewError> {
        self.map(|()| None).map_err(Into::into)
    }
}

impl<R: IntoResponse, E: Into<ViewError>> IntoBeforeOutcome for Result<Option<R>, E> {
    fn into_before_outcome(self) -> Result<Option<Response>, ViewError> {
        self.map(|answer| answer.map(IntoResponse::into_response)).map_err(Into::into)
    }
}

/// A `before_request` hook, plain or async; see the [module docs](self).
pub trait BeforeRequestHook<M>: Send + Sync + 'static {
    /// Runs the hook.
    fn call(&self, request: &Request) -> MaybeReady<BeforeOutcome>;
}

impl<F, R> BeforeRequestHook<(Immediate, R)> for F
where
    F: Fn(&Request) -> R + Send + Sync + 'static,
    R: IntoBeforeOutcome,
{
    fn call(&self, request: &Request) -> MaybeReady<BeforeOutcome> {
        MaybeReady::ready(self(request).into_before_outcome())
    }
}

impl<F, Fut> BeforeRequestHook<(Eventual, Fut)> for F
where
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoBeforeOutcome,
{
    fn call(&self, request: &Request) -> MaybeReady<BeforeOutcome> {
        let future = self(request.clone());
        MaybeReady::pending(async move { future.await.into_before_outcome() })
    }
}

/// An `after_request` hook, plain or async; see the [module docs](self).
pub trait AfterRequestHook<M>: Send + Sync + 'static {
    /// Runs the hook on the response.
    fn call(&self, request: &Request, response: Response) -> MaybeReady<Result<Response, ViewError>>;
}

impl<F, R> AfterRequestHook<(Immediate, R)> for F
where
    F: Fn(&Request, Response) -> R + Send + Sync + 'static,
    R: IntoViewResult,
{
    fn call(&self, request: &Request, response: Response) -> MaybeReady<Result<Response, ViewError>> {
        MaybeReady::ready(self(request, response).into_view_result())
    }
}

impl<F, Fut> AfterRequestHook<(Eventual, Fut)> for F
where
    F: Fn(Request, Response) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: IntoViewResult,
{
    fn call(&self, request: &Request, response: Response) -> MaybeReady<Result<Response, ViewError>> {
        let future = self(request.clone(), response);
        MaybeReady::pending(async move { future.await.into_view_result() })
    }
}

/// A `teardown_request` hook, plain or async; see the [module docs](self).
pub trait TeardownRequestHook<M>: Send + Sync + 'static {
    /// Runs the hook.
    fn call(&self, request: &Request, error: Option<&Unhandled>) -> MaybeReady<()>;
}

impl<F> TeardownRequestHook<Immediate> for F
where
    F: Fn(&Request, Option<&Unhandled>) + Send + Sync + 'static,
{
    fn call(&self, request: &Request, error: Option<&Unhandled>) -> MaybeReady<()> {
        self(request, error);
        MaybeReady::ready(())
    }
}

impl<F, Fut> TeardownRequestHook<(Eventual, Fut)> for F
where
    F: Fn(Request, Option<Unhandled>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    fn call(&self, request: &Request, error: Option<&Unhandled>) -> MaybeReady<()> {
        MaybeReady::pending(self(request.clone(), error.cloned()))
    }
}
