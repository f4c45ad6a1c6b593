use phial::prelude::*;

#[get("/user/<int:user_id>")]
async fn user() -> &'static str {
    "who?"
}

fn main() {}
