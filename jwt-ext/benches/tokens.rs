//! HS256 tokens: phial against the floor and against `jsonwebtoken`, in one run.
//!
//! `cargo bench -p phial-jwt --bench tokens`, then `bench/tokens-summary.sh` prints
//! ns/op and the ratios phial/floor and phial/jsonwebtoken from criterion's output.
//!
//! Every side works on the same token: one made by phial with flask-jwt-extended's
//! claim layout (fresh, iat, jti, type, sub, nbf, csrf, exp) and the default config.
//!
//! - `encode/*`: making an access token, claims included (two random UUIDs, the
//!   clock), as a login route does.
//! - `decode/phial_manager`: `JWTManager::decode_token`, the path `#[jwt_required]`
//!   takes: it checks the whole payload but keeps only the registered claims, and
//!   builds the map of every claim only when `get_jwt()` asks for it (not here);
//!   `decode/phial_raw`: the public building blocks `jws::decode_unverified` +
//!   `jws::verify` + `claims::validate`, which take the map of every claim, so
//!   this one builds it (the payload is read twice: checked, then built).
//! - `decode/floor_*`: the least any HS256 verifier must do: base64url-decode the
//!   three segments, parse the claims into a `serde_json` map, and MAC the signing
//!   input with a pre-keyed `Hmac<Sha256>` cloned per iteration. `floor_total` does
//!   all three; the others are its parts.
//! - `decode/jsonwebtoken`: `jsonwebtoken::decode` into a typed struct, checking
//!   `exp` and `nbf`, as an axum app does.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use phial::App;
use phial_jwt::JWTManager;
use phial_jwt::algorithm::Algorithm;
use phial_jwt::claims::{self, Validation};
use phial_jwt::jws::{self, SigningKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "bench-secret-that-is-at-least-32-bytes-long";

/// flask-jwt-extended's access-token claims, in its order, for `jsonwebtoken`.
#[derive(Serialize, Deserialize)]
struct AccessClaims {
    fresh: bool,
    iat: i64,
    jti: String,
    #[serde(rename = "type")]
    kind: String,
    sub: String,
    nbf: i64,
    csrf: String,
    exp: i64,
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The floor's base64url step: the signing input and the three decoded segments.
fn base64url(token: &str) -> (&str, Vec<u8>, Vec<u8>, Vec<u8>) {
    let (signing_input, signature) = token.rsplit_once('.').expect("three segments");
    let (header, claims) = signing_input.split_once('.').expect("three segments");
    let decode = |segment: &str| URL_SAFE_NO_PAD.decode(segment).expect("base64url");
    (signing_input, decode(header), decode(claims), decode(signature))
}

fn manager() -> JWTManager {
    let mut app = App::new("bench");
    app.config.set("JWT_SECRET_KEY", SECRET);
    let manager = JWTManager::new(&mut app);
    app.finalize().expect("the bench app starts");
    manager
}

fn encode(c: &mut Criterion, manager: &JWTManager) {
    let mut group = c.benchmark_group("encode");
    group.bench_function("phial", |b| b.iter(|| manager.access_token(black_box("test")).create().expect("signs")));
    let key = jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()).expect("a non-empty secret");
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    group.bench_function("jsonwebtoken", |b| {
        b.iter(|| {
            let iat = now();
            let claims = AccessClaims {
                fresh: false,
                iat,
                jti: uuid::Uuid::new_v4().to_string(),
                kind: "access".into(),
                sub: black_box("test").into(),
                nbf: iat,
                csrf: uuid::Uuid::new_v4().to_string(),
                exp: iat + 900,
            };
            jsonwebtoken::encode(&header, &claims, &key).expect("signs")
        })
    });
    group.finish();
}

fn decode(c: &mut Criterion, manager: &JWTManager) {
    let token = manager.access_token("test").create().expect("signs");
    let token = token.as_str();
    let mut group = c.benchmark_group("decode");

    group.bench_function("phial_manager", |b| {
        b.iter(|| manager.decode_token(black_box(token), None, false).expect("valid"))
    });

    let key = SigningKey::new(SECRET.as_bytes()).expect("a usable secret");
    let settings = manager.settings().expect("started");
    let validation =
        Validation { leeway: settings.decode_leeway, verify_sub: settings.verify_sub, ..Validation::default() };
    group.bench_function("phial_raw", |b| {
        b.iter(|| {
            let unverified = jws::decode_unverified(black_box(token), 8192).expect("well formed");
            jws::verify(&unverified, &[Algorithm::HS256], &key).expect("signed");
            claims::validate(unverified.header(), unverified.claims(), now(), &validation).expect("valid");
            unverified.into_parts()
        })
    });

    let keyed = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).expect("any length");
    let (signing_input, _) = token.rsplit_once('.').expect("three segments");
    let (_, claims_b64) = signing_input.split_once('.').expect("three segments");
    let claims_json = URL_SAFE_NO_PAD.decode(claims_b64).expect("base64url");
    let claims_parse = |json: &[u8]| serde_json::from_slice::<Map<String, Value>>(json).expect("an object");
    let hmac = |input: &str| {
        let mut mac = keyed.clone();
        mac.update(input.as_bytes());
        mac.finalize().into_bytes()
    };
    group.bench_function("floor_total", |b| {
        b.iter(|| {
            let (signing_input, header, claims, signature) = base64url(black_box(token));
            (header, signature, claims_parse(&claims), hmac(signing_input))
        })
    });
    group.bench_function("floor_hmac", |b| b.iter(|| hmac(black_box(signing_input))));
    group.bench_function("floor_base64url", |b| b.iter(|| base64url(black_box(token))));
    group.bench_function("floor_claims_json", |b| b.iter(|| claims_parse(black_box(&claims_json))));

    let key = jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()).expect("a non-empty secret");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_nbf = true;
    validation.leeway = 0;
    group.bench_function("jsonwebtoken", |b| {
        b.iter(|| jsonwebtoken::decode::<AccessClaims>(black_box(token), &key, &validation).expect("valid"))
    });
    group.finish();
}

fn tokens(c: &mut Criterion) {
    let manager = manager();
    encode(c, &manager);
    decode(c, &manager);
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = tokens
}
criterion_main!(benches);
