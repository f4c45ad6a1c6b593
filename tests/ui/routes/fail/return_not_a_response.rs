use phial::prelude::*;

struct Thing;

#[get("/things")]
async fn things() -> Thing {
    Thing
}

fn main() {}
