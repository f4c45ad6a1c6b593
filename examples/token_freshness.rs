//! Token freshness (flask-jwt-extended's `token_freshness.py`): logging in with a
//! password gives a fresh token; a refreshed one is not fresh, and sensitive routes
//! demand a fresh one.
//!
//! Run `cargo run --example token_freshness`, then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "test", "password": "test"}'
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! curl -X POST http://127.0.0.1:5000/refresh -H "Authorization: Bearer <refresh_token>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

/// We verify the user's password here, so we are returning a fresh access token.
#[post("/login")]
async fn login(Json(credentials): Json<Credentials>) -> Result<impl IntoResponse, JwtError> {
    if credentials.username.as_deref() != Some("test") || credentials.password.as_deref() != Some("test") {
        return Ok((jsonify!({"msg": "Bad username or password"}), 401));
    }
    let access_token = access_token("example_user").fresh(true).create()?;
    let refresh_token = create_refresh_token("example_user")?;
    Ok((jsonify!({"access_token": access_token, "refresh_token": refresh_token}), 200))
}

/// If we are refreshing a token here we have not verified the user's password in a
/// while, so mark the newly created access token as not fresh.
#[post("/refresh")]
#[jwt_required(refresh = true)]
async fn refresh() -> Result<impl IntoResponse, JwtError> {
    let identity: String = get_jwt_identity()?;
    let access_token = access_token(identity).fresh(false).create()?;
    Ok(jsonify!({"access_token": access_token}))
}

/// Only allow fresh JWTs to access this route with the `fresh = true` option.
#[get("/protected")]
#[jwt_required(fresh = true)]
async fn protected() -> impl IntoResponse {
    jsonify!({"foo": "bar"})
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("token_freshness");
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this!
    app.config.set("JWT_ACCESS_TOKEN_EXPIRES", Duration::from_secs(3600));
    app.config.set("JWT_REFRESH_TOKEN_EXPIRES", Duration::from_secs(30 * 24 * 3600));
    JWTManager::new(&mut app);
    app.register(routes![login, refresh, protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app().run_on(("127.0.0.1", port)).await
}
