//! Any request target against an app with rules of every converter: routing,
//! percent-decoding and conversion never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial::prelude::*;
use std::sync::OnceLock;

fn app() -> &'static AppHandle {
    static APP: OnceLock<AppHandle> = OnceLock::new();
    APP.get_or_init(|| {
        let mut app = App::new("fuzz");
        let rules = [
            "/", "/items/", "/items/new", "/items/<int:id>", "/u/<name>", "/u/<int(signed=True):n>",
            "/f/<float:x>", "/p/<path:rest>", "/p/<name>", "/id/<uuid:u>", "/any/<any(a, b):v>",
            "/len/<string(length=2):c>", "/img-<name>.png",
        ];
        for rule in rules {
            app.register([Route::new(rule, ["GET", "POST"], || async { "ok" }).endpoint(rule)]);
        }
        app.finalize().expect("the fuzz app starts")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(target) = std::str::from_utf8(data) else { return };
    for method in ["GET", "HEAD", "OPTIONS", "DELETE"] {
        let Ok(request) = http::Request::builder().method(method).uri(target).body(bytes::Bytes::new()) else { return };
        let request = app().test_request(request);
        let _ = (request.endpoint(), request.view_args().count(), request.path());
        let _ = phial::extract::Path::<serde_json::Value>::from_request(&request);
    }
});
