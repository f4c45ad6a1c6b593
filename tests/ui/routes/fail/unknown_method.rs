use phial::prelude::*;

#[route("/things", methods = ["GET", "FETCH"])]
async fn things() -> &'static str {
    ""
}

fn main() {}
