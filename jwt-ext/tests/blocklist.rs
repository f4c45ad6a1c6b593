//! The blocklist in memory, wired with `use_blocklist`: logout, expiry, capacity,
//! failing closed or open, and what cannot be revoked.

mod common;

use common::*;
use phial::prelude::*;
use phial_jwt::blocklist::{Blocklist, BlocklistError, BlocklistFuture, FailMode, MemoryBlocklist, revoke_token};
use phial_jwt::prelude::*;
use phial_jwt::{Clock, JsonObject};
use serde_json::{Value, json};
use std::io::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

/// Upstream's `DELETE /logout` (the docs variant: any token type).
#[delete("/logout")]
#[jwt_required(verify_type = false)]
async fn logout() -> Result<impl IntoResponse, JwtError> {
    revoke_current_token().await?;
    Ok(jsonify!({"msg": "JWT revoked"}))
}

/// Revokes the token given in the body, not the request's.
#[post("/revoke_other")]
#[jwt_required]
async fn revoke_other(Json(body): Json<Value>) -> Result<impl IntoResponse, JwtError> {
    let claims = decode_token(body["token"].as_str().unwrap_or_default(), None, false)?;
    revoke_token(&claims).await?;
    Ok(jsonify!({"msg": "revoked"}))
}

#[get("/maybe_logout")]
#[jwt_required(optional = true)]
async fn maybe_logout() -> Result<impl IntoResponse, JwtError> {
    revoke_current_token().await?;
    Ok(jsonify!({"msg": "JWT revoked"}))
}

/// A clock tests move by hand.
fn movable(start: i64) -> (Clock, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(start));
    let reader = now.clone();
    (Clock::from_fn(move || reader.load(Ordering::SeqCst) as f64), now)
}

fn blocklist_app(config: &[(&str, Value)], store: MemoryBlocklist, clock: Clock) -> (App, JWTManager) {
    let (mut app, jwt) = app(config);
    jwt.set_clock(clock.clone());
    jwt.use_blocklist(store.with_clock(clock));
    app.register(routes![logout, revoke_other, maybe_logout]);
    (app, jwt)
}

fn token(jti: &str) -> String {
    encode_token(claims_with(json!({"jti": jti})), json!({}))
}

async fn delete_with(client: &TestClient, path: &str, token: &str) -> (u16, Value) {
    let response = client.delete(path).bearer(token).send().await;
    (response.status().as_u16(), response.try_json().unwrap_or(Value::Null))
}

const UNAVAILABLE: &str = "Token revocation is unavailable right now; try again later";

#[tokio::test]
async fn logout_revokes_the_token_by_jti() {
    let store = MemoryBlocklist::new();
    let (app, _jwt) = blocklist_app(&[], store.clone(), Clock::fixed(NOW as f64));
    let client = app.test_client();
    let (first, second) = (token("jti-1"), token("jti-2"));

    assert_eq!(get_with(&client, "/protected", &first).await.0, 200);
    assert_eq!(delete_with(&client, "/logout", &first).await, (200, msg("JWT revoked")));
    assert_eq!(get_with(&client, "/protected", &first).await, (401, msg("Token has been revoked")));
    // A second logout with the same token is refused, as upstream's example shows.
    assert_eq!(delete_with(&client, "/logout", &first).await, (401, msg("Token has been revoked")));
    assert_eq!(get_with(&client, "/skip_revocation", &first).await.0, 200);
    assert_eq!(get_with(&client, "/protected", &second).await.0, 200);

    // Keyed on jti: another token string with the same jti is revoked too.
    let same_jti = encode_token(claims_with(json!({"jti": "jti-1", "sub": "other"})), json!({}));
    assert_eq!(get_with(&client, "/protected", &same_jti).await.0, 401);

    // Refresh tokens are revoked and checked the same way.
    let refresh = encode_token(claims_with(json!({"jti": "refresh-1", "type": "refresh"})), json!({}));
    assert_eq!(delete_with(&client, "/logout", &refresh).await.0, 200);
    assert_eq!(get_with(&client, "/refresh_protected", &refresh).await, (401, msg("Token has been revoked")));
    assert_eq!(store.len(), 2);

    // Revoking another token than the request's.
    let response = client.post("/revoke_other").bearer(&second).json(&json!({"token": token("jti-3")})).send().await;
    assert_eq!(response.status(), 200);
    assert_eq!(get_with(&client, "/protected", &token("jti-3")).await.0, 401);
}

#[tokio::test]
async fn the_manager_revokes_outside_requests_and_dyn_stores_work() {
    let store: Arc<dyn Blocklist> = Arc::new(MemoryBlocklist::new().with_clock(Clock::fixed(NOW as f64)));
    let (app, jwt) = app(&[]);
    jwt.use_blocklist(store.clone());
    let client = app.test_client();
    let claims = jwt.decode_token(&token("admin-revoked"), None, false).unwrap().claims().clone();
    jwt.revoke_token(&claims).await.unwrap();
    assert!(store.is_revoked("admin-revoked").await.unwrap());
    assert!(jwt.blocklist().is_some());
    assert_eq!(get_with(&client, "/protected", &token("admin-revoked")).await, (401, msg("Token has been revoked")));
}

#[tokio::test]
async fn entries_are_kept_until_the_token_would_be_refused_anyway() {
    let (clock, now) = movable(NOW);
    let store = MemoryBlocklist::with_capacity(1);
    let (app, _jwt) = blocklist_app(&[("JWT_DECODE_LEEWAY", json!(10))], store.clone(), clock);
    let client = app.test_client();
    let first = token("jti-1"); // exp = NOW + 900
    let second = encode_token(claims_with(json!({"jti": "jti-2", "exp": NOW + 5000})), json!({}));
    assert_eq!(delete_with(&client, "/logout", &first).await.0, 200);

    // Past exp but within the leeway, the token still decodes: its entry stays and
    // the store, being full, refuses to make room.
    now.store(NOW + 905, Ordering::SeqCst);
    assert_eq!(get_with(&client, "/protected", &first).await, (401, msg("Token has been revoked")));
    assert_eq!(delete_with(&client, "/logout", &second).await, (503, msg(UNAVAILABLE)));
    assert!(store.is_revoked("jti-1").await.unwrap());

    // From exp + leeway on, the token is refused as expired: its entry may go.
    now.store(NOW + 910, Ordering::SeqCst);
    assert_eq!(get_with(&client, "/protected", &first).await, (401, msg("Token has expired")));
    assert_eq!(delete_with(&client, "/logout", &second).await.0, 200);
    assert!(!store.is_revoked("jti-1").await.unwrap());
    assert_eq!(store.len(), 1);
}

#[tokio::test]
async fn a_full_store_never_unrevokes_and_logout_answers_503_with_a_log_line() {
    let log = Log::default();
    let _guard = tracing::subscriber::set_default(log.subscriber());
    let store = MemoryBlocklist::with_capacity(2);
    let (app, _jwt) = blocklist_app(&[], store.clone(), Clock::fixed(NOW as f64));
    let client = app.test_client();
    let forever = encode_token(claims_with(json!({"jti": "forever", "exp": null})), json!({}));
    assert_eq!(delete_with(&client, "/logout", &token("a")).await.0, 200);
    assert_eq!(delete_with(&client, "/logout", &forever).await.0, 200);

    assert_eq!(delete_with(&client, "/logout", &token("b")).await, (503, msg(UNAVAILABLE)));
    assert!(log.text().contains("blocklist full: 2 revoked tokens"), "{}", log.text());
    // The logout failed: that token still works, and the revoked ones stay revoked.
    assert_eq!(get_with(&client, "/protected", &token("b")).await.0, 200);
    assert_eq!(get_with(&client, "/protected", &token("a")).await.0, 401);
    assert_eq!(get_with(&client, "/protected", &forever).await.0, 401);
    assert_eq!(store.len(), 2);
}

/// A store that is always down.
struct Down;

impl Blocklist for Down {
    fn revoke<'a>(&'a self, _jti: &'a str, _expires_at: Option<u64>) -> BlocklistFuture<'a, ()> {
        Box::pin(async { Err(BlocklistError::Unavailable("down for the test".into())) })
    }

    fn is_revoked<'a>(&'a self, _jti: &'a str) -> BlocklistFuture<'a, bool> {
        Box::pin(async { Err(BlocklistError::Unavailable("down for the test".into())) })
    }
}

#[tokio::test]
async fn a_failing_store_fails_closed_by_default() {
    let log = Log::default();
    let _guard = tracing::subscriber::set_default(log.subscriber());
    let (mut app, jwt) = app(&[]);
    jwt.use_blocklist(Down);
    app.register(routes![logout]);
    let client = app.test_client();
    assert_eq!(get_with(&client, "/protected", &token("x")).await, (503, msg(UNAVAILABLE)));
    assert!(log.text().contains("down for the test"), "{}", log.text());
    assert!(log.text().contains("ERROR"), "{}", log.text());
    // skip_revocation_check does not consult the store at all.
    assert_eq!(get_with(&client, "/skip_revocation", &token("x")).await.0, 200);
}

#[tokio::test]
async fn fail_open_lets_tokens_through_but_never_fakes_a_logout() {
    let log = Log::default();
    let _guard = tracing::subscriber::set_default(log.subscriber());
    let (mut app, jwt) = app(&[]);
    jwt.use_blocklist_with(Down, FailMode::Open);
    app.register(routes![logout]);
    let client = app.test_client();
    assert_eq!(get_with(&client, "/protected", &token("x")).await.0, 200);
    assert!(log.text().contains("failing open"), "{}", log.text());
    assert!(log.text().contains("WARN"), "{}", log.text());
    assert_eq!(delete_with(&client, "/logout", &token("x")).await, (503, msg(UNAVAILABLE)));
}

/// `exp` values past any clock, as a float, 2^63 and 2^64 - 1: such tokens are
/// valid (they expire long after the heat death) and logout must revoke them.
fn far_future_exps() -> [Value; 3] {
    [json!(1e20), json!(9_223_372_036_854_775_808_u64), json!(u64::MAX)]
}

#[tokio::test]
async fn tokens_with_a_far_future_exp_are_revoked() {
    for exp in far_future_exps() {
        let store = MemoryBlocklist::new();
        let (app, _jwt) = blocklist_app(&[], store.clone(), Clock::fixed(NOW as f64));
        let client = app.test_client();
        let token = encode_token(claims_with(json!({"jti": "far", "exp": exp})), json!({}));
        assert_eq!(get_with(&client, "/protected", &token).await.0, 200, "exp {exp}");
        assert_eq!(delete_with(&client, "/logout", &token).await, (200, msg("JWT revoked")), "exp {exp}");
        assert_eq!(get_with(&client, "/protected", &token).await, (401, msg("Token has been revoked")), "exp {exp}");
    }
}

#[tokio::test]
async fn tokens_without_jti_cannot_be_revoked() {
    let store = MemoryBlocklist::new();
    let (app, _jwt) = blocklist_app(&[], store.clone(), Clock::fixed(NOW as f64));
    let client = app.test_client();
    // (A jti that is not a string is refused by the decoder already.)
    let token = encode_token(claims_with(json!({"jti": null})), json!({}));
    assert_eq!(get_with(&client, "/protected", &token).await.0, 200);
    assert_eq!(delete_with(&client, "/logout", &token).await, (422, msg("Missing claim: jti")));
    assert_eq!(get_with(&client, "/protected", &token).await.0, 200);
    assert!(store.is_empty());
}

#[tokio::test]
async fn revoking_needs_a_blocklist_and_a_verified_token() {
    let (mut app, jwt) = app(&[]);
    app.register(routes![logout, maybe_logout]);
    let client = app.test_client();
    // No blocklist: no check, and revoking is the app's mistake (a 500).
    assert_eq!(get_with(&client, "/protected", &token("x")).await.0, 200);
    assert_eq!(delete_with(&client, "/logout", &token("x")).await.0, 500);
    assert!(jwt.blocklist().is_none());

    let (app, jwt) = blocklist_app(&[], MemoryBlocklist::new(), Clock::fixed(NOW as f64));
    let client = app.test_client();
    // An optional route called without a token has nothing to revoke.
    assert_eq!(client.get("/maybe_logout").send().await.status(), 500);
    assert_eq!(get_with(&client, "/maybe_logout", &token("y")).await.0, 200);
    assert!(jwt.blocklist().is_some());
}

#[tokio::test]
async fn a_loader_set_after_the_store_replaces_it() {
    let (mut app, jwt) = app(&[]);
    jwt.use_blocklist(MemoryBlocklist::new());
    jwt.token_in_blocklist_loader(|_, claims: Arc<JsonObject>| claims["jti"] == "custom");
    app.register(routes![logout]);
    let client = app.test_client();
    assert_eq!(get_with(&client, "/protected", &token("custom")).await.0, 401);
    assert_eq!(delete_with(&client, "/logout", &token("x")).await.0, 500);
}

/// Log lines captured for one test (its thread).
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Log {
    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + 'static {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
