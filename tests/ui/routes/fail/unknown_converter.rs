use phial::prelude::*;

#[get("/user/<integer:id>")]
async fn user(id: i64) -> String {
    id.to_string()
}

fn main() {}
