//! Any string as a token: decoding, verifying and validating never panic, and a
//! token that verifies was signed with the key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phial_jwt::algorithm::Algorithm;
use phial_jwt::claims::{self, Validation};
use phial_jwt::jws::{self, SigningKey};

fuzz_target!(|data: &[u8]| {
    let token = String::from_utf8_lossy(data);
    let key = SigningKey::new("fuzzing-secret").expect("a plain secret is a valid key");
    let Ok(unverified) = jws::decode_unverified(&token, 1 << 16) else { return };
    let _ = unverified.header().get("alg");
    if jws::verify(&unverified, &[Algorithm::HS256, Algorithm::HS384, Algorithm::HS512], &key).is_ok() {
        let validation = Validation { audience: Some(vec!["a".into()]), issuer: Some(vec!["i".into()]), ..Validation::default() };
        let _ = claims::validate(unverified.header(), unverified.claims(), 1_700_000_000, &validation);
    }
});
