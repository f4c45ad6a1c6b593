use phial::prelude::*;

#[get("/things", method = "POST")]
async fn things() -> &'static str {
    ""
}

fn main() {}
