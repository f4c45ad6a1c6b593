//! "Log out everywhere" (issue 18) on each store, through the revocation_stores
//! example: `DELETE /logout/everywhere` refuses every token of the user issued up
//! to that second (access and refresh), a login in a later second works, other
//! users are untouched; `DELETE /logout/others` spares the token that asks.

mod redis_server;
mod revocation_client;
#[path = "../examples/revocation_stores.rs"]
#[allow(dead_code)]
mod revocation_stores;

use phial::testing::TestClient;
use phial_jwt::blocklist::{Blocklist, FailMode, MemoryBlocklist, RedisBlocklist, SqliteBlocklist};
use phial_jwt::{Clock, JWTManager};
use revocation_client::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const SECRET: &str = "logout-everywhere-test-secret-32-bytes!!";

/// The app on `store`, with a clock the test moves by whole seconds.
fn app(store: Arc<dyn Blocklist>) -> (TestClient, Arc<AtomicU64>) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let second = Arc::new(AtomicU64::new(now));
    let clock = second.clone();
    let app = revocation_stores::create_app(SECRET, Some(store), FailMode::Closed);
    app.extensions
        .get::<JWTManager>()
        .unwrap()
        .set_clock(Clock::from_fn(move || clock.load(Ordering::SeqCst) as f64 + 0.25));
    (app.test_client(), second)
}

async fn everywhere_refuses_every_earlier_token_of_that_user_only(store: Arc<dyn Blocklist>) {
    let (client, second) = app(store);
    let (alice_1, alice_refresh) = login(&client, "alice").await;
    second.fetch_add(5, Ordering::SeqCst);
    let (alice_2, _) = login(&client, "alice").await;
    let (bob, _) = login(&client, "bob").await;

    assert_eq!(call(&client, "DELETE", "/logout/everywhere", &alice_2).await.0, 200);
    assert_eq!(call(&client, "GET", "/protected", &alice_1).await, revoked());
    assert_eq!(call(&client, "GET", "/protected", &alice_2).await, revoked(), "issued in the cut-off second");
    assert_eq!(call(&client, "POST", "/refresh", &alice_refresh).await, revoked(), "refresh tokens too");
    assert_eq!(call(&client, "GET", "/protected", &bob).await.0, 200, "other users are untouched");

    // A login in the same second is refused as well; one in a later second works.
    let (same_second, _) = login(&client, "alice").await;
    assert_eq!(call(&client, "GET", "/protected", &same_second).await, revoked());
    second.fetch_add(1, Ordering::SeqCst);
    let (next_second, _) = login(&client, "alice").await;
    assert_eq!(call(&client, "GET", "/protected", &next_second).await.0, 200);
}

async fn others_spares_the_token_that_asks(store: Arc<dyn Blocklist>) {
    let (client, second) = app(store);
    let (laptop, _) = login(&client, "carol").await;
    let (phone, phone_refresh) = login(&client, "carol").await;
    second.fetch_add(1, Ordering::SeqCst);
    assert_eq!(call(&client, "DELETE", "/logout/others", &laptop).await.0, 200);
    assert_eq!(call(&client, "GET", "/protected", &laptop).await.0, 200, "the session that asked stays");
    assert_eq!(call(&client, "GET", "/protected", &phone).await, revoked());
    assert_eq!(call(&client, "POST", "/refresh", &phone_refresh).await, revoked());
}

#[tokio::test]
async fn memory_store() {
    everywhere_refuses_every_earlier_token_of_that_user_only(Arc::new(MemoryBlocklist::new())).await;
    others_spares_the_token_that_asks(Arc::new(MemoryBlocklist::new())).await;
}

#[tokio::test]
async fn sqlite_store() {
    let dir = std::env::temp_dir().join(format!("phial-logout-everywhere-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = SqliteBlocklist::open(dir.join("blocklist.sqlite3")).unwrap();
    everywhere_refuses_every_earlier_token_of_that_user_only(Arc::new(store.clone())).await;
    others_spares_the_token_that_asks(Arc::new(store)).await;
    // The cut-off survives a restart: a new store on the same file still refuses.
    let reopened = SqliteBlocklist::open(dir.join("blocklist.sqlite3")).unwrap();
    let (client, _) = app(Arc::new(reopened));
    let (token, _) = login(&client, "alice").await;
    assert_eq!(call(&client, "GET", "/protected", &token).await, revoked(), "same second as the cut-off");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_store() {
    let Some(server) = redis_server::RedisServer::start("logout_everywhere") else {
        return;
    };
    let store = RedisBlocklist::connect(&server.url()).await.unwrap();
    everywhere_refuses_every_earlier_token_of_that_user_only(Arc::new(store.clone())).await;
    others_spares_the_token_that_asks(Arc::new(store.clone())).await;

    // One key per identity, expiring when its tokens have (refresh: 30 days).
    let mut connection = redis::Client::open(server.url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let value: String = redis::cmd("GET").arg(store.cutoff_key("carol")).query_async(&mut connection).await.unwrap();
    assert!(value.contains(' '), "the cut-off and the spared jti: {value}");
    let ttl: i64 = redis::cmd("TTL").arg(store.cutoff_key("alice")).query_async(&mut connection).await.unwrap();
    assert!((30 * 24 * 3600 - 10..=30 * 24 * 3600 + 10).contains(&ttl), "{ttl}");
}

/// A store that only knows `jti`s: logging out everywhere is the app's mistake (500).
#[tokio::test]
async fn a_store_without_cutoffs_says_so() {
    struct JtiOnly(MemoryBlocklist);
    impl Blocklist for JtiOnly {
        fn revoke<'a>(&'a self, jti: &'a str, at: Option<u64>) -> phial_jwt::blocklist::BlocklistFuture<'a, ()> {
            self.0.revoke(jti, at)
        }
        fn is_revoked<'a>(&'a self, jti: &'a str) -> phial_jwt::blocklist::BlocklistFuture<'a, bool> {
            self.0.is_revoked(jti)
        }
    }
    let (client, _) = app(Arc::new(JtiOnly(MemoryBlocklist::new())));
    let (token, _) = login(&client, "dave").await;
    assert_eq!(call(&client, "DELETE", "/logout/everywhere", &token).await.0, 500);
    assert_eq!(call(&client, "GET", "/protected", &token).await.0, 200);
}
