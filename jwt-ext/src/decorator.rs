//! `JwtRequired`: the options of flask-jwt-extended's `@jwt_required()`, and the
//! phial decorator that applies them.
//!
//! The `#[jwt_required(...)]` attribute builds one below a route attribute; the
//! builder is also usable directly with `Route::decorate`, and its options are the
//! argument of [`verify_jwt_in_request`](crate::verify_jwt_in_request) in custom
//! decorators. Its `Decorator` implementation is in `verify.rs`, with the
//! verification it runs (which reads these options).

use crate::JwtError;
use crate::locations::Location;

/// The options of `@jwt_required(...)`, and the decorator that applies them.
///
/// ```
/// use phial::prelude::*;
/// use phial_jwt::prelude::*;
///
/// async fn refresh() -> &'static str { "new token" }
///
/// let mut app = App::new("demo");
/// app.register([Route::new("/refresh", ["POST"], refresh).decorate(JwtRequired::new().refresh(true))]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct JwtRequired {
    optional: bool,
    fresh: bool,
    refresh: bool,
    locations: Option<Result<Vec<Location>, String>>,
    verify_type: bool,
    skip_revocation_check: bool,
}

impl Default for JwtRequired {
    fn default() -> JwtRequired {
        JwtRequired {
            optional: false,
            fresh: false,
            refresh: false,
            locations: None,
            verify_type: true,
            skip_revocation_check: false,
        }
    }
}

/// `@jwt_required()` with no options: `jwt_required()` reads like the Python.
pub fn jwt_required() -> JwtRequired {
    JwtRequired::new()
}

impl JwtRequired {
    /// A token is required, from the configured locations, of any non-refresh type.
    pub fn new() -> JwtRequired {
        JwtRequired::default()
    }

    /// Lets requests without a token through (an invalid token is still refused).
    pub fn optional(mut self, optional: bool) -> JwtRequired {
        self.optional = optional;
        self
    }

    /// Requires a fresh token.
    pub fn fresh(mut self, fresh: bool) -> JwtRequired {
        self.fresh = fresh;
        self
    }

    /// Requires a refresh token (and reads it from the refresh cookie / JSON key).
    pub fn refresh(mut self, refresh: bool) -> JwtRequired {
        self.refresh = refresh;
        self
    }

    /// Looks for the token only in these locations, in this order (`"headers"`,
    /// `"cookies"`, `"query_string"`, `"json"`). An unknown name is a 500 at
    /// request time, as upstream; the `#[jwt_required]` attribute checks names at
    /// compile time.
    pub fn locations(mut self, locations: &[&str]) -> JwtRequired {
        let parsed = locations
            .iter()
            .map(|name| name.parse::<Location>().map_err(|_| format!("'{name}' is not a valid location")))
            .collect::<Result<Vec<_>, _>>();
        self.locations = Some(parsed);
        self
    }

    /// With `false`, both access and refresh tokens are accepted.
    pub fn verify_type(mut self, verify_type: bool) -> JwtRequired {
        self.verify_type = verify_type;
        self
    }

    /// Skips the blocklist check.
    pub fn skip_revocation_check(mut self, skip: bool) -> JwtRequired {
        self.skip_revocation_check = skip;
        self
    }

    pub(crate) fn location_list(&self) -> Result<Option<&[Location]>, JwtError> {
        match &self.locations {
            None => Ok(None),
            Some(Ok(locations)) if locations.is_empty() => Ok(None),
            Some(Ok(locations)) => Ok(Some(locations)),
            Some(Err(message)) => Err(JwtError::Setup(message.clone())),
        }
    }

    pub(crate) fn is_optional(&self) -> bool {
        self.optional
    }

    pub(crate) fn needs_fresh(&self) -> bool {
        self.fresh
    }

    pub(crate) fn is_refresh(&self) -> bool {
        self.refresh
    }

    pub(crate) fn verifies_type(&self) -> bool {
        self.verify_type
    }

    pub(crate) fn skips_revocation_check(&self) -> bool {
        self.skip_revocation_check
    }
}
