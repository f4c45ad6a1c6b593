use phial::prelude::*;

#[get("/<a>/<a>")]
async fn things(a: String) -> String {
    a
}

fn main() {}
