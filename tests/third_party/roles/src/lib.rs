//! Role checks for phial routes, as a crate other than phial would ship them: the
//! `#[roles_required("admin")]` attribute (from `phial-roles-macros`) and the
//! [`RolesRequired`] decorator it builds. The workspace's tests use it to show that a
//! third-party decorator stacks with `#[jwt_required]` in written order.
//!
//! ```
//! use phial::prelude::*;
//! use phial_jwt::prelude::*;
//! use phial_roles::roles_required;
//!
//! #[get("/admin")]
//! #[jwt_required]
//! #[roles_required("admin")]
//! async fn admin() -> &'static str {
//!     "welcome"
//! }
//!
//! let mut app = App::new("roles");
//! app.config.set("JWT_SECRET_KEY", "super-secret");
//! JWTManager::new(&mut app);
//! app.register(routes![admin]);
//! app.finalize().unwrap();
//! ```

use phial::{Decorator, Request, ViewError, jsonify};
use phial_jwt::{JwtRequired, get_jwt, get_jwt_request_location, verify_jwt_in_request};
use serde_json::Value;

pub use phial_roles_macros::roles_required;

/// Lets a request through when its JWT's `roles` claim (a list of strings) holds
/// every one of these roles; otherwise 403 `{"msg": "Roles required: admin"}`.
/// Verifies the JWT itself when no decorator above did, as upstream's
/// `admin_required` example calls `verify_jwt_in_request()`.
#[derive(Clone, Copy, Debug)]
pub struct RolesRequired {
    roles: &'static [&'static str],
}

impl RolesRequired {
    /// The decorator for these roles.
    pub const fn new(roles: &'static [&'static str]) -> RolesRequired {
        RolesRequired { roles }
    }
}

impl Decorator for RolesRequired {
    async fn before(&self, _request: &Request) -> Result<(), ViewError> {
        if get_jwt_request_location().is_none() {
            verify_jwt_in_request(&JwtRequired::new()).await?;
        }
        let claims = get_jwt()?;
        let granted: Vec<&str> =
            claims.get("roles").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        if self.roles.iter().all(|role| granted.contains(role)) {
            Ok(())
        } else {
            Err(jsonify!({"msg": format!("Roles required: {}", self.roles.join(", "))}).status(403).into())
        }
    }
}
