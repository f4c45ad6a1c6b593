//! Compile tests of the route attributes: what must compile, and what must fail
//! with a message that points at the mistake and says how to fix it.
//!
//! The `.stderr` snapshots are made with the machine's toolchain; after a compiler
//! upgrade changes their wording, regenerate them with `TRYBUILD=overwrite cargo test
//! -p phial-macros --test ui` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
