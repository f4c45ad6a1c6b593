//! Revocation shared by several servers through Redis: flask-jwt-extended's
//! `blocklist_redis.py`, with the store phial-jwt ships.
//!
//! `POST /login` answers an access token (valid one hour); `DELETE /logout` revokes
//! it in Redis, where the key expires with the token; `GET /protected` refuses it
//! from then on, on every server that uses the same Redis and the same secret.
//!
//! Run a Redis (`redis-server`), then `cargo run --example blocklist_redis`. It
//! reads `REDIS_URL` (default `redis://127.0.0.1:6379/0`), `JWT_SECRET_KEY` (default
//! upstream's `super-secret`; set the same one on every server) and `PORT` (default 5000). Start a second one on
//! another port with the same variables and revoke through either:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login
//! curl -X DELETE http://127.0.0.1:5000/logout -H "Authorization: Bearer <access_token>"
//! curl http://127.0.0.1:5001/protected -H "Authorization: Bearer <access_token>"
//! ```

use phial::prelude::*;
use phial_jwt::blocklist::RedisBlocklist;
use phial_jwt::prelude::*;
use std::time::Duration;

const ACCESS_EXPIRES: Duration = Duration::from_secs(3600);

#[post("/login")]
async fn login() -> Result<impl IntoResponse, JwtError> {
    let access_token = create_access_token("example_user")?;
    Ok(jsonify!({"access_token": access_token}))
}

/// Endpoint for revoking the current user's access token: its `jti` goes to Redis
/// until the token expires.
#[delete("/logout")]
#[jwt_required]
async fn logout() -> Result<impl IntoResponse, JwtError> {
    revoke_current_token().await?;
    Ok(jsonify!({"msg": "Access token revoked"}))
}

/// A revoked token cannot access this endpoint.
#[get("/protected")]
#[jwt_required]
async fn protected() -> impl IntoResponse {
    jsonify!({"hello": "world"})
}

/// Builds the app on `store`; `main` serves it and the tests drive it in-process.
pub fn create_app(secret: &str, store: RedisBlocklist) -> App {
    let mut app = App::new("blocklist_redis");
    app.config.set("JWT_SECRET_KEY", secret);
    app.config.set("JWT_ACCESS_TOKEN_EXPIRES", ACCESS_EXPIRES);
    let jwt = JWTManager::new(&mut app);
    // Every protected request checks Redis; when Redis is down they answer 503
    // (use_blocklist_with(store, FailMode::Open) would let tokens through instead).
    jwt.use_blocklist(store);
    app.register(routes![login, logout, protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let redis_url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into());
    // Change this! Every server sharing the Redis must use the same secret.
    let secret = std::env::var("JWT_SECRET_KEY").unwrap_or_else(|_| "super-secret".into());
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    let store = RedisBlocklist::connect(&redis_url).await?;
    create_app(&secret, store).run_on(("127.0.0.1", port)).await?;
    Ok(())
}
