//! The SQLite blocklist: revocations survive a restart of the app on the same file,
//! and expired rows are purged (the `revocation_stores` example with `BLOCKLIST=sqlite`).

#[path = "../examples/revocation_stores.rs"]
#[allow(dead_code)]
mod revocation_stores;

use phial_jwt::Clock;
use phial_jwt::blocklist::{Blocklist, FailMode, SqliteBlocklist};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;

const SECRET: &str = "sqlite-blocklist-test-secret-of-32-bytes";

/// A folder removed at the end of the test, even when it fails.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("phial-{name}-{}-{}", std::process::id(), uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn login(client: &phial::testing::TestClient) -> String {
    let response = client.post("/login").send().await;
    assert_eq!(response.status(), 200);
    response.json::<Value>()["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_revoked_token_stays_revoked_after_a_restart() {
    let dir = TempDir::new("sqlite-restart");
    let file = dir.0.join("blocklist.sqlite3");

    let app =
        revocation_stores::create_app(SECRET, Some(Arc::new(SqliteBlocklist::open(&file).unwrap())), FailMode::Closed);
    let client = app.test_client();
    let (revoked, kept) = (login(&client).await, login(&client).await);
    assert_eq!(client.get("/protected").bearer(&revoked).send().await.status(), 200);
    let logout = client.delete("/logout").bearer(&revoked).send().await;
    assert_eq!(logout.status(), 200);
    assert_eq!(logout.json::<Value>(), json!({"msg": "Access token successfully revoked"}));
    let refused = client.get("/protected").bearer(&revoked).send().await;
    assert_eq!((refused.status().as_u16(), refused.json::<Value>()), (401, json!({"msg": "Token has been revoked"})));
    drop(client);

    // A new process would do exactly this: open the file, build the app.
    let app =
        revocation_stores::create_app(SECRET, Some(Arc::new(SqliteBlocklist::open(&file).unwrap())), FailMode::Closed);
    let client = app.test_client();
    let refused = client.get("/protected").bearer(&revoked).send().await;
    assert_eq!((refused.status().as_u16(), refused.json::<Value>()), (401, json!({"msg": "Token has been revoked"})));
    let kept = client.get("/protected").bearer(&kept).send().await;
    assert_eq!(kept.json::<Value>(), json!({"hello": "world"}));
}

#[tokio::test]
async fn expired_rows_are_purged_and_revocations_never_shorten() {
    let dir = TempDir::new("sqlite-purge");
    let file = dir.0.join("blocklist.sqlite3");
    let store = SqliteBlocklist::open_with_clock(&file, Clock::fixed(1_000.0)).unwrap();
    store.revoke("short", Some(1_500)).await.unwrap();
    store.revoke("long", Some(5_000)).await.unwrap();
    store.revoke("forever", None).await.unwrap();
    // Revoking again with an earlier expiry keeps the later one.
    store.revoke("long", Some(1_200)).await.unwrap();
    store.revoke("forever", Some(1_200)).await.unwrap();
    for jti in ["short", "long", "forever"] {
        assert!(store.is_revoked(jti).await.unwrap(), "{jti}");
    }
    assert_eq!(store.purge_expired().await.unwrap(), 0);
    drop(store);

    // Opening later purges the rows whose token has expired since.
    let store = SqliteBlocklist::open_with_clock(&file, Clock::fixed(2_000.0)).unwrap();
    assert!(!store.is_revoked("short").await.unwrap());
    assert!(store.is_revoked("long").await.unwrap());
    assert!(store.is_revoked("forever").await.unwrap());
    let later = SqliteBlocklist::open_with_clock(&file, Clock::fixed(1e12)).unwrap();
    assert!(!later.is_revoked("long").await.unwrap());
    assert!(later.is_revoked("forever").await.unwrap());
}

#[test]
fn a_file_that_cannot_be_opened_is_an_error_at_start() {
    let dir = TempDir::new("sqlite-bad");
    let error = SqliteBlocklist::open(dir.0.join("missing-folder").join("x.sqlite3")).unwrap_err();
    assert!(error.to_string().starts_with("blocklist store unavailable: sqlite:"), "{error}");
}

#[tokio::test]
async fn logout_revokes_access_and_refresh_tokens_alike() {
    let store = phial_jwt::blocklist::MemoryBlocklist::new();
    let app = revocation_stores::create_app(SECRET, Some(Arc::new(store.clone())), FailMode::Closed);
    let client = app.test_client();
    let tokens: Value = client.post("/login").send().await.json();
    let (access, refresh) = (tokens["access_token"].as_str().unwrap(), tokens["refresh_token"].as_str().unwrap());

    let logout = client.delete("/logout").bearer(refresh).send().await;
    assert_eq!(logout.json::<Value>(), json!({"msg": "Refresh token successfully revoked"}));
    let refused = client.post("/refresh").bearer(refresh).send().await;
    assert_eq!((refused.status().as_u16(), refused.json::<Value>()), (401, json!({"msg": "Token has been revoked"})));
    assert_eq!(client.get("/protected").bearer(access).send().await.status(), 200);
    assert_eq!(store.len(), 1);
}

#[tokio::test]
async fn tokens_with_a_far_future_exp_are_revoked() {
    let dir = TempDir::new("sqlite-far-future");
    let store = Arc::new(SqliteBlocklist::open(dir.0.join("blocklist.sqlite3")).unwrap());
    let client = revocation_stores::create_app(SECRET, Some(store), FailMode::Closed).test_client();
    // A float, 2^63 and 2^64 - 1.
    for exp in [json!(1e20), json!(9_223_372_036_854_775_808_u64), json!(u64::MAX)] {
        let token = client
            .app()
            .app_context(|| phial_jwt::access_token("far").additional_claims(json!({"exp": exp})).create())
            .unwrap();
        assert_eq!(client.get("/protected").bearer(&token).send().await.status(), 200, "exp {exp}");
        assert_eq!(client.delete("/logout").bearer(&token).send().await.status(), 200, "exp {exp}");
        let refused = client.get("/protected").bearer(&token).send().await;
        assert_eq!(
            (refused.status().as_u16(), refused.json::<Value>()),
            (401, json!({"msg": "Token has been revoked"})),
            "exp {exp}"
        );
    }
}
