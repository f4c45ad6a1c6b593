use phial::prelude::*;
use phial_roles::roles_required;

#[get("/none")]
#[roles_required()]
async fn no_role() -> &'static str {
    ""
}

#[get("/number")]
#[roles_required("admin", 5)]
async fn not_a_string() -> &'static str {
    ""
}

#[get("/empty")]
#[roles_required("")]
async fn empty_role() -> &'static str {
    ""
}

fn main() {}
