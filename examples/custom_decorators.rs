//! A custom decorator (flask-jwt-extended's `custom_decorators.py`): `admin_required`
//! verifies the JWT, then lets only tokens with the `is_administrator` claim in.
//!
//! Run `cargo run --example custom_decorators`, then:
//!
//! ```text
//! curl -X POST http://127.0.0.1:5000/login
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! ```

use phial::prelude::*;
use phial_jwt::prelude::*;

/// Here is a custom decorator that verifies the JWT is present in the request, as
/// well as insuring that the JWT has a claim indicating that this user is an
/// administrator.
struct AdminRequired;

impl Decorator for AdminRequired {
    async fn before(&self, _request: &Request) -> Result<(), ViewError> {
        verify_jwt_in_request(&JwtRequired::new()).await?;
        let claims = get_jwt()?;
        // Upstream's `if claims["is_administrator"]:` with Python's truthiness. A
        // token without the claim is no administrator's (upstream answers a 500 for
        // the missing key; a 403 says what happened).
        if claims.get("is_administrator").is_some_and(phial::python_json::is_truthy) {
            Ok(())
        } else {
            Err(jsonify!({"msg": "Admins only!"}).status(403).into())
        }
    }
}

/// `admin_required()` reads like the Python decorator factory.
fn admin_required() -> AdminRequired {
    AdminRequired
}

#[post("/login")]
async fn login() -> Result<impl IntoResponse, JwtError> {
    let access_token =
        access_token("admin_user").additional_claims(serde_json::json!({"is_administrator": true})).create()?;
    Ok(jsonify!({"access_token": access_token}))
}

#[get("/protected")]
#[decorate(admin_required())]
async fn protected() -> impl IntoResponse {
    jsonify!({"foo": "bar"})
}

/// Builds the app; `main` serves it and the tests drive it in-process.
pub fn create_app() -> App {
    let mut app = App::new("custom_decorators");
    app.config.set("JWT_SECRET_KEY", "super-secret"); // Change this!
    JWTManager::new(&mut app);
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
