//! flask-jwt-extended's recommended set-up for browsers, with a page: JWTs in
//! HttpOnly cookies, the CSRF double submit for requests from the page's script,
//! and Flask's `flash` for the messages.
//!
//! - `GET /`: the page (`examples/browser_login/templates/index.html`): flashed
//!   messages, a login form, a "Who am I?" button whose script calls the API with the
//!   `X-CSRF-TOKEN` header read from the `csrf_access_token` cookie, a logout form.
//! - `POST /login` (the form, `test` / `test`): sets the access cookies
//!   (`set_access_cookies`), flashes "Logged in", and redirects to `/`.
//! - `POST /api/whoami`: `#[jwt_required]`; the identity as JSON.
//! - `POST /logout`: unsets the cookies, flashes "Logged out", redirects to `/`.
//!
//! Run `cargo run --example browser_login` and open <http://127.0.0.1:5000/>
//! (`tests/browser.rs` drives it in headless Chromium).

use phial::prelude::*;
use phial::templates::render_template;
use phial_jwt::prelude::*;
use subtle::ConstantTimeEq;

/// `url_for` with no values.
const NO_VALUES: [(&str, &str); 0] = [];

#[get("/")]
async fn index() -> Result<String, ViewError> {
    Ok(render_template("index.html", ())?)
}

#[post("/login")]
async fn login(request: Request) -> Result<Response, ViewError> {
    let form = request.form();
    let given = |field: &str, expected: &str| -> bool {
        form.get(field).unwrap_or_default().as_bytes().ct_eq(expected.as_bytes()).into()
    };
    let mut response = phial::redirect(&url_for("index", NO_VALUES)?);
    if given("username", "test") & given("password", "test") {
        set_access_cookies(&mut response, &create_access_token("test")?, None)?;
        phial::flash("Logged in")?;
    } else {
        phial::sessions::flash_category("Bad username or password", "error")?;
    }
    Ok(response)
}

#[post("/api/whoami")]
#[jwt_required]
async fn whoami() -> Result<Jsonify, ViewError> {
    let user: String = get_jwt_identity()?;
    Ok(jsonify!({"user": user}))
}

#[post("/logout")]
async fn logout() -> Result<Response, ViewError> {
    let mut response = phial::redirect(&url_for("index", NO_VALUES)?);
    unset_jwt_cookies(&mut response, None)?;
    phial::flash("Logged out")?;
    Ok(response)
}

/// Builds the app with the two secrets (the session's and the tokens').
pub fn create_app(secret_key: &str, jwt_secret_key: &str) -> App {
    let mut app = App::new("browser_login");
    app.template_folder(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/browser_login/templates"));
    app.config
        .set("SECRET_KEY", secret_key)
        .set("JWT_SECRET_KEY", jwt_secret_key)
        .set("JWT_TOKEN_LOCATION", vec!["cookies"])
        // Plain http on localhost; in production keep the default `true` behind https.
        .set("JWT_COOKIE_SECURE", false);
    JWTManager::new(&mut app);
    app.register(routes![index, login, whoami, logout]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    let random = || format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let secret_key = std::env::var("SECRET_KEY").unwrap_or_else(|_| random());
    let jwt_secret_key = std::env::var("JWT_SECRET_KEY").unwrap_or_else(|_| random());
    println!("Open http://127.0.0.1:{port}/ and log in as test / test");
    create_app(&secret_key, &jwt_secret_key).run_on(("127.0.0.1", port)).await
}
