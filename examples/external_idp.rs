//! Verifying tokens issued by an identity provider (Auth0, Keycloak, Cognito,
//! Entra ID, or another phial service) against the key set it publishes: no
//! shared secret, no key file, and a key the provider adds later is picked up
//! without a restart.
//!
//! Configured from the environment: `JWKS_URL` (default
//! `http://127.0.0.1:5001/.well-known/jwks.json`, where the asymmetric_keys example
//! publishes its keys when run with `PORT=5001`), `JWT_ALGORITHM` (the provider's,
//! default `RS256`), `JWT_DECODE_ISSUER` and `JWT_DECODE_AUDIENCE` (checked when
//! set), `PORT` (default 5000):
//!
//! ```text
//! PORT=5001 cargo run --example asymmetric_keys &
//! cargo run --example external_idp
//! TOKEN=$(curl -s -X POST http://127.0.0.1:5001/login -H 'Content-Type: application/json' \
//!         -d '{"username": "test", "password": "test"}' | jq -r .access_token)
//! curl http://127.0.0.1:5000/protected -H "Authorization: Bearer $TOKEN"
//! ```

use phial::prelude::*;
use phial_jwt::key_sets::remote::RemoteKeySet;
use phial_jwt::prelude::*;

/// Any token the provider signed, with the configured issuer and audience.
#[get("/protected")]
#[jwt_required]
async fn protected() -> Result<impl IntoResponse, JwtError> {
    let current_user: String = get_jwt_identity()?;
    Ok((jsonify!({"logged_in_as": current_user}), 200))
}

/// The provider's settings.
pub struct Provider<'a> {
    /// The algorithms its tokens may use.
    pub algorithms: &'a [&'a str],
    /// The `iss` its tokens must carry, if checked.
    pub issuer: Option<&'a str>,
    /// The `aud` its tokens must carry, if checked.
    pub audience: Option<&'a str>,
}

/// The app, verifying with `keys`.
pub fn create_app(keys: RemoteKeySet, provider: &Provider<'_>) -> App {
    let mut app = App::new("external_idp");
    app.config.set("JWT_ALGORITHM", provider.algorithms[0]);
    app.config.set("JWT_DECODE_ALGORITHMS", provider.algorithms.to_vec());
    if let Some(issuer) = provider.issuer {
        app.config.set("JWT_DECODE_ISSUER", issuer);
    }
    if let Some(audience) = provider.audience {
        app.config.set("JWT_DECODE_AUDIENCE", audience);
    }
    let jwt = JWTManager::new(&mut app);
    jwt.use_remote_key_set(keys);
    app.register(routes![protected]);
    app
}

#[tokio::main]
async fn main() -> Result<(), phial::Error> {
    // One line per request at `info` (RUST_LOG changes it), off the request path.
    let _log = phial::logging::init();
    let env = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let url = env("JWKS_URL").unwrap_or_else(|| "http://127.0.0.1:5001/.well-known/jwks.json".into());
    let algorithm = env("JWT_ALGORITHM").unwrap_or_else(|| "RS256".into());
    let (issuer, audience) = (env("JWT_DECODE_ISSUER"), env("JWT_DECODE_AUDIENCE"));
    let port: u16 = env("PORT").and_then(|p| p.parse().ok()).unwrap_or(5000);

    let keys = RemoteKeySet::new(&url)
        .map_err(|err| phial::Error::Config { key: "JWKS_URL".into(), message: err.to_string() })?;
    if let Err(err) = keys.fetch_now().await {
        // Not fatal: the set is fetched again in the background; until then tokens get 503.
        tracing::warn!("the key set is not available yet: {err}");
    }
    let provider = Provider { algorithms: &[&algorithm], issuer: issuer.as_deref(), audience: audience.as_deref() };
    println!("verifying {algorithm} tokens against {url}; try GET http://127.0.0.1:{port}/protected");
    create_app(keys, &provider).run_on(("127.0.0.1", port)).await
}
