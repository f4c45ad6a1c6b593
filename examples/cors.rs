//! The quickstart for a browser front end on another origin: flask-cors's
//! `CORS(app, origins=["http://localhost:3000"], supports_credentials=True)`, with
//! tower-http's `CorsLayer` configured the same way.
//!
//! `POST /login` and `GET /protected` answer as in the quickstart. A page served
//! from `http://localhost:3000` may call them with `fetch(.., {credentials:
//! "include"})`: the preflight `OPTIONS` gets the CORS headers, and so do the
//! answers; any other origin gets none. A plain `OPTIONS` (no CORS headers) still
//! gets Flask's automatic answer with `Allow` (`FlaskCors` sees to that: tower-http's
//! layer alone would answer every `OPTIONS` as a preflight).
//!
//! Run `cargo run --example cors` (it listens on 127.0.0.1:$PORT, default 5000, and
//! reads `JWT_SECRET_KEY` like the quickstart), then:
//!
//! ```text
//! curl -i -X OPTIONS http://127.0.0.1:5000/protected -H 'Origin: http://localhost:3000' \
//!      -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: authorization'
//! ```
//!
//! Where the answers still differ from flask-cors's (`tests/cors.rs` checks each
//! against flask-cors 6.0): tower-http's preflight answer has no `Allow` header; to
//! a preflight from another origin it still lists the allowed methods and headers
//! (without `Access-Control-Allow-Origin`, so the browser refuses all the same); it
//! sends `Vary: origin, access-control-request-method, access-control-request-headers`
//! on every answer; a request without an `Origin` gets no CORS headers, where
//! flask-cors, configured with a single origin, sends that origin anyway; and an
//! `OPTIONS` with an `Origin` but no `Access-Control-Request-Method` (not a
//! preflight; browsers do not send one) gets Flask's automatic answer without the
//! origin's CORS headers, which flask-cors adds.

#[path = "quickstart.rs"]
#[allow(dead_code)]
mod quickstart;

use phial::http::{HeaderValue, Method};
use phial::layer::FlaskCors;
use phial::prelude::*;
use tower_http::cors::{AllowCredentials, AllowHeaders, AllowOrigin, CorsLayer};

/// The front end's origin.
pub const FRONT_END: &str = "http://localhost:3000";

/// flask-cors's `CORS(app, origins=[FRONT_END], supports_credentials=True)`: that
/// origin only, credentials for it only, every method, the headers the preflight asks for.
pub fn cors_like_flask_cors() -> CorsLayer {
    let front_end = HeaderValue::from_static(FRONT_END);
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

/// The quickstart with CORS for the front end; `main` serves it and the tests drive
/// it in-process.
pub fn create_app(secret: &str) -> App {
    let mut app = quickstart::create_app(secret);
    app.layer(FlaskCors::new(cors_like_flask_cors()));
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app(&quickstart::secret_from_env()).run_on(("127.0.0.1", port)).await
}
