use phial::prelude::*;

#[get("/things")]
async fn things<T: Default>() -> &'static str {
    ""
}

fn main() {}
