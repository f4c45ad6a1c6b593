//! Callbacks that may be plain or async: hooks, error handlers and extension
//! loaders accept both `|x| value` and `|x| async move { value }`.
//!
//! A callback's kind is told apart by a marker type parameter that is always
//! inferred: [`Immediate`] for a plain closure, [`Eventual`] for one that returns a
//! future. Once stored, every callback answers a [`MaybeReady`]: a plain one's value
//! is ready at once and costs no allocation; an async one's future is boxed. So an
//! app that registers only plain callbacks, or none, pays nothing for async support.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::handler::BoxFuture;
use crate::{IntoResponse, Response};

/// Marks a callback that returns its value directly.
#[derive(Debug)]
pub struct Immediate;

/// Marks a callback that returns a future.
#[derive(Debug)]
pub struct Eventual;

/// A value that is ready now, or a boxed future of it. `.await` it (it is
/// `IntoFuture`), or match on it to take a ready value without polling anything.
pub enum MaybeReady<T> {
    /// Ready at once.
    Ready(T),
    /// Still to be awaited.
    Pending(BoxFuture<T>),
}

impl<T> MaybeReady<T> {
    /// A value that is ready now.
    pub fn ready(value: T) -> MaybeReady<T> {
        MaybeReady::Ready(value)
    }

    /// A future to await, boxed.
    pub fn pending(future: impl Future<Output = T> + Send + 'static) -> MaybeReady<T> {
        MaybeReady::Pending(Box::pin(future))
    }

    /// Applies `f` to the value: at once when it is ready (no allocation), else
    /// once the future is done.
    pub fn map<U: 'static>(self, f: impl FnOnce(T) -> U + Send + 'static) -> MaybeReady<U>
    where
        T: 'static,
    {
        match self {
            MaybeReady::Ready(value) => MaybeReady::Ready(f(value)),
            MaybeReady::Pending(future) => MaybeReady::Pending(Box::pin(async move { f(future.await) })),
        }
    }
}

impl<T> IntoFuture for MaybeReady<T> {
    type Output = T;
    type IntoFuture = ReadyOrPending<T>;

    fn into_future(self) -> ReadyOrPending<T> {
        match self {
            MaybeReady::Ready(value) => ReadyOrPending::Ready(Some(value)),
            MaybeReady::Pending(future) => ReadyOrPending::Pending(future),
        }
    }
}

impl<T> std::fmt::Debug for MaybeReady<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MaybeReady::Ready(_) => f.write_str("MaybeReady::Ready"),
            MaybeReady::Pending(_) => f.write_str("MaybeReady::Pending"),
        }
    }
}

/// The future of a [`MaybeReady`].
pub enum ReadyOrPending<T> {
    /// The value, taken by the first poll.
    Ready(Option<T>),
    /// The boxed future.
    Pending(BoxFuture<T>),
}

// The value is never pinned (it is moved out on the first poll) and the future is
// behind a `Pin<Box<_>>`, so moving one is always fine.
impl<T> Unpin for ReadyOrPending<T> {}

impl<T> Future for ReadyOrPending<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.get_mut() {
            ReadyOrPending::Ready(value) => match value.take() {
                Some(value) => Poll::Ready(value),
                None => panic!("a ready MaybeReady was polled after it completed"),
            },
            ReadyOrPending::Pending(future) => future.as_mut().poll(cx),
        }
    }
}

impl<T> std::fmt::Debug for ReadyOrPending<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadyOrPending")
    }
}

/// What a callback that may be async returns: a `T`, or a future of one. `M` is
/// [`Immediate`] or [`Eventual`], always inferred.
pub trait MaybeAsync<T, M>: Send + 'static {
    /// The value, ready or pending.
    fn into_maybe_ready(self) -> MaybeReady<T>;
}

impl<T: Send + 'static> MaybeAsync<T, Immediate> for T {
    fn into_maybe_ready(self) -> MaybeReady<T> {
        MaybeReady::ready(self)
    }
}

impl<T, F> MaybeAsync<T, Eventual> for F
where
    F: Future<Output = T> + Send + 'static,
{
    fn into_maybe_ready(self) -> MaybeReady<T> {
        MaybeReady::Pending(Box::pin(self))
    }
}

/// What a callback that answers with a response returns: anything
/// [`IntoResponse`], or a future of it. `M` is [`Immediate`] or [`Eventual`],
/// always inferred. Extensions take response callbacks with it, as phial-jwt's
/// `expired_token_loader` does.
pub trait MaybeAsyncResponse<M> {
    /// The response, ready or pending.
    fn into_maybe_response(self) -> MaybeReady<Response>;
}

impl<R: IntoResponse> MaybeAsyncResponse<Immediate> for R {
    fn into_maybe_response(self) -> MaybeReady<Response> {
        MaybeReady::ready(self.into_response())
    }
}

impl<F> MaybeAsyncResponse<Eventual> for F
where
    F: Future + Send + 'static,
    F::Output: IntoResponse,
{
    fn into_maybe_response(self) -> MaybeReady<Response> {
        MaybeReady::pending(async move { self.await.into_response() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind<T, M>(output: impl MaybeAsync<T, M>) -> &'static str {
        match output.into_maybe_ready() {
            MaybeReady::Ready(_) => "ready",
            MaybeReady::Pending(_) => "pending",
        }
    }

    #[tokio::test]
    async fn plain_values_are_ready_and_futures_are_awaited() {
        assert_eq!(kind::<u8, _>(5u8), "ready");
        assert_eq!(kind::<u8, _>(async { 5u8 }), "pending");
        assert_eq!(MaybeReady::ready(2).map(|n| n * 3).await, 6);
        assert_eq!(MaybeReady::pending(async { 2 }).map(|n| n * 3).await, 6);
    }
}
