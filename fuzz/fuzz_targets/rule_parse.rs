//! Any string as a Flask rule: parsing never panics, and every converter of a
//! parsed rule answers for any path text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial::routing::rule::Rule;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (rule, sample) = text.split_once('\n').unwrap_or((&text, "x"));
    if let Ok(rule) = Rule::parse(rule) {
        for (_, converter) in rule.variables() {
            let _ = converter.accepts(sample);
        }
        let _ = rule.has_trailing_slash();
    }
});
