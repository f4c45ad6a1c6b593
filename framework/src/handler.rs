//! Handlers: the async (or plain) functions that answer requests.
//!
//! Any `fn` or closure whose parameters all implement [`FromRequest`] and whose
//! return value implements [`IntoViewResult`] (a response, or a `Result` of one whose
//! error converts into a [`ViewError`]) is a [`Handler`], async or not:
//!
//! ```
//! use phial::prelude::*;
//!
//! async fn hello() -> &'static str { "hello" }
//! fn plain(request: Request) -> String { format!("{} {}", request.method(), request.path()) }
//!
//! let mut app = App::new("demo");
//! app.route("/", ["GET"], hello);
//! app.route("/plain", ["GET"], plain);
//! app.route("/closure", ["GET"], |Query(q): Query<std::collections::HashMap<String, String>>| async move {
//!     jsonify!({"query": q})
//! });
//! ```
//!
//! Plain functions run on the server's worker thread: keep them quick, and use an
//! async fn (with `tokio::task::spawn_blocking` for blocking work) for anything slow.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use crate::extract::FromRequest;
use crate::response::IntoViewResult;
use crate::{Request, Response, ViewError};

/// A boxed, sendable future: what a type-erased handler returns.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// What a handler answers: a response, or the error for the app's error handlers.
pub type ViewResult = Result<Response, ViewError>;

/// A handler with its types erased, as routes store it.
pub(crate) type BoxedHandler = Arc<dyn Fn(Request) -> BoxFuture<ViewResult> + Send + Sync>;

/// A function that can answer a request; see the [module docs](self).
///
/// `M` is a marker that tells the async and plain implementations apart; it is
/// always inferred.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a phial handler",
    label = "not a handler",
    note = "a handler is a fn or closure (async or plain) whose parameters all implement `FromRequest` \
            (Request, Json<T>, Query<T>, Form<T>, Path<T>, HeaderMap, Cookies, Extension<T>, ...) \
            and whose return value implements `IntoViewResult` (a response, or a `Result` of one); \
            an async handler's future must also be `Send`: a `std::sync::MutexGuard` or an `Rc` held \
            across an `.await` makes it not `Send` (drop it before the `.await`, or use \
            `tokio::sync::Mutex` and `Arc`)"
)]
pub trait Handler<M>: Clone + Send + Sync + Sized + 'static {
    /// Whether a parameter takes the body as a stream (see
    /// [`FromRequest::STREAMS_BODY`]).
    const STREAMS_BODY: bool = false;

    /// Runs the handler on a request.
    fn call(&self, request: Request) -> BoxFuture<ViewResult>;
}

/// Marks handlers that are async functions returning a future.
#[derive(Debug)]
pub struct AsyncFn<Args>(PhantomData<fn() -> Args>);

/// Marks handlers that are plain functions returning a response.
#[derive(Debug)]
pub struct PlainFn<Args>(PhantomData<fn() -> Args>);

macro_rules! impl_handler {
    ($($arg:ident),*) => {
        #[allow(non_snake_case, unused_variables)]
        impl<F, Fut, R, $($arg,)*> Handler<AsyncFn<($($arg,)*)>> for F
        where
            F: Fn($($arg),*) -> Fut + Clone + Send + Sync + 'static,
            Fut: Future<Output = R> + Send + 'static,
            R: IntoViewResult,
            $($arg: FromRequest + Send + 'static,)*
        {
            const STREAMS_BODY: bool = false $(|| $arg::STREAMS_BODY)*;

            fn call(&self, request: Request) -> BoxFuture<ViewResult> {
                let handler = self.clone();
                Box::pin(async move {
                    $(
                        let $arg = match $arg::from_request(&request) {
                            Ok(value) => value,
                            Err(rejection) => return Err(rejection),
                        };
                    )*
                    drop(request);
                    handler($($arg),*).await.into_view_result()
                })
            }
        }

        #[allow(non_snake_case, unused_variables)]
        impl<F, R, $($arg,)*> Handler<PlainFn<($($arg,)*)>> for F
        where
            F: Fn($($arg),*) -> R + Clone + Send + Sync + 'static,
            R: IntoViewResult,
            $($arg: FromRequest + Send + 'static,)*
        {
            const STREAMS_BODY: bool = false $(|| $arg::STREAMS_BODY)*;

            fn call(&self, request: Request) -> BoxFuture<ViewResult> {
                let handler = self.clone();
                Box::pin(async move {
                    $(
                        let $arg = match $arg::from_request(&request) {
                            Ok(value) => value,
                            Err(rejection) => return Err(rejection),
                        };
                    )*
                    drop(request);
                    handler($($arg),*).into_view_result()
                })
            }
        }
    };
}

impl_handler!();
impl_handler!(T1);
impl_handler!(T1, T2);
impl_handler!(T1, T2, T3);
impl_handler!(T1, T2, T3, T4);
impl_handler!(T1, T2, T3, T4, T5);
impl_handler!(T1, T2, T3, T4, T5, T6);
impl_handler!(T1, T2, T3, T4, T5, T6, T7);
impl_handler!(T1, T2, T3, T4, T5, T6, T7, T8);
impl_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9);
impl_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10);
impl_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11);
impl_handler!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12);

/// An async view's future that may run on any worker thread: every future that
/// is `Send`. The route attributes require it of each async view, so that a
/// future that is not `Send` is reported with its cause and the fix.
#[diagnostic::on_unimplemented(
    message = "the future of this view is not `Send`, so phial cannot run it on its worker threads",
    label = "its future holds a value that is not `Send` across an `.await`",
    note = "a `std::sync::MutexGuard`, an `Rc` or a `RefCell` borrow alive at an `.await` makes the future \
            not `Send`: drop it before the `.await` (end its scope with a block), or use `tokio::sync::Mutex` \
            and `Arc`"
)]
pub trait SendViewFuture: Future {}

#[diagnostic::do_not_recommend]
impl<F: Future + Send> SendViewFuture for F {}

/// Passes an async view's future through, requiring it to be `Send` twice over:
/// the route attributes wrap each async view in it, so that a future that is not
/// `Send` gets rustc's note naming the value held across an `.await` (from the plain
/// `Send` bound) and phial's note saying how to fix it (from [`SendViewFuture`]).
#[doc(hidden)]
pub fn view_future_must_be_send<F: SendViewFuture>(future: &F) {
    let _ = future;
}

/// See [`view_future_must_be_send`].
#[doc(hidden)]
pub fn view_future_is_send<F: Future + Send>(future: F) -> F {
    future
}

/// Erases a handler's type.
pub(crate) fn boxed<M, H: Handler<M>>(handler: H) -> BoxedHandler {
    Arc::new(move |request| handler.call(request))
}
