//! # phial-jwt
//!
//! JWT authentication for [phial](https://docs.rs/phial), mirroring Python's
//! flask-jwt-extended: the same config keys and defaults, the same claims, the same
//! error messages and status codes, and the same API, from `JWTManager(app)` to
//! `@jwt_required()` and `get_jwt_identity()`.
//!
//! ```
//! use phial::prelude::*;
//! use phial_jwt::prelude::*;
//! use serde_json::{Value, json};
//!
//! #[post("/login")]
//! async fn login(Json(body): Json<Value>) -> Result<impl IntoResponse, JwtError> {
//!     if body["username"] != "test" || body["password"] != "test" {
//!         return Ok((jsonify!({"msg": "Bad username or password"}), 401));
//!     }
//!     let access_token = create_access_token("test")?;
//!     Ok((jsonify!({"access_token": access_token}), 200))
//! }
//!
//! #[get("/protected")]
//! #[jwt_required]
//! async fn protected() -> Result<impl IntoResponse, JwtError> {
//!     let current_user: String = get_jwt_identity()?;
//!     Ok(jsonify!({"logged_in_as": current_user}))
//! }
//!
//! let mut app = App::new("quickstart");
//! app.config.set("JWT_SECRET_KEY", "super-secret");
//! JWTManager::new(&mut app);
//! app.register(routes![login, protected]);
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let client = app.test_client();
//! let response = client.get("/protected").send().await;
//! assert_eq!(response.status(), 401);
//! assert_eq!(response.json::<Value>(), json!({"msg": "Missing Authorization Header"}));
//!
//! let login = client.post("/login").json(&json!({"username": "test", "password": "test"})).send().await;
//! let token = login.json::<Value>()["access_token"].as_str().unwrap().to_string();
//! let response = client.get("/protected").bearer(&token).send().await;
//! assert_eq!(response.json::<Value>(), json!({"logged_in_as": "test"}));
//! # });
//! ```
//!
//! ## Layout
//! As flask-jwt-extended's own files: [`config`] (every `JWT_*` key), [`tokens`]
//! (making tokens), [`decode`](mod@decode) (checking them), [`verify`] (the request
//! check behind `#[jwt_required]`), [`decorator`], [`context`] (`get_jwt()` and
//! friends), [`locations`] (headers, cookies, query string, JSON), [`cookies`]
//! (setting and clearing the JWT cookies), the
//! [`JWTManager`] with its callbacks, and [`JwtError`] with upstream's messages. The
//! token format itself lives in [`jws`], [`claims`] and [`algorithm`]. Revocation
//! stores (memory; SQLite and Redis behind the `sqlite` and `redis` features) are in
//! [`blocklist`].
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod algorithm;
pub mod blocklist;
mod callbacks;
pub mod claims;
mod clock;
pub mod config;
pub mod context;
pub mod cookies;
pub mod decode;
mod decode_key;
pub mod decorator;
mod error;
pub mod jws;
pub mod key_sets;
pub mod keys;
mod loaders;
pub mod locations;
mod manager;
mod python_json;
pub mod rate_limit;
mod responses;
pub mod rotation;
pub mod tokens;
pub mod verify;

pub use clock::Clock;
pub use context::{
    Claims, CurrentUser, current_user, get_current_user, get_jwt, get_jwt_header, get_jwt_identity,
    get_jwt_request_location,
};
pub use cookies::{
    CookieOptions, set_access_cookies, set_refresh_cookies, unset_access_cookies, unset_jwt_cookies,
    unset_refresh_cookies,
};
pub use decode::{DecodedToken, decode_token, get_csrf_token, get_jti, get_unverified_jwt_headers};
pub use decorator::{JwtRequired, jwt_required};
pub use error::{JsonObject, JwtError};
pub use key_sets::jwks_endpoint;
pub use locations::Location;
pub use manager::JWTManager;
/// Markers of plain and async loaders (phial's, re-exported).
pub use phial::maybe_async::{Eventual, Immediate, MaybeAsync as LoaderOutput};
pub use tokens::{
    Fresh, TokenBuilder, TokenKind, access_token, create_access_token, create_refresh_token, refresh_token,
};
pub use verify::verify_jwt_in_request;

/// The `#[jwt_required]` attribute (defined in `phial-macros`).
pub use phial_macros::jwt_required;

/// Everything a protected app usually needs: `use phial_jwt::prelude::*;`.
pub mod prelude {
    pub use crate::blocklist::revoke_current_token;
    pub use crate::{
        Claims, CurrentUser, JWTManager, JwtError, JwtRequired, access_token, create_access_token,
        create_refresh_token, current_user, decode_token, get_current_user, get_jwt, get_jwt_header, get_jwt_identity,
        get_jwt_request_location, jwt_required, refresh_token, set_access_cookies, set_refresh_cookies,
        unset_access_cookies, unset_jwt_cookies, unset_refresh_cookies, verify_jwt_in_request,
    };
}
