//! Custom claims (flask-jwt-extended's `additional_data_in_access_token.py`): put
//! your own data in the token at login and read it back with `get_jwt()`.
//!
//! Run `cargo run --example additional_data_in_access_token`, then:
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

/// You can use the additional_claims argument to either add custom claims or
/// override default claims in the JWT.
#[post("/login")]
async fn login(Json(credentials): Json<Credentials>) -> Result<impl IntoResponse, JwtError> {
    let username = credentials.username.unwrap_or_default();
    let password = credentials.password.unwrap_or_default();
    if username != "test" || password != "test" {
        return Ok((jsonify!({"msg": "Bad username or password"}), 401));
    }
    let additional_claims = serde_json::json!({"aud": "some_audience", "foo": "bar"});
    let access_token = access_token(username).additional_claims(additional_claims).create()?;
    Ok((jsonify!({"access_token": access_token}), 200))
}

/// In a protected view, get the claims you added to the JWT with get_jwt().
#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<impl IntoResponse, JwtError> {
    let claims = get_jwt()?;
    // `.get`: a valid token made without `foo` answers `null` (upstream: a 500 KeyError).
    Ok(jsonify!({"foo": claims.get("foo")}))
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("additional_data_in_access_token");
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
