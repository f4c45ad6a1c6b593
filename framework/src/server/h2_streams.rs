//! Where each HTTP/2 stream is answered: first in its connection's task, and in a
//! task of its own only if it has to wait.
//!
//! hyper hands each stream it accepts to the server's executor, which would spawn
//! it as a tokio task. Most streams need no task: a GET the app answers without
//! waiting (a page, a 401, a JSON view) is done the first time it is polled. A task
//! costs an allocation, a trip through the scheduler and a wake-up of the
//! connection for every response, which then goes out in a write of its own.
//!
//! So while the server polls a connection ([`collect`]), [`StreamExecutor`] keeps
//! the streams hyper hands it; the connection then polls each once, in its own
//! task ([`answer`]), and spawns only those still pending (a handler awaiting I/O,
//! a streamed body, a client that grants no window). Their task polls them again
//! at once, so they wait on its waker, not the connection's. The connection is
//! then polled again and sends every answer ready in one write: eight streams of
//! one client, eight responses, one system call.
//!
//! A stream that panics is dropped (h2 resets it), as tokio would drop its task;
//! the connection and its other streams go on.

use std::cell::Cell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::stream_clock::Clocked;

/// A stream's future as hyper built it, with its clock.
pub(super) type Stream = Pin<Box<dyn Future<Output = ()> + Send>>;

thread_local! {
    /// The streams hyper accepted while a connection is polled on this thread.
    static ARRIVED: Cell<Option<Vec<Stream>>> = const { Cell::new(None) };
}

/// The server's executor: keeps each HTTP/2 stream for its connection to answer
/// (see the [module docs](self)), each with a [`StreamClock`](super::stream_clock::StreamClock)
/// and `RESPONSE_WRITE_TIMEOUT`; spawns it when no connection is being polled.
#[derive(Clone, Debug)]
pub(super) struct StreamExecutor {
    write_timeout: Duration,
}

impl StreamExecutor {
    /// An executor whose streams get `write_timeout` (`RESPONSE_WRITE_TIMEOUT`) per frame.
    pub(super) fn new(write_timeout: Duration) -> StreamExecutor {
        StreamExecutor { write_timeout }
    }
}

impl<F> hyper::rt::Executor<F> for StreamExecutor
where
    F: Future<Output = ()> + Send + 'static,
{
    fn execute(&self, stream: F) {
        let stream = Clocked::new(stream, self.write_timeout);
        match ARRIVED.take() {
            Some(mut arrived) => {
                arrived.push(Box::pin(stream));
                ARRIVED.set(Some(arrived));
            }
            None => {
                tokio::spawn(stream);
            }
        }
    }
}

/// Runs `poll` (a poll of one connection), keeping in `arrived` the streams hyper
/// accepts meanwhile; `arrived`'s allocation is reused from poll to poll.
pub(super) fn collect<T>(arrived: &mut Vec<Stream>, poll: impl FnOnce() -> T) -> T {
    /// Takes the streams back even if `poll` panics, so that none is left for
    /// another connection's poll on this thread.
    struct Collecting<'a>(&'a mut Vec<Stream>);
    impl Drop for Collecting<'_> {
        fn drop(&mut self) {
            if let Some(arrived) = ARRIVED.take() {
                *self.0 = arrived;
            }
        }
    }
    ARRIVED.set(Some(std::mem::take(arrived)));
    let _collecting = Collecting(arrived);
    poll()
}

/// Polls each of `arrived` once in the connection's task (`cx`), spawns those that
/// have to wait, and drops those that panic; leaves `arrived` empty.
pub(super) fn answer(arrived: &mut Vec<Stream>, cx: &mut Context<'_>) {
    for mut stream in arrived.drain(..) {
        match std::panic::catch_unwind(AssertUnwindSafe(|| stream.as_mut().poll(cx))) {
            Ok(Poll::Ready(())) => {}
            Ok(Poll::Pending) => {
                tokio::spawn(stream);
            }
            Err(_) => {
                tracing::error!(target: "phial::server", "an HTTP/2 stream panicked; it is reset, its connection serves on");
            }
        }
    }
}
