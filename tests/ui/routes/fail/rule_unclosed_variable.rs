use phial::prelude::*;

#[get("/user/<int:id")]
async fn user(id: i64) -> String {
    id.to_string()
}

fn main() {}
