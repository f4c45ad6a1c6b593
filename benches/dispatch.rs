//! One request through the quickstart app, in-process (no socket): routing, the
//! `#[jwt_required]` decorator, the handler and the JSON response. What the load
//! benchmark (`bench/http.sh`) measures minus hyper and the kernel.
//!
//! `cargo bench --bench dispatch`

#[path = "../examples/quickstart.rs"]
#[allow(dead_code)]
mod quickstart;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use phial::AppHandle;
use std::hint::black_box;
use std::time::Duration;

const SECRET: &str = "bench-secret-that-is-at-least-32-bytes-long";

fn get(path: &str, token: Option<&str>) -> http::Request<Bytes> {
    let mut request = http::Request::get(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(Bytes::new()).expect("a valid request")
}

fn login(runtime: &tokio::runtime::Runtime, app: &AppHandle) -> String {
    let request = http::Request::post("/login")
        .header("content-type", "application/json")
        .body(Bytes::from_static(br#"{"username": "test", "password": "test"}"#))
        .expect("a valid request");
    let response = runtime.block_on(app.handle(request));
    let body = runtime.block_on(http_body_util::BodyExt::collect(response.into_body())).expect("a body").to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    body["access_token"].as_str().expect("a token").to_string()
}

fn dispatch(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let app = quickstart::create_app(SECRET).finalize().expect("the app starts");
    let token = login(&runtime, &app);
    let mut group = c.benchmark_group("dispatch");
    group.bench_function("protected_valid_token", |b| {
        b.iter(|| runtime.block_on(app.handle(get("/protected", Some(black_box(&token))))))
    });
    group.bench_function("protected_no_header", |b| b.iter(|| runtime.block_on(app.handle(get("/protected", None)))));
    group.bench_function("not_found", |b| b.iter(|| runtime.block_on(app.handle(get("/nowhere", None)))));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = dispatch
}
criterion_main!(benches);
