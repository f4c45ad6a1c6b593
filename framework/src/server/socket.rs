//! The TCP stream as hyper sees it, telling the connection's state when the client
//! stops reading (so that shutdown does not cut a response short), and failing a
//! write that has waited `RESPONSE_WRITE_TIMEOUT` for the client to read (which
//! ends the connection: on HTTP/1.1 a response that makes no progress is cancelled
//! with its connection; on HTTP/2 this catches a client that stops reading the
//! socket altogether, and `stream_clock.rs` one that stops granting a stream window).
//!
//! The timer is the connection's own, armed when a write first has to wait and
//! polled (so that it wakes the connection) by every write that waits after it;
//! any write that goes through stops it. hyper retries its writes each time the
//! connection is polled, so the write after the deadline fails with `TimedOut`.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

use super::connection::ConnectionState;

/// A [`TcpStream`] that records whether its last write had to wait, and for how long.
#[derive(Debug)]
pub(super) struct Socket {
    stream: TcpStream,
    state: Arc<ConnectionState>,
    write_timeout: Duration,
    /// Armed while writes wait; allocated the first time one does.
    blocked: Option<Pin<Box<Sleep>>>,
    /// Whether `blocked` is armed for the current wait.
    waiting: bool,
}

impl Socket {
    /// `stream`, reporting to `state`, whose writes may wait `write_timeout`.
    pub(super) fn new(stream: TcpStream, state: Arc<ConnectionState>, write_timeout: Duration) -> Socket {
        Socket { stream, state, write_timeout, blocked: None, waiting: false }
    }

    fn record<T>(&mut self, written: Poll<io::Result<T>>, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        self.state.set_write_blocked(written.is_pending());
        if !written.is_pending() {
            self.waiting = false;
            return written;
        }
        if !self.waiting {
            let Some(deadline) = Instant::now().checked_add(self.write_timeout) else { return written };
            match &mut self.blocked {
                Some(timer) => timer.as_mut().reset(deadline),
                None => self.blocked = Some(Box::pin(tokio::time::sleep_until(deadline))),
            }
            self.waiting = true;
        }
        let Some(timer) = &mut self.blocked else { return written };
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client read nothing for RESPONSE_WRITE_TIMEOUT",
            )));
        }
        written
    }
}

impl AsyncRead for Socket {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Socket {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.record(written, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.record(written, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
