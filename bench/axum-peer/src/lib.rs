//! `examples/quickstart.rs` written the way an axum user would: axum 0.8 for the
//! routes, jsonwebtoken for the tokens (flask-jwt-extended's claim layout), the same
//! routes, bodies and status codes. It exists only to be measured: `bench/http.sh`
//! serves it (`src/main.rs`) beside phial's quickstart, and `benches/inprocess.rs`
//! drives it without a socket as `benches/dispatch.rs` drives phial.

use axum::Router;
use axum::extract::{FromRequestParts, Json, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use subtle::ConstantTimeEq;

/// The keys, made once at start, and the algorithm they sign with.
struct Keys {
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

type Shared = State<Arc<Keys>>;

/// flask-jwt-extended's access-token claims, in its order.
#[derive(Serialize, Deserialize)]
struct AccessClaims {
    fresh: bool,
    iat: u64,
    jti: String,
    #[serde(rename = "type")]
    kind: String,
    sub: String,
    nbf: u64,
    exp: u64,
}

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

fn msg(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "msg": message }))).into_response()
}

fn matches(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

async fn login(State(keys): Shared, Json(credentials): Json<Credentials>) -> Response {
    let username = credentials.username.unwrap_or_default();
    let password = credentials.password.unwrap_or_default();
    if !(matches(&username, "test") & matches(&password, "test")) {
        return msg(StatusCode::UNAUTHORIZED, "Bad username or password");
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let claims = AccessClaims {
        fresh: false,
        iat: now,
        jti: uuid::Uuid::new_v4().to_string(),
        kind: "access".into(),
        sub: username,
        nbf: now,
        exp: now + 15 * 60,
    };
    match jsonwebtoken::encode(&Header::new(keys.algorithm), &claims, &keys.encoding) {
        Ok(token) => Json(json!({ "access_token": token })).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The verified claims of the request's `Authorization: Bearer` token; refuses
/// with flask-jwt-extended's messages.
struct Verified(AccessClaims);

impl FromRequestParts<Arc<Keys>> for Verified {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, keys: &Arc<Keys>) -> Result<Verified, Response> {
        let Some(header) = parts.headers.get("authorization") else {
            return Err(msg(StatusCode::UNAUTHORIZED, "Missing Authorization Header"));
        };
        let token = header.to_str().ok().and_then(|value| value.strip_prefix("Bearer ")).ok_or_else(|| {
            msg(StatusCode::UNPROCESSABLE_ENTITY, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'")
        })?;
        match jsonwebtoken::decode::<AccessClaims>(token, &keys.decoding, &keys.validation) {
            Ok(data) if data.claims.kind == "access" => Ok(Verified(data.claims)),
            Ok(_) => Err(msg(StatusCode::UNPROCESSABLE_ENTITY, "Only non-refresh tokens are allowed")),
            Err(error) if matches!(error.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => {
                Err(msg(StatusCode::UNAUTHORIZED, "Token has expired"))
            }
            Err(_) => Err(msg(StatusCode::UNPROCESSABLE_ENTITY, "Signature verification failed")),
        }
    }
}

async fn protected(Verified(claims): Verified) -> Response {
    Json(json!({ "logged_in_as": claims.sub })).into_response()
}

/// The app on `secret` (HS256): `POST /login` and `GET /protected`.
pub fn app(secret: &str) -> Result<Router, jsonwebtoken::errors::Error> {
    let encoding = EncodingKey::from_secret(secret.as_bytes())?;
    let decoding = DecodingKey::from_secret(secret.as_bytes())?;
    Ok(router(Algorithm::HS256, encoding, decoding))
}

/// The same app signing RS256 with a PEM key pair (`bench/http.sh rs256`).
pub fn app_rs256(private_pem: &[u8], public_pem: &[u8]) -> Result<Router, jsonwebtoken::errors::Error> {
    let encoding = EncodingKey::from_rsa_pem(private_pem)?;
    let decoding = DecodingKey::from_rsa_pem(public_pem)?;
    Ok(router(Algorithm::RS256, encoding, decoding))
}

fn router(algorithm: Algorithm, encoding: EncodingKey, decoding: DecodingKey) -> Router {
    let mut validation = Validation::new(algorithm);
    validation.validate_nbf = true;
    validation.leeway = 0;
    let keys = Arc::new(Keys { algorithm, encoding, decoding, validation });
    Router::new().route("/login", post(login)).route("/protected", get(protected)).with_state(keys)
}

/// The CORS layer of phial's `examples/cors.rs`, configured the same way (without
/// phial's `FlaskCors`, which only changes plain `OPTIONS` requests).
pub fn cors_like_flask_cors() -> tower_http::cors::CorsLayer {
    use axum::http::{HeaderValue, Method};
    use tower_http::cors::{AllowCredentials, AllowHeaders, AllowOrigin, CorsLayer};
    let front_end = HeaderValue::from_static("http://localhost:3000");
    CorsLayer::new()
        .allow_origin(AllowOrigin::list([front_end.clone()]))
        .allow_credentials(AllowCredentials::predicate(move |origin, _| origin == front_end))
        .allow_methods([
            Method::DELETE,
            Method::GET,
            Method::HEAD,
            Method::OPTIONS,
            Method::PATCH,
            Method::POST,
            Method::PUT,
        ])
        .allow_headers(AllowHeaders::mirror_request())
}
