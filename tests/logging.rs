//! What phial logs: one line per request, with method, path, status and time;
//! refused input with its reason; an error nobody handles with its type and chain.
//!
//! One `#[test]` runs every check in turn: tracing caches whether a log site is
//! wanted, and a test running in parallel without a subscriber could make the site
//! look unwanted to this one.

use phial::prelude::*;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};

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

/// Runs `scenario` with a subscriber that writes to a buffer; the log and the result.
fn logged<R>(scenario: impl AsyncFnOnce() -> R) -> (String, R) {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let result = tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(scenario())
    });
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    (log, result)
}

#[test]
fn requests_refusals_and_unhandled_errors_are_logged() {
    each_request_is_logged_once_with_its_outcome();
    an_error_nobody_handles_is_logged_with_its_chain_and_leaks_nothing();
    a_template_error_is_logged_with_the_template_and_line();
    a_session_cookie_too_large_for_browsers_is_warned_about();
    a_refused_session_cookie_is_logged_at_debug();
}

fn a_session_cookie_too_large_for_browsers_is_warned_about() {
    let (log, sent) = logged(async || {
        let mut app = App::new("logging");
        app.config.set("SECRET_KEY", "logging-secret");
        app.route("/big", ["POST"], |request: Request| async move {
            // Pseudo-random letters (xorshift) do not compress below the limit.
            let mut state = 0x2545_f491_u32;
            let noise: String = (0..6000)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    char::from(b'a' + (state % 26) as u8)
                })
                .collect();
            request.session().set("noise", noise)?;
            Ok::<_, ViewError>("stored")
        });
        app.test_client().post("/big").send().await.set_cookies().len()
    });
    assert_eq!(sent, 1, "the cookie is still sent, as Werkzeug sends it");
    assert!(log.contains("WARN") && log.contains("over the 4093 browsers keep"), "{log}");
}

fn a_refused_session_cookie_is_logged_at_debug() {
    let (log, status) = logged(async || {
        let mut app = App::new("logging");
        app.config.set("SECRET_KEY", "logging-secret");
        app.route("/peek", ["GET"], |request: Request| async move { format!("{}", request.session().len()) });
        app.test_client().get("/peek").header("Cookie", "session=forged.cookie.value").send().await.status().as_u16()
    });
    assert_eq!(status, 200);
    assert!(log.contains("DEBUG") && log.contains("session cookie refused; an empty session"), "{log}");
}

fn a_template_error_is_logged_with_the_template_and_line() {
    let (log, status) = logged(async || {
        let mut app = App::new("logging");
        app.template_folder(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/flask_vectors/templates"));
        app.route("/broken", ["GET"], || async {
            Ok::<_, ViewError>(phial::render_template("broken.html", phial::templates::context! {})?)
        });
        app.test_client().get("/broken").send().await.status().as_u16()
    });
    assert_eq!(status, 500);
    assert!(log.contains("unhandled error; answering 500") && log.contains("broken.html:2"), "{log}");
}

fn each_request_is_logged_once_with_its_outcome() {
    let (log, ()) = logged(async || {
        let mut app = App::new("logging");
        app.route("/login", ["POST"], |Json(body): Json<Value>| async move { Json(body) });
        let client = app.test_client();
        client.post("/login").json(&json!({"a": 1})).send().await;
        client.post("/login").content_type("application/json").body("{oops").send().await;
        client.get("/nowhere?q=1").send().await;
    });
    let served: Vec<&str> = log.lines().filter(|line| line.contains("served")).collect();
    assert_eq!(served.len(), 3, "{log}");
    assert!(served[0].contains("method=POST path=/login status=200 elapsed_us="), "{log}");
    assert!(served[1].contains("status=400"), "{log}");
    assert!(served[2].contains("method=GET path=/nowhere status=404"), "{log}");
    assert!(log.contains("malformed JSON body"), "the refused body is logged with its reason: {log}");
}

fn an_error_nobody_handles_is_logged_with_its_chain_and_leaks_nothing() {
    let (log, (status, body, teardown)) = logged(async || {
        let mut app = App::new("logging");
        app.route("/report", ["GET"], || async {
            let text = std::fs::read_to_string("/nonexistent/secret-file.txt")?;
            Ok::<_, ViewError>(text)
        });
        let seen = Arc::new(Mutex::new(None));
        let teardown_saw = seen.clone();
        app.teardown_request(move |_: &Request, error: Option<&Unhandled>| {
            *teardown_saw.lock().unwrap() = error.map(|e| e.message().to_string());
        });
        let response = app.test_client().get("/report").send().await;
        let teardown = seen.lock().unwrap().clone();
        (response.status().as_u16(), response.text(), teardown)
    });
    assert_eq!(status, 500);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"msg": "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."})
    );
    assert!(!body.contains("secret-file") && !body.contains("No such file"), "nothing leaks: {body}");
    assert!(log.contains("unhandled error; answering 500"), "{log}");
    assert!(log.contains("No such file or directory") && log.contains("std::io::error::Error"), "{log}");
    assert!(teardown.is_some_and(|message| message.contains("No such file")), "teardown hooks see the error");
}
