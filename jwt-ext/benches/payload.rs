//! What the payload's fast paths buy: the same access token's payload read by each
//! of phial's three readers, and `JWTManager::decode_token` on a token whose
//! payload has the compact shape (as PyJWT and phial write it) against one with
//! the same claims spaced out (`{"fresh": false, ...}`, as `json.dumps` writes by
//! default), which the compact reader leaves to the full scan.
//!
//! `cargo bench -p phial-jwt --bench payload`
//!
//! - `payload/compact`: the compact reader, the shortcut a token from PyJWT or
//!   phial takes on every request;
//! - `payload/full_scan`: the registered-claim scan, which every other payload takes;
//! - `payload/serde_map`: the map of every claim (what `get_jwt()` builds, and what
//!   a decoder that keeps no shortcut reads every time).
//! - `decode/compact_token`, `decode/spaced_token`: the whole decode
//!   (`#[jwt_required]`'s path) for each shape.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use phial::App;
use phial_jwt::JWTManager;
use phial_jwt::jws::SigningKey;
use phial_jwt::jws::fuzzing::{hs256_token, readers};
use std::hint::black_box;
use std::time::Duration;

const SECRET: &str = "bench-secret-that-is-at-least-32-bytes-long";

fn manager() -> JWTManager {
    let mut app = App::new("payload-bench");
    app.config.set("JWT_SECRET_KEY", SECRET);
    let manager = JWTManager::new(&mut app);
    app.finalize().expect("the app starts");
    manager
}

/// The payload's bytes, and the same claims spaced as `json.dumps` writes them.
fn payloads(token: &str) -> (Vec<u8>, Vec<u8>) {
    let payload = token.split('.').nth(1).expect("three segments");
    let compact = URL_SAFE_NO_PAD.decode(payload).expect("base64url");
    let claims: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&compact).expect("an object");
    let spaced = claims
        .iter()
        .map(|(name, value)| format!("{}: {value}", serde_json::Value::from(name.as_str())))
        .collect::<Vec<_>>()
        .join(", ");
    (compact, format!("{{{spaced}}}").into_bytes())
}

fn payload(c: &mut Criterion) {
    let manager = manager();
    let token = manager.access_token("test").create().expect("signs");
    let (compact, spaced) = payloads(&token);
    assert!(readers::compact(&compact) && !readers::compact(&spaced), "the shapes the compact reader takes and leaves");

    let mut group = c.benchmark_group("payload");
    group.bench_function("compact", |b| b.iter(|| readers::compact(black_box(&compact))));
    group.bench_function("full_scan", |b| b.iter(|| readers::full_scan(black_box(&compact))));
    group.bench_function("serde_map", |b| b.iter(|| readers::serde_map(black_box(&compact))));
    group.finish();

    let key = SigningKey::new(SECRET.as_bytes()).expect("a usable secret");
    let spaced_token = hs256_token(&spaced, &key);
    let mut group = c.benchmark_group("decode");
    group.bench_function("compact_token", |b| {
        b.iter(|| manager.decode_token(black_box(&token), None, false).expect("valid"))
    });
    group.bench_function("spaced_token", |b| {
        b.iter(|| manager.decode_token(black_box(&spaced_token), None, false).expect("valid"))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = payload
}
criterion_main!(benches);
