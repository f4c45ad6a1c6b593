//! Any Cookie header, query string, Authorization header and form body against a
//! JWT-protected app: parsing them and extracting tokens from them never panics,
//! and no client input gets a 500.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial::prelude::*;
use phial_jwt::JwtRequired;
use std::collections::HashMap;
use std::sync::OnceLock;

fn app() -> &'static AppHandle {
    static APP: OnceLock<AppHandle> = OnceLock::new();
    APP.get_or_init(|| {
        let mut app = App::new("fuzz");
        app.config
            .set("JWT_SECRET_KEY", "fuzzing-secret")
            .set("JWT_TOKEN_LOCATION", ["cookies", "query_string", "json", "headers"])
            .set("JWT_CSRF_CHECK_FORM", true);
        phial_jwt::JWTManager::new(&mut app);
        app.register([Route::new("/", ["GET", "POST"], |Query(q): Query<HashMap<String, String>>| async move {
            q.len().to_string()
        })
        .decorate(JwtRequired::new().optional(true))]);
        app.finalize().expect("the fuzz app starts")
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\n');
    let cookie = parts.next().unwrap_or("");
    let query: String = parts.next().unwrap_or("").chars().filter(|c| c.is_ascii_graphic() && *c != '#').collect();
    let authorization = parts.next().unwrap_or("");
    let body = parts.next().unwrap_or("").to_string();
    let mut builder = http::Request::builder().method("POST").uri(format!("/?{query}").as_str());
    for (name, value) in [("cookie", cookie), ("authorization", authorization)] {
        if let Ok(value) = http::HeaderValue::from_str(value) {
            builder = builder.header(name, value);
        }
    }
    let Ok(request) = builder.header("content-type", "application/x-www-form-urlencoded").body(bytes::Bytes::from(body))
    else {
        return;
    };
    let parsed = app().test_request(request.clone());
    let _ = (parsed.cookies().count(), parsed.args().len(), parsed.form().len());
    let response = runtime().block_on(app().handle(request));
    assert_ne!(response.status(), 500, "client input produced a 500");
});
