//! Refresh-token rotation with reuse detection (issue 18) on each store, through
//! the revocation_stores example with `JWT_REFRESH_TOKEN_ROTATION`: each refresh
//! retires the token used and answers a new one of the same family; a retired
//! token sent again revokes the whole family (401 `Refresh token reuse
//! detected`, then `Token has been revoked` for every token of it); two
//! concurrent refreshes with one token: exactly one passes.

mod redis_server;
mod revocation_client;
#[path = "../examples/revocation_stores.rs"]
#[allow(dead_code)]
mod revocation_stores;

use phial::testing::TestClient;
use phial_jwt::blocklist::{Blocklist, FailMode, MemoryBlocklist, RedisBlocklist, SqliteBlocklist};
use revocation_client::*;
use serde_json::{Value, json};
use std::sync::Arc;

const SECRET: &str = "refresh-rotation-test-secret-of-32-bytes";

fn app(store: Arc<dyn Blocklist>, grace: u64) -> TestClient {
    let mut app = revocation_stores::create_app(SECRET, Some(store), FailMode::Closed);
    app.config.set("JWT_REFRESH_TOKEN_ROTATION", true);
    app.config.set("JWT_REFRESH_TOKEN_REUSE_GRACE", grace);
    app.test_client()
}

fn tokens(body: &Value) -> (String, String) {
    (body["access_token"].as_str().unwrap().to_owned(), body["refresh_token"].as_str().unwrap().to_owned())
}

fn family(token: &str) -> String {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["fam"].as_str().unwrap().to_owned()
}

async fn reuse_revokes_the_family(store: Arc<dyn Blocklist>) {
    let client = app(store, 0);
    let (access_0, refresh_0) = tokens(&client.post("/login").send().await.json());
    let (other_access, _) = tokens(&client.post("/login").send().await.json());
    assert_eq!(family(&access_0), family(&refresh_0), "a login's tokens share a family");
    assert_ne!(family(&access_0), family(&other_access), "each login starts its own");

    let (status, body) = call(&client, "POST", "/refresh", &refresh_0).await;
    assert_eq!(status, 200);
    let (access_1, refresh_1) = tokens(&body);
    assert_eq!(family(&refresh_1), family(&refresh_0), "the new tokens join the family");
    let (status, body) = call(&client, "POST", "/refresh", &refresh_1).await;
    assert_eq!(status, 200);
    let (_, refresh_2) = tokens(&body);

    // refresh_0 was retired by its use: sending it again is reuse.
    assert_eq!(
        call(&client, "POST", "/refresh", &refresh_0).await,
        (401, json!({"msg": "Refresh token reuse detected"}))
    );
    let revoked = (401, json!({"msg": "Token has been revoked"}));
    assert_eq!(call(&client, "GET", "/protected", &access_0).await, revoked);
    assert_eq!(call(&client, "GET", "/protected", &access_1).await, revoked);
    assert_eq!(call(&client, "POST", "/refresh", &refresh_2).await, revoked, "the thief's newest token too");
    assert_eq!(call(&client, "GET", "/protected", &other_access).await.0, 200, "another login is untouched");
}

async fn concurrent_refreshes_with_one_token_pass_once(store: Arc<dyn Blocklist>) {
    let client = app(store, 0);
    let (_, refresh) = tokens(&client.post("/login").send().await.json());
    let (first, second) =
        tokio::join!(call(&client, "POST", "/refresh", &refresh), call(&client, "POST", "/refresh", &refresh));
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [200, 401], "{first:?} {second:?}");
}

async fn a_grace_window_lets_the_winner_retry(store: Arc<dyn Blocklist>) {
    let client = app(store, 30);
    let (_, refresh) = tokens(&client.post("/login").send().await.json());
    assert_eq!(call(&client, "POST", "/refresh", &refresh).await.0, 200);
    assert_eq!(call(&client, "POST", "/refresh", &refresh).await.0, 200, "a retry within 30 s");
}

async fn spec(store: impl Fn() -> Arc<dyn Blocklist>) {
    reuse_revokes_the_family(store()).await;
    concurrent_refreshes_with_one_token_pass_once(store()).await;
    a_grace_window_lets_the_winner_retry(store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_store() {
    spec(|| Arc::new(MemoryBlocklist::new())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store() {
    let dir = std::env::temp_dir().join(format!("phial-rotation-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("blocklist.sqlite3");
    spec(|| Arc::new(SqliteBlocklist::open(&path).unwrap())).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_store() {
    let Some(server) = redis_server::RedisServer::start("refresh_rotation") else {
        return;
    };
    let store = RedisBlocklist::connect(&server.url()).await.unwrap();
    spec(|| Arc::new(store.clone())).await;
}

#[test]
fn rotation_without_a_blocklist_stops_the_app() {
    let mut app = revocation_stores::create_app(SECRET, None, FailMode::Closed);
    app.config.set("JWT_REFRESH_TOKEN_ROTATION", true);
    let err = app.finalize().unwrap_err().to_string();
    assert!(err.contains("JWT_REFRESH_TOKEN_ROTATION needs a blocklist store"), "{err}");
}
