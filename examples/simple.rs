//! Basic usage (flask-jwt-extended's `simple.py`): log in for an access token, then
//! reach a protected route with it.
//!
//! Run `cargo run --example simple` (port from `PORT`, default 5000), then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "test", "password": "test"}'
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

/// Create a route to authenticate your users and return JWTs. The
/// create_access_token() function is used to actually generate the JWT.
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

/// Protect a route with jwt_required, which will kick out requests without a
/// valid JWT present.
#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<impl IntoResponse, JwtError> {
    // Access the identity of the current user with get_jwt_identity
    let current_user: String = get_jwt_identity()?;
    Ok((jsonify!({"logged_in_as": current_user}), 200))
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("simple");
    // Setup the phial-jwt extension
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this!
    JWTManager::new(&mut app);
    app.register(routes![login, protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app().run_on(("127.0.0.1", port)).await
}
