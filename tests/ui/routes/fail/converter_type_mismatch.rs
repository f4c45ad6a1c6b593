use phial::prelude::*;

#[get("/user/<string:name>")]
async fn user(name: i64) -> String {
    name.to_string()
}

fn main() {}
