//! The quickstart: flask-jwt-extended's README app, ported line by line.
//!
//! `POST /login` with `{"username": "test", "password": "test"}` answers an access
//! token; `GET /protected` needs it in `Authorization: Bearer <token>`.
//!
//! Run it with `cargo run --example quickstart` (it listens on 127.0.0.1:$PORT,
//! default 5000; set `JWT_SECRET_KEY`, or it makes up a random one), then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "test", "password": "test"}'
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;
use serde::Deserialize;
use subtle::ConstantTimeEq;

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

/// Compares without leaking, through timing, how much of a guess was right.
fn matches(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// Create a route to authenticate your users and return JWTs. The
/// `create_access_token()` function is used to actually generate the JWT.
#[post("/login")]
async fn login(Json(credentials): Json<Credentials>) -> Result<impl IntoResponse, JwtError> {
    let username = credentials.username.unwrap_or_default();
    let password = credentials.password.unwrap_or_default();
    if !(matches(&username, "test") & matches(&password, "test")) {
        return Ok((jsonify!({"msg": "Bad username or password"}), 401));
    }
    let access_token = create_access_token(username)?;
    Ok((jsonify!({"access_token": access_token}), 200))
}

/// Protect a route with `#[jwt_required]`, which kicks out requests without a
/// valid JWT present.
#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<impl IntoResponse, JwtError> {
    // Access the identity of the current user with get_jwt_identity
    let current_user: String = get_jwt_identity()?;
    Ok((jsonify!({"logged_in_as": current_user}), 200))
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app(secret: &str) -> App {
    let mut app = App::new("quickstart");
    // Setup the phial-jwt extension
    app.config.set("JWT_SECRET_KEY", secret); // Change this!
    JWTManager::new(&mut app);
    app.register(routes![login, protected]);
    app
}

/// `JWT_SECRET_KEY` from the environment, or a random one (tokens then die with
/// the process, and every server of a cluster would disagree: say so loudly).
pub fn secret_from_env() -> String {
    match std::env::var("JWT_SECRET_KEY") {
        Ok(secret) if !secret.is_empty() => secret,
        _ => {
            eprintln!(
                "WARNING: JWT_SECRET_KEY is not set; using a random secret. Tokens will not survive a restart \
                 and other servers will refuse them. Set JWT_SECRET_KEY to a long random value."
            );
            format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), written by a
    // background thread; `_log` flushes what is left when main returns.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    println!("Try:");
    println!(
        "  curl -X POST http://127.0.0.1:{port}/login -H 'Content-Type: application/json' \
         -d '{{\"username\": \"test\", \"password\": \"test\"}}'"
    );
    println!("  curl http://127.0.0.1:{port}/protected -H \"Authorization: Bearer <access_token>\"");
    create_app(&secret_from_env()).run_on(("127.0.0.1", port)).await
}
