use phial::prelude::*;
use phial_roles::roles_required;

#[roles_required("admin")]
#[get("/admin")]
async fn admin() -> &'static str {
    "admin"
}

fn main() {}
