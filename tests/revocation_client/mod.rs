//! Driving the revocation_stores example in tests: log in as a user, call a route
//! with a bearer token, and the answer a revoked token gets.
#![allow(dead_code)]

use phial::testing::TestClient;
use serde_json::{Value, json};

/// `method path` with `Authorization: Bearer <token>`: the status and JSON body.
pub async fn call(client: &TestClient, method: &str, path: &str, token: &str) -> (u16, Value) {
    let request = match method {
        "GET" => client.get(path),
        "POST" => client.post(path),
        _ => client.delete(path),
    };
    let response = request.bearer(token).send().await;
    (response.status().as_u16(), response.try_json().unwrap_or(Value::Null))
}

/// `POST /login?user=<user>`: the access and refresh tokens.
pub async fn login(client: &TestClient, user: &str) -> (String, String) {
    let body: Value = client.post(&format!("/login?user={user}")).send().await.json();
    (body["access_token"].as_str().unwrap().to_owned(), body["refresh_token"].as_str().unwrap().to_owned())
}

/// What a revoked token gets.
pub fn revoked() -> (u16, Value) {
    (401, json!({"msg": "Token has been revoked"}))
}
