//! The quickstart with a key pair instead of a shared secret: tokens are signed
//! with a private key, and anyone with the public key (published at
//! `/.well-known/jwks.json`) can verify them, including PyJWT and
//! flask-jwt-extended services.
//!
//! `JWT_ALGORITHM` comes from the environment (default `RS256`; `PS256`, `ES256`,
//! `EdDSA`, ... work the same), and the PEM files from `JWT_PRIVATE_KEY_FILE` and
//! `JWT_PUBLIC_KEY_FILE` (default: the test keys in `jwt-ext/tests/keys/` that fit
//! the algorithm; never use those for anything real). Listens on `PORT`
//! (default 5000):
//!
//! ```text
//! cargo run --example asymmetric_keys
//! curl -X POST http://127.0.0.1:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "test", "password": "test"}'
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer <access_token>"
//! curl http://127.0.0.1:5000/.well-known/jwks.json
//! ```
//!
//! In Python, `jwt.decode(token, open("rsa2048_public.pem").read(), algorithms=["RS256"])`
//! accepts its tokens, and it accepts PyJWT's tokens made with the private key.

use phial::prelude::*;
use phial_jwt::prelude::*;
use serde::Deserialize;
use subtle::ConstantTimeEq;

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

fn matches(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

#[post("/login")]
async fn login(Json(credentials): Json<Credentials>) -> Result<impl IntoResponse, JwtError> {
    let username = credentials.username.unwrap_or_default();
    let password = credentials.password.unwrap_or_default();
    if !(matches(&username, "test") & matches(&password, "test")) {
        return Ok((jsonify!({"msg": "Bad username or password"}), 401));
    }
    let access_token = create_access_token(username)?;
    Ok((jsonify!({"access_token": access_token}), 200))
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<impl IntoResponse, JwtError> {
    let current_user: String = get_jwt_identity()?;
    Ok((jsonify!({"logged_in_as": current_user}), 200))
}

/// The app, signing with `algorithm` and the two PEM texts.
pub fn create_app(algorithm: &str, private_pem: &str, public_pem: &str) -> App {
    let mut app = App::new("asymmetric_keys");
    app.config.set("JWT_ALGORITHM", algorithm);
    app.config.set("JWT_PRIVATE_KEY", private_pem);
    app.config.set("JWT_PUBLIC_KEY", public_pem);
    JWTManager::new(&mut app);
    app.register(routes![login, protected]);
    app.route("/.well-known/jwks.json", ["GET"], phial_jwt::jwks_endpoint);
    app
}

/// The test key files that fit `algorithm`.
pub fn default_key_files(algorithm: &str) -> (String, String) {
    let name = match algorithm {
        "ES256" => "p256",
        "ES384" => "p384",
        "ES512" => "p521",
        "EdDSA" => "ed25519",
        _ => "rsa2048",
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/jwt-ext/tests/keys");
    (format!("{dir}/{name}_private.pem"), format!("{dir}/{name}_public.pem"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| {
        eprintln!("cannot read {path}: {err}");
        std::process::exit(1)
    })
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let algorithm = std::env::var("JWT_ALGORITHM").unwrap_or_else(|_| "RS256".into());
    let (default_private, default_public) = default_key_files(&algorithm);
    let private_file = std::env::var("JWT_PRIVATE_KEY_FILE").unwrap_or(default_private);
    let public_file = std::env::var("JWT_PUBLIC_KEY_FILE").unwrap_or(default_public);
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(5000);
    println!(
        "{algorithm} with {private_file} and {public_file}; public keys at http://127.0.0.1:{port}/.well-known/jwks.json"
    );
    create_app(&algorithm, &read(&private_file), &read(&public_file)).run_on(("127.0.0.1", port)).await
}
