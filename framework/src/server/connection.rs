//! One connection's life around hyper's: the time it gets for each request head,
//! and on HTTP/2 the time it may stay idle (see `idle_deadline.rs`), the requests it
//! has in flight, and how it ends when it has been idle too long or the server shuts
//! down.
//!
//! An HTTP/2 connection idle past `HTTP2_IDLE_TIMEOUT` is asked to close as on
//! shutdown: hyper's graceful shutdown sends GOAWAY, finishes any stream the client
//! had already opened, and closes once the client acknowledges (its answer to the
//! PING sent with the GOAWAY). One still open and idle a timeout later is closed.
//!
//! On shutdown hyper finishes what a connection has started; for an HTTP/1
//! connection that has sent half a request head, that means waiting for the rest
//! (up to `HEADER_READ_TIMEOUT`). A connection with no request in flight and no
//! response waiting to be written is therefore closed at once; one with a request
//! in flight finishes it (up to `SHUTDOWN_TIMEOUT`).

use futures_util::task::AtomicWaker;
use hyper_util::server::graceful::GracefulConnection;
use pin_project_lite::pin_project;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::OwnedSemaphorePermit;
use tokio_util::sync::WaitForCancellationFutureOwned;

use super::h2_streams::{self, Stream};
use super::idle_deadline::IdleDeadline;

/// What the server knows of one connection, shared by its request service, its
/// socket and its [`Connection`] future.
#[derive(Debug, Default)]
pub(super) struct ConnectionState {
    /// Requests whose head has arrived and whose response body is not yet all sent.
    in_flight: AtomicUsize,
    /// Requests answered (their response body all sent) since the connection opened.
    finished: AtomicUsize,
    /// Whether a complete request head has arrived (its protocol is then known).
    had_request: AtomicBool,
    /// Whether the connection speaks HTTP/2, whose streams that wait are answered
    /// in tasks of their own: hyper's graceful shutdown (GOAWAY) ends those.
    http2: AtomicBool,
    /// Whether the socket's last write was refused for now (the client is not
    /// reading): a response is still being sent.
    write_blocked: AtomicBool,
    /// The connection's task, woken when its last HTTP/2 stream ends (maybe in a
    /// task of its own) so that it sees it has fallen idle.
    task: AtomicWaker,
}

impl ConnectionState {
    /// Counts a request from its head's arrival until the returned guard is dropped
    /// (it goes with the response body: see [`InFlightBody`](super::response_body::InFlightBody)).
    pub(super) fn request_started(self: &Arc<Self>, version: http::Version) -> InFlight {
        if !self.had_request.load(Ordering::Relaxed) {
            self.had_request.store(true, Ordering::Relaxed);
            self.http2.store(version == http::Version::HTTP_2, Ordering::Relaxed);
        }
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(Arc::clone(self))
    }

    pub(super) fn set_write_blocked(&self, blocked: bool) {
        self.write_blocked.store(blocked, Ordering::Relaxed);
    }

    /// Whether the connection has spoken HTTP/2 (known from its first request on).
    pub(super) fn speaks_http2(&self) -> bool {
        self.http2.load(Ordering::Relaxed)
    }

    /// Whether the connection may yet speak HTTP/2: it does, or has had no request.
    fn may_speak_http2(&self) -> bool {
        self.speaks_http2() || !self.had_request.load(Ordering::Relaxed)
    }

    /// How many requests the connection has answered.
    pub(super) fn finished(&self) -> usize {
        self.finished.load(Ordering::Relaxed)
    }

    /// Whether the connection is waiting for a request: none in flight, nothing
    /// waiting to be written.
    pub(super) fn is_idle(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) == 0 && !self.write_blocked.load(Ordering::Relaxed)
    }

    /// Whether closing the connection now loses nothing: no request is being
    /// handled and no response is waiting for the client to read it. Read between
    /// two polls of an HTTP/1 connection, where hyper has either written all it
    /// buffered or been told the socket is full.
    fn is_quiet(&self) -> bool {
        self.is_idle() && !self.speaks_http2()
    }
}

/// A request in flight on its connection; see [`ConnectionState::request_started`].
#[derive(Debug)]
pub(super) struct InFlight(Arc<ConnectionState>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.finished.fetch_add(1, Ordering::Relaxed);
        let was = self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        if was == 1 && self.0.speaks_http2() {
            self.0.task.wake();
        }
    }
}

pin_project! {
    /// A hyper connection with phial's deadline and shutdown rules; resolves when
    /// the connection ends, releasing its `MAX_CONNECTIONS` permit.
    pub(super) struct Connection<C> {
        #[pin]
        conn: C,
        #[pin]
        idle_deadline: IdleDeadline,
        #[pin]
        shutdown: WaitForCancellationFutureOwned,
        shutting_down: bool,
        // Whether hyper's graceful shutdown has begun (GOAWAY on HTTP/2), for the
        // server's shutdown or for idleness.
        going_away: bool,
        state: Arc<ConnectionState>,
        remote: SocketAddr,
        // The HTTP/2 streams hyper accepted in the last poll, answered here first
        // (see `h2_streams.rs`); kept empty, for its allocation.
        arrived: Vec<Stream>,
        // Held, never read: dropping the connection frees its place.
        _permit: OwnedSemaphorePermit,
    }
}

impl<C> Connection<C> {
    /// `conn`, with `HEADER_READ_TIMEOUT` and `HTTP2_IDLE_TIMEOUT` as `idle_timeouts`.
    pub(super) fn new(
        conn: C,
        state: Arc<ConnectionState>,
        idle_timeouts: (Duration, Duration),
        shutdown: WaitForCancellationFutureOwned,
        remote: SocketAddr,
        permit: OwnedSemaphorePermit,
    ) -> Self {
        Connection {
            conn,
            idle_deadline: IdleDeadline::new(idle_timeouts.0, idle_timeouts.1),
            shutdown,
            shutting_down: false,
            going_away: false,
            state,
            remote,
            arrived: Vec::new(),
            _permit: permit,
        }
    }
}

impl<C, E> Future for Connection<C>
where
    C: GracefulConnection<Error = E>,
    E: std::fmt::Display,
{
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut this = self.project();
        if !*this.shutting_down && this.shutdown.as_mut().poll(cx).is_ready() {
            *this.shutting_down = true;
            if !*this.going_away {
                *this.going_away = true;
                this.conn.as_mut().graceful_shutdown();
            }
        }
        if let Poll::Ready(ended) = poll_and_answer(this.conn.as_mut(), this.state, this.arrived, cx) {
            if let Err(err) = ended {
                tracing::debug!(target: "phial::server", error = %err, remote = %this.remote, "connection ended with an error");
            }
            return Poll::Ready(());
        }
        let http2 = this.state.speaks_http2();
        if http2 {
            // Before reading whether it is idle, so that a stream ending after this
            // read wakes it.
            this.state.task.register(cx.waker());
        }
        if this.idle_deadline.passed(this.state, cx) {
            if http2 && !*this.going_away {
                tracing::debug!(target: "phial::server", remote = %this.remote, "HTTP/2 connection idle for HTTP2_IDLE_TIMEOUT; sending GOAWAY");
                *this.going_away = true;
                this.conn.as_mut().graceful_shutdown();
                // Polled again, so that hyper writes the GOAWAY.
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            tracing::debug!(target: "phial::server", remote = %this.remote, "no request in time; closing");
            return Poll::Ready(());
        }
        if *this.shutting_down && this.state.is_quiet() {
            tracing::debug!(target: "phial::server", remote = %this.remote, "nothing in flight at shutdown; closing");
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

/// How many times one poll of a connection polls hyper's again for the streams its
/// answers let in, before it lets other tasks run.
const ROUNDS: usize = 16;

/// Polls hyper's connection; on HTTP/2, answers the streams it accepted (see
/// `h2_streams.rs`) and polls it again, so that it sends their answers at once and
/// reads what came meanwhile, until no stream arrives.
fn poll_and_answer<C: Future>(
    mut conn: Pin<&mut C>,
    state: &ConnectionState,
    arrived: &mut Vec<Stream>,
    cx: &mut Context<'_>,
) -> Poll<C::Output> {
    if !state.may_speak_http2() {
        return conn.poll(cx);
    }
    for _ in 0..ROUNDS {
        let polled = h2_streams::collect(arrived, || conn.as_mut().poll(cx));
        if arrived.is_empty() || polled.is_ready() {
            // Streams that came with the end of the connection fail on their own.
            h2_streams::answer(arrived, cx);
            return polled;
        }
        h2_streams::answer(arrived, cx);
    }
    // Busy: the streams' answers are sent at the next poll, soon.
    cx.waker().wake_by_ref();
    Poll::Pending
}
