//! Implicit refresh: JWTs in cookies, silently renewed by an `after_request` hook
//! when they get close to expiring (flask-jwt-extended's `implicit_refresh.py`).
//!
//! Routes: `POST /login` sets the access cookies; `POST /logout` clears them;
//! `GET /protected` needs the cookie, and its answer carries a fresh cookie when
//! the old one expires in less than 30 minutes.
//!
//! Try it (`cargo run --example implicit_refresh`, port from `PORT`, default 5000):
//!
//! ```text
//! curl -c jar -X POST http://127.0.0.1:5000/login
//! curl -b jar http://127.0.0.1:5000/protected
//! curl -b jar -c jar -X POST http://127.0.0.1:5000/logout
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;
use std::time::Duration;

/// Using an `after_request` callback, we refresh any token that is within 30
/// minutes of expiring. Change the durations to suit your needs.
fn refresh_expiring_jwts(_request: &Request, mut response: Response) -> Response {
    let refreshed = (|| -> Result<Option<String>, JwtError> {
        let Some(exp) = get_jwt()?.get("exp").and_then(|exp| exp.as_f64()) else {
            return Ok(None);
        };
        let target = JWTManager::current()?.now()? + Duration::from_secs(30 * 60).as_secs_f64();
        if target <= exp {
            return Ok(None);
        }
        Ok(Some(create_access_token(get_jwt_identity::<String>()?)?))
    })();
    // No verified token in this request (or no exp) means nothing to refresh, like
    // upstream's `except (RuntimeError, KeyError)`.
    if let Ok(Some(access_token)) = refreshed {
        if let Err(error) = set_access_cookies(&mut response, &access_token, None) {
            tracing::error!(%error, "could not refresh the access cookie");
        }
    }
    response
}

#[post("/login")]
async fn login() -> Result<Response, JwtError> {
    let mut response = jsonify!({"msg": "login successful"}).into_response();
    let access_token = create_access_token("example_user")?;
    set_access_cookies(&mut response, &access_token, None)?;
    Ok(response)
}

#[post("/logout")]
async fn logout() -> Result<Response, JwtError> {
    let mut response = jsonify!({"msg": "logout successful"}).into_response();
    unset_jwt_cookies(&mut response, None)?;
    Ok(response)
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> impl IntoResponse {
    jsonify!({"foo": "bar"})
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("implicit_refresh");
    // If true this will only allow the cookies that contain your JWTs to be sent
    // over https. In production, this should always be set to true.
    app.config.set("JWT_COOKIE_SECURE", false);
    app.config.set("JWT_TOKEN_LOCATION", ["cookies"]);
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this in your code!
    app.config.set("JWT_ACCESS_TOKEN_EXPIRES", Duration::from_secs(3600));
    JWTManager::new(&mut app);
    app.after_request(refresh_expiring_jwts);
    app.register(routes![login, logout, protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    create_app().run_on(("127.0.0.1", port)).await
}
