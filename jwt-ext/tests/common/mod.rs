//! Helpers shared by the integration tests: an app with a frozen clock, raw token
//! encoding (upstream's `encode_token`), and the protected routes of upstream's
//! test suite.
#![allow(dead_code)]

use phial::prelude::*;
use phial_jwt::algorithm::Algorithm;
use phial_jwt::jws::{self, OrderedClaims, SigningKey};
use phial_jwt::prelude::*;
use phial_jwt::{Clock, JsonObject};
use serde_json::{Value, json};

pub(crate) const SECRET: &str = "foobarbaz";
/// The frozen "now" of every test app.
pub(crate) const NOW: i64 = 1_700_000_000;

/// An app with `JWT_SECRET_KEY = "foobarbaz"`, the given config, a manager on a
/// frozen clock, and upstream's test routes.
pub(crate) fn app(config: &[(&str, Value)]) -> (App, JWTManager) {
    let mut app = App::new("jwt-tests");
    app.config.set("JWT_SECRET_KEY", SECRET);
    for (key, value) in config {
        app.config.set(*key, value.clone());
    }
    let jwt = JWTManager::new(&mut app);
    jwt.set_clock(Clock::fixed(NOW as f64));
    app.register(routes![
        protected,
        fresh_protected,
        refresh_protected,
        optional_protected,
        no_type_check,
        skip_revocation
    ]);
    (app, jwt)
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<impl IntoResponse, JwtError> {
    Ok(jsonify!({"foo": "bar", "identity": get_jwt_identity::<Value>()?}))
}

#[get("/fresh_protected")]
#[jwt_required(fresh = true)]
async fn fresh_protected() -> &'static str {
    "fresh"
}

#[route("/refresh_protected", methods = ["GET", "POST"])]
#[jwt_required(refresh = true)]
async fn refresh_protected() -> Result<impl IntoResponse, JwtError> {
    Ok(jsonify!({"type": get_jwt()?["type"]}))
}

#[get("/optional_protected")]
#[jwt_required(optional = true)]
async fn optional_protected() -> Result<impl IntoResponse, JwtError> {
    let identity: Option<String> = get_jwt_identity()?;
    Ok(jsonify!({"identity": identity, "claims": *get_jwt()?, "header": *get_jwt_header()?,
                 "location": get_jwt_request_location().map(|l| l.as_str())}))
}

#[get("/no_type_check")]
#[jwt_required(verify_type = false)]
async fn no_type_check() -> &'static str {
    "any type"
}

#[get("/skip_revocation")]
#[jwt_required(skip_revocation_check = true)]
async fn skip_revocation() -> &'static str {
    "not checked"
}

/// A token with exactly these claims and extra headers (upstream's `encode_token`).
pub(crate) fn encode_token(claims: Value, headers: Value) -> String {
    encode_with(claims, headers, SECRET, Algorithm::HS256)
}

/// A token signed with `secret` and `algorithm`.
pub(crate) fn encode_with(claims: Value, headers: Value, secret: &str, algorithm: Algorithm) -> String {
    let mut ordered = OrderedClaims::new();
    for (key, value) in claims.as_object().expect("claims are an object") {
        ordered.insert(key, value.clone());
    }
    let headers: JsonObject = headers.as_object().cloned().unwrap_or_default();
    jws::encode(&headers, algorithm, &ordered, &SigningKey::new(secret.as_bytes()).unwrap()).unwrap()
}

/// A valid access-token claim set at `NOW`.
pub(crate) fn access_claims() -> Value {
    json!({"fresh": false, "iat": NOW, "jti": "jti-1", "type": "access", "sub": "username", "nbf": NOW,
           "csrf": "csrf-1", "exp": NOW + 900})
}

/// `access_claims()` with some claims changed (`null` removes one).
pub(crate) fn claims_with(changes: Value) -> Value {
    let mut claims = access_claims();
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(key);
        } else {
            claims[key] = value.clone();
        }
    }
    claims
}

/// GET `path` with `Authorization: Bearer <token>`; the status and JSON body.
pub(crate) async fn get_with(client: &TestClient, path: &str, token: &str) -> (u16, Value) {
    let response = client.get(path).bearer(token).send().await;
    let body = response.try_json().unwrap_or(Value::String(response.text()));
    (response.status().as_u16(), body)
}

/// The `{"msg": ...}` body.
pub(crate) fn msg(message: &str) -> Value {
    json!({ "msg": message })
}
