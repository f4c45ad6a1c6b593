//! Serving an app over TCP with hyper: HTTP/1.1 keep-alive and HTTP/2 (h2c, prior
//! knowledge) on the same port, limits, and graceful shutdown.
//!
//! The accept loop and the connection lifecycle, step by step:
//! 1. a connection is accepted only when one of `MAX_CONNECTIONS` permits is free,
//!    so a flood of clients waits in the kernel's backlog instead of exhausting memory;
//! 2. it has `HEADER_READ_TIMEOUT` to deliver its first complete request head, and
//!    on HTTP/1.1 again each time it falls idle, or is closed (see `idle_deadline.rs`):
//!    silent sockets cannot hold permits, idle keep-alive connections are closed; an
//!    HTTP/2 connection with no request in flight for `HTTP2_IDLE_TIMEOUT` is sent
//!    GOAWAY, then closed (see `connection.rs`);
//! 3. hyper-util's `auto` builder reads the first bytes and speaks HTTP/2 when they are
//!    the h2c preface, HTTP/1.1 otherwise; an HTTP/2 client may open
//!    `HTTP2_MAX_CONCURRENT_STREAMS` streams at once, and one that opens and resets
//!    streams faster than they are served (the "rapid reset" attack) is sent GOAWAY;
//!    a stream is answered in its connection's task, and only one that waits gets
//!    a task of its own (see `h2_streams.rs`);
//! 4. each request body is read into memory within `MAX_CONTENT_LENGTH` (413),
//!    `BODY_READ_TIMEOUT` (408) and the server's `MAX_BODY_BYTES_IN_FLIGHT` (503 after
//!    waiting; see `body.rs`), then handed to the app: however many connections and
//!    streams are open, the bodies held in memory stay within that budget;
//! 5. a response that waits `RESPONSE_WRITE_TIMEOUT` for its client to read is
//!    cancelled: with its connection when a socket write waits that long (see
//!    `socket.rs`), alone when an HTTP/2 stream gets no window that long (see
//!    `stream_clock.rs`);
//! 6. on Ctrl-C or SIGTERM the listener is dropped (new connections are refused),
//!    connections with nothing in flight are closed, the others are asked to finish
//!    their in-flight request and close, and the server waits up to
//!    `SHUTDOWN_TIMEOUT` for them.

pub(crate) mod body;
mod connection;
mod h2_streams;
mod idle_deadline;
pub(crate) mod limits;
mod response_body;
mod serve_request;
mod signal;
mod socket;
mod stream_clock;

pub use signal::shutdown_signal;

use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use connection::{Connection, ConnectionState};
use h2_streams::StreamExecutor;
use serve_request::serve_request;
use socket::Socket;

use crate::layer::ConnectionLayers;
use crate::{App, AppHandle, Error};

impl App {
    /// Serves the app on `127.0.0.1:5000`, Flask's default, until Ctrl-C or SIGTERM.
    pub async fn run(self) -> Result<(), Error> {
        self.run_on("127.0.0.1:5000").await
    }

    /// Serves the app on `addr` until Ctrl-C or SIGTERM.
    pub async fn run_on(self, addr: impl ToSocketAddrs) -> Result<(), Error> {
        let listener = TcpListener::bind(addr).await?;
        self.serve(listener).await
    }

    /// Serves the app on a bound listener until Ctrl-C or SIGTERM.
    pub async fn serve(self, listener: TcpListener) -> Result<(), Error> {
        self.serve_with_shutdown(listener, shutdown_signal()).await
    }

    /// Serves the app on a bound listener until `shutdown` completes, then lets
    /// in-flight requests finish (up to `SHUTDOWN_TIMEOUT`).
    pub async fn serve_with_shutdown(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), Error> {
        let app = self.finalize()?;
        serve(app, listener, shutdown).await
    }
}

/// The accept loop; see the [module docs](self).
pub(crate) async fn serve(
    app: AppHandle,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), Error> {
    let limits = app.core().limits.clone();
    let local = listener.local_addr()?;
    tracing::info!(target: "phial::server", "serving {} on http://{local}", app.name());

    let mut builder = auto::Builder::new(StreamExecutor::new(limits.response_write_timeout));
    let mut http1 = builder.http1();
    http1
        // `HEADER_READ_TIMEOUT` is the connection's own (see `idle_deadline.rs`).
        .header_read_timeout(None)
        .max_buf_size((limits.max_header_size * 4).max(16 * 1024));
    if let Some(capacity) = limits.hyper_header_capacity() {
        http1.max_headers(capacity);
    }
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(u32::try_from(limits.max_header_size * 2).unwrap_or(u32::MAX))
        // No keep-alive pings (hyper's default): watching them cost every request
        // about 500 instructions (`H2=1 bash bench/instructions.sh`), and the
        // connection's own deadlines close what they would find: an idle connection
        // after `HTTP2_IDLE_TIMEOUT`, a stalled response after `RESPONSE_WRITE_TIMEOUT`.
        .max_concurrent_streams(limits.http2_max_concurrent_streams)
        // Rapid reset (CVE-2023-44487): a client that resets more than 20 streams
        // before they are served, or makes the server reset 1024 for its errors, is
        // sent GOAWAY. h2's and hyper's defaults today, set here so that they stay.
        .max_pending_accept_reset_streams(Some(20))
        .max_local_error_reset_streams(Some(1024));

    let shutting_down = CancellationToken::new();
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Usually "too many open files": back off instead of spinning.
                    tracing::error!(target: "phial::server", error = %err, "accept failed; retrying in 100 ms");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let state = Arc::new(ConnectionState::default());
        let app = app.clone();
        let requests = Arc::clone(&state);
        // The connection's own instance of the app's tower layers, if it has some.
        let layers = app.core().service.get().map(ConnectionLayers::new);
        let service =
            service_fn(move |request| serve_request(app.clone(), request, remote, &requests, layers.as_ref()));
        let io = TokioIo::new(Socket::new(stream, Arc::clone(&state), limits.response_write_timeout));
        let conn = builder.serve_connection_with_upgrades(io, service).into_owned();
        tokio::spawn(Connection::new(
            conn,
            state,
            (limits.header_read_timeout, limits.http2_idle_timeout),
            shutting_down.clone().cancelled_owned(),
            remote,
            permit,
        ));
    }

    drop(listener);
    tracing::info!(target: "phial::server", "shutting down: finishing in-flight requests");
    shutting_down.cancel();
    // Every connection holds one permit until it ends: all of them back means all closed.
    let every_permit = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    tokio::select! {
        _ = permits.acquire_many(every_permit) => tracing::info!(target: "phial::server", "all connections closed"),
        () = tokio::time::sleep(limits.shutdown_timeout) => {
            tracing::warn!(target: "phial::server", "shutdown timeout reached; dropping remaining connections");
        }
    }
    Ok(())
}
