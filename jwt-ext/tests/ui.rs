//! Compile tests of `#[jwt_required]`: its options are checked at compile time, with
//! a span on the mistake.

#[test]
fn jwt_required_options() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
