//! Length, segments, base64url, header and payload JSON, and the order of the checks.

use super::*;

// --- Length cap -------------------------------------------------------------------

#[test]
fn a_token_over_the_cap_is_refused_before_decoding() {
    // A megabyte with no dot would be "Not enough segments" if it were looked at.
    assert_eq!(error(&"a".repeat(1 << 20)), "Token is too large");
    let token = hs256(r#"{"sub":"a"}"#);
    assert_eq!(decode_unverified(&token, token.len() - 1).unwrap_err(), JwtError::decode("Token is too large"));
    assert!(decode_unverified(&token, token.len()).is_ok());
}

#[test]
fn a_megabyte_of_valid_claims_is_refused_at_the_default_cap() {
    let token = hs256(&format!(r#"{{"sub":"{}"}}"#, "x".repeat(1 << 20)));
    assert_eq!(error(&token), "Token is too large");
}

// --- Segments ---------------------------------------------------------------------

#[test]
fn fewer_than_three_segments() {
    for token in ["", "xxx", "foobarbaz", "2", "a.b", "eyJhbGciOiJIUzI1NiJ9.e30"] {
        assert_eq!(error(token), "Not enough segments", "{token:?}");
    }
}

#[test]
fn more_than_three_segments() {
    // Upstream's test: the header "a" is not base64url.
    assert_eq!(error("a.b.c.d"), "Invalid header padding");
    // With a real header, the payload swallows the extra dot and is not base64url.
    let token = hs256(r#"{"sub":"a"}"#);
    assert_eq!(error(&format!("{token}.e30")), "Invalid payload padding");
    let (header, rest) = token.split_once('.').unwrap();
    assert_eq!(error(&format!("{header}.e30.{rest}")), "Invalid payload padding");
}

#[test]
fn empty_segments() {
    assert!(error("..").starts_with("Invalid header string: "));
    let token = hs256(r#"{"sub":"a"}"#);
    assert!(error(&with_segment(&token, 1, "")).starts_with("Invalid payload string: "));
    // Signature stripped: the header and claims parse, the MAC does not match.
    assert_eq!(error(&with_segment(&token, 2, "")), "Signature verification failed");
}

#[test]
fn upstreams_garbage_tokens() {
    assert_eq!(error("aaaaa.bbbbb.ccccc"), "Invalid header padding");
    assert_eq!(error(&format!("{}.e30.e30", "0".repeat(21))), "Invalid header padding");
}

// --- Non-canonical base64url ------------------------------------------------------

#[test]
fn padding_is_refused_in_each_segment() {
    // 28 bytes of JSON encode to 38 characters, so padded spellings end in "==".
    let header = r#"{"alg":"HS256","typ":"JWT"} "#;
    let token = signed(Algorithm::HS256, header, r#"{"sub":"a"}"#);
    let [h, p, s] = token.split('.').collect::<Vec<_>>()[..] else { unreachable!() };
    assert_eq!(URL_SAFE.encode(header.as_bytes()), format!("{h}=="));
    assert_eq!(error(&format!("{h}==.{p}.{s}")), "Invalid header padding");
    assert_eq!(error(&format!("{h}.{p}=.{s}")), "Invalid payload padding");
    assert_eq!(error(&format!("{h}.{p}.{s}=")), "Invalid crypto padding");
}

#[test]
fn the_standard_alphabet_is_refused_in_each_segment() {
    // Strings chosen so that each segment's base64url contains '-' or '_'.
    let token = signed(Algorithm::HS256, r#"{"alg":"HS256","x":"~~~?"}"#, r#"{"sub":"~~~?"}"#);
    let parts: Vec<&str> = token.split('.').collect();
    let standard = |s: &str| s.replace('-', "+").replace('_', "/");
    for (index, message) in [(0, "Invalid header padding"), (1, "Invalid payload padding")] {
        assert_ne!(standard(parts[index]), parts[index]);
        assert_eq!(error(&with_segment(&token, index, &standard(parts[index]))), message);
    }
    let signature = (0u32..)
        .map(|n| signed(Algorithm::HS256, r#"{"alg":"HS256"}"#, &format!(r#"{{"n":{n}}}"#)))
        .find(|t| t.rsplit_once('.').unwrap().1.contains(['-', '_']))
        .unwrap();
    let crypto = signature.rsplit_once('.').unwrap().1;
    assert_eq!(error(&with_segment(&signature, 2, &standard(crypto))), "Invalid crypto padding");
}

#[test]
fn non_zero_trailing_bits_are_refused() {
    let token = hs256(r#"{"sub":"a"}"#);
    let crypto = token.rsplit_once('.').unwrap().1;
    // 32 bytes take 43 characters; the last carries 4 data bits and 2 zero bits.
    assert_eq!(crypto.len(), 43);
    let last = crypto.chars().last().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let value = alphabet.find(last).unwrap();
    let sibling = alphabet.chars().nth(value | 1).unwrap();
    let respelled = format!("{}{}", &crypto[..42], sibling);
    // The same 32 bytes under a second spelling would be accepted by a lenient decoder.
    assert_eq!(error(&with_segment(&token, 2, &respelled)), "Invalid crypto padding");

    // "e30" is the only spelling of "{}" ("e31" differs in the trailing bits).
    assert_eq!(error(&with_segment(&token, 1, "e31")), "Invalid payload padding");
    assert_eq!(error(&with_segment(&token, 0, "e31")), "Invalid header padding");
}

// --- Header -----------------------------------------------------------------------

#[test]
fn header_not_json_or_not_an_object() {
    let payload = r#"{"sub":"a"}"#;
    assert!(error(&signed(Algorithm::HS256, "{alg:HS256}", payload)).starts_with("Invalid header string: "));
    assert_eq!(
        error(&signed(Algorithm::HS256, r#"["HS256"]"#, payload)),
        "Invalid header string: must be a json object"
    );
    // Non-UTF-8 bytes: upstream's "'utf-8' codec can't decode byte 0xa6" case.
    let token = format!("{}.{}.", URL_SAFE_NO_PAD.encode(b"\"\xa6\""), b64(payload));
    assert!(error(&token).starts_with("Invalid header string: "));
}

#[test]
fn duplicate_alg_in_the_header() {
    let token = signed(Algorithm::HS256, r#"{"alg":"HS256","alg":"none"}"#, r#"{"sub":"a"}"#);
    assert_eq!(error(&token), r#"Invalid header string: duplicate key "alg""#);
    let token = signed(Algorithm::HS256, r#"{"alg":"none","alg":"HS256"}"#, r#"{"sub":"a"}"#);
    assert_eq!(error(&token), r#"Invalid header string: duplicate key "alg""#);
}

#[test]
fn a_non_empty_crit_is_refused() {
    let crit = "Invalid header string: the crit header lists extensions, and none are supported";
    for value in [r#"["exp"]"#, r#"["b64"]"#, r#""exp""#, "null", "{}", "true"] {
        let token = signed(Algorithm::HS256, &format!(r#"{{"alg":"HS256","crit":{value}}}"#), r#"{"exp":1}"#);
        assert_eq!(error(&token), crit, "crit: {value}");
    }
    let token = signed(Algorithm::HS256, r#"{"alg":"HS256","crit":[]}"#, r#"{"sub":"a"}"#);
    assert!(decode(&token).is_ok());
}

#[test]
fn deeply_nested_json_is_refused() {
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    let token = signed(Algorithm::HS256, &format!(r#"{{"alg":"HS256","x":{deep}}}"#), "{}");
    assert_eq!(error(&token), "Invalid header string: JSON nested deeper than 32 levels");
    let token = hs256(&format!(r#"{{"sub":"a","x":{deep}}}"#));
    assert_eq!(error(&token), "Invalid payload string: JSON nested deeper than 32 levels");
}

#[test]
fn kid_must_be_a_string() {
    for kid in ["1", "null", "[\"a\"]", "{}"] {
        let token = signed(Algorithm::HS256, &format!(r#"{{"alg":"HS256","kid":{kid}}}"#), "{}");
        assert_eq!(error(&token), "Key ID header parameter must be a string", "kid: {kid}");
        assert_eq!(
            unverified_header(&token, MAX).unwrap_err(),
            JwtError::decode("Key ID header parameter must be a string")
        );
    }
    let token = signed(Algorithm::HS256, r#"{"alg":"HS256","kid":"k"}"#, "{}");
    assert!(decode(&token).is_ok());
}

#[test]
fn typ_is_ignored_as_pyjwt_does() {
    for header in [r#"{"alg":"HS256"}"#, r#"{"alg":"HS256","typ":"at+jwt"}"#, r#"{"alg":"HS256","typ":5}"#] {
        assert!(decode(&signed(Algorithm::HS256, header, "{}")).is_ok(), "{header}");
    }
}

// --- Payload ----------------------------------------------------------------------

#[test]
fn payload_not_json_or_not_an_object() {
    assert!(error(&hs256("not json")).starts_with("Invalid payload string: "));
    for payload in ["[]", r#""sub""#, "1", "null"] {
        assert_eq!(error(&hs256(payload)), "Invalid payload string: must be a json object", "{payload}");
    }
}

#[test]
fn duplicate_claims_are_refused() {
    for (payload, key) in [
        (r#"{"exp":1,"sub":"a","exp":4102444800}"#, "exp"),
        (r#"{"sub":"alice","sub":"admin"}"#, "sub"),
        (r#"{"alg":"x","jti":"1","jti":"2"}"#, "jti"),
    ] {
        assert_eq!(error(&hs256(payload)), format!(r#"Invalid payload string: duplicate key "{key}""#));
    }
}

// --- Order of the checks ------------------------------------------------------------

#[test]
fn failures_are_reported_in_pyjwts_order() {
    let bad_json = b64("not json");
    // Header padding before payload and signature problems.
    assert_eq!(error(&format!("e31.{bad_json}.=")), "Invalid header padding");
    // Payload padding before crypto padding.
    assert_eq!(error(&format!("{}.e31.=", b64("{}"))), "Invalid payload padding");
    // Crypto padding before the payload's JSON.
    assert_eq!(error(&format!("{}.{bad_json}.=", b64("{}"))), "Invalid crypto padding");
    // The payload's JSON before kid, alg and the signature.
    assert!(error(&format!("{}.{bad_json}.", b64(r#"{"kid":1}"#))).starts_with("Invalid payload string: "));
    // kid before alg.
    assert_eq!(error(&format!("{}.e30.", b64(r#"{"kid":1}"#))), "Key ID header parameter must be a string");
    // alg before the signature.
    assert_eq!(error(&format!("{}.e30.", b64(r#"{"alg":"none"}"#))), "The specified alg value is not allowed");
}

#[test]
fn unverified_header_skips_the_payload_json_but_not_its_base64() {
    let token = signed(Algorithm::HS256, r#"{"alg":"HS256","kid":"k"}"#, "not json");
    let header = unverified_header(&token, MAX).unwrap();
    assert_eq!(Value::Object(header), json!({"alg": "HS256", "kid": "k"}));
    let err = unverified_header(&with_segment(&token, 1, "e31"), MAX).unwrap_err();
    assert_eq!(err, JwtError::decode("Invalid payload padding"));
    assert_eq!(unverified_header("abc", MAX).unwrap_err(), JwtError::decode("Not enough segments"));
}
