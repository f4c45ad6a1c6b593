//! Errors that compose: one view uses `?` on phial's errors, phial-jwt's errors and
//! any `std::error::Error` (a rusqlite error, an io error); each reaches the app's
//! error handlers as a value: by status, by type (plain or async), through the JWT
//! manager's loaders (which may be async too); an error nobody handles is a logged
//! 500 whose body says nothing about it.

use phial::prelude::*;
use phial_jwt::prelude::*;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};

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

fn token(app: &mut App) -> String {
    app.app_context(|| create_access_token("ann")).unwrap()
}

#[tokio::test]
async fn one_view_uses_question_mark_on_every_kind_of_error() {
    let mut app = app();
    let token = token(&mut app);
    let client = app.test_client();
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

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn an_error_nobody_handles_is_a_logged_500_that_leaks_nothing() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
    let (status, body, teardown) = tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
            let mut app = app();
            let seen = Arc::new(Mutex::new(None));
            let teardown_saw = seen.clone();
            app.teardown_request(move |_: &Request, error: Option<&Unhandled>| {
                *teardown_saw.lock().unwrap() = error.map(|e| e.message().to_string());
            });
            let token = token(&mut app);
            let client = app.test_client();
            let missing = "/nonexistent/secret-file.txt";
            let response = client
                .post("/report")
                .bearer(&token)
                .json(&json!({"table": "sqlite_master", "file": missing}))
                .send()
                .await;
            let teardown = seen.lock().unwrap().clone();
            (response.status().as_u16(), response.text(), teardown)
        })
    });
    assert_eq!(status, 500);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"msg": "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."})
    );
    assert!(!body.contains("secret-file") && !body.contains("No such file"), "nothing leaks: {body}");
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("unhandled error; answering 500"), "{log}");
    assert!(log.contains("No such file or directory") && log.contains("std::io::error::Error"), "{log}");
    assert!(teardown.is_some_and(|message| message.contains("No such file")), "teardown hooks see the error");
}

#[tokio::test]
async fn a_500_handler_answers_errors_nobody_else_handles() {
    let mut app = app();
    app.errorhandler(500, |_: &HttpError| jsonify!({"msg": "sorry"}).status(500));
    let token = token(&mut app);
    let client = app.test_client();
    let response = client
        .post("/report")
        .bearer(&token)
        .json(&json!({"table": "sqlite_master", "file": "/nonexistent"}))
        .send()
        .await;
    assert_eq!((response.status().as_u16(), response.json()), (500, json!({"msg": "sorry"})));
}
