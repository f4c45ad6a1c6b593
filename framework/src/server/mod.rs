//! Serving an app over TCP with hyper: HTTP/1.1 keep-alive and HTTP/2 (h2c, prior
//! knowledge) on the same port, limits, and graceful shutdown.
//!
//! The accept loop and the connection lifecycle, step by step:
//! 1. a connection is accepted only when one of `MAX_CONNECTIONS` permits is free,
//!    so a flood of clients waits in the kernel's backlog instead of exhausting memory;
//! 2. hyper-util's `auto` builder reads the first bytes and speaks HTTP/2 when they are
//!    the h2c preface, HTTP/1.1 otherwise. Its timer enforces `HEADER_READ_TIMEOUT`
//!    on every request head, which also closes idle keep-alive connections;
//! 3. each request body is read into memory within `MAX_CONTENT_LENGTH` (413) and
//!    `BODY_READ_TIMEOUT` (408), then handed to the app;
//! 4. on Ctrl-C or SIGTERM the listener is dropped (new connections are refused),
//!    every connection is asked to finish its in-flight request and close, and the
//!    server waits up to `SHUTDOWN_TIMEOUT` for them.

mod body;
pub(crate) mod limits;
mod signal;

pub use signal::shutdown_signal;

use futures_util::FutureExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::Semaphore;

use crate::{App, AppHandle, Error, Response};

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
        mut self,
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

    let mut builder = auto::Builder::new(TokioExecutor::new());
    let mut http1 = builder.http1();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size((limits.max_header_size * 4).max(16 * 1024));
    if let Some(capacity) = limits.hyper_header_capacity() {
        http1.max_headers(capacity);
    }
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(u32::try_from(limits.max_header_size * 2).unwrap_or(u32::MAX))
        .keep_alive_interval(Some(limits.header_read_timeout))
        .keep_alive_timeout(Duration::from_secs(20));

    let graceful = GracefulShutdown::new();
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
        let app = app.clone();
        let service = service_fn(move |request| serve_request(app.clone(), request, remote));
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        // `map`, not an `async` block: a block would keep the connection twice in
        // its state (captured, then awaited), 1.7 KB more for every connection.
        let connection = graceful.watch(connection).map(move |ended| {
            if let Err(err) = ended {
                tracing::debug!(target: "phial::server", error = %err, %remote, "connection ended with an error");
            }
            drop(permit);
        });
        tokio::spawn(connection);
    }

    drop(listener);
    tracing::info!(target: "phial::server", "shutting down: finishing in-flight requests");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!(target: "phial::server", "all connections closed"),
        () = tokio::time::sleep(limits.shutdown_timeout) => {
            tracing::warn!(target: "phial::server", "shutdown timeout reached; dropping remaining connections");
        }
    }
    Ok(())
}

/// Reads one request's body within the limits, then lets the app answer it.
///
/// The future is built by hand so that it holds the head, not the whole request
/// it came in (hyper keeps one such future boxed for every connection).
fn serve_request(
    app: AppHandle,
    request: http::Request<Incoming>,
    remote: SocketAddr,
) -> impl Future<Output = Result<Response, Infallible>> {
    let (head, body) = request.into_parts();
    async move {
        match body::read(&head, body, &app.core().limits).await {
            Ok(body) => Ok(app.handle_from(http::Request::from_parts(head, body), remote).await),
            Err(response) => Ok(response),
        }
    }
}
