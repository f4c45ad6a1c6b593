//! The quickstart example, driven in-process.

#[path = "../examples/quickstart.rs"]
#[allow(dead_code)]
mod quickstart;

use serde_json::{Value, json};

#[tokio::test]
async fn index_and_login() {
    let mut app = quickstart::create_app();
    let client = app.test_client();
    assert_eq!(client.get("/").send().await.json::<Value>(), json!({"hello": "phial"}));

    let ok = client
        .post("/login")
        .json(&json!({"username": "test", "password": "test"}))
        .send()
        .await;
    assert_eq!(ok.status(), 200);

    let bad = client
        .post("/login")
        .json(&json!({"username": "test", "password": "nope"}))
        .send()
        .await;
    assert_eq!(bad.status(), 401);
    assert_eq!(bad.json::<Value>(), json!({"msg": "Bad username or password"}));

    let missing = client.post("/login").json(&json!({})).send().await;
    assert_eq!(missing.status(), 401);
}
