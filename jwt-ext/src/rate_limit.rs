//! A rate limit per verified identity, as a decorator: what a tower layer cannot
//! do, since a layer runs before the token is checked.

use phial::rate_limit::KeyedLimit;
use phial::{Decorator, Request, ViewError};
use serde_json::Value;
use std::future::Future;
use std::time::Duration;

use crate::context::get_jwt_identity;

/// At most so many requests per identity (the token's `sub`, or
/// `JWT_IDENTITY_CLAIM`) in a period; the rest get `429 Too Many Requests` with
/// `Retry-After`. Write it under `#[jwt_required]` (decorators run in the order
/// they are written), so that the identity is known; a request without a token
/// (`optional = true`) is not limited by it: pair it with
/// [`PerAddress`](phial::rate_limit::PerAddress) for those.
///
/// ```
/// use phial::prelude::*;
/// use phial_jwt::prelude::*;
/// use phial_jwt::rate_limit::PerIdentity;
///
/// #[post("/logout")]
/// #[jwt_required]
/// #[decorate(PerIdentity::per_minute(10))]
/// async fn logout() -> Result<Jsonify, JwtError> {
///     Ok(jsonify!({"msg": "Access token revoked"}))
/// }
/// # let mut app = App::new("demo");
/// # app.config.set("JWT_SECRET_KEY", "a-secret-key-of-at-least-32-bytes!!");
/// # JWTManager::new(&mut app);
/// # app.register(routes![logout]);
/// ```
#[derive(Clone, Debug)]
pub struct PerIdentity {
    limit: KeyedLimit<String>,
}

impl PerIdentity {
    /// `requests` per `period` per identity.
    pub fn new(requests: u32, period: Duration) -> PerIdentity {
        PerIdentity { limit: KeyedLimit::new(requests, period) }
    }

    /// `requests` per minute per identity.
    pub fn per_minute(requests: u32) -> PerIdentity {
        PerIdentity::new(requests, Duration::from_secs(60))
    }
}

impl Decorator for PerIdentity {
    fn before(&self, _request: &Request) -> impl Future<Output = Result<(), ViewError>> + Send {
        let outcome = match get_jwt_identity::<Value>() {
            Ok(Value::Null) => Ok(()),
            Ok(Value::String(identity)) => self.limit.check(&identity).map_err(ViewError::from),
            Ok(other) => self.limit.check(&other.to_string()).map_err(ViewError::from),
            Err(error) => Err(ViewError::from(error)),
        };
        std::future::ready(outcome)
    }
}
