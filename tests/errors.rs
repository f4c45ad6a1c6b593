//! Errors that compose: one view uses `?` on phial's errors, phial-jwt's errors and
//! any `std::error::Error` (a rusqlite error, an io error); each reaches the app's
//! error handlers as a value: by status, by type (plain or async), through the JWT
//! manager's loaders (which may be async too); an error nobody handles is a 500
//! whose body says nothing about it (its log line is checked in `tests/logging.rs`).

use phial::prelude::*;
use phial_jwt::prelude::*;
use serde_json::{Value, json};

const SECRET: &str = "errors-test-secret-that-is-32-bytes!";

/// A report that reads its query from the body, the user from the token, a row
/// from SQLite and a file: four kinds of error, one `?` each.
#[post("/report")]
#[jwt_required]
async fn report(request: Request) -> Result<Jsonify, ViewError> {
    #[derive(serde::Deserialize)]
    struct Query {
        table: String,
        file: Option<String>,
    }
    let query: Query = request.get_json()?; // HttpError: 415, 400
    let user: String = get_jwt_identity()?; // JwtError
    let db = rusqlite::Connection::open_in_memory()?; // rusqlite::Error
    let count: i64 = db.query_row(&format!("SELECT count(*) FROM {}", query.table), [], |row| row.get(0))?;
    if let Some(file) = query.file {
        std::fs::read_to_string(file)?; // std::io::Error
    }
    Ok(jsonify!({"user": user, "count": count}))
}

fn app() -> App {
    let mut app = App::new("errors");
    app.config.set("JWT_SECRET_KEY", SECRET);
    let jwt = JWTManager::new(&mut app);
    // An async loader answers JWT errors, as plain ones do.
    jwt.unauthorized_loader(|message: &str| {
        let message = message.to_string();
        async move { jsonify!({"why": message}).status(401) }
    });
    // A database error, answered by an async handler that takes it by value.
    app.errorhandler_for(|error: rusqlite::Error| async move {
        jsonify!({"msg": "the database refused", "kind": format!("{:?}", error.sqlite_error_code())}).status(503)
    });
    app.errorhandler(415, |error: &HttpError| jsonify!({"status": error.status().as_u16()}).status(415));
    app.register(routes![report]);
    app
}

fn token(app: &AppHandle) -> String {
    app.app_context(|| create_access_token("ann")).unwrap()
}

#[tokio::test]
async fn one_view_uses_question_mark_on_every_kind_of_error() {
    let app = app();
    let client = app.test_client();
    let token = token(client.app());
    let post = |body: Value| client.post("/report").bearer(&token).json(&body).send();

    let ok = post(json!({"table": "sqlite_master"})).await;
    assert_eq!(ok.json::<Value>(), json!({"user": "ann", "count": 0}));

    // phial's HttpError, through the 415 handler by status.
    let not_json = client.post("/report").bearer(&token).body("x").send().await;
    assert_eq!((not_json.status().as_u16(), not_json.json()), (415, json!({"status": 415})));
    // phial's HttpError without a handler: its own body.
    let bad = post(json!({"tabel": "x"})).await;
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.json::<Value>()["msg"], "Invalid JSON body: missing field `table`");

    // phial-jwt's JwtError, through the manager's (async) loader.
    let anonymous = client.post("/report").json(&json!({"table": "x"})).send().await;
    assert_eq!((anonymous.status().as_u16(), anonymous.json()), (401, json!({"why": "Missing Authorization Header"})));

    // rusqlite's error, by type, through an async handler.
    let no_table = post(json!({"table": "nope"})).await;
    assert_eq!(no_table.status(), 503);
    assert_eq!(no_table.json::<Value>()["msg"], "the database refused");
}

#[tokio::test]
async fn a_500_handler_answers_errors_nobody_else_handles() {
    let mut app = app();
    app.errorhandler(500, |_: &HttpError| jsonify!({"msg": "sorry"}).status(500));
    let client = app.test_client();
    let token = token(client.app());
    let response = client
        .post("/report")
        .bearer(&token)
        .json(&json!({"table": "sqlite_master", "file": "/nonexistent"}))
        .send()
        .await;
    assert_eq!((response.status().as_u16(), response.json()), (500, json!({"msg": "sorry"})));
}
