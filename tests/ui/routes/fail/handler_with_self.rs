use phial::prelude::*;

struct Views;

impl Views {
    #[get("/things")]
    async fn things(&self) -> &'static str {
        ""
    }
}

fn main() {}
