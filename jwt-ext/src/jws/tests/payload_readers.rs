//! The differential oracle of `fuzz/fuzz_targets/payload_differential.rs`
//! (`jws::fuzzing::check_payload`) on the kinds of payload its corpus seeds: every
//! reader agrees with the serde map, accepted or refused.

use super::*;

fn agrees(text: &str) -> Result<JsonObject, String> {
    fuzzing::check_payload(text.as_bytes());
    fuzzing::payload_verdicts(text.as_bytes()).map
}

#[test]
fn flask_jwt_extended_payloads_are_read_alike_by_every_reader() {
    let access = r#"{"fresh":false,"iat":1732871000,"jti":"2f7c8d5e","type":"access","sub":"test","nbf":1732871000,"csrf":"c1d2","exp":1732871900}"#;
    let map = agrees(access).unwrap();
    assert_eq!(map["exp"], json!(1732871900));
    let verdicts = fuzzing::payload_verdicts(access.as_bytes());
    assert!(verdicts.compact.is_some(), "the shortcut takes upstream's layout");
    // Upstream's freshness timestamp is a float; user claims nest.
    agrees(r#"{"fresh":1732871900.123456,"sub":"test","exp":1.7e9,"roles":["a",{"b":[null]}]}"#).unwrap();
    agrees(r#"{"aud":["a","b"],"iss":"i","sub":1,"jti":null,"type":null,"exp":"1"}"#).unwrap();
    agrees("{}").unwrap();
    agrees("{\n  \"sub\": \"test\",\n  \"exp\": 1732871900\n}\n").unwrap();
}

#[test]
fn escapes_unicode_and_numbers_are_read_alike() {
    let map = agrees(r#"{"\u0073ub":"\u00e9l\u00e8ve","jti":"\ud83d\ude00","csrf":"\"\\\/\b\f\n\r\t"}"#).unwrap();
    assert_eq!(map["sub"], "élève");
    agrees(r#"{"sub":"élève 😀"}"#).unwrap();
    let map = agrees(r#"{"exp":18446744073709551615,"iat":9999999999999999999,"nbf":-9223372036854775808}"#).unwrap();
    assert_eq!(map["exp"], json!(u64::MAX));
    let map = agrees(r#"{"exp":18446744073709551616,"iat":1e308,"nbf":-0,"x":-0.0}"#).unwrap();
    assert_eq!(map["exp"], json!(18446744073709551616.0));
    agrees(r#"{"exp":1e999}"#).unwrap_err();
    agrees(r#"{"exp":01}"#).unwrap_err();
}

#[test]
fn duplicates_depth_and_broken_documents_are_refused_alike() {
    for text in [
        r#"{"sub":"a","sub":"b"}"#,
        r#"{"\u0073ub":"a","sub":"b"}"#,
        r#"{"roles":1,"x":2,"roles":3}"#,
        &format!("{{\"x\":{}{}}}", "[".repeat(32), "]".repeat(32)),
        "",
        "[]",
        "\"sub\"",
        r#"{"sub":"a",}"#,
        r#"{"sub":"a"}x"#,
        "\u{feff}{}",
        r#"{"other":"\ud800"}"#,
        "{\"sub\":\"a\u{1}b\"}",
    ] {
        agrees(text).unwrap_err();
    }
    // Nested repeats keep the last value, in every reader.
    assert_eq!(agrees(r#"{"user":{"id":1,"id":2}}"#).unwrap()["user"], json!({"id": 2}));
    agrees(&format!("{{\"x\":{}{}}}", "[".repeat(31), "]".repeat(31))).unwrap();
    for bytes in [&b"{\"sub\":\"\xa6\"}"[..], b"{\"\xff\":1}", b"\xa6"] {
        fuzzing::check_payload(bytes);
    }
}
