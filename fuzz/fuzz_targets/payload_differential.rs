//! Any bytes as a token payload: the three payload readers (the compact reader,
//! the registered-claim scan and the serde map) agree on accepting or refusing
//! them, with the same message, and every registered claim has the serde map's
//! value, read directly and through an HS256 token that decodes and verifies.
//! The oracle is `phial_jwt::jws::fuzzing::check_payload` (not API), which
//! panics on any disagreement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial_jwt::jws::fuzzing::check_payload;

fuzz_target!(|data: &[u8]| {
    check_payload(data);
});
