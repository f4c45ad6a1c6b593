use phial::prelude::*;

struct Noop;

impl Decorator for Noop {
    async fn before(&self, _request: &Request) -> Result<(), ViewError> {
        Ok(())
    }
}

#[decorate(Noop)]
#[get("/things")]
async fn things() -> &'static str {
    ""
}

fn main() {}
