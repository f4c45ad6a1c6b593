//! The quickstart: a Flask app's shape in phial.
//!
//! Run it with `cargo run --example quickstart` (set `PORT` to change the port from
//! 5000), then try:
//!
//! ```text
//! curl http://127.0.0.1:5000/
//! curl -X POST http://127.0.0.1:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "test", "password": "test"}'
//! ```

use phial::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Login {
    username: Option<String>,
    password: Option<String>,
}

#[get("/")]
async fn index() -> impl IntoResponse {
    jsonify!({"hello": "phial"})
}

#[post("/login")]
async fn login(Json(body): Json<Login>) -> impl IntoResponse {
    let valid = body.username.as_deref() == Some("test") && body.password.as_deref() == Some("test");
    if !valid {
        return (jsonify!({"msg": "Bad username or password"}), 401);
    }
    (jsonify!({"msg": "Welcome test"}), 200)
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("quickstart");
    app.register(routes![index, login]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    println!("Try: curl http://127.0.0.1:{port}/");
    create_app().run_on(("127.0.0.1", port)).await
}
