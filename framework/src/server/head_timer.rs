//! hyper's `HEADER_READ_TIMEOUT` timer, made cheap for keep-alive connections.
//!
//! hyper's HTTP/1 server starts a timer each time it begins to read a request head
//! and drops it once the head is in. With hyper-util's `TokioTimer` that is, for every
//! request, an allocation and a registration in tokio's timer wheel, then its removal:
//! about 850 instructions, a twentieth of a 401 answer (see BENCHMARKS.md).
//!
//! Here the deadline is only written down. [`HeadTimer`] hands hyper a [`HeadDeadline`]
//! that records its deadline in the [`HeadClock`] of the connection being polled
//! (a thread-local value that `connection.rs` swaps in and out around each poll of
//! its hyper connection), and is ready when polled at or after it. Someone must wake
//! the connection then: its [`Connection`](super::connection) keeps one tokio timer,
//! re-armed lazily. The timer may go off early (at an older deadline); the
//! connection is then polled, sees the deadline has moved, and re-arms the timer for
//! it. So the wheel is touched about once per `HEADER_READ_TIMEOUT` per connection,
//! not once per request, and the deadline is kept exactly: a head that is not in by
//! it ends the connection, as with hyper's own timer.

use hyper::rt::{Sleep, Timer};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// What hyper's header timer knows of one connection: the deadline of the head
/// being read, if one is, and the time it was last compared with.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct HeadClock {
    /// When the head being read must be complete.
    pub(super) deadline: Option<Instant>,
    /// When a [`HeadDeadline`] last looked at the clock, during the current poll.
    pub(super) checked_at: Option<Instant>,
}

thread_local! {
    /// The clock of the connection this thread is polling.
    static CURRENT: Cell<HeadClock> = const { Cell::new(HeadClock { deadline: None, checked_at: None }) };
}

impl HeadClock {
    /// Runs `poll` (a poll of this connection's hyper connection) with `self` as
    /// the current clock, and keeps what hyper's timer wrote into it.
    pub(super) fn during<T>(&mut self, poll: impl FnOnce() -> T) -> T {
        let outer = CURRENT.replace(*self);
        let polled = poll();
        *self = CURRENT.replace(outer);
        polled
    }
}

/// The time, from tokio's clock (so that a test that pauses time pauses this too).
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// The timer given to hyper's HTTP/1 server; see the [module docs](self).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct HeadTimer;

impl Timer for HeadTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.sleep_until(now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        CURRENT.with(|clock| clock.set(HeadClock { deadline: Some(deadline), ..clock.get() }));
        // A zero-sized value: boxing it allocates nothing.
        Box::pin(HeadDeadline)
    }

    fn now(&self) -> Instant {
        now()
    }

    fn reset(&self, _sleep: &mut Pin<Box<dyn Sleep>>, new_deadline: Instant) {
        CURRENT.with(|clock| clock.set(HeadClock { deadline: Some(new_deadline), ..clock.get() }));
    }
}

/// hyper's header-read timeout for the connection being polled: ready once its
/// deadline has passed. Dropping it (the head is in) forgets the deadline.
#[derive(Debug)]
pub(super) struct HeadDeadline;

impl Future for HeadDeadline {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let mut clock = CURRENT.get();
        let now = now();
        clock.checked_at = Some(now);
        CURRENT.set(clock);
        match clock.deadline {
            Some(deadline) if now >= deadline => Poll::Ready(()),
            // Not yet (or, outside a connection's poll, never): the connection's own
            // timer wakes it for the deadline.
            _ => Poll::Pending,
        }
    }
}

impl Sleep for HeadDeadline {}

impl Drop for HeadDeadline {
    fn drop(&mut self) {
        CURRENT.with(|clock| clock.set(HeadClock::default()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll_once(deadline: &mut Pin<Box<dyn Sleep>>) -> Poll<()> {
        deadline.as_mut().poll(&mut Context::from_waker(std::task::Waker::noop()))
    }

    #[tokio::test(start_paused = true)]
    async fn a_deadline_is_written_into_the_clock_of_the_connection_being_polled() {
        let mut clock = HeadClock::default();
        let start = now();
        let mut sleep = clock.during(|| HeadTimer.sleep(Duration::from_secs(30)));
        assert_eq!(clock.deadline, Some(start + Duration::from_secs(30)));
        assert_eq!(CURRENT.get().deadline, None, "outside the poll, the clock is put back");

        assert_eq!(clock.during(|| poll_once(&mut sleep)), Poll::Pending);
        assert_eq!(clock.checked_at, Some(start));
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(clock.during(|| poll_once(&mut sleep)), Poll::Ready(()));

        clock.during(|| HeadTimer.reset(&mut sleep, start + Duration::from_secs(90)));
        assert_eq!(clock.during(|| poll_once(&mut sleep)), Poll::Pending);
        clock.during(|| drop(sleep));
        assert_eq!(clock.deadline, None, "the head is in: no deadline");
    }
}
