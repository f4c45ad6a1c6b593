//! Refresh tokens (flask-jwt-extended's `refresh_tokens.py`): log in for an access
//! and a refresh token; trade the refresh token for new access tokens.
//!
//! Run `cargo run --example refresh_tokens`, then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login
//! curl -X POST http://127.0.0.1:5000/refresh -H "Authorization: Bearer <refresh_token>"
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;
use std::time::Duration;

#[post("/login")]
async fn login() -> Result<impl IntoResponse, JwtError> {
    let access_token = create_access_token("example_user")?;
    let refresh_token = create_refresh_token("example_user")?;
    Ok(jsonify!({"access_token": access_token, "refresh_token": refresh_token}))
}

/// We are using the `refresh = true` option in jwt_required to only allow refresh
/// tokens to access this route.
#[post("/refresh")]
#[jwt_required(refresh = true)]
async fn refresh() -> Result<impl IntoResponse, JwtError> {
    let identity: String = get_jwt_identity()?;
    let access_token = create_access_token(identity)?;
    Ok(jsonify!({"access_token": access_token}))
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> impl IntoResponse {
    jsonify!({"foo": "bar"})
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("refresh_tokens");
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
