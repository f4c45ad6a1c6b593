//! Automatic user loading (flask-jwt-extended's `automatic_user_loading.py`): the
//! token carries the user's id (`user_identity_loader`), and every protected request
//! loads the user from the database (`user_lookup_loader`) as `current_user`.
//!
//! Users live in SQLite: in memory by default, in a file given by `DATABASE_URL`
//! (a path, or `sqlite:///path`). The three demo users of the original are created
//! at start; the password of each is `password`.
//!
//! Run `cargo run --example automatic_user_loading`, then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "panther", "password": "password"}'
//! curl http://127.0.0.1:5000/who_am_i -H "Authorization: Bearer <access_token>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use tokio_rusqlite::Connection;

/// A user of the database. It is `Serialize` because `create_access_token` takes
/// any serialisable identity; `user_identity_loader` below picks what goes in `sub`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct User {
    id: i64,
    username: String,
    full_name: String,
}

impl User {
    /// NOTE: In a real application make sure to properly hash and salt passwords.
    fn check_password(&self, password: &str) -> bool {
        password == "password"
    }
}

/// The users table: an async SQLite handle (tokio-rusqlite runs the queries on its
/// own thread), kept in `app.extensions` and shared by the views and the JWT
/// callbacks, as a Flask app keeps its database in `app.extensions`. Cloning it
/// shares the connection.
#[derive(Clone)]
pub struct Db(Connection);

/// A query failed (the database's own error).
pub type DbError = tokio_rusqlite::Error;

impl Db {
    /// Opens the database and creates the table and the demo users.
    pub async fn open(database_url: Option<&str>) -> Result<Db, DbError> {
        let connection = match database_url.map(|url| url.trim_start_matches("sqlite:///")) {
            Some(path) if !path.is_empty() && path != "sqlite://" => Connection::open(path).await?,
            _ => Connection::open_in_memory().await?,
        };
        connection
            .call(|connection| {
                connection.execute_batch(
                    "CREATE TABLE IF NOT EXISTS user (
                         id INTEGER PRIMARY KEY,
                         username TEXT NOT NULL UNIQUE,
                         full_name TEXT NOT NULL
                     );
                     INSERT OR IGNORE INTO user (full_name, username) VALUES
                         ('Bruce Wayne', 'batman'),
                         ('Ann Takamaki', 'panther'),
                         ('Jester Lavore', 'little_sapphire');",
                )
            })
            .await?;
        Ok(Db(connection))
    }

    async fn find(&self, column: &'static str, value: rusqlite::types::Value) -> Result<Option<User>, DbError> {
        self.0
            .call(move |connection| {
                let query = format!("SELECT id, username, full_name FROM user WHERE {column} = ?1");
                connection
                    .query_row(&query, params![value], |row| {
                        Ok(User { id: row.get(0)?, username: row.get(1)?, full_name: row.get(2)? })
                    })
                    .optional()
            })
            .await
    }

    async fn by_username(&self, username: String) -> Result<Option<User>, DbError> {
        self.find("username", username.into()).await
    }

    async fn by_id(&self, id: i64) -> Result<Option<User>, DbError> {
        self.find("id", id.into()).await
    }
}

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

/// A database error or a JWT error goes up with `?`: the first is a 500 (logged),
/// the second is answered by the manager's callbacks.
#[post("/login")]
async fn login(Extension(db): Extension<Db>, Json(credentials): Json<Credentials>) -> Result<Response, ViewError> {
    let username = credentials.username.unwrap_or_default();
    let password = credentials.password.unwrap_or_default();
    match db.by_username(username).await? {
        Some(user) if user.check_password(&password) => {
            let access_token = create_access_token(user)?;
            Ok(jsonify!({"access_token": access_token}).into_response())
        }
        // The original answers a bare JSON string here.
        _ => Ok((Json("Wrong username or password"), 401).into_response()),
    }
}

#[get("/who_am_i")]
#[jwt_required]
async fn who_am_i(CurrentUser(current_user): CurrentUser<User>) -> impl IntoResponse {
    // We can now access our user object via `CurrentUser` (or `current_user()`).
    jsonify!({"id": current_user.id, "full_name": current_user.full_name, "username": current_user.username})
}

/// Builds the app on `db`; `main` serves it and the tests drive it in-process.
pub fn create_app(db: Db) -> App {
    let mut app = App::new("automatic_user_loading");
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this!
    app.extensions.insert(db.clone());
    let jwt = JWTManager::new(&mut app);

    // Register a callback function that takes whatever object is passed in as the
    // identity when creating JWTs and converts it to a JSON serializable format.
    // The id becomes a string: PyJWT 2.10 and phial refuse a non-string `sub`.
    jwt.user_identity_loader(|user: &User| user.id.to_string());

    // Register a callback function that loads a user from your database whenever
    // a protected route is accessed. This should return any object on a successful
    // lookup, or None if the lookup failed for any reason (for example if the user
    // has been deleted from the database).
    jwt.user_lookup_loader(move |_jwt_header, jwt_data| {
        let db = db.clone();
        async move {
            let id: i64 = jwt_data.get("sub")?.as_str()?.parse().ok()?;
            // A lookup that fails is a user that cannot be loaded (401), as upstream.
            db.by_id(id).await.unwrap_or_else(|error| {
                tracing::error!(%error, "user query failed");
                None
            })
        }
    });
    app.register(routes![login, who_am_i]);
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
