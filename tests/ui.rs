//! Compile tests of every attribute macro, in one harness (one nested build): what
//! must compile, and what must fail with a message that points at the mistake and
//! says how to fix it.
//! - `routes/`: the route attributes and `#[decorate]` (phial-macros);
//! - `jwt_required/`: `#[jwt_required]`'s options and placement;
//! - `third_party/`: `#[roles_required]`, a decorator attribute from another crate
//!   (`tests/third_party/`), on phial's open decorator protocol.
//!
//! The `.stderr` snapshots are made with the machine's toolchain; after a compiler
//! upgrade changes their wording, regenerate them with
//! `TRYBUILD=overwrite cargo test --test ui` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    for group in ["routes", "jwt_required", "third_party"] {
        t.pass(format!("tests/ui/{group}/pass/*.rs"));
        t.compile_fail(format!("tests/ui/{group}/fail/*.rs"));
    }
}
