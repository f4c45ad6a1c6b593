//! Calling the app through its layers, as tower services are called: made ready,
//! then called, on an instance nobody else is using.
//!
//! tower's usual way, `service.clone().oneshot(request)`, clones the whole stack of
//! layers for every request (each layer's configuration, and a box for the
//! type-erased stack) and boxes the `oneshot` around the call. phial does less:
//! - a connection keeps its own instance of the stack ([`ConnectionLayers`]) and
//!   calls it for each of its requests, one after the other (a call only starts the
//!   request's future, which owns what it needs);
//! - a stack that is ready at once (every layer of the usual kinds) is called
//!   straight away, and its own boxed future is the request's future;
//! - only a stack that is not ready yet (a concurrency limit reached, a full
//!   buffer) is boxed in a `oneshot` that waits for it, on an instance of its own.

use std::cell::RefCell;
use std::convert::Infallible;
use std::task::{Context, Poll, Waker};
use tower::{Service, ServiceExt};

use super::AppService;
use crate::Response;
use crate::handler::BoxFuture;
use crate::response::Body;

impl AppService {
    /// Calls a clone of the service with `request` (tower's `oneshot`, without its
    /// box when the clone is ready at once).
    pub(crate) fn call_once(&self, request: http::Request<Body>) -> BoxFuture<Result<Response, Infallible>> {
        call_ready_or_wait(self.clone(), request)
    }
}

/// The app's layers, one instance for one connection's requests.
pub(crate) struct ConnectionLayers {
    /// The connection's instance.
    mine: RefCell<AppService>,
    /// The app's, cloned for a call that finds the connection's in use.
    shared: AppService,
}

impl ConnectionLayers {
    /// An instance of the app's layers for a new connection.
    pub(crate) fn new(service: &AppService) -> ConnectionLayers {
        ConnectionLayers { mine: RefCell::new(service.clone()), shared: service.clone() }
    }

    /// Starts answering `request` through the layers.
    pub(crate) fn call(&self, request: http::Request<Body>) -> BoxFuture<Result<Response, Infallible>> {
        // Calls on one connection never overlap (each returns once the request's
        // future exists); should one ever find the instance in use, it uses a clone.
        let Ok(mut service) = self.mine.try_borrow_mut() else {
            return self.shared.call_once(request);
        };
        match poll_ready_now(&mut service) {
            Poll::Ready(()) => service.call(request),
            Poll::Pending => {
                // The instance that is waiting goes with the request (it may hold a
                // place in a queue); the connection keeps a fresh one.
                let fresh = service.clone();
                let waiting = std::mem::replace(&mut *service, fresh);
                Box::pin(waiting.oneshot(request))
            }
        }
    }
}

/// Calls `service` now if it is ready, or in a boxed `oneshot` that waits for it.
fn call_ready_or_wait(
    mut service: AppService,
    request: http::Request<Body>,
) -> BoxFuture<Result<Response, Infallible>> {
    match poll_ready_now(&mut service) {
        Poll::Ready(()) => service.call(request),
        Poll::Pending => Box::pin(service.oneshot(request)),
    }
}

/// Asks `service` whether it is ready, without a task to wake: if it is not, the
/// `oneshot` that takes it asks again with the request's own task.
fn poll_ready_now(service: &mut AppService) -> Poll<()> {
    let mut no_task = Context::from_waker(Waker::noop());
    match service.poll_ready(&mut no_task) {
        Poll::Ready(Ok(())) => Poll::Ready(()),
        Poll::Ready(Err(never)) => match never {},
        Poll::Pending => Poll::Pending,
    }
}
