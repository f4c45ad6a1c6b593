//! RS256, PS256, ES256 and EdDSA: phial against `jsonwebtoken` (its pure-Rust
//! backend) on the same key and the same token.
//!
//! `cargo bench -p phial-jwt --bench asymmetric`. Both sit on the same RustCrypto
//! primitives (rsa, p256, ed25519-dalek), so the difference is each library's own
//! work around the signature.
//!
//! - `verify/<alg>/phial`: `JWTManager::decode_token`, the path `#[jwt_required]`
//!   takes (token format, signature, registered claims);
//!   `verify/<alg>/jsonwebtoken`: `jsonwebtoken::decode` into a typed struct,
//!   checking `exp` and `nbf`, as an axum app does.
//! - `sign/<alg>/phial`: `access_token(..).create()` (the claims included: two
//!   random UUIDs and the clock); `sign/<alg>/jsonwebtoken`: `jsonwebtoken::encode`
//!   of the same claim struct, made once.

use criterion::{Criterion, criterion_group, criterion_main};
use phial::App;
use phial_jwt::JWTManager;
use serde::{Deserialize, Serialize};
use std::hint::black_box;
use std::time::Duration;

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

fn key(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/keys/{name}.pem", env!("CARGO_MANIFEST_DIR"))).expect("a test key")
}

fn manager(alg: &str, file: &str) -> JWTManager {
    let mut app = App::new("bench");
    app.config.set("JWT_ALGORITHM", alg);
    app.config.set("JWT_PRIVATE_KEY", key(&format!("{file}_private")));
    app.config.set("JWT_PUBLIC_KEY", key(&format!("{file}_public")));
    let manager = JWTManager::new(&mut app);
    app.finalize().expect("the bench app starts");
    manager
}

fn peer_keys(alg: &str, file: &str) -> (jsonwebtoken::EncodingKey, jsonwebtoken::DecodingKey) {
    use jsonwebtoken::{DecodingKey, EncodingKey};
    let private = key(&format!("{file}_private"));
    let public = key(&format!("{file}_public"));
    match alg {
        "ES256" => (
            EncodingKey::from_ec_pem(private.as_bytes()).expect("EC key"),
            DecodingKey::from_ec_pem(public.as_bytes()).expect("EC key"),
        ),
        "EdDSA" => (
            EncodingKey::from_ed_pem(private.as_bytes()).expect("Ed25519 key"),
            DecodingKey::from_ed_pem(public.as_bytes()).expect("Ed25519 key"),
        ),
        _ => (
            EncodingKey::from_rsa_pem(private.as_bytes()).expect("RSA key"),
            DecodingKey::from_rsa_pem(public.as_bytes()).expect("RSA key"),
        ),
    }
}

fn bench(c: &mut Criterion) {
    for (alg, file) in [("RS256", "rsa2048"), ("PS256", "rsa2048"), ("ES256", "p256"), ("EdDSA", "ed25519")] {
        let manager = manager(alg, file);
        let token = manager.access_token("test").create().expect("signs");
        let (encoding, decoding) = peer_keys(alg, file);
        let peer_alg: jsonwebtoken::Algorithm = alg.parse().expect("a jsonwebtoken algorithm");
        let validation = jsonwebtoken::Validation::new(peer_alg);
        // The peer verifies phial's token: the same bytes for both.
        jsonwebtoken::decode::<AccessClaims>(&token, &decoding, &validation).expect("jsonwebtoken accepts it");

        let mut group = c.benchmark_group(format!("verify/{alg}"));
        group.bench_function("phial", |b| {
            b.iter(|| manager.decode_token(black_box(&token), None, false).expect("verifies"))
        });
        group.bench_function("jsonwebtoken", |b| {
            b.iter(|| {
                jsonwebtoken::decode::<AccessClaims>(black_box(&token), &decoding, &validation).expect("verifies")
            })
        });
        group.finish();

        let claims: AccessClaims = jsonwebtoken::decode(&token, &decoding, &validation).expect("verifies").claims;
        let header = jsonwebtoken::Header::new(peer_alg);
        let mut group = c.benchmark_group(format!("sign/{alg}"));
        group.bench_function("phial", |b| b.iter(|| manager.access_token(black_box("test")).create().expect("signs")));
        group.bench_function("jsonwebtoken", |b| {
            b.iter(|| jsonwebtoken::encode(&header, black_box(&claims), &encoding).expect("signs"))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
