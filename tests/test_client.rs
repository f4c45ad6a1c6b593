//! The in-process test client: a cookie jar that behaves like a browser's,
//! redirects, query strings and bodies.

use phial::prelude::*;
use serde_json::{Value, json};

fn cookie_app() -> App {
    let mut app = App::new("client");
    app.route("/set", ["POST"], |Query(q): Query<std::collections::HashMap<String, String>>| async move {
        let mut response = jsonify!({"set": q}).into_response();
        for (name, value) in q {
            let path = if name.starts_with("api_") { "/api" } else { "/" };
            response.set_cookie(phial::cookie::Cookie::build((name, value)).path(path).build());
        }
        response
    });
    app.route("/expire", ["POST"], || async {
        let mut response = "expired".into_response();
        response.set_cookie(
            phial::cookie::Cookie::build(("a", "")).path("/").max_age(phial::cookie::time::Duration::ZERO).build(),
        );
        response
    });
    app.route("/seen", ["GET"], |request: Request| async move { request.header("cookie").unwrap_or("").to_string() });
    app.route(
        "/api/seen",
        ["GET"],
        |request: Request| async move { request.header("cookie").unwrap_or("").to_string() },
    );
    app
}

#[tokio::test]
async fn the_jar_keeps_sets_and_deletes_cookies_between_requests() {
    let app = cookie_app();
    let client = app.test_client();
    client.post("/set?a=1&api_b=2").send().await;
    assert_eq!(client.get("/seen").send().await.text(), "a=1");
    assert_eq!(client.get("/api/seen").send().await.text(), "api_b=2; a=1");

    client.post("/set?a=3").send().await;
    assert_eq!(client.get_cookie("a").as_deref(), Some("3"));

    client.post("/expire").send().await;
    assert_eq!(client.get("/seen").send().await.text(), "");

    client.set_cookie("manual", "x");
    assert_eq!(client.get("/seen").send().await.text(), "manual=x");
    client.delete_cookie("manual");
    assert_eq!(client.get("/seen").send().await.text(), "");
}

#[tokio::test]
async fn clients_share_their_jar_when_cloned() {
    let app = cookie_app();
    let client = app.test_client();
    let clone = client.clone();
    client.post("/set?a=1").send().await;
    assert_eq!(clone.get("/seen").send().await.text(), "a=1");
}

#[tokio::test]
async fn redirects_are_followed_on_request() {
    let mut app = App::new("client");
    app.route("/dir/", ["GET", "POST"], |request: Request| async move {
        jsonify!({"method": request.method().as_str(), "q": request.query_string()})
    });
    let client = app.test_client();
    assert_eq!(client.get("/dir").send().await.status(), 308);
    let body: Value = client.post("/dir").query([("k", "v")]).follow_redirects().send().await.json();
    // 308 keeps the method and the query.
    assert_eq!(body, json!({"method": "POST", "q": "k=v"}));
}
