//! Testing apps: an in-process client like Flask's `app.test_client()`, and a live
//! server on an ephemeral loopback port for tests that need a real socket.
//!
//! ```
//! use phial::prelude::*;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let mut app = App::new("demo");
//! app.route("/echo", ["POST"], |Json(v): Json<serde_json::Value>| async move { Json(v) });
//! let client = app.test_client();
//!
//! let response = client.post("/echo").json(&serde_json::json!({"a": 1})).send().await;
//! assert_eq!(response.status(), 200);
//! assert_eq!(response.json::<serde_json::Value>(), serde_json::json!({"a": 1}));
//!
//! let response = client.post("/echo").body("not json").send().await;
//! assert_eq!(response.status(), 415);
//! # });
//! ```

mod client;
mod cookie_jar;
mod live;
mod multipart;
mod response;

pub use client::{TestClient, TestRequest};
pub use live::LiveServer;
pub use multipart::Multipart;
pub use response::TestResponse;
