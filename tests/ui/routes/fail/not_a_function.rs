use phial::prelude::*;

#[get("/things")]
struct Things;

fn main() {}
