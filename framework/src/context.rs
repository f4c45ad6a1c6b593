//! The app and request contexts: Flask's `current_app` and `request`, as
//! tokio task-locals. `AppHandle::scope` and `AppHandle::app_context`, which open
//! an app context, are here with the task-local they set.
//!
//! While phial handles a request, the app and the request are reachable from any code
//! running in that request's task through [`current_app()`] and [`request()`], the way
//! Flask code reaches `current_app` and `request`. Outside a request,
//! [`AppHandle::app_context`] opens an app context for a closure, so that extensions
//! (the JWT manager, for one) work in tests, CLIs and background jobs.
//!
//! A task spawned from a handler with `tokio::spawn` starts without a context, like
//! a thread started from a Flask view; pass the values it needs.

use std::future::Future;

use crate::{AppHandle, Error, Request};

/// What the current task is working for.
pub(crate) struct Context {
    pub(crate) app: AppHandle,
    pub(crate) request: Option<Request>,
}

tokio::task_local! {
    static CONTEXT: Context;
}

impl Context {
    pub(crate) fn new(app: AppHandle, request: Option<Request>) -> Context {
        Context { app, request }
    }
}

/// Runs `future` inside `context`.
pub(crate) async fn scope<F: Future>(context: Context, future: F) -> F::Output {
    CONTEXT.scope(context, future).await
}

/// Runs `f` inside `context`, synchronously.
pub(crate) fn sync_scope<R>(context: Context, f: impl FnOnce() -> R) -> R {
    CONTEXT.sync_scope(context, f)
}

/// Calls `f` with the current context, if there is one.
pub(crate) fn with<R>(f: impl FnOnce(Option<&Context>) -> R) -> R {
    let mut f = Some(f);
    let result = CONTEXT.try_with(|context| (f.take().expect("called once"))(Some(context)));
    match result {
        Ok(value) => value,
        Err(_) => (f.take().expect("not called when there is no context"))(None),
    }
}

/// The request being handled, like Flask's `request`.
///
/// Errors with [`Error::OutsideContext`] when called outside of a request (for
/// example from a spawned task, or in an app context opened without a request).
pub fn request() -> Result<Request, Error> {
    with(|context| context.and_then(|c| c.request.clone())).ok_or(Error::OutsideContext { needed: "a request" })
}

/// The app of the current request or app context, like Flask's `current_app`.
pub fn current_app() -> Result<AppHandle, Error> {
    with(|context| context.map(|c| c.app.clone())).ok_or(Error::OutsideContext { needed: "an app context" })
}

impl AppHandle {
    /// Runs `future` with this app as the current app (no request), for async
    /// work outside of a request: background jobs, CLIs, tests.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let mut app = phial::App::new("demo");
    /// let handle = app.finalize().unwrap();
    /// let name = handle.scope(async { phial::current_app().unwrap().name().to_string() }).await;
    /// assert_eq!(name, "demo");
    /// # });
    /// ```
    pub async fn scope<F: Future>(&self, future: F) -> F::Output {
        scope(Context::new(self.clone(), None), future).await
    }

    /// Runs `f` with this app as the current app (no request), like Flask's
    /// `with app.app_context():`.
    pub fn app_context<R>(&self, f: impl FnOnce() -> R) -> R {
        sync_scope(Context::new(self.clone(), None), f)
    }
}
