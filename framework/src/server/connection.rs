//! One connection's life around hyper's: the time it gets to send its first
//! request, and how it ends when the server shuts down.
//!
//! hyper's own timer (`HEADER_READ_TIMEOUT`) starts only once hyper-util's `auto`
//! builder has decided between HTTP/1 and HTTP/2, and that decision waits for bytes:
//! a client that sends nothing, `P`, or part of the HTTP/2 preface would hold its
//! `MAX_CONNECTIONS` permit forever. So every connection gets a deadline of its own,
//! from accept to its first complete request head (whichever protocol), and is
//! dropped when it passes.
//!
//! The same tokio timer then wakes the connection for hyper's later header-read
//! deadlines, which hyper's timer only writes down (see `head_timer.rs`): it is
//! re-armed when it has gone off and hyper's deadline has moved past it.
//!
//! On shutdown hyper finishes what a connection has started; for an HTTP/1
//! connection that has sent half a request head, that means waiting for the rest
//! (up to `HEADER_READ_TIMEOUT`). A connection with no request in flight and no
//! response waiting to be written is therefore closed at once; one with a request
//! in flight finishes it (up to `SHUTDOWN_TIMEOUT`).

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
use tokio::time::Sleep;
use tokio_util::sync::WaitForCancellationFutureOwned;

use super::head_timer::HeadClock;

/// What the server knows of one connection, shared by its request service, its
/// socket and its [`Connection`] future.
#[derive(Debug, Default)]
pub(super) struct ConnectionState {
    /// Requests handed to the app and not yet answered.
    in_flight: AtomicUsize,
    /// Whether a complete request head has arrived (the first-request deadline is met).
    had_request: AtomicBool,
    /// Whether the connection speaks HTTP/2, whose streams are answered in tasks of
    /// their own: hyper's graceful shutdown (GOAWAY) ends those.
    http2: AtomicBool,
    /// Whether the socket's last write was refused for now (the client is not
    /// reading): a response is still being sent.
    write_blocked: AtomicBool,
}

impl ConnectionState {
    /// Counts a request from its head's arrival until the returned guard is dropped
    /// (when its response has been produced).
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

    /// Whether closing the connection now loses nothing: no request is being
    /// handled and no response is waiting for the client to read it. Read between
    /// two polls of an HTTP/1 connection, where hyper has either written all it
    /// buffered or been told the socket is full.
    fn is_quiet(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) == 0
            && !self.write_blocked.load(Ordering::Relaxed)
            && !self.http2.load(Ordering::Relaxed)
    }
}

/// A request in flight on its connection; see [`ConnectionState::request_started`].
#[derive(Debug)]
pub(super) struct InFlight(Arc<ConnectionState>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

pin_project! {
    /// A hyper connection with phial's deadline and shutdown rules; resolves when
    /// the connection ends, releasing its `MAX_CONNECTIONS` permit.
    pub(super) struct Connection<C> {
        #[pin]
        conn: C,
        // Armed at accept for the first request head's deadline; later re-armed for
        // hyper's header-read deadlines.
        #[pin]
        timer: Sleep,
        // Whether the timer has been polled, so that it will wake the connection.
        timer_registered: bool,
        // hyper's header-read deadline, as its timer wrote it down.
        head_clock: HeadClock,
        #[pin]
        shutdown: WaitForCancellationFutureOwned,
        shutting_down: bool,
        state: Arc<ConnectionState>,
        remote: SocketAddr,
        // Held, never read: dropping the connection frees its place.
        _permit: OwnedSemaphorePermit,
    }
}

impl<C> Connection<C> {
    pub(super) fn new(
        conn: C,
        state: Arc<ConnectionState>,
        header_read_timeout: Duration,
        shutdown: WaitForCancellationFutureOwned,
        remote: SocketAddr,
        permit: OwnedSemaphorePermit,
    ) -> Self {
        Connection {
            conn,
            timer: tokio::time::sleep(header_read_timeout),
            timer_registered: false,
            head_clock: HeadClock::default(),
            shutdown,
            shutting_down: false,
            state,
            remote,
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
        let head_clock = this.head_clock;
        if !*this.shutting_down && this.shutdown.as_mut().poll(cx).is_ready() {
            *this.shutting_down = true;
            head_clock.during(|| this.conn.as_mut().graceful_shutdown());
        }
        if let Poll::Ready(ended) = head_clock.during(|| this.conn.as_mut().poll(cx)) {
            if let Err(err) = ended {
                tracing::debug!(target: "phial::server", error = %err, remote = %this.remote, "connection ended with an error");
            }
            return Poll::Ready(());
        }
        if !this.state.had_request.load(Ordering::Relaxed) {
            *this.timer_registered = true;
            if this.timer.as_mut().poll(cx).is_ready() {
                tracing::debug!(target: "phial::server", remote = %this.remote, "no complete request head in time; closing");
                return Poll::Ready(());
            }
        } else if let Some(deadline) = head_clock.deadline {
            let now = head_clock.checked_at.unwrap_or_else(|| tokio::time::Instant::now().into_std());
            let armed = this.timer.deadline().into_std();
            // Not yet polled (the first request came at once), or gone off (or about
            // to) for an older deadline: armed for hyper's.
            if !*this.timer_registered || (armed < deadline && armed <= now) {
                if armed < deadline {
                    this.timer.as_mut().reset(deadline.into());
                }
                *this.timer_registered = true;
                if this.timer.as_mut().poll(cx).is_ready() {
                    // Already past: poll again, so that hyper sees it.
                    cx.waker().wake_by_ref();
                }
            }
        }
        head_clock.checked_at = None;
        if *this.shutting_down && this.state.is_quiet() {
            tracing::debug!(target: "phial::server", remote = %this.remote, "nothing in flight at shutdown; closing");
            return Poll::Ready(());
        }
        Poll::Pending
    }
}
