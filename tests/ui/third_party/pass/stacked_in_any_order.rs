//! A third-party decorator attribute stacks with `#[jwt_required]`, `#[decorate]`
//! and other attribute macros (`#[tracing::instrument]`), in any order below the
//! route attribute.
use phial::prelude::*;
use phial_jwt::prelude::*;
use phial_roles::roles_required;

#[get("/a")]
#[jwt_required]
#[roles_required("admin")]
async fn jwt_first() -> &'static str {
    "a"
}

#[get("/b")]
#[roles_required("admin", "editor")]
#[jwt_required(fresh = true)]
async fn roles_first() -> &'static str {
    "b"
}

#[get("/c")]
#[doc = "a doc attribute stays where it is"]
#[tracing::instrument]
#[roles_required("admin")]
#[decorate(JwtRequired::new())]
async fn with_other_macros() -> &'static str {
    "c"
}

fn main() {
    let mut app = App::new("third_party");
    app.config.set("JWT_SECRET_KEY", "super-secret");
    JWTManager::new(&mut app);
    app.register(routes![jwt_first, roles_first, with_other_macros]);
    app.finalize().expect("every route registers");
}
