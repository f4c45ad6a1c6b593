//! The Redis blocklist against a real `redis-server` (the `blocklist_redis`
//! example): revoke and check, keys that expire with the token, Redis restarting
//! mid-run, and two app instances sharing revocations.

#[path = "../examples/blocklist_redis.rs"]
#[allow(dead_code)]
mod blocklist_redis;
mod redis_server;

use phial::testing::TestClient;
use phial_jwt::blocklist::{Blocklist, FailMode, RedisBlocklist};
use phial_jwt::prelude::*;
use redis_server::RedisServer;
use serde_json::{Value, json};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SECRET: &str = "redis-blocklist-test-secret-of-32-bytes!";
const UNAVAILABLE: &str = "Token revocation is unavailable right now; try again later";

async fn login(client: &TestClient) -> String {
    let response = client.post("/login").send().await;
    assert_eq!(response.status(), 200);
    response.json::<Value>()["access_token"].as_str().unwrap().to_string()
}

async fn get(client: &TestClient, token: &str) -> (u16, Value) {
    let response = client.get("/protected").bearer(token).send().await;
    (response.status().as_u16(), response.try_json().unwrap_or(Value::Null))
}

async fn logout(client: &TestClient, token: &str) -> (u16, Value) {
    let response = client.delete("/logout").bearer(token).send().await;
    (response.status().as_u16(), response.try_json().unwrap_or(Value::Null))
}

fn revoked() -> (u16, Value) {
    (401, json!({"msg": "Token has been revoked"}))
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A plain client to look at the keys the store writes.
async fn inspect(url: &str) -> redis::aio::MultiplexedConnection {
    let client = redis::Client::open(url).unwrap();
    client.get_multiplexed_async_connection().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoke_and_check_through_redis() {
    let Some(server) = RedisServer::start("revoke_and_check_through_redis") else {
        return;
    };
    let store = RedisBlocklist::connect(&server.url()).await.unwrap();
    let app = blocklist_redis::create_app(SECRET, store.clone());
    let client = app.test_client();
    let (token, other) = (login(&client).await, login(&client).await);

    assert_eq!(get(&client, &token).await, (200, json!({"hello": "world"})));
    assert_eq!(logout(&client, &token).await, (200, json!({"msg": "Access token revoked"})));
    assert_eq!(get(&client, &token).await, revoked());
    assert_eq!(logout(&client, &token).await, revoked());
    assert_eq!(get(&client, &other).await.0, 200);

    // One key per jti, under the prefix, expiring with the token (1 h + 1 s).
    let jti = client.app().app_context(|| phial_jwt::get_jti(&token)).unwrap().unwrap();
    assert!(store.is_revoked(&jti).await.unwrap());
    let mut redis = inspect(&server.url()).await;
    let ttl: i64 = redis::cmd("TTL").arg(format!("phial-jwt:revoked:{jti}")).query_async(&mut redis).await.unwrap();
    assert!((3590..=3601).contains(&ttl), "TTL {ttl}");
    let keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut redis).await.unwrap();
    assert_eq!(keys, [format!("phial-jwt:revoked:{jti}")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_with_a_far_future_exp_are_revoked() {
    let Some(server) = RedisServer::start("tokens_with_a_far_future_exp_are_revoked") else {
        return;
    };
    let store = RedisBlocklist::connect(&server.url()).await.unwrap();
    let app = blocklist_redis::create_app(SECRET, store.clone());
    let client = app.test_client();
    let mut redis = inspect(&server.url()).await;
    // A float, 2^63 and 2^64 - 1: more seconds than Redis' EX accepts.
    for exp in [json!(1e20), json!(9_223_372_036_854_775_808_u64), json!(u64::MAX)] {
        let token =
            client.app().app_context(|| access_token("far").additional_claims(json!({"exp": exp})).create()).unwrap();
        assert_eq!(get(&client, &token).await.0, 200, "exp {exp}");
        assert_eq!(logout(&client, &token).await, (200, json!({"msg": "Access token revoked"})), "exp {exp}");
        assert_eq!(get(&client, &token).await, revoked(), "exp {exp}");
        // Kept without expiry: the token outlives any TTL Redis can hold.
        let jti = client.app().app_context(|| phial_jwt::get_jti(&token)).unwrap().unwrap();
        let ttl: i64 = redis::cmd("TTL").arg(store.key(&jti)).query_async(&mut redis).await.unwrap();
        assert_eq!(ttl, -1, "exp {exp}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_expire_with_the_token() {
    let Some(server) = RedisServer::start("keys_expire_with_the_token") else {
        return;
    };
    let store = RedisBlocklist::connect(&server.url()).await.unwrap().with_prefix("app-a:");
    store.revoke("short", Some(now() + 1)).await.unwrap();
    store.revoke("forever", None).await.unwrap();
    // Already expired: nothing worth storing.
    store.revoke("stale", Some(now().saturating_sub(5))).await.unwrap();
    assert!(store.is_revoked("short").await.unwrap());
    assert!(!store.is_revoked("stale").await.unwrap());

    let mut redis = inspect(&server.url()).await;
    let ttl: i64 = redis::cmd("TTL").arg("app-a:short").query_async(&mut redis).await.unwrap();
    assert!((1..=2).contains(&ttl), "TTL {ttl}");
    let ttl: i64 = redis::cmd("TTL").arg("app-a:forever").query_async(&mut redis).await.unwrap();
    assert_eq!(ttl, -1, "no exp, no expiry");

    let deadline = Instant::now() + Duration::from_secs(5);
    while store.is_revoked("short").await.unwrap() {
        assert!(Instant::now() < deadline, "the key outlived its token");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(store.is_revoked("forever").await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarting_mid_run() {
    let Some(mut server) = RedisServer::start("redis_restarting_mid_run") else {
        return;
    };
    let store = RedisBlocklist::connect(&server.url()).await.unwrap();
    let closed = blocklist_redis::create_app(SECRET, store.clone());
    let open = blocklist_redis::create_app(SECRET, store.clone());
    // The same app, failing open instead.
    open.extensions.get::<JWTManager>().unwrap().use_blocklist_with(store.clone(), FailMode::Open);
    let (closed, open) = (closed.test_client(), open.test_client());
    let token = login(&closed).await;
    assert_eq!(get(&closed, &token).await.0, 200);

    server.stop();
    let started = Instant::now();
    assert_eq!(get(&closed, &token).await, (503, json!({"msg": UNAVAILABLE})));
    assert_eq!(get(&closed, &token).await, (503, json!({"msg": UNAVAILABLE})));
    assert_eq!(get(&open, &token).await, (200, json!({"hello": "world"})));
    assert_eq!(logout(&open, &token).await, (503, json!({"msg": UNAVAILABLE})));
    assert!(started.elapsed() < Duration::from_secs(8), "checks fail fast while Redis is down");

    server.restart();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match get(&closed, &token).await {
            (200, _) => break,
            (503, _) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(100)).await,
            other => panic!("no recovery after Redis came back: {other:?}"),
        }
    }
    assert_eq!(logout(&closed, &token).await.0, 200);
    assert_eq!(get(&closed, &token).await, revoked());
    assert_eq!(get(&open, &token).await, revoked());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_revocations() {
    let Some(server) = RedisServer::start("two_servers_share_revocations") else {
        return;
    };
    // Two app instances as on two machines: each its own connection, one Redis,
    // one secret.
    let first = blocklist_redis::create_app(SECRET, RedisBlocklist::connect(&server.url()).await.unwrap());
    let second = blocklist_redis::create_app(SECRET, RedisBlocklist::connect(&server.url()).await.unwrap());
    let (first, second) = (first.test_client(), second.test_client());

    let token = login(&first).await;
    assert_eq!(get(&second, &token).await.0, 200);
    assert_eq!(logout(&second, &token).await.0, 200);
    assert_eq!(get(&first, &token).await, revoked());
    assert_eq!(get(&second, &token).await, revoked());

    let other = login(&second).await;
    assert_eq!(logout(&first, &other).await.0, 200);
    assert_eq!(get(&second, &other).await, revoked());
}

#[tokio::test]
async fn an_unreachable_redis_is_an_error_at_start() {
    let error = RedisBlocklist::connect("redis://127.0.0.1:1/0").await.unwrap_err();
    assert!(error.to_string().starts_with("blocklist store unavailable: redis:"), "{error}");
    assert!(RedisBlocklist::connect("http://nope").await.is_err());
}
