use phial::prelude::*;
use phial_jwt::prelude::*;

#[get("/protected")]
#[jwt_required(locations = ["headers", "body"])]
async fn protected() -> &'static str {
    "ok"
}

fn main() {}
