use phial::prelude::*;
use phial_jwt::prelude::*;

#[jwt_required]
#[get("/protected")]
async fn protected() -> &'static str {
    "ok"
}

fn main() {}
