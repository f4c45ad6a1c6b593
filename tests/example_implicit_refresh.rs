//! The implicit_refresh example: login sets cookies, a protected GET near expiry
//! gets a new access cookie, logout clears them.

#[path = "../examples/implicit_refresh.rs"]
#[allow(dead_code)]
mod example;

use phial_jwt::{Clock, JWTManager};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[tokio::test]
async fn cookies_are_refreshed_in_the_last_half_hour() {
    let now = Arc::new(AtomicU64::new(1_700_000_000));
    let app = example::create_app();
    let clock = now.clone();
    app.extensions.get::<JWTManager>().unwrap().set_clock(Clock::from_fn(move || clock.load(Ordering::SeqCst) as f64));
    let client = app.test_client();

    let response = client.get("/protected").send().await;
    assert_eq!(
        (response.status().as_u16(), response.json()),
        (401, json!({"msg": "Missing cookie \"access_token_cookie\""}))
    );

    let login = client.post("/login").send().await;
    assert_eq!(login.json::<Value>(), json!({"msg": "login successful"}));
    assert_eq!(login.set_cookies().len(), 2);
    let first = client.get_cookie("access_token_cookie").unwrap();

    // Early in the token's hour: no new cookie.
    now.fetch_add(10 * 60, Ordering::SeqCst);
    let early = client.get("/protected").send().await;
    assert_eq!(early.json::<Value>(), json!({"foo": "bar"}));
    assert!(early.set_cookies().is_empty());

    // Within 30 minutes of expiry: the same body, plus a new access cookie pair.
    now.fetch_add(25 * 60, Ordering::SeqCst);
    let late = client.get("/protected").send().await;
    assert_eq!(late.json::<Value>(), json!({"foo": "bar"}));
    assert_eq!(late.set_cookies().len(), 2);
    assert_ne!(client.get_cookie("access_token_cookie").unwrap(), first);

    // The new token outlives the old one.
    now.fetch_add(30 * 60, Ordering::SeqCst);
    assert_eq!(client.get("/protected").send().await.status(), 200);

    let logout = client.post("/logout").send().await;
    assert_eq!(logout.json::<Value>(), json!({"msg": "logout successful"}));
    assert_eq!(logout.set_cookies().len(), 4);
    assert_eq!(client.get("/protected").send().await.status(), 401);
}
