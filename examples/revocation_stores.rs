//! phial-jwt's ready-made revocation: one app, three stores, chosen at start.
//!
//! flask-jwt-extended leaves the blocklist to the app (see `blocklist_database` and
//! `blocklist_redis`, ported as upstream wrote them). phial-jwt ships the stores and
//! wires one in with `jwt.use_blocklist(store)`; `revoke_current_token()` is the
//! whole logout. `BLOCKLIST` picks the store:
//!
//! - `memory` (default): `MemoryBlocklist`, one process, bounded;
//! - `sqlite`: `SqliteBlocklist` on the file `DATABASE_URL` (default
//!   `blocklist.sqlite3`): survives restarts;
//! - `redis`: `RedisBlocklist` on `REDIS_URL` (default `redis://127.0.0.1:6379/0`):
//!   shared by every server with the same `JWT_SECRET_KEY`;
//! - `none`: no blocklist, logout answers 500 (what `bench/http.sh blocklist`
//!   compares the stores with).
//!
//! `FAIL_OPEN=1` lets tokens through while the store is down instead of answering 503.
//! `REDIS_CACHE=1` (with `redis`) checks tokens against a local mirror of the store
//! kept current by Redis pub/sub: no round trip per request.
//! `ROTATION=1` turns on refresh-token rotation: `/refresh` answers a new refresh
//! token too, and sending a used one again revokes every token of that login.
//!
//! ```text
//! BLOCKLIST=sqlite cargo run --example revocation_stores
//! curl -X POST http://127.0.0.1:5000/login
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! curl -X DELETE http://127.0.0.1:5000/logout -H "Authorization: Bearer <access_token>"
//! curl -X DELETE http://127.0.0.1:5000/logout -H "Authorization: Bearer <refresh_token>"
//! curl -X POST http://127.0.0.1:5000/refresh -H "Authorization: Bearer <refresh_token>"   # 401, revoked
//! ```
//! Stop the server and start it again with the same command: with `sqlite` or
//! `redis` both tokens are still refused.
//!
//! `DELETE /logout/everywhere` refuses every token of the user issued up to now
//! (log in again a second later); `DELETE /logout/others` spares the token that asks.

use phial::prelude::*;
use phial_jwt::blocklist::{
    Blocklist, FailMode, MemoryBlocklist, RedisBlocklist, SqliteBlocklist, revoke_all_other_tokens,
    revoke_all_tokens_for,
};
use phial_jwt::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Tokens for `?user=<name>` (default `example_user`).
#[post("/login")]
async fn login(request: Request) -> Result<impl IntoResponse, JwtError> {
    let user = request.args().get("user").unwrap_or("example_user").to_owned();
    let access_token = create_access_token(user.clone())?;
    let refresh_token = create_refresh_token(user)?;
    Ok(jsonify!({"access_token": access_token, "refresh_token": refresh_token}))
}

/// A new access token; with `JWT_REFRESH_TOKEN_ROTATION` (`ROTATION=1`) also a new
/// refresh token, the one sent being retired: sending it again revokes the family.
#[post("/refresh")]
#[jwt_required(refresh = true)]
async fn refresh() -> Result<impl IntoResponse, JwtError> {
    let identity: String = get_jwt_identity()?;
    let access_token = create_access_token(identity.clone())?;
    if JWTManager::current()?.settings()?.refresh_rotation {
        return Ok(jsonify!({"access_token": access_token, "refresh_token": create_refresh_token(identity)?}));
    }
    Ok(jsonify!({"access_token": access_token}))
}

/// Revokes whichever token comes in, access or refresh (upstream docs' variant).
#[delete("/logout")]
#[jwt_required(verify_type = false)]
async fn logout() -> Result<impl IntoResponse, JwtError> {
    revoke_current_token().await?;
    let kind = if get_jwt()?.get("type").and_then(|t| t.as_str()) == Some("refresh") { "Refresh" } else { "Access" };
    Ok(jsonify!({"msg": format!("{kind} token successfully revoked")}))
}

/// "Log out everywhere" (a password change, a lost device): every token of this
/// user issued up to this second is refused, access and refresh alike.
#[delete("/logout/everywhere")]
#[jwt_required(verify_type = false)]
async fn logout_everywhere() -> Result<impl IntoResponse, JwtError> {
    let user: String = get_jwt_identity()?;
    revoke_all_tokens_for(user).await?;
    Ok(jsonify!({"msg": "Logged out everywhere"}))
}

/// "Log out everywhere else": the same, sparing the token that asks.
#[delete("/logout/others")]
#[jwt_required]
async fn logout_others() -> Result<impl IntoResponse, JwtError> {
    revoke_all_other_tokens().await?;
    Ok(jsonify!({"msg": "Logged out everywhere else"}))
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> impl IntoResponse {
    jsonify!({"hello": "world"})
}

/// Builds the app on a store (any [`Blocklist`], or none); `main` picks one and
/// serves it, the tests drive it in-process.
pub fn create_app(secret: &str, store: Option<Arc<dyn Blocklist>>, mode: FailMode) -> App {
    let mut app = App::new("revocation_stores");
    app.config.set("JWT_SECRET_KEY", secret);
    app.config.set("JWT_ACCESS_TOKEN_EXPIRES", Duration::from_secs(3600));
    let jwt = JWTManager::new(&mut app);
    if let Some(store) = store {
        jwt.use_blocklist_with(store, mode);
    }
    app.register(routes![login, refresh, logout, logout_everywhere, logout_others, protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let env = |key: &str, default: &str| std::env::var(key).unwrap_or_else(|_| default.to_string());
    // Change this! Every server sharing a blocklist needs the same secret.
    let secret = env("JWT_SECRET_KEY", "super-secret");
    let port: u16 = env("PORT", "5000").parse()?;
    let mode = if env("FAIL_OPEN", "0") == "1" { FailMode::Open } else { FailMode::Closed };
    let rotation = env("ROTATION", "0") == "1";
    let store: Option<Arc<dyn Blocklist>> = match env("BLOCKLIST", "memory").as_str() {
        "memory" => Some(Arc::new(MemoryBlocklist::new())),
        "sqlite" => Some(Arc::new(SqliteBlocklist::open(env("DATABASE_URL", "blocklist.sqlite3"))?)),
        "redis" => {
            let store = RedisBlocklist::connect(&env("REDIS_URL", "redis://127.0.0.1:6379/0")).await?;
            // REDIS_CACHE=1: checks answered from a local mirror fed by pub/sub.
            let store = if env("REDIS_CACHE", "0") == "1" { store.with_local_cache().await? } else { store };
            Some(Arc::new(store))
        }
        "none" => None,
        other => return Err(format!("BLOCKLIST={other}: choose memory, sqlite, redis or none").into()),
    };
    let mut app = create_app(&secret, store, mode);
    app.config.set("JWT_REFRESH_TOKEN_ROTATION", rotation);
    app.run_on(("127.0.0.1", port)).await?;
    Ok(())
}
