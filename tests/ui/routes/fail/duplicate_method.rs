use phial::prelude::*;

#[route("/things", methods = ["GET", "get"])]
async fn things() -> &'static str {
    ""
}

fn main() {}
