use phial::prelude::*;

#[get]
async fn things() -> &'static str {
    ""
}

fn main() {}
