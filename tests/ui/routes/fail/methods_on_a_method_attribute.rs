use phial::prelude::*;

#[get("/things", methods = ["POST"])]
async fn things() -> &'static str {
    ""
}

fn main() {}
