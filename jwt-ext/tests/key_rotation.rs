//! Key rotation with `jwt.use_key_set(..)`: the set's signing key signs new tokens
//! with its `kid`, a retired key keeps verifying the tokens it signed until it is
//! removed, an unknown `kid` is refused, and the JWKS lists the public keys.

mod common;

use common::*;
use phial::prelude::*;
use phial_jwt::JsonObject;
use phial_jwt::algorithm::Algorithm;
use phial_jwt::jws::{self, OrderedClaims};
use phial_jwt::keys::{KeySet, SigningKey};
use phial_jwt::prelude::*;
use serde_json::{Value, json};

fn key(name: &str) -> SigningKey {
    let path = format!("{}/tests/keys/{name}_private.pem", env!("CARGO_MANIFEST_DIR"));
    SigningKey::from_pem(std::fs::read_to_string(path).unwrap()).unwrap()
}

/// An app whose tokens are RS256 or ES256 (`JWT_DECODE_ALGORITHMS`), keyed by `set`.
fn app_with(set: KeySet) -> TestClient {
    let (mut app, jwt) =
        app(&[("JWT_ALGORITHM", json!("ES256")), ("JWT_DECODE_ALGORITHMS", json!(["RS256", "ES256"]))]);
    jwt.use_key_set(set);
    app.route("/.well-known/jwks.json", ["GET"], phial_jwt::jwks_endpoint);
    app.test_client()
}

/// A token signed by `key` under `kid`, as a previous version of the app made it.
fn old_token(kid: &str, key: &SigningKey, alg: Algorithm) -> String {
    let mut claims = OrderedClaims::new();
    for (name, value) in access_claims().as_object().unwrap() {
        claims.insert(name, value.clone());
    }
    let header = JsonObject::from_iter([("kid".to_owned(), json!(kid))]);
    jws::encode(&header, alg, &claims, key).unwrap()
}

fn header_of(token: &str) -> Value {
    Value::Object(jws::unverified_header(token, 8192).unwrap())
}

#[tokio::test]
async fn new_tokens_name_the_signing_key_and_retired_keys_keep_verifying() {
    let (retired, current) = (key("rsa2048"), key("p256"));
    let set = KeySet::new()
        .with_signing_key("2026-11", Algorithm::ES256, current)
        .unwrap()
        .with_verifying_key("2026-10", retired.verifying_key().clone())
        .unwrap();
    let client = app_with(set);

    let token = client.app().app_context(|| create_access_token("alice").unwrap());
    assert_eq!(header_of(&token), json!({"alg": "ES256", "kid": "2026-11", "typ": "JWT"}));
    assert_eq!(get_with(&client, "/protected", &token).await.0, 200);

    let before_rotation = old_token("2026-10", &retired, Algorithm::RS256);
    assert_eq!(
        get_with(&client, "/protected", &before_rotation).await,
        (200, json!({"foo": "bar", "identity": "username"}))
    );

    let unknown = old_token("2026-09", &retired, Algorithm::RS256);
    assert_eq!(get_with(&client, "/protected", &unknown).await, (422, msg("No key matches the token's kid")));
}

#[tokio::test]
async fn once_the_retired_key_is_removed_its_tokens_are_refused() {
    let (retired, current) = (key("rsa2048"), key("p256"));
    let client = app_with(KeySet::new().with_signing_key("2026-11", Algorithm::ES256, current).unwrap());
    let before_rotation = old_token("2026-10", &retired, Algorithm::RS256);
    assert_eq!(get_with(&client, "/protected", &before_rotation).await, (422, msg("No key matches the token's kid")));
    // Relabelled with the current kid, the old key's signature does not verify.
    let relabelled = old_token("2026-11", &retired, Algorithm::RS256);
    assert_eq!(
        get_with(&client, "/protected", &relabelled).await,
        (422, msg("The specified alg value is not allowed"))
    );
}

#[tokio::test]
async fn the_jwks_endpoint_lists_every_key_of_the_set() {
    let set = KeySet::new()
        .with_signing_key("2026-11", Algorithm::ES256, key("p256"))
        .unwrap()
        .with_verifying_key("2026-10", key("rsa2048").verifying_key().clone())
        .unwrap();
    let client = app_with(set);
    let document: Value = client.get("/.well-known/jwks.json").send().await.json();
    let keys = document["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(
        (keys[0]["kid"].clone(), keys[0]["kty"].clone(), keys[0]["alg"].clone()),
        (json!("2026-11"), json!("EC"), json!("ES256"))
    );
    assert_eq!((keys[1]["kid"].clone(), keys[1]["kty"].clone()), (json!("2026-10"), json!("RSA")));
    assert!(keys.iter().all(|key| key.get("d").is_none()));
}

#[tokio::test]
async fn an_hmac_app_publishes_no_key() {
    let (app, jwt) = app(&[]);
    let client = app.test_client();
    assert_eq!(jwt.jwks().unwrap(), json!({"keys": []}));
    drop(client);
}

/// An async `decode_key_loader` (say, keys looked up in a database by `kid`) is
/// awaited by `#[jwt_required]`; `decode_token`, which is synchronous, says it
/// cannot wait for one.
#[tokio::test]
async fn an_async_decode_key_loader_is_awaited() {
    let signing = key("ed25519");
    let public = signing.verifying_key().clone();
    let (mut app, jwt) = app(&[
        ("JWT_ALGORITHM", json!("EdDSA")),
        (
            "JWT_PRIVATE_KEY",
            json!(
                std::fs::read_to_string(format!("{}/tests/keys/ed25519_private.pem", env!("CARGO_MANIFEST_DIR")))
                    .unwrap()
            ),
        ),
    ]);
    jwt.decode_key_loader(move |header: &JsonObject, _claims: &JsonObject| {
        let kid = header.get("kid").and_then(Value::as_str).map(str::to_owned);
        let public = public.clone();
        async move {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            (kid.as_deref() == Some("db-key")).then_some(public)
        }
    });
    app.route("/decode", ["GET"], |request: Request| async move {
        let token = request.headers().get("x-token").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        match decode_token(&token, None, false) {
            Ok(_) => "decoded".to_owned(),
            Err(err) => err.to_string(),
        }
    });
    let client = app.test_client();
    let good = old_token("db-key", &signing, Algorithm::EdDSA);
    assert_eq!(get_with(&client, "/protected", &good).await.0, 200);
    let unknown = old_token("other", &signing, Algorithm::EdDSA);
    assert_eq!(get_with(&client, "/protected", &unknown).await, (422, msg("No key matches the token's kid")));
    let answer = client.get("/decode").header("x-token", &good).send().await.text();
    assert!(answer.starts_with("the decode_key_loader is async, and decode_token cannot wait for it"), "{answer}");
}
