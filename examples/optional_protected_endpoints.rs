//! Optionally protected routes (flask-jwt-extended's
//! `optional_protected_endpoints.py`): the same route serves anonymous users and
//! logged-in ones; an invalid token is still refused.
//!
//! Run `cargo run --example optional_protected_endpoints`, then:
//!
//! ```text
//! curl http://127.0.0.1:5000/optionally_protected
//! curl -X POST http://127.0.0.1:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "test", "password": "test"}'
//! curl http://127.0.0.1:5000/optionally_protected -H "Authorization: Bearer <access_token>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

#[post("/login")]
async fn login(Json(credentials): Json<Credentials>) -> Result<impl IntoResponse, JwtError> {
    let username = credentials.username.unwrap_or_default();
    let password = credentials.password.unwrap_or_default();
    if username != "test" || password != "test" {
        return Ok((jsonify!({"msg": "Bad username or password"}), 401));
    }
    let access_token = create_access_token(username)?;
    Ok((jsonify!({"access_token": access_token}), 200))
}

#[get("/optionally_protected")]
#[jwt_required(optional = true)]
async fn optionally_protected() -> Result<impl IntoResponse, JwtError> {
    let current_identity: Option<String> = get_jwt_identity()?;
    // Upstream writes `if current_identity:`, which is also false for "".
    Ok(match current_identity {
        Some(identity) if !identity.is_empty() => jsonify!({"logged_in_as": identity}),
        _ => jsonify!({"logged_in_as": "anonymous user"}),
    })
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("optional_protected_endpoints");
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this!
    JWTManager::new(&mut app);
    app.register(routes![login, optionally_protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app().run_on(("127.0.0.1", port)).await
}
