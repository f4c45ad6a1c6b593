//! Return values, HTTP errors, and error handlers, as Flask's view return
//! conventions, `abort` and `@app.errorhandler`.

use phial::prelude::*;
use serde_json::{Value, json};

#[tokio::test]
async fn return_values_become_responses_like_flask_views() {
    let mut app = App::new("responses");
    app.route("/text", ["GET"], || async { "hello" });
    app.route("/string", ["GET"], || async { String::from("owned") });
    app.route("/jsonify", ["GET"], || async { jsonify!({"b": 1, "a": {"d": 2, "c": 3}}) });
    app.route("/value", ["GET"], || async { json!({"z": true, "y": null}) });
    app.route("/created", ["POST"], || async { (jsonify!({"id": 1}), 201) });
    app.route("/headers", ["GET"], || async { ("body", 202, [("X-Custom", "1")]) });
    app.route("/status", ["DELETE"], || async { StatusCode::NO_CONTENT });
    app.route("/plain", ["GET"], || "plain fns work too");
    let client = app.test_client();

    let text = client.get("/text").send().await;
    assert_eq!(text.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(text.text(), "hello");
    assert_eq!(client.get("/string").send().await.text(), "owned");

    let jsonified = client.get("/jsonify").send().await;
    assert_eq!(jsonified.header("content-type"), Some("application/json"));
    assert_eq!(jsonified.text(), "{\"a\":{\"c\":3,\"d\":2},\"b\":1}\n");
    assert_eq!(client.get("/value").send().await.text(), "{\"y\":null,\"z\":true}\n");

    let created = client.post("/created").send().await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.json::<Value>(), json!({"id": 1}));

    let with_headers = client.get("/headers").send().await;
    assert_eq!((with_headers.status().as_u16(), with_headers.header("x-custom")), (202, Some("1")));
    assert_eq!(client.delete("/status").send().await.status(), 204);
    assert_eq!(client.get("/plain").send().await.text(), "plain fns work too");
}

#[tokio::test]
async fn jsonify_sends_the_bytes_flask_sends() {
    let mut app = App::new("responses");
    // Flask 3: `jsonify(name="Zoë", city="東京", crab="🦀", ratio=1e16, small=1e-05, whole=100.0)`.
    app.route("/unicode", ["GET"], || async {
        jsonify!({"name": "Zoë", "city": "東京", "crab": "🦀", "ratio": 1e16, "small": 1e-05, "whole": 100.0})
    });
    let client = app.test_client();

    let response = client.get("/unicode").send().await;
    assert_eq!(
        response.text(),
        r#"{"city":"\u6771\u4eac","crab":"\ud83e\udd80","name":"Zo\u00eb","ratio":1e+16,"small":1e-05,"whole":100.0}"#
            .to_owned()
            + "\n"
    );
    // The escapes are JSON: a client reads the same text back.
    assert_eq!(response.json::<Value>()["city"], "東京");
}

#[tokio::test]
async fn abort_and_default_error_bodies_are_json() {
    let mut app = App::new("responses");
    app.route("/forbidden", ["GET"], || async { Err::<&str, _>(abort(403)) });
    app.route("/custom", ["GET"], || async {
        Err::<&str, _>(HttpError::with_message(StatusCode::CONFLICT, "Already exists"))
    });
    app.route("/with", ["GET"], || async { Err::<&str, _>(abort_with(("teapot", 418))) });
    let client = app.test_client();

    let forbidden = client.get("/forbidden").send().await;
    assert_eq!(forbidden.status(), 403);
    assert_eq!(
        forbidden.json::<Value>(),
        json!({"msg": "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."})
    );
    assert_eq!(client.get("/custom").send().await.json::<Value>(), json!({"msg": "Already exists"}));
    let with = client.get("/with").send().await;
    assert_eq!((with.status().as_u16(), with.text()), (418, "teapot".to_string()));

    let missing = client.get("/nowhere").send().await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>(),
        json!({"msg": "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."})
    );
}

#[derive(Debug)]
struct OutOfStock(&'static str);

impl std::fmt::Display for OutOfStock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is out of stock", self.0)
    }
}

impl std::error::Error for OutOfStock {}

#[tokio::test]
async fn error_handlers_by_status_and_by_type() {
    let mut app = App::new("responses");
    app.errorhandler(404, |error: &HttpError| {
        (jsonify!({"error": "nothing here", "status": error.status().as_u16()}), 404)
    });
    app.errorhandler_for(|error: &OutOfStock| (jsonify!({"msg": format!("{} is out of stock", error.0)}), 409));
    app.route("/item", ["GET"], || async { Err::<&str, _>(OutOfStock("tea")) });
    app.route("/gone", ["GET"], || async { Err::<&str, _>(abort(404)) });
    let client = app.test_client();

    // A 404 handler catches routing 404s and abort(404) alike.
    for path in ["/nowhere", "/gone"] {
        let response = client.get(path).send().await;
        assert_eq!(response.status(), 404);
        assert_eq!(response.json::<Value>(), json!({"error": "nothing here", "status": 404}));
    }
    assert_eq!(client.get("/item").send().await.json::<Value>(), json!({"msg": "tea is out of stock"}));
    // Other statuses keep their default body.
    assert_eq!(client.post("/item").send().await.status(), 405);
}

#[tokio::test]
async fn an_error_handler_without_a_status_answers_200_like_flask() {
    let mut app = App::new("responses");
    app.errorhandler(404, |_: &HttpError| jsonify!({"soft": "404"}));
    let client = app.test_client();
    let response = client.get("/nowhere").send().await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn registering_a_handler_again_replaces_the_first_like_flask() {
    let mut app = App::new("responses");
    app.errorhandler(404, |_: &HttpError| (jsonify!({"first": true}), 404));
    app.errorhandler(404, |_: &HttpError| (jsonify!({"second": true}), 404));
    app.errorhandler_for(|error: &OutOfStock| (jsonify!({"first": error.0}), 409));
    app.errorhandler_for(|error: &OutOfStock| (jsonify!({"second": error.0}), 409));
    app.route("/buy", ["POST"], || async { Err::<&str, _>(OutOfStock("tea")) });
    let client = app.test_client();

    assert_eq!(client.get("/nowhere").send().await.json::<Value>(), json!({"second": true}));
    assert_eq!(client.post("/buy").send().await.json::<Value>(), json!({"second": "tea"}));
}

#[tokio::test]
async fn an_error_handler_that_fails_is_a_500_and_does_not_loop() {
    let mut app = App::new("responses");
    app.errorhandler(404, |_: &HttpError| Err::<&str, _>(abort(404)));
    app.errorhandler(410, |_: &HttpError| -> &'static str { panic!("handler bug") });
    app.route("/gone", ["GET"], || async { Err::<&str, _>(abort(410)) });
    let client = app.test_client();
    // As in Flask, an error raised by an error handler (even abort(404)) is a 500,
    // not handled again.
    assert_eq!(client.get("/nowhere").send().await.status(), 500);
    assert_eq!(client.get("/gone").send().await.status(), 500);
}

#[tokio::test]
async fn blueprint_error_handlers_apply_to_its_own_routes_only() {
    let mut api = Blueprint::new("api", "/api");
    api.errorhandler(403, |_: &HttpError| (jsonify!({"api": "forbidden"}), 403));
    api.route("/secret", ["GET"], || async { Err::<&str, _>(abort(403)) });
    let mut app = App::new("responses");
    app.errorhandler(403, |_: &HttpError| (jsonify!({"app": "forbidden"}), 403));
    app.route("/secret", ["GET"], || async { Err::<&str, _>(abort(403)) });
    app.register_blueprint(api);
    let client = app.test_client();
    assert_eq!(client.get("/api/secret").send().await.json::<Value>(), json!({"api": "forbidden"}));
    assert_eq!(client.get("/secret").send().await.json::<Value>(), json!({"app": "forbidden"}));
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_and_the_app_keeps_serving() {
    let mut app = App::new("responses");
    app.route("/boom", ["GET"], || async {
        panic!("handler bug");
        #[allow(unreachable_code)]
        "never"
    });
    app.route("/ok", ["GET"], || async { "ok" });
    let client = app.test_client();
    let boom = client.get("/boom").send().await;
    assert_eq!(boom.status(), 500);
    assert_eq!(
        boom.json::<Value>()["msg"],
        "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."
    );
    assert!(!boom.text().contains("handler bug"), "no internals leak to the client");
    assert_eq!(client.get("/ok").send().await.text(), "ok");
}

#[tokio::test]
async fn a_500_handler_also_handles_panics() {
    let mut app = App::new("responses");
    app.errorhandler(500, |_: &HttpError| (jsonify!({"msg": "sorry"}), 500));
    app.route("/boom", ["GET"], || -> &'static str { panic!("plain fn bug") });
    let client = app.test_client();
    assert_eq!(client.get("/boom").send().await.json::<Value>(), json!({"msg": "sorry"}));
}

#[tokio::test]
async fn response_cookies_are_set_and_deleted() {
    let mut app = App::new("responses");
    app.route("/login", ["POST"], || async {
        let mut response = jsonify!({"msg": "in"}).into_response();
        response.set_cookie(phial::cookie::Cookie::build(("session", "abc")).path("/").http_only(true).build());
        response
    });
    app.route("/logout", ["POST"], || async {
        let mut response = jsonify!({"msg": "out"}).into_response();
        response.delete_cookie("session", "/");
        response
    });
    let client = app.test_client();
    let login = client.post("/login").send().await;
    assert_eq!(login.set_cookies(), vec!["session=abc; HttpOnly; Path=/"]);
    assert_eq!(client.get_cookie("session").as_deref(), Some("abc"));
    client.post("/logout").send().await;
    assert_eq!(client.get_cookie("session"), None);
}
