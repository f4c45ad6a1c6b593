//! Revoking tokens with a database (flask-jwt-extended's `blocklist_database.py`):
//! logging out stores the token's `jti` in a `token_blocklist` table, and the
//! `token_in_blocklist_loader` refuses any token found there.
//!
//! The table lives in SQLite: in memory by default, in a file given by
//! `DATABASE_URL` (a path, or `sqlite:///path`), so revocations survive a restart.
//!
//! Run `cargo run --example blocklist_database`, then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! curl -X DELETE http://127.0.0.1:5000/logout -H "Authorization: Bearer <access_token>"
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"   # 401
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;
use rusqlite::params;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio_rusqlite::Connection;

const ACCESS_EXPIRES: Duration = Duration::from_secs(3600);

/// The `token_blocklist` table, shared by the logout route and the JWT callback: an
/// async SQLite handle (tokio-rusqlite runs the queries on its own thread) kept in
/// `app.extensions`. Cloning it shares the connection.
#[derive(Clone)]
pub struct Db(Connection);

/// A query failed (the database's own error).
pub type DbError = tokio_rusqlite::Error;

impl Db {
    /// Opens the database and creates the table.
    pub async fn open(database_url: Option<&str>) -> Result<Db, DbError> {
        let connection = match database_url.map(|url| url.trim_start_matches("sqlite:///")) {
            Some(path) if !path.is_empty() && path != "sqlite://" => Connection::open(path).await?,
            _ => Connection::open_in_memory().await?,
        };
        // This could be expanded to fit the needs of your application. For example,
        // it could track who revoked a JWT, when a token expires, notes for why a
        // JWT was revoked, an endpoint to un-revoked a JWT, etc.
        connection
            .call(|connection| {
                connection.execute_batch(
                    "CREATE TABLE IF NOT EXISTS token_blocklist (
                         id INTEGER PRIMARY KEY,
                         jti VARCHAR(36) NOT NULL,
                         created_at INTEGER NOT NULL
                     );
                     CREATE INDEX IF NOT EXISTS ix_token_blocklist_jti ON token_blocklist (jti);",
                )
            })
            .await?;
        Ok(Db(connection))
    }

    async fn revoke(&self, jti: String) -> Result<(), DbError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        self.0
            .call(move |connection| {
                connection.execute("INSERT INTO token_blocklist (jti, created_at) VALUES (?1, ?2)", params![jti, now])
            })
            .await?;
        Ok(())
    }

    async fn contains(&self, jti: String) -> Result<bool, DbError> {
        self.0
            .call(move |connection| {
                connection.query_row(
                    "SELECT EXISTS(SELECT 1 FROM token_blocklist WHERE jti = ?1)",
                    params![jti],
                    |row| row.get(0),
                )
            })
            .await
    }
}

#[post("/login")]
async fn login() -> Result<impl IntoResponse, JwtError> {
    let access_token = create_access_token("example_user")?;
    Ok(jsonify!({"access_token": access_token}))
}

/// Endpoint for revoking the current user's access token. Saves the unique
/// identifier (jti) of the JWT into our database.
#[delete("/logout")]
#[jwt_required]
async fn modify_token(Extension(db): Extension<Db>) -> Result<impl IntoResponse, JwtError> {
    // A token made elsewhere with the same secret may have no `jti`: it cannot be
    // revoked, and saying "revoked" would be a lie (the built-in stores answer the same).
    let Some(jti) = get_jwt()?.get("jti").and_then(|jti| jti.as_str()).map(str::to_string) else {
        return Err(JwtError::Decode("Missing claim: jti".into()));
    };
    // A write that fails answers 503, as the built-in stores do: never "revoked"
    // while the token still works.
    db.revoke(jti).await.map_err(|error| JwtError::BlocklistUnavailable(error.to_string()))?;
    Ok(jsonify!({"msg": "JWT revoked"}))
}

/// A protected endpoint. This will only work if the JWT is valid and has not been
/// revoked.
#[get("/protected")]
#[jwt_required]
async fn protected() -> impl IntoResponse {
    jsonify!({"hello": "world"})
}

/// Builds the app on `db`; `main` serves it and the tests drive it in-process.
pub fn create_app(db: Db) -> App {
    let mut app = App::new("blocklist_database");
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this!
    app.config.set("JWT_ACCESS_TOKEN_EXPIRES", ACCESS_EXPIRES);
    app.extensions.insert(db.clone());
    let jwt = JWTManager::new(&mut app);

    // Callback function to check if a JWT exists in the database blocklist. An
    // error reading the table counts as revoked: refuse when unsure.
    jwt.token_in_blocklist_loader(move |_jwt_header, jwt_payload| {
        let db = db.clone();
        async move {
            let Some(jti) = jwt_payload["jti"].as_str().map(str::to_string) else { return false };
            db.contains(jti).await.unwrap_or_else(|error| {
                tracing::error!(%error, "blocklist query failed; treating the token as revoked");
                true
            })
        }
    });
    app.register(routes![login, modify_token, protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    let db = Db::open(std::env::var("DATABASE_URL").ok().as_deref()).await?;
    create_app(db).run_on(("127.0.0.1", port)).await?;
    Ok(())
}
