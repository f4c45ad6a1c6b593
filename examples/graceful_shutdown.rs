//! Graceful shutdown: on Ctrl-C or SIGTERM the server stops accepting connections,
//! lets in-flight requests finish (up to `SHUTDOWN_TIMEOUT`), then exits with 0.
//!
//! Run `cargo run --example graceful_shutdown`, then in another terminal start a
//! slow request and stop the server while it runs:
//!
//! ```text
//! curl http://127.0.0.1:5000/slow &
//! kill -TERM <pid>      # or Ctrl-C in the server's terminal
//! ```
//!
//! The slow request still gets its answer; a request sent afterwards is refused.

use phial::prelude::*;
use std::time::Duration;

#[get("/")]
async fn index() -> impl IntoResponse {
    jsonify!({"status": "up"})
}

/// A request that takes a while, to watch shutdown wait for it.
#[get("/slow")]
async fn slow() -> impl IntoResponse {
    tokio::time::sleep(Duration::from_secs(2)).await;
    jsonify!({"status": "finished"})
}

/// Builds the app; `main` serves it and the tests drive it.
pub fn create_app() -> App {
    let mut app = App::new("graceful_shutdown");
    app.config.set("SHUTDOWN_TIMEOUT", 10);
    app.register(routes![index, slow]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app().run_on(("127.0.0.1", port)).await
}
