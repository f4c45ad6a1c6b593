//! Login and logout with rate limits, where a Flask app would add Flask-Limiter: a
//! logged-in user could otherwise mint and revoke tokens until `MemoryBlocklist` is
//! full (then every logout answers 503).
//!
//! - `POST /auth/login` (`test` / `test`): at most 5 a minute per client address
//!   (`PerAddress`, a layer on the `auth` blueprint; behind a proxy, `ProxyFix`
//!   outside it makes the key the client's address);
//! - `DELETE /auth/logout`: revokes the token, at most 10 a minute per user
//!   (`PerIdentity`, a decorator under `#[jwt_required]`);
//! - `GET /protected`: any valid, unrevoked token.
//!
//! Past a limit: `429 Too Many Requests`, `Retry-After`, phial's JSON body.
//! Run `cargo run --example rate_limits` (127.0.0.1:$PORT, default 5000).

use phial::layer::ProxyFix;
use phial::prelude::*;
use phial::rate_limit::PerAddress;
use phial_jwt::blocklist::MemoryBlocklist;
use phial_jwt::prelude::*;
use phial_jwt::rate_limit::PerIdentity;
use serde::Deserialize;

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

#[post("/login")]
async fn login(Json(credentials): Json<Credentials>) -> Result<Response, ViewError> {
    if credentials.username != "test" || credentials.password != "test" {
        return Ok(jsonify!({"msg": "Bad username or password"}).status(401).into_response());
    }
    Ok(jsonify!({"access_token": create_access_token(credentials.username)?}).into_response())
}

#[delete("/logout")]
#[jwt_required]
#[decorate(PerIdentity::per_minute(10))]
async fn logout() -> Result<Jsonify, ViewError> {
    revoke_current_token().await?;
    Ok(jsonify!({"msg": "Access token successfully revoked"}))
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<Jsonify, ViewError> {
    let user: String = get_jwt_identity()?;
    Ok(jsonify!({"logged_in_as": user}))
}

/// Builds the app; `main` serves it and the tests drive it.
pub fn create_app(secret: &str) -> App {
    let mut app = App::new("rate_limits");
    app.config.set("JWT_SECRET_KEY", secret);
    let jwt = JWTManager::new(&mut app);
    jwt.use_blocklist(MemoryBlocklist::new());
    let mut auth = Blueprint::new("auth", "/auth");
    auth.register(routes![login, logout]);
    auth.layer(PerAddress::per_minute(5));
    app.register_blueprint(auth);
    app.register(routes![protected]);
    app.layer(ProxyFix::new());
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    let secret = std::env::var("JWT_SECRET_KEY")
        .unwrap_or_else(|_| format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()));
    create_app(&secret).run_on(("127.0.0.1", port)).await
}
