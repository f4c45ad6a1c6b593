use phial::prelude::*;

#[get("/user/<int:id>")]
async fn user(id: i64, count: u32) -> String {
    format!("{id} {count}")
}

fn main() {}
