//! Every callback of the manager: its default response, and a custom one.

mod common;

use common::*;
use phial::prelude::*;
use phial_jwt::keys::SigningKey;
use phial_jwt::prelude::*;
use phial_jwt::{JsonObject, JwtError};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn response_callbacks_replace_the_default_bodies() {
    let (app, jwt) = app(&[]);
    jwt.expired_token_loader(|_header, claims| (jsonify!({"code": "dave", "sub": claims["sub"]}), 401));
    jwt.invalid_token_loader(|message| (jsonify!({"invalid": message}), 201));
    jwt.unauthorized_loader(|message| (jsonify!({"unauthorized": message}), 404));
    jwt.needs_fresh_token_loader(|header, _| (jsonify!({"fresh": "please", "alg": header["alg"]}), 403));
    jwt.token_verification_loader(|_, claims| claims["sub"] != "mallory");
    jwt.token_verification_failed_loader(|_, claims| (jsonify!({"failed": claims["sub"]}), 418));
    let client = app.test_client();

    let expired = encode_token(claims_with(json!({"exp": NOW - 1})), json!({}));
    assert_eq!(get_with(&client, "/protected", &expired).await, (401, json!({"code": "dave", "sub": "username"})));
    assert_eq!(get_with(&client, "/protected", "garbage").await, (201, json!({"invalid": "Not enough segments"})));
    let response = client.get("/protected").send().await;
    assert_eq!(
        (response.status().as_u16(), response.json()),
        (404, json!({"unauthorized": "Missing Authorization Header"}))
    );
    let stale = encode_token(access_claims(), json!({}));
    assert_eq!(get_with(&client, "/fresh_protected", &stale).await, (403, json!({"fresh": "please", "alg": "HS256"})));
    let mallory = encode_token(claims_with(json!({"sub": "mallory"})), json!({}));
    assert_eq!(get_with(&client, "/protected", &mallory).await, (418, json!({"failed": "mallory"})));
}

#[tokio::test]
async fn response_callbacks_may_be_async() {
    let (app, jwt) = app(&[]);
    // A future that owns what it needs (here, a copy of the claim it answers with).
    jwt.expired_token_loader(|_header, claims| {
        let sub = claims["sub"].clone();
        async move {
            tokio::task::yield_now().await;
            (jsonify!({"expired_for": sub}), 401)
        }
    });
    jwt.invalid_token_loader(|message| {
        let message = message.to_string();
        async move { jsonify!({"invalid": message}).status(422) }
    });
    let client = app.test_client();
    let expired = encode_token(claims_with(json!({"exp": NOW - 1})), json!({}));
    assert_eq!(get_with(&client, "/protected", &expired).await, (401, json!({"expired_for": "username"})));
    assert_eq!(get_with(&client, "/protected", "garbage").await, (422, json!({"invalid": "Not enough segments"})));
}

#[tokio::test]
async fn default_callback_bodies() {
    let (app, jwt) = app(&[]);
    jwt.token_verification_loader(|_, claims| claims["sub"] != "mallory");
    jwt.token_in_blocklist_loader(|_, claims| claims["jti"] == "revoked");
    let client = app.test_client();
    let mallory = encode_token(claims_with(json!({"sub": "mallory"})), json!({}));
    assert_eq!(get_with(&client, "/protected", &mallory).await, (400, msg("User claims verification failed")));
    let revoked = encode_token(claims_with(json!({"jti": "revoked"})), json!({}));
    assert_eq!(get_with(&client, "/protected", &revoked).await, (401, msg("Token has been revoked")));
}

#[tokio::test]
async fn blocklist_loader_plain_or_async_with_skip() {
    let revoked: Arc<Mutex<Vec<String>>> = Arc::default();
    let (app, jwt) = app(&[]);
    let store = revoked.clone();
    jwt.token_in_blocklist_loader(move |header, claims| {
        let store = store.clone();
        async move {
            assert_eq!(header["alg"], "HS256", "the callback gets the header");
            let jti = claims["jti"].as_str().unwrap_or_default().to_string();
            tokio::task::yield_now().await;
            store.lock().unwrap().contains(&jti)
        }
    });
    jwt.revoked_token_loader(|_, _| (jsonify!({"baz": "foo"}), 404));
    let client = app.test_client();
    let token = encode_token(access_claims(), json!({}));
    assert_eq!(get_with(&client, "/protected", &token).await.0, 200);
    revoked.lock().unwrap().push("jti-1".into());
    assert_eq!(get_with(&client, "/protected", &token).await, (404, json!({"baz": "foo"})));
    assert_eq!(get_with(&client, "/skip_revocation", &token).await.0, 200);
    // Refresh tokens are checked too.
    let refresh = encode_token(claims_with(json!({"type": "refresh"})), json!({}));
    assert_eq!(get_with(&client, "/refresh_protected", &refresh).await.0, 404);
}

#[derive(Debug, PartialEq)]
struct User {
    id: i64,
    name: String,
}

#[get("/who_am_i")]
#[jwt_required]
async fn who_am_i(CurrentUser(user): CurrentUser<User>) -> Result<impl IntoResponse, JwtError> {
    let same: Arc<User> = current_user::<User>()?;
    assert_eq!(user, same);
    Ok(jsonify!({"id": user.id, "name": user.name}))
}

#[get("/maybe_user")]
#[jwt_required(optional = true)]
async fn maybe_user() -> Result<impl IntoResponse, JwtError> {
    Ok(jsonify!({"user": get_current_user::<User>()?.map(|u| u.name.clone())}))
}

#[tokio::test]
async fn user_lookup_loads_the_user_or_refuses() {
    let calls = Arc::new(Mutex::new(0));
    let (mut app, jwt) = app(&[]);
    let counter = calls.clone();
    jwt.user_lookup_loader(move |_header, claims| {
        *counter.lock().unwrap() += 1;
        let name = claims["sub"].as_str().unwrap_or_default().to_string();
        async move { if name == "ghost" { None } else { Some(User { id: 7, name }) } }
    });
    app.register(routes![who_am_i, maybe_user]);
    let client = app.test_client();

    let token = encode_token(access_claims(), json!({}));
    assert_eq!(get_with(&client, "/who_am_i", &token).await, (200, json!({"id": 7, "name": "username"})));
    let ghost = encode_token(claims_with(json!({"sub": "ghost"})), json!({}));
    assert_eq!(get_with(&client, "/who_am_i", &ghost).await, (401, msg("Error loading the user ghost")));

    // Optional route without a token: the loader is not called, the user is None.
    *calls.lock().unwrap() = 0;
    let anonymous = client.get("/maybe_user").send().await;
    assert_eq!(anonymous.json::<Value>(), json!({"user": null}));
    assert_eq!(*calls.lock().unwrap(), 0);
    assert_eq!(get_with(&client, "/maybe_user", &token).await, (200, json!({"user": "username"})));
}

#[tokio::test]
async fn user_lookup_error_loader_and_plain_loader() {
    let (mut app, jwt) = app(&[]);
    jwt.user_lookup_loader(|_, claims| (claims["sub"] == "username").then(|| User { id: 1, name: "u".into() }));
    jwt.user_lookup_error_loader(|_, claims| (jsonify!({"nobody": claims["sub"]}), 201));
    app.register(routes![who_am_i]);
    let client = app.test_client();
    let ghost = encode_token(claims_with(json!({"sub": "ghost"})), json!({}));
    assert_eq!(get_with(&client, "/who_am_i", &ghost).await, (201, json!({"nobody": "ghost"})));
}

#[tokio::test]
async fn current_user_without_a_loader_is_the_apps_mistake() {
    let (mut app, _) = app(&[]);
    app.register(routes![who_am_i, maybe_user]);
    let client = app.test_client();
    let token = encode_token(access_claims(), json!({}));
    assert_eq!(get_with(&client, "/who_am_i", &token).await.0, 500);
    assert_eq!(get_with(&client, "/maybe_user", &token).await.0, 500);
}

#[tokio::test]
async fn claims_headers_and_identity_loaders_shape_new_tokens() {
    #[derive(serde::Serialize)]
    struct Account {
        id: u32,
        admin: bool,
    }
    let (app, jwt) = app(&[]);
    jwt.user_identity_loader(|account: &Account| account.id.to_string());
    jwt.additional_claims_loader(
        |identity: &Value| json!({"is_admin": identity["admin"], "from_loader": 1, "tie": "loader"}),
    );
    jwt.additional_headers_loader(|_| json!({"kid": "key-7", "typ": "JWT"}));
    let handle = app.finalize().unwrap();
    let (claims, header) = handle.app_context(|| {
        let token = access_token(Account { id: 42, admin: true })
            .additional_claims(json!({"tie": "argument", "extra": true}))
            .additional_headers(json!({"x": "y"}))
            .create()
            .unwrap();
        (decode_token(&token, None, false).unwrap(), phial_jwt::get_unverified_jwt_headers(&token).unwrap())
    });
    assert_eq!(claims["sub"], "42");
    assert_eq!(claims["is_admin"], true);
    assert_eq!((claims["tie"].clone(), claims["extra"].clone()), (json!("argument"), json!(true)));
    assert_eq!(header, json!({"alg": "HS256", "typ": "JWT", "kid": "key-7", "x": "y"}).as_object().unwrap().clone());
    // Identities of other types are serialised as they are.
    let plain = handle.app_context(|| decode_token(&create_access_token("plain").unwrap(), None, false).unwrap());
    assert_eq!(plain["sub"], "plain");
}

#[tokio::test]
async fn key_loaders_pick_keys_per_identity_and_per_token() {
    let mut app = App::new("keys");
    let jwt = JWTManager::new(&mut app);
    // Keys are made once, at start; the loaders only pick one.
    let keys: HashMap<String, SigningKey> =
        ["ann", "bob"].map(|who| (who.to_owned(), SigningKey::new(format!("key-for-{who}")).unwrap())).into();
    let signing_keys = keys.clone();
    jwt.encode_key_loader(move |identity: &Value| {
        identity.as_str().and_then(|who| signing_keys.get(who)).cloned().ok_or_else(|| JwtError::Setup("no key".into()))
    });
    jwt.decode_key_loader(move |_header: &JsonObject, claims: &JsonObject| {
        claims["sub"].as_str().and_then(|who| keys.get(who)).map(|key| key.verifying_key().clone())
    });
    app.register(routes![common_protected]);
    let client = app.test_client();
    let token = client.app().app_context(|| create_access_token("ann").unwrap());
    assert_eq!(get_with(&client, "/protected", &token).await.0, 200);
    // Signed with another identity's key: refused.
    let forged = phial_jwt::jws::encode(
        &JsonObject::new(),
        phial_jwt::algorithm::Algorithm::HS256,
        &json!({"sub": "ann", "type": "access"}),
        &phial_jwt::jws::SigningKey::new(b"key-for-bob").unwrap(),
    )
    .unwrap();
    assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg("Signature verification failed")));
    // Nobody's key: the loader finds none.
    let stranger = phial_jwt::jws::encode(
        &JsonObject::new(),
        phial_jwt::algorithm::Algorithm::HS256,
        &json!({"sub": "eve", "type": "access"}),
        &SigningKey::new(b"key-for-eve").unwrap(),
    )
    .unwrap();
    assert_eq!(get_with(&client, "/protected", &stranger).await, (422, msg("No key matches the token's kid")));
}

#[get("/protected")]
#[jwt_required]
async fn common_protected() -> &'static str {
    "ok"
}

#[tokio::test]
async fn a_callback_registered_after_start_has_no_effect_and_says_so() {
    let (app, jwt) = app(&[]);
    let client = app.test_client();
    // Logged at error level (not a panic); the manager keeps what it started with.
    jwt.expired_token_loader(|_, _| "too late");
    let expired = encode_token(claims_with(json!({"exp": NOW - 1})), json!({}));
    assert_eq!(get_with(&client, "/protected", &expired).await, (401, msg("Token has expired")));
}

#[tokio::test]
async fn jwt_error_message_key_changes_every_default_body() {
    let (app, _) = app(&[("JWT_ERROR_MESSAGE_KEY", json!("message"))]);
    let client = app.test_client();
    let response = client.get("/protected").send().await;
    assert_eq!(response.json::<Value>(), json!({"message": "Missing Authorization Header"}));
    let expired = encode_token(claims_with(json!({"exp": 0})), json!({}));
    assert_eq!(get_with(&client, "/protected", &expired).await, (401, json!({"message": "Token has expired"})));
}
