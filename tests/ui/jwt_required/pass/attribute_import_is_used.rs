//! Importing only the attribute must not warn: the route attribute consumes it.
#![deny(unused_imports)]

use phial::prelude::*;
use phial_jwt::jwt_required;

#[get("/protected")]
#[jwt_required(fresh = true, locations = ["headers", "cookies"])]
async fn protected() -> &'static str {
    "ok"
}

#[post("/refresh")]
#[phial_jwt::jwt_required(refresh = true)]
async fn refresh() -> &'static str {
    "ok"
}

fn main() {
    let mut app = App::new("pass");
    app.config.set("JWT_SECRET_KEY", "x");
    phial_jwt::JWTManager::new(&mut app);
    app.register(routes![protected, refresh]);
    app.finalize().expect("the app starts");
}
