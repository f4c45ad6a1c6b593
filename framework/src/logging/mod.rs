//! The default logger: what Flask's development server prints (one line per
//! request, warnings and errors), written off the request path.
//!
//! [`init`] installs `tracing-subscriber`'s fmt logger, filtered by `RUST_LOG`
//! (default `info`: every request's line, as Werkzeug logs them). The lines are
//! handed to a background thread (`tracing-appender`'s non-blocking writer), which
//! writes them to standard output in batches: a request pays for formatting its
//! line and a channel send, not for a write to the terminal or the pipe. The
//! request's line is written without tracing's formatter (see `request_line.rs`),
//! in the same text. The
//! channel never drops a line (when it is full, requests wait), and the returned
//! [`LogGuard`] flushes what is left when it is dropped, so keep it until `main`
//! returns: after `app.run()` ends on SIGTERM or Ctrl-C, nothing is lost.
//!
//! ```no_run
//! # async fn demo() -> Result<(), phial::Error> {
//! let _log = phial::logging::init();
//! let app = phial::App::new("demo");
//! app.run().await
//! # }
//! ```

pub(crate) mod request_line;

use request_line::PhialSubscriber;
use std::io::Write;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the background writer alive; dropping it flushes every line logged so
/// far. Hold it in `main`.
#[must_use = "dropping the guard stops the logger: keep it until main returns"]
pub struct LogGuard {
    _worker: Option<tracing_appender::non_blocking::WorkerGuard>,
}

impl std::fmt::Debug for LogGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogGuard").finish_non_exhaustive()
    }
}

/// Installs the default logger with `RUST_LOG`'s filter, `info` when it is unset
/// or invalid. If the app already installed a global subscriber, that one stays
/// and this does nothing.
pub fn init() -> LogGuard {
    init_with_default_filter("info")
}

/// [`init`] with another filter for when `RUST_LOG` is unset (`"warn"`: no line
/// per request).
pub fn init_with_default_filter(filter: &str) -> LogGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let (writer, worker) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        // tracing-appender's default (128 000 lines) preallocates megabytes of
        // channel; a few thousand lines in flight are plenty for a writer that
        // drains in batches, and keep the server's memory small.
        .buffered_lines_limit(4096)
        .thread_name("phial-log")
        .finish(batched_stdout());
    // Colours for a terminal only: a file or a pipe gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let logger: PhialSubscriber =
        tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(writer.clone()).finish();
    match logger.try_init() {
        Ok(()) => {
            // Plain text: each request's line skips tracing's formatter (see
            // `request_line.rs`); a terminal's coloured lines go through it.
            if !ansi {
                request_line::write_directly_to(writer);
            }
            LogGuard { _worker: Some(worker) }
        }
        Err(_) => LogGuard { _worker: None },
    }
}

/// Standard output through a buffer the background thread flushes once it has
/// drained the channel: many lines, one write. Falls back to the process's line
/// buffered stdout if the descriptor cannot be duplicated.
#[cfg(unix)]
fn batched_stdout() -> Box<dyn Write + Send> {
    use std::os::fd::AsFd;
    match std::io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::io::BufWriter::with_capacity(64 * 1024, std::fs::File::from(fd))),
        Err(_) => Box::new(std::io::stdout()),
    }
}

#[cfg(not(unix))]
fn batched_stdout() -> Box<dyn Write + Send> {
    Box::new(std::io::stdout())
}
