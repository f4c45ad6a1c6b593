use phial::prelude::*;
use phial_jwt::prelude::*;

#[get("/protected")]
#[jwt_required(fresh = "yes")]
async fn protected() -> &'static str {
    "ok"
}

fn main() {}
