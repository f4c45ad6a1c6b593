//! `RedisBlocklist::with_local_cache()` (issue 18): revocations mirrored in each
//! server and kept current by Redis pub/sub. A logout on server A is refused on
//! server B without B asking Redis per request; a server that starts later loads
//! what was revoked before; while the subscription is down checks fail closed,
//! and after Redis comes back the mirror resyncs.

mod redis_server;
mod revocation_client;
#[path = "../examples/revocation_stores.rs"]
#[allow(dead_code)]
mod revocation_stores;

use phial::testing::TestClient;
use phial_jwt::blocklist::{Blocklist, FailMode, RedisBlocklist};
use redis_server::RedisServer;
use revocation_client::*;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SECRET: &str = "redis-local-cache-test-secret-32-bytes!!";

async fn server(url: &str) -> TestClient {
    let store = RedisBlocklist::connect(url).await.unwrap().with_local_cache().await.unwrap();
    let store: Arc<dyn Blocklist> = Arc::new(store);
    revocation_stores::create_app(SECRET, Some(store), FailMode::Closed).test_client()
}

/// Polls `client` until `token` is refused; how long that took.
async fn until_refused(client: &TestClient, token: &str) -> Duration {
    let started = Instant::now();
    while call(client, "GET", "/protected", token).await.0 == 200 {
        assert!(started.elapsed() < Duration::from_secs(5), "never refused");
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    started.elapsed()
}

async fn commands_processed(url: &str) -> u64 {
    let mut connection = redis::Client::open(url).unwrap().get_multiplexed_async_connection().await.unwrap();
    let info: String = redis::cmd("INFO").arg("stats").query_async(&mut connection).await.unwrap();
    info.lines().find_map(|line| line.strip_prefix("total_commands_processed:")).unwrap().trim().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_logout_on_one_server_reaches_the_other_without_a_round_trip_per_request() {
    let Some(redis) = RedisServer::start("local_cache_propagation") else { return };
    let (a, b) = (server(&redis.url()).await, server(&redis.url()).await);
    let token = login(&a, "alice").await.0;
    assert_eq!(call(&b, "GET", "/protected", &token).await.0, 200);

    // Checks on a steady server ask Redis nothing (INFO itself counts one).
    let before = commands_processed(&redis.url()).await;
    for _ in 0..50 {
        assert_eq!(call(&b, "GET", "/protected", &token).await.0, 200);
    }
    assert_eq!(commands_processed(&redis.url()).await - before, 1, "50 checks, no Redis command");

    assert_eq!(call(&a, "DELETE", "/logout", &token).await.0, 200);
    assert_eq!(call(&a, "GET", "/protected", &token).await, (401, json!({"msg": "Token has been revoked"})));
    until_refused(&b, &token).await;

    // Log out everywhere travels the same way.
    let other = login(&b, "bob").await.0;
    assert_eq!(call(&b, "DELETE", "/logout/everywhere", &other).await.0, 200);
    until_refused(&a, &other).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_started_later_loads_what_was_revoked_before() {
    let Some(redis) = RedisServer::start("local_cache_resync") else { return };
    let a = server(&redis.url()).await;
    let token = login(&a, "carol").await.0;
    assert_eq!(call(&a, "DELETE", "/logout", &token).await.0, 200);
    let late = server(&redis.url()).await;
    assert_eq!(call(&late, "GET", "/protected", &token).await, (401, json!({"msg": "Token has been revoked"})));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_the_subscription_is_down_checks_fail_closed_then_resync() {
    let Some(mut redis) = RedisServer::start("local_cache_outage") else { return };
    let b = server(&redis.url()).await;
    let token = login(&b, "dave").await.0;
    assert_eq!(call(&b, "GET", "/protected", &token).await.0, 200);

    redis.stop();
    let started = Instant::now();
    loop {
        let (status, body) = call(&b, "GET", "/protected", &token).await;
        if status == 503 {
            assert_eq!(body, json!({"msg": "Token revocation is unavailable right now; try again later"}));
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "the mirror kept answering while stale");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    redis.restart();
    let started = Instant::now();
    while call(&b, "GET", "/protected", &token).await.0 != 200 {
        assert!(started.elapsed() < Duration::from_secs(10), "never resynchronised");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The staleness bound, measured: `cargo test --release --test redis_local_cache
/// -- --ignored --nocapture staleness` (BENCHMARKS.md quotes it). 300 logouts on
/// server A, each polled on server B until refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn staleness() {
    let Some(redis) = RedisServer::start("local_cache_staleness") else { return };
    let (a, b) = (server(&redis.url()).await, server(&redis.url()).await);
    let mut delays = Vec::new();
    for n in 0..300 {
        let token = login(&a, &format!("user{n}")).await.0;
        assert_eq!(call(&a, "DELETE", "/logout", &token).await.0, 200);
        delays.push(until_refused(&b, &token).await);
    }
    delays.sort();
    let at = |q: f64| delays[((delays.len() - 1) as f64 * q) as usize];
    println!(
        "logout on A refused on B: p50 {:?}, p99 {:?}, max {:?} over {} logouts",
        at(0.5),
        at(0.99),
        delays[delays.len() - 1],
        delays.len()
    );
}
