use phial::prelude::*;

#[get("login")]
async fn login() -> &'static str {
    ""
}

fn main() {}
