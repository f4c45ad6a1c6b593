//! The external_idp example against a provider served on loopback: tokens the
//! provider signs are accepted, a key it adds later is picked up without a
//! restart, forged `kid`s cause no fetch storm, the last good set survives the
//! provider going down, and with no set at all every token is refused (503).

#[path = "../examples/external_idp.rs"]
#[allow(dead_code)]
mod external_idp;

use external_idp::Provider;
use phial::prelude::*;
use phial::testing::{LiveServer, TestClient};
use phial_jwt::JsonObject;
use phial_jwt::algorithm::Algorithm;
use phial_jwt::jws::{self, OrderedClaims};
use phial_jwt::key_sets::remote::RemoteKeySet;
use phial_jwt::keys::{KeySet, SigningKey};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ISSUER: &str = "https://idp.example";
const AUDIENCE: &str = "orders-api";

fn key(name: &str) -> SigningKey {
    let path = format!("{}/jwt-ext/tests/keys/{name}_private.pem", env!("CARGO_MANIFEST_DIR"));
    SigningKey::from_pem(std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A provider whose published set the test can change, counting fetches.
#[derive(Clone)]
struct Idp {
    jwks: Arc<Mutex<Value>>,
    status: Arc<Mutex<u16>>,
    fetches: Arc<AtomicUsize>,
}

impl Idp {
    fn publish(&self, set: &KeySet) {
        *self.jwks.lock().unwrap() = set.jwks();
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    async fn serve(self, cache_control: &'static str) -> LiveServer {
        let mut app = App::new("idp");
        app.route("/.well-known/jwks.json", ["GET"], move || {
            let idp = self.clone();
            async move {
                idp.fetches.fetch_add(1, Ordering::SeqCst);
                let status = *idp.status.lock().unwrap();
                let body = idp.jwks.lock().unwrap().clone();
                let mut response = (jsonify!(body), status).into_response();
                response.headers_mut().insert("cache-control", cache_control.parse().unwrap());
                response
            }
        });
        LiveServer::start(app).await.unwrap()
    }
}

fn idp() -> Idp {
    Idp { jwks: Arc::new(Mutex::new(json!({"keys": []}))), status: Arc::new(Mutex::new(200)), fetches: Arc::default() }
}

/// A token as the provider issues it: `kid`, issuer, audience, its own claims.
fn token(kid: &str, key: &SigningKey, alg: Algorithm, sub: &str) -> String {
    let mut claims = OrderedClaims::new();
    claims.insert("iss", ISSUER);
    claims.insert("aud", AUDIENCE);
    claims.insert("sub", sub);
    claims.insert("iat", 1_700_000_000);
    claims.insert("exp", 4_102_444_800_i64);
    let mut header = JsonObject::new();
    header.insert("kid".into(), json!(kid));
    jws::encode(&header, alg, &claims, key).unwrap()
}

fn app(url: &str, refetch: Duration) -> TestClient {
    let keys = RemoteKeySet::new(url).unwrap().min_refetch_interval(refetch);
    let provider = Provider { algorithms: &["RS256", "ES256"], issuer: Some(ISSUER), audience: Some(AUDIENCE) };
    external_idp::create_app(keys, &provider).test_client()
}

async fn get(client: &TestClient, token: &str) -> (u16, Value) {
    let response = client.get("/protected").bearer(token).send().await;
    (response.status().as_u16(), response.json())
}

#[tokio::test]
async fn tokens_of_the_published_keys_pass_and_a_key_added_later_is_picked_up() {
    let idp = idp();
    let (old, new) = (key("rsa2048"), key("p256"));
    idp.publish(&KeySet::new().with_signing_key("2026-10", Algorithm::RS256, old.clone()).unwrap());
    let server = idp.clone().serve("max-age=300").await;
    let client = app(&server.url("/.well-known/jwks.json"), Duration::from_millis(200));

    let first = token("2026-10", &old, Algorithm::RS256, "alice");
    assert_eq!(get(&client, &first).await, (200, json!({"logged_in_as": "alice"})));
    assert_eq!(idp.fetches(), 1, "one fetch, then the cached set");
    assert_eq!(get(&client, &first).await.0, 200);
    assert_eq!(idp.fetches(), 1);

    // The provider rotates: a new key signs, the old one still verifies.
    let rotated = KeySet::new()
        .with_signing_key("2026-11", Algorithm::ES256, new.clone())
        .unwrap()
        .with_verifying_key("2026-10", old.verifying_key().clone())
        .unwrap();
    idp.publish(&rotated);
    let second = token("2026-11", &new, Algorithm::ES256, "bob");
    assert_eq!(get(&client, &second).await, (200, json!({"logged_in_as": "bob"})));
    assert_eq!(idp.fetches(), 2, "the unknown kid caused one fetch");
    assert_eq!(get(&client, &first).await.0, 200);
}

#[tokio::test]
async fn forged_kids_cause_at_most_one_fetch_per_interval() {
    let idp = idp();
    let signing = key("rsa2048");
    idp.publish(&KeySet::new().with_signing_key("real", Algorithm::RS256, signing.clone()).unwrap());
    let server = idp.clone().serve("max-age=300").await;
    let client = app(&server.url("/.well-known/jwks.json"), Duration::from_secs(60));
    assert_eq!(get(&client, &token("real", &signing, Algorithm::RS256, "alice")).await.0, 200);

    for n in 0..20 {
        let forged = token(&format!("forged-{n}"), &signing, Algorithm::RS256, "mallory");
        assert_eq!(get(&client, &forged).await, (422, json!({"msg": "No key matches the token's kid"})));
    }
    assert_eq!(idp.fetches(), 2, "the first fetch, then one for all twenty unknown kids");
}

#[tokio::test]
async fn the_last_good_set_survives_the_provider_failing() {
    let idp = idp();
    let signing = key("ed25519");
    idp.publish(&KeySet::new().with_signing_key("ed", Algorithm::EdDSA, signing.clone()).unwrap());
    let server = idp.clone().serve("max-age=1").await;
    let keys = RemoteKeySet::new(&server.url("/.well-known/jwks.json"))
        .unwrap()
        .retry_after_failure(Duration::from_millis(100));
    let provider = Provider { algorithms: &["EdDSA"], issuer: Some(ISSUER), audience: Some(AUDIENCE) };
    let client = external_idp::create_app(keys, &provider).test_client();
    let good = token("ed", &signing, Algorithm::EdDSA, "alice");
    assert_eq!(get(&client, &good).await.0, 200);

    // The provider breaks: its set expires (max-age=1) and refreshes fail.
    *idp.status.lock().unwrap() = 500;
    let fetches = idp.fetches();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(idp.fetches() > fetches, "the background refresh tried again");
    assert_eq!(get(&client, &good).await.0, 200, "the last good set still verifies");
    server.stop().await.unwrap();
    assert_eq!(get(&client, &good).await.0, 200);
}

#[tokio::test]
async fn with_no_set_ever_fetched_every_token_is_refused_with_503() {
    // Nothing listens on this port: bind one and drop it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = app(&format!("http://127.0.0.1:{port}/jwks.json"), Duration::from_millis(10));
    let any = token("k", &key("rsa2048"), Algorithm::RS256, "alice");
    assert_eq!(
        get(&client, &any).await,
        (503, json!({"msg": "The keys that verify tokens are unavailable right now; try again later"}))
    );
}

#[tokio::test]
async fn issuer_and_audience_are_checked_as_upstream() {
    let idp = idp();
    let signing = key("rsa2048");
    idp.publish(&KeySet::new().with_signing_key("k", Algorithm::RS256, signing.clone()).unwrap());
    let server = idp.clone().serve("max-age=300").await;
    let client = app(&server.url("/.well-known/jwks.json"), Duration::from_secs(60));
    let claims = |iss: &str, aud: &str| {
        let mut claims = OrderedClaims::new();
        claims.insert("iss", iss);
        claims.insert("aud", aud);
        claims.insert("sub", "alice");
        let mut header = JsonObject::new();
        header.insert("kid".into(), json!("k"));
        jws::encode(&header, Algorithm::RS256, &claims, &signing).unwrap()
    };
    assert_eq!(get(&client, &claims(ISSUER, AUDIENCE)).await.0, 200);
    assert_eq!(get(&client, &claims("https://evil.example", AUDIENCE)).await, (422, json!({"msg": "Invalid issuer"})));
    assert_eq!(get(&client, &claims(ISSUER, "other-api")).await, (422, json!({"msg": "Audience doesn't match"})));
    // A token signed by another key under a published kid: the signature decides.
    let other = jws::encode(
        &JsonObject::from_iter([("kid".to_string(), json!("k"))]),
        Algorithm::RS256,
        &json!({"sub": "mallory", "iss": ISSUER, "aud": AUDIENCE}),
        &key("rsa3072"),
    )
    .unwrap();
    assert_eq!(get(&client, &other).await, (422, json!({"msg": "Signature verification failed"})));
}
