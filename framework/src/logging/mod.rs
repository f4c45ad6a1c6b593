//! The default logger: what Flask's development server prints (one line per
//! request, warnings and errors), written off the request path.
//!
//! [`init`] installs `tracing-subscriber`'s fmt logger, filtered by `RUST_LOG`
//! (default `info`: every request's line, as Werkzeug logs them). The lines are
//! gathered in memory and written to standard output by a background thread, in
//! batches (see `batched_writer.rs`): a request pays for formatting its line and
//! copying it into the batch, not for a write to the terminal or the pipe. The
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

mod batched_writer;
pub(crate) mod request_line;

use batched_writer::{BatchedWriter, Flusher};
use request_line::PhialSubscriber;
use std::io::Write;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the background writer alive; dropping it flushes every line logged so
/// far. Hold it in `main`.
#[must_use = "dropping the guard stops the logger: keep it until main returns"]
pub struct LogGuard {
    _flusher: Option<Flusher>,
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
    let Ok((writer, flusher)) = BatchedWriter::start(stdout()) else {
        // No thread for the writer: log straight to standard output.
        let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
        return LogGuard { _flusher: None };
    };
    // Colours for a terminal only: a file or a pipe gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let filter_text = filter.to_string();
    let logger: PhialSubscriber =
        tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(writer.clone()).finish();
    match logger.try_init() {
        Ok(()) => {
            // Plain text: each request's line skips tracing's formatter (see
            // `request_line.rs`); a terminal's coloured lines go through it.
            if !ansi {
                request_line::write_directly_to(writer, &filter_text);
            }
            LogGuard { _flusher: Some(flusher) }
        }
        Err(_) => LogGuard { _flusher: None },
    }
}

/// Standard output, unbuffered (the writer's batches are the buffer): a
/// duplicate of its descriptor, or the process's `Stdout` if that fails.
#[cfg(unix)]
fn stdout() -> Box<dyn Write + Send> {
    use std::os::fd::AsFd;
    match std::io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::fs::File::from(fd)),
        Err(_) => Box::new(std::io::stdout()),
    }
}

#[cfg(not(unix))]
fn stdout() -> Box<dyn Write + Send> {
    Box::new(std::io::stdout())
}
