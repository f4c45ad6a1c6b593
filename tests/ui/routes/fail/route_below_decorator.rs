use phial::prelude::*;

struct Noop;

impl Decorator for Noop {
    async fn before(&self, _request: &Request) -> Result<(), ViewError> {
        Ok(())
    }
}

#[get("/a")]
#[decorate(Noop)]
#[post("/b")]
async fn things() -> &'static str {
    ""
}

fn main() {}
