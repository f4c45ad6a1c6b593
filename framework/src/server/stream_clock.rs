//! `RESPONSE_WRITE_TIMEOUT` for each HTTP/2 stream.
//!
//! On HTTP/2 a client that stops reading one response does not block the socket:
//! it just stops granting that stream flow-control window, and hyper stops asking
//! the response body for frames. Pings and other streams keep the connection busy,
//! so neither the socket's write timer (`socket.rs`) nor the idle deadline ever
//! fires, and the stream would hold its response, its handler's state and its place
//! among `HTTP2_MAX_CONCURRENT_STREAMS` forever.
//!
//! hyper hands each stream to the server's executor, which wraps it in a
//! [`Clocked`] future with a [`StreamClock`] (see `h2_streams.rs`); the response
//! body ([`InFlightBody`](super::response_body::InFlightBody)) finds the clock in a
//! task-local when the request is served. The body stops the clock when
//! hyper asks it for a frame and starts it when it hands hyper one; a clock that
//! runs for the timeout drops the stream's future, and h2 resets the stream
//! (`RST_STREAM` with `CANCEL`). Time the app takes to produce a frame never counts.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

tokio::task_local! {
    /// The clock of the stream being polled, until its body takes it.
    static CLOCK: Arc<StreamClock>;
}

/// The clock of the HTTP/2 stream being served, if the request came on one.
pub(super) fn current() -> Option<Arc<StreamClock>> {
    CLOCK.try_with(Arc::clone).ok()
}

/// Whether a stream's response is waiting for its client; shared by the stream's
/// [`Clocked`] future and its response body (polled inside it).
#[derive(Debug, Default)]
pub(super) struct StreamClock {
    /// How many times hyper has asked the body for a frame.
    pub(super) asks: AtomicUsize,
    /// Whether the body has handed hyper a frame that hyper has not yet sent on.
    pub(super) waiting: AtomicBool,
}

impl StreamClock {
    /// hyper asks for the next frame: the last one went out.
    pub(super) fn asked(&self) {
        self.asks.fetch_add(1, Ordering::Relaxed);
        self.waiting.store(false, Ordering::Relaxed);
    }

    /// The body handed hyper a frame: from now on, the client is waited for.
    pub(super) fn answered(&self) {
        self.waiting.store(true, Ordering::Relaxed);
    }
}

pin_project! {
    /// A stream's future, ended when its response waits for the client longer
    /// than the timeout.
    pub(super) struct Clocked<F> {
        #[pin]
        stream: Option<F>,
        // Made the first time a frame waits for its client: most streams never do
        // (a timer costs a clock reading and a handle on the runtime's wheel).
        timer: Option<Pin<Box<Sleep>>>,
        clock: Arc<StreamClock>,
        // The ask the current wait started after, and when that wait ends.
        waiting_since_ask: Option<usize>,
        deadline: Option<Instant>,
        timeout: Duration,
    }
}

impl<F> Clocked<F> {
    /// `stream`, whose response may wait `timeout` (`RESPONSE_WRITE_TIMEOUT`) for each frame.
    pub(super) fn new(stream: F, timeout: Duration) -> Clocked<F> {
        Clocked {
            stream: Some(stream),
            timer: None,
            clock: Arc::default(),
            waiting_since_ask: None,
            deadline: None,
            timeout,
        }
    }
}

impl<F: Future<Output = ()>> Future for Clocked<F> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut this = self.project();
        let Some(stream) = this.stream.as_mut().as_pin_mut() else { return Poll::Ready(()) };
        // Until the body has taken its clock (on the service's first poll), offer it.
        let polled = if Arc::strong_count(this.clock) == 1 {
            CLOCK.sync_scope(Arc::clone(this.clock), || stream.poll(cx))
        } else {
            stream.poll(cx)
        };
        if polled.is_ready() {
            return Poll::Ready(());
        }
        if !this.clock.waiting.load(Ordering::Relaxed) {
            *this.waiting_since_ask = None;
            return Poll::Pending;
        }
        let asks = this.clock.asks.load(Ordering::Relaxed);
        let now = Instant::now();
        if *this.waiting_since_ask != Some(asks) {
            // A new frame waits: the client has the whole timeout for it.
            *this.waiting_since_ask = Some(asks);
            *this.deadline = now.checked_add(*this.timeout);
        }
        // A timeout past what the clock can count never ends.
        let Some(deadline) = *this.deadline else { return Poll::Pending };
        if now >= deadline {
            tracing::debug!(target: "phial::server", "HTTP/2 response not read for RESPONSE_WRITE_TIMEOUT; resetting its stream");
            this.stream.set(None);
            return Poll::Ready(());
        }
        // The timer is moved only when it has gone off for an older deadline (or
        // is set past this one), so a stream sending many frames rarely touches it.
        let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        let armed = timer.deadline();
        if armed <= now || armed > deadline {
            timer.as_mut().reset(deadline);
        }
        if timer.as_mut().poll(cx).is_ready() {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}
