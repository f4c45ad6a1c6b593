//! The quickstart example, end to end: in-process and over a real socket.

#[path = "../examples/quickstart.rs"]
#[allow(dead_code)]
mod quickstart;

use phial::testing::LiveServer;
use serde_json::{Value, json};

const SECRET: &str = "quickstart-test-secret-of-at-least-32-bytes";

#[tokio::test]
async fn login_then_protected() {
    let app = quickstart::create_app(SECRET);
    let client = app.test_client();

    let missing = client.get("/protected").send().await;
    assert_eq!(missing.status(), 401);
    assert_eq!(missing.json::<Value>(), json!({"msg": "Missing Authorization Header"}));

    let bad = client.post("/login").json(&json!({"username": "test", "password": "nope"})).send().await;
    assert_eq!(bad.status(), 401);
    assert_eq!(bad.json::<Value>(), json!({"msg": "Bad username or password"}));
    let empty = client.post("/login").json(&json!({})).send().await;
    assert_eq!(empty.status(), 401);
    let not_json = client.post("/login").body("username=test").send().await;
    assert_eq!(not_json.status(), 415);
    // serde would fill the struct from an array, field by field: not a login.
    for body in [json!(["test", "test"]), json!("test"), json!(5)] {
        let shaped_wrong = client.post("/login").json(&body).send().await;
        assert_eq!(shaped_wrong.status(), 400, "{body}");
        let message = shaped_wrong.json::<Value>()["msg"].as_str().unwrap().to_string();
        assert!(message.starts_with("Invalid JSON body: invalid type:"), "{message}");
        assert!(message.ends_with("expected struct Credentials"), "{message}");
    }

    let login = client.post("/login").json(&json!({"username": "test", "password": "test"})).send().await;
    assert_eq!(login.status(), 200);
    let body: Value = login.json();
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(body.as_object().unwrap().len(), 1);

    let protected = client.get("/protected").bearer(token).send().await;
    assert_eq!(protected.status(), 200);
    assert_eq!(protected.json::<Value>(), json!({"logged_in_as": "test"}));

    let garbage = client.get("/protected").bearer("not.a.token").send().await;
    assert_eq!(garbage.status(), 422);
    assert_eq!(garbage.json::<Value>(), json!({"msg": "Invalid header padding"}));
}

#[tokio::test]
async fn over_a_real_socket() {
    use http_body_util::{BodyExt, Full};
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;

    let server = LiveServer::start(quickstart::create_app(SECRET)).await.unwrap();
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<bytes::Bytes>>();
    let login = http::Request::post(server.url("/login"))
        .header("content-type", "application/json")
        .body(Full::from(r#"{"username": "test", "password": "test"}"#))
        .unwrap();
    let response = client.request(login).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let token = body["access_token"].as_str().unwrap();

    let protected = http::Request::get(server.url("/protected"))
        .header("authorization", format!("Bearer {token}"))
        .body(Full::default())
        .unwrap();
    let response = client.request(protected).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body, json!({"logged_in_as": "test"}));
    server.stop().await.unwrap();
}
