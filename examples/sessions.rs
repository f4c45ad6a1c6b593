//! Flask's signed session, shared with a Flask service: the same two routes as a
//! Flask app with the same `SECRET_KEY`, so that a cookie written by either side
//! reads the same on the other (`tests/flask_vectors/sessions_app.py` is the Flask
//! side).
//!
//! - `GET /session` answers the whole session as a JSON object;
//! - `POST /session` with a JSON object stores each of its keys in the session and
//!   answers the whole session.
//!
//! Run `SECRET_KEY=... cargo run --example sessions` (it listens on
//! 127.0.0.1:$PORT, default 5000), then:
//!
//! ```text
//! curl -c jar -b jar -X POST http://127.0.0.1:5000/session -H 'Content-Type: application/json' -d '{"user": "ada"}'
//! curl -b jar http://127.0.0.1:5000/session
//! ```

use phial::prelude::*;
use phial::sessions::SessionValue;
use serde_json::{Map, Value};

/// The whole session as JSON (a `bytes` value, which Flask's JSON cannot write
/// either, is an error: a 500).
fn whole_session() -> Result<Response, ViewError> {
    let values = serde_json::to_value(phial::session()?.to_map())?;
    Ok(Jsonify::new(values).into_response())
}

#[get("/session")]
async fn show() -> Result<Response, ViewError> {
    whole_session()
}

#[post("/session")]
async fn store(Json(values): Json<Map<String, Value>>) -> Result<Response, ViewError> {
    let session = phial::session()?;
    for (key, value) in values {
        session.set(key, SessionValue::from(value))?;
    }
    whole_session()
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app(secret_key: &str) -> App {
    let mut app = App::new("sessions");
    app.config.set("SECRET_KEY", secret_key);
    app.register(routes![show, store]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let secret_key = std::env::var("SECRET_KEY").unwrap_or_default();
    if secret_key.is_empty() {
        eprintln!("Set SECRET_KEY (the same as the Flask service's) to keep sessions.");
    }
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app(&secret_key).run_on(("127.0.0.1", port)).await
}
