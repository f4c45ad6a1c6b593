//! How long a connection may wait for its next request: `HEADER_READ_TIMEOUT` until
//! it has spoken HTTP/2 and on HTTP/1.1, `HTTP2_IDLE_TIMEOUT` on HTTP/2.
//!
//! The clock starts when the connection is accepted, and again each time it falls
//! idle: nothing in flight (no request between the arrival of its head and the end
//! of its response body) and nothing waiting to be written. A connection still idle
//! at the deadline has passed it:
//! - before its first request or on HTTP/1.1, it is closed, whatever it has sent of
//!   its next head: so a client that sends nothing, a byte, part of the HTTP/2
//!   preface or a head that trickles in cannot hold one of the `MAX_CONNECTIONS`
//!   places, and idle keep-alive connections are closed;
//! - on HTTP/2 it is sent GOAWAY (see `connection.rs`), and the deadline moves one
//!   timeout on: a connection still open and idle then is closed. Pings are not
//!   requests: an HTTP/2 client cannot hold its place by sending them.
//!
//! Why not hyper's own `header_read_timeout`: hyper starts that timer only once
//! hyper-util's `auto` builder has decided between HTTP/1 and HTTP/2 (which waits for
//! bytes), and to start it on a kept-alive connection it reads the socket as soon as
//! a response is sent, before the client can have sent anything: a wasted system
//! call per request (BENCHMARKS.md has the requests per second with and without it).
//! It also registers and removes a timer in tokio's wheel for every request. hyper
//! has no idle timeout for HTTP/2 at all.
//!
//! Here the deadline is a number, moved forward when the connection falls idle; the
//! connection's one tokio timer is re-armed lazily: when it goes off early (for an
//! older deadline), the connection is polled, sees the deadline has moved, and
//! re-arms it. So the wheel is touched about once per timeout per connection.

use pin_project_lite::pin_project;
use std::pin::Pin;
use std::task::Context;
use std::time::Duration;
use tokio::time::{Instant, Sleep};

use super::connection::ConnectionState;

pin_project! {
    /// One connection's idle deadline and the timer that wakes it for it.
    #[derive(Debug)]
    pub(super) struct IdleDeadline {
        #[pin]
        timer: Sleep,
        // Whether the timer has been polled since it was armed, so that it will
        // wake the connection.
        registered: bool,
        deadline: Instant,
        head_timeout: Duration,
        http2_timeout: Duration,
        // What the last check saw: whether the connection was idle, and how many
        // requests it had finished.
        was_idle: bool,
        finished: usize,
    }
}

impl IdleDeadline {
    /// The deadline of a connection accepted now, with `HEADER_READ_TIMEOUT` and
    /// `HTTP2_IDLE_TIMEOUT`.
    pub(super) fn new(head_timeout: Duration, http2_timeout: Duration) -> IdleDeadline {
        let deadline = after(Instant::now(), head_timeout);
        IdleDeadline {
            timer: tokio::time::sleep_until(deadline),
            registered: false,
            deadline,
            head_timeout,
            http2_timeout,
            was_idle: true,
            finished: 0,
        }
    }

    /// Whether the connection has been idle past its deadline (which then moves one
    /// timeout on); if not, makes sure the timer will wake it for the deadline.
    /// Called after each poll of the connection.
    pub(super) fn passed(self: Pin<&mut Self>, state: &ConnectionState, cx: &mut Context<'_>) -> bool {
        let mut this = self.project();
        let timeout = if state.speaks_http2() { *this.http2_timeout } else { *this.head_timeout };
        let idle = state.is_idle();
        let finished = state.finished();
        let mut now = None;
        if idle && (!*this.was_idle || finished != *this.finished) {
            // Idle again (a request was answered in between, or the last bytes of its
            // response went out): the next request has the whole timeout.
            let started = Instant::now();
            *this.deadline = after(started, timeout);
            now = Some(started);
        }
        *this.was_idle = idle;
        *this.finished = finished;
        if !idle {
            return false;
        }
        let now = now.unwrap_or_else(Instant::now);
        let passed = now >= *this.deadline;
        if passed {
            *this.deadline = after(now, timeout);
        }
        let armed = this.timer.deadline();
        // Never polled, gone off (or about to) for an older deadline, or armed for
        // a later one (the accept's `HEADER_READ_TIMEOUT` when `HTTP2_IDLE_TIMEOUT`
        // is shorter).
        if !*this.registered || armed <= now || armed > *this.deadline {
            if armed != *this.deadline {
                this.timer.as_mut().reset(*this.deadline);
            }
            *this.registered = true;
            if this.timer.poll(cx).is_ready() {
                cx.waker().wake_by_ref();
            }
        }
        passed
    }
}

/// `timeout` after `start`, or as far as the clock goes.
fn after(start: Instant, timeout: Duration) -> Instant {
    start.checked_add(timeout).unwrap_or_else(|| start + Duration::from_secs(60 * 60 * 24 * 365 * 30))
}
