use phial::prelude::*;

#[get("/things")]
#[decorate(42)]
async fn things() -> &'static str {
    ""
}

fn main() {}
