//! Custom callbacks (flask-jwt-extended's `loaders.py`): change what an expired
//! token answers with `expired_token_loader`.
//!
//! Run `cargo run --example loaders`, then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;

#[post("/login")]
async fn login() -> Result<impl IntoResponse, JwtError> {
    let access_token = create_access_token("example_user")?;
    Ok(jsonify!({"access_token": access_token}))
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> impl IntoResponse {
    jsonify!({"hello": "world"})
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("loaders");
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this!
    let jwt = JWTManager::new(&mut app);
    // Set a callback function to return a custom response whenever an expired
    // token attempts to access a protected route. This particular callback function
    // takes the jwt_header and jwt_payload as arguments, and must return something
    // phial can answer with. Check the JWTManager docs for every callback you can
    // override.
    jwt.expired_token_loader(|_jwt_header, _jwt_payload| {
        (jsonify!({"code": "dave", "err": "I can't let you do that"}), 401)
    });
    app.register(routes![login, protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app().run_on(("127.0.0.1", port)).await
}
