//! One request through the axum peer, in-process (no socket): the same three
//! requests as phial's `benches/dispatch.rs`.
//!
//! `cargo bench --manifest-path bench/axum-peer/Cargo.toml`

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use std::hint::black_box;
use std::time::Duration;
use tower::ServiceExt;

const SECRET: &str = "bench-secret-that-is-at-least-32-bytes-long";

fn get(path: &str, token: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(Body::empty()).expect("a valid request")
}

fn dispatch(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let app = axum_peer::app(SECRET).expect("the keys");
    let login = Request::post("/login")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"username": "test", "password": "test"}"#))
        .expect("a valid request");
    let body = runtime.block_on(async {
        let response = app.clone().oneshot(login).await.expect("infallible");
        response.into_body().collect().await.expect("a body").to_bytes()
    });
    let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let token = body["access_token"].as_str().expect("a token").to_string();

    let mut group = c.benchmark_group("axum_dispatch");
    group.bench_function("protected_valid_token", |b| {
        b.iter(|| runtime.block_on(app.clone().oneshot(get("/protected", Some(black_box(&token))))))
    });
    group.bench_function("protected_no_header", |b| {
        b.iter(|| runtime.block_on(app.clone().oneshot(get("/protected", None))))
    });
    group.bench_function("not_found", |b| b.iter(|| runtime.block_on(app.clone().oneshot(get("/nowhere", None)))));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = dispatch
}
criterion_main!(benches);
