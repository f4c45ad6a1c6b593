//! The ported flask-jwt-extended examples, each driven through the same HTTP session
//! as the Python original would be, with the original's answers.

#[path = "../examples/simple.rs"]
#[allow(dead_code)]
mod simple;

#[path = "../examples/refresh_tokens.rs"]
#[allow(dead_code)]
mod refresh_tokens;

#[path = "../examples/token_freshness.rs"]
#[allow(dead_code)]
mod token_freshness;

#[path = "../examples/additional_data_in_access_token.rs"]
#[allow(dead_code)]
mod additional_data_in_access_token;

#[path = "../examples/custom_decorators.rs"]
#[allow(dead_code)]
mod custom_decorators;

#[path = "../examples/optional_protected_endpoints.rs"]
#[allow(dead_code)]
mod optional_protected_endpoints;

#[path = "../examples/jwt_locations.rs"]
#[allow(dead_code)]
mod jwt_locations;

#[path = "../examples/loaders.rs"]
#[allow(dead_code)]
mod loaders;

use phial::testing::TestClient;
use phial_jwt::{Clock, JWTManager};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

fn msg(message: &str) -> Value {
    json!({ "msg": message })
}

async fn post_json(client: &TestClient, path: &str, body: Value) -> (u16, Value) {
    let response = client.post(path).json(&body).send().await;
    (response.status().as_u16(), response.json())
}

async fn get_bearer(client: &TestClient, path: &str, token: &str) -> (u16, Value) {
    let response = client.get(path).bearer(token).send().await;
    (response.status().as_u16(), response.json())
}

fn claims(client: &TestClient, token: &str) -> serde_json::Map<String, Value> {
    client.app().app_context(|| phial_jwt::decode_token(token, None, false).unwrap())
}

#[tokio::test]
async fn simple() {
    let app = simple::create_app();
    let client = app.test_client();
    assert_eq!(client.get("/protected").send().await.json::<Value>(), msg("Missing Authorization Header"));
    assert_eq!(
        post_json(&client, "/login", json!({"username": "test", "password": "x"})).await,
        (401, msg("Bad username or password"))
    );
    let (status, body) = post_json(&client, "/login", json!({"username": "test", "password": "test"})).await;
    assert_eq!(status, 200);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(claims(&client, token)["sub"], "test");
    assert_eq!(get_bearer(&client, "/protected", token).await, (200, json!({"logged_in_as": "test"})));
    assert_eq!(client.post("/login").body("x").send().await.status(), 415);
}

#[tokio::test]
async fn refresh_tokens() {
    let app = refresh_tokens::create_app();
    let client = app.test_client();
    let body: Value = client.post("/login").send().await.json();
    let (access, refresh) = (body["access_token"].as_str().unwrap(), body["refresh_token"].as_str().unwrap());
    let access_claims = claims(&client, access);
    assert_eq!(access_claims["exp"].as_i64().unwrap() - access_claims["iat"].as_i64().unwrap(), 3600);
    let refresh_claims = claims(&client, refresh);
    assert_eq!(refresh_claims["exp"].as_i64().unwrap() - refresh_claims["iat"].as_i64().unwrap(), 30 * 24 * 3600);

    assert_eq!(get_bearer(&client, "/protected", access).await, (200, json!({"foo": "bar"})));
    let refreshed = client.post("/refresh").bearer(refresh).send().await;
    let new_access = refreshed.json::<Value>()["access_token"].as_str().unwrap().to_string();
    let new_claims = claims(&client, &new_access);
    assert_eq!((new_claims["sub"].clone(), new_claims["fresh"].clone()), (json!("example_user"), json!(false)));
    let wrong = client.post("/refresh").bearer(access).send().await;
    assert_eq!((wrong.status().as_u16(), wrong.json()), (422, msg("Only refresh tokens are allowed")));
    assert_eq!(get_bearer(&client, "/protected", refresh).await, (422, msg("Only non-refresh tokens are allowed")));
}

#[tokio::test]
async fn token_freshness() {
    let app = token_freshness::create_app();
    let client = app.test_client();
    assert_eq!(
        post_json(&client, "/login", json!({"username": "test", "password": "no"})).await,
        (401, msg("Bad username or password"))
    );
    let (_, body) = post_json(&client, "/login", json!({"username": "test", "password": "test"})).await;
    let (access, refresh) = (body["access_token"].as_str().unwrap(), body["refresh_token"].as_str().unwrap());
    assert_eq!(claims(&client, access)["fresh"], true);
    assert_eq!(claims(&client, access)["sub"], "example_user");
    assert_eq!(get_bearer(&client, "/protected", access).await, (200, json!({"foo": "bar"})));
    let refreshed: Value = client.post("/refresh").bearer(refresh).send().await.json();
    let stale = refreshed["access_token"].as_str().unwrap();
    assert_eq!(claims(&client, stale)["fresh"], false);
    assert_eq!(get_bearer(&client, "/protected", stale).await, (401, msg("Fresh token required")));
}

#[tokio::test]
async fn additional_data_in_access_token() {
    let app = additional_data_in_access_token::create_app();
    let client = app.test_client();
    let (status, body) = post_json(&client, "/login", json!({"username": "test", "password": "test"})).await;
    assert_eq!(status, 200);
    let token = body["access_token"].as_str().unwrap();
    // aud is in the token but not checked: JWT_DECODE_AUDIENCE is not set.
    assert_eq!(claims(&client, token)["aud"], "some_audience");
    assert_eq!(get_bearer(&client, "/protected", token).await, (200, json!({"foo": "bar"})));
    // A valid token made without `foo` is not a crash: the claim reads as null.
    let without_foo = client.app().app_context(|| phial_jwt::create_access_token("test").unwrap());
    assert_eq!(get_bearer(&client, "/protected", &without_foo).await, (200, json!({"foo": null})));
}

#[tokio::test]
async fn custom_decorators() {
    let app = custom_decorators::create_app();
    let client = app.test_client();
    let body: Value = client.post("/login").send().await.json();
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(claims(&client, token)["sub"], "admin_user");
    assert_eq!(get_bearer(&client, "/protected", token).await, (200, json!({"foo": "bar"})));
    let not_admin = client.app().app_context(|| phial_jwt::create_access_token("someone").unwrap());
    assert_eq!(get_bearer(&client, "/protected", &not_admin).await, (403, msg("Admins only!")));
    // `if claims["is_administrator"]:` as Python reads it.
    for (flag, admitted) in [
        (json!(1), true),
        (json!("yes"), true),
        (json!(0), false),
        (json!(""), false),
        (json!([]), false),
        (json!(null), false),
    ] {
        let token = client.app().app_context(|| {
            phial_jwt::access_token("someone").additional_claims(json!({"is_administrator": flag})).create().unwrap()
        });
        let expected = if admitted { 200 } else { 403 };
        assert_eq!(get_bearer(&client, "/protected", &token).await.0, expected, "is_administrator = {flag}");
    }
    assert_eq!(client.get("/protected").send().await.json::<Value>(), msg("Missing Authorization Header"));
}

#[tokio::test]
async fn optional_protected_endpoints() {
    let app = optional_protected_endpoints::create_app();
    let client = app.test_client();
    let anonymous = client.get("/optionally_protected").send().await;
    assert_eq!(anonymous.json::<Value>(), json!({"logged_in_as": "anonymous user"}));
    let (_, body) = post_json(&client, "/login", json!({"username": "test", "password": "test"})).await;
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(get_bearer(&client, "/optionally_protected", token).await, (200, json!({"logged_in_as": "test"})));
    assert_eq!(get_bearer(&client, "/optionally_protected", "xxx").await, (422, msg("Not enough segments")));
    // `if current_identity:` is false for "" too.
    let empty = client.app().app_context(|| phial_jwt::create_access_token("").unwrap());
    assert_eq!(
        get_bearer(&client, "/optionally_protected", &empty).await,
        (200, json!({"logged_in_as": "anonymous user"}))
    );
}

#[tokio::test]
async fn jwt_locations() {
    let app = jwt_locations::create_app();
    let client = app.test_client();
    let missing = client.get("/protected").send().await;
    assert_eq!(
        (missing.status().as_u16(), missing.json()),
        (
            401,
            msg("Missing JWT in headers, cookies, json or query_string (Missing Authorization Header; Missing cookie \
                   \"access_token_cookie\"; Invalid content-type. Must be application/json.; Missing 'jwt' query paramater)")
        )
    );
    let body: Value = client.post("/login_without_cookies").send().await.json();
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(get_bearer(&client, "/protected", token).await, (200, json!({"foo": "bar"})));
    assert_eq!(client.get("/protected").query([("jwt", token)]).send().await.json::<Value>(), json!({"foo": "bar"}));
    assert_eq!(post_json(&client, "/protected", json!({"access_token": token})).await, (200, json!({"foo": "bar"})));
    assert_eq!(get_bearer(&client, "/only_headers", token).await, (200, json!({"foo": "baz"})));
    let only = client.get("/only_headers").query([("jwt", token)]).send().await;
    assert_eq!((only.status().as_u16(), only.json()), (401, msg("Missing Authorization Header")));

    let login = client.post("/login_with_cookies").send().await;
    assert_eq!(login.json::<Value>(), msg("login successful"));
    assert_eq!(client.get("/protected").send().await.json::<Value>(), json!({"foo": "bar"}));
    assert_eq!(client.post("/protected").send().await.json::<Value>(), msg("Missing CSRF token"));
    let csrf = client.get_cookie("csrf_access_token").unwrap();
    assert_eq!(client.post("/protected").header("X-CSRF-TOKEN", &csrf).send().await.status(), 200);
    let logout = client.post("/logout_with_cookies").send().await;
    assert_eq!((logout.json::<Value>(), logout.set_cookies().len()), (msg("logout successful"), 4));
    assert_eq!(client.get("/protected").send().await.status(), 401);
}

#[tokio::test]
async fn loaders() {
    let now = Arc::new(AtomicU64::new(1_700_000_000));
    let app = loaders::create_app();
    let clock = now.clone();
    app.extensions.get::<JWTManager>().unwrap().set_clock(Clock::from_fn(move || clock.load(Ordering::SeqCst) as f64));
    let client = app.test_client();
    let body: Value = client.post("/login").send().await.json();
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(get_bearer(&client, "/protected", token).await, (200, json!({"hello": "world"})));
    now.fetch_add(16 * 60, Ordering::SeqCst);
    assert_eq!(
        get_bearer(&client, "/protected", token).await,
        (401, json!({"code": "dave", "err": "I can't let you do that"}))
    );
}
