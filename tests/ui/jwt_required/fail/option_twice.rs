use phial::prelude::*;
use phial_jwt::prelude::*;

#[get("/protected")]
#[jwt_required(fresh = true, fresh = false)]
async fn protected() -> &'static str {
    "ok"
}

fn main() {}
