//! One request on a connection: its body read within the limits, the app's
//! answer, and the response body that keeps the request in flight until it is
//! all sent.
//!
//! Size matters here. hyper keeps the future of each request where it serves it:
//! on HTTP/1 inside the connection's own future, on HTTP/2 in the stream's future
//! that it builds and moves into the executor, which boxes it (see
//! `h2_streams.rs`). Every move copies every byte of the future, and an allocation
//! past glibc's small sizes (about a kilobyte) is a slower one. So the future is
//! written by hand ([`Serving`]): it holds the app's answer once, where an `async`
//! block that awaits it would hold it twice (the captured value and the one being
//! awaited; the stream's future hyper builds around it went from 920 bytes to 512).

use bytes::Bytes;
use futures_util::future::Either;
use http_body::Body as _;
use hyper::body::Incoming;
use pin_project_lite::pin_project;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use super::body;
use super::connection::{ConnectionState, InFlight};
use super::response_body::InFlightBody;
use super::stream_clock::{self, StreamClock};
use crate::handler::BoxFuture;
use crate::layer::{ConnectionLayers, client_address};
use crate::response::Body;
use crate::{AppHandle, Response};

/// Reads one request's body within the limits, then lets the app answer it; an
/// app with tower layers gets the request with its body unread, as their innermost
/// service reads it (see `layer/inner.rs`). The request stays in flight on its
/// connection from now until its response body is all sent.
pub(super) fn serve_request(
    app: AppHandle,
    request: http::Request<Incoming>,
    remote: SocketAddr,
    connection: &Arc<ConnectionState>,
    layers: Option<&ConnectionLayers>,
) -> Serving<impl Future<Output = Response> + use<>> {
    let version = request.version();
    let in_flight = connection.request_started(version);
    let (head, body) = request.into_parts();
    Serving {
        answer: answer(app, head, body, remote, layers),
        in_flight: Some(in_flight),
        // Only an HTTP/2 stream has a clock (see `stream_clock.rs`).
        find_clock: version == http::Version::HTTP_2,
        clock: None,
    }
}

/// The app's answer to one request: dispatched at once when it has no body and
/// the app no layers (the usual GET), the future of which stays small (a few
/// hundred bytes); through the app's layers (their own boxed future), or after
/// reading the body, in a boxed future (their state is over a kilobyte, and boxing
/// it costs less than copying it).
fn answer(
    app: AppHandle,
    head: http::request::Parts,
    body: Incoming,
    remote: SocketAddr,
    layers: Option<&ConnectionLayers>,
) -> Either<impl Future<Output = Response> + use<>, BoxFuture<Result<Response, Infallible>>> {
    if let Some(layers) = layers {
        let mut request = http::Request::from_parts(head, Body::new(body));
        *request.extensions_mut() = client_address::extensions_with(remote);
        return Either::Right(layers.call(request));
    }
    if body.is_end_stream() {
        return Either::Left(crate::dispatch::dispatch(&app, head, Bytes::new(), Some(remote)));
    }
    Either::Right(Box::pin(async move {
        let mut head = head;
        let (body, _drawn) = match body::read_or_leave(&app, &mut head, body).await {
            Ok(read) => read,
            Err(response) => return Ok(response),
        };
        // `_drawn` gives the body's bytes back to the budget once this is answered.
        Ok(crate::dispatch::dispatch(&app, head, body, Some(remote)).await)
    }))
}

pin_project! {
    /// The future of one request, as hyper's service returns it: the app's answer,
    /// then its response with a body that keeps the request in flight.
    pub(super) struct Serving<F> {
        #[pin]
        answer: Either<F, BoxFuture<Result<Response, Infallible>>>,
        // Handed to the response body when the answer is ready.
        in_flight: Option<InFlight>,
        // Whether to look for the stream's clock, on the first poll (it is offered
        // to the stream's task while polled: see `stream_clock.rs`).
        find_clock: bool,
        clock: Option<Arc<StreamClock>>,
    }
}

impl<F: Future<Output = Response>> Future for Serving<F> {
    type Output = Result<http::Response<InFlightBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if std::mem::take(this.find_clock) {
            *this.clock = stream_clock::current();
        }
        let response = match this.answer.as_pin_mut() {
            Either::Left(now) => ready!(now.poll(cx)),
            Either::Right(boxed) => match ready!(boxed.poll(cx)) {
                Ok(response) => response,
                Err(never) => match never {},
            },
        };
        let Some(in_flight) = this.in_flight.take() else {
            panic!("a request's future was polled after it completed");
        };
        let clock = this.clock.take();
        Poll::Ready(Ok(response.map(|body| InFlightBody::new(body, in_flight, clock))))
    }
}
