//! JWTs in every location (flask-jwt-extended's `jwt_locations.py`): headers,
//! cookies, the JSON body and the query string, configured together, and a route
//! that only looks at headers.
//!
//! Run `cargo run --example jwt_locations`, then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login_without_cookies
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! curl "http://127.0.0.1:5000/protected?jwt=<access_token>"
//! curl -X POST http://127.0.0.1:5000/protected -H 'Content-Type: application/json' \
//!      -d '{"access_token": "<access_token>"}'
//! curl -c jar -X POST http://127.0.0.1:5000/login_with_cookies
//! curl -b jar http://127.0.0.1:5000/protected
//! curl -b jar -X POST http://127.0.0.1:5000/protected -H "X-CSRF-TOKEN: <csrf_access_token cookie>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;

#[post("/login_without_cookies")]
async fn login_without_cookies() -> Result<impl IntoResponse, JwtError> {
    let access_token = create_access_token("example_user")?;
    Ok(jsonify!({"access_token": access_token}))
}

#[post("/login_with_cookies")]
async fn login_with_cookies() -> Result<Response, JwtError> {
    let mut response = jsonify!({"msg": "login successful"}).into_response();
    let access_token = create_access_token("example_user")?;
    set_access_cookies(&mut response, &access_token, None)?;
    Ok(response)
}

#[post("/logout_with_cookies")]
async fn logout_with_cookies() -> Result<Response, JwtError> {
    let mut response = jsonify!({"msg": "logout successful"}).into_response();
    unset_jwt_cookies(&mut response, None)?;
    Ok(response)
}

#[route("/protected", methods = ["GET", "POST"])]
#[jwt_required]
async fn protected() -> impl IntoResponse {
    jsonify!({"foo": "bar"})
}

#[get("/only_headers")]
#[jwt_required(locations = ["headers"])]
async fn only_headers() -> impl IntoResponse {
    jsonify!({"foo": "baz"})
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("jwt_locations");
    // Here you can globally configure all the ways you want to allow JWTs to be sent
    // to your web application. By default, this will be only headers.
    app.config.set("JWT_TOKEN_LOCATION", ["headers", "cookies", "json", "query_string"]);
    // If true this will only allow the cookies that contain your JWTs to be sent
    // over https. In production, this should always be set to true.
    app.config.set("JWT_COOKIE_SECURE", false);
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this in your code!
    JWTManager::new(&mut app);
    app.register(routes![login_without_cookies, login_with_cookies, logout_with_cookies, protected, only_headers]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app().run_on(("127.0.0.1", port)).await
}
