//! The header's `alg` against the allow-list, and the MAC.

use super::*;

// --- Algorithm --------------------------------------------------------------------

#[test]
fn missing_alg() {
    assert_eq!(error(&signed(Algorithm::HS256, r#"{"typ":"JWT"}"#, "{}")), "Algorithm not specified");
}

#[test]
fn alg_none_in_any_case_is_not_allowed() {
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = b64(&format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
        // The classic unsigned token: empty signature.
        assert_eq!(
            error(&format!("{header}.{}.", b64(r#"{"sub":"admin"}"#))),
            "The specified alg value is not allowed"
        );
        let unsigned = format!("{header}.e30.");
        let unverified = decode_unverified(&unsigned, MAX).unwrap();
        let err = verify(&unverified, &Algorithm::ALL, &key()).unwrap_err();
        assert_eq!(err, JwtError::decode("The specified alg value is not allowed"));
    }
}

#[test]
fn alg_that_is_not_a_string_is_not_allowed() {
    for alg in ["null", "256", "true", r#"["HS256"]"#, r#"{"name":"HS256"}"#, r#""""#] {
        let token = signed(Algorithm::HS256, &format!(r#"{{"alg":{alg}}}"#), "{}");
        assert_eq!(error(&token), "The specified alg value is not allowed", "alg: {alg}");
    }
}

#[test]
fn alg_outside_the_allow_list_is_not_allowed_even_if_correctly_signed() {
    let hs512 = encode(&JsonObject::new(), Algorithm::HS512, &json!({"sub": "a"}), &key()).unwrap();
    assert_eq!(error(&hs512), "The specified alg value is not allowed");
    let unverified = decode_unverified(&hs512, MAX).unwrap();
    assert_eq!(verify(&unverified, &[Algorithm::HS384, Algorithm::HS512], &key()), Ok(Algorithm::HS512));
    assert_eq!(verify(&unverified, &[], &key()), Err(JwtError::decode("The specified alg value is not allowed")));
    // Names compare exactly, as in PyJWT.
    let lower = signed(Algorithm::HS256, r#"{"alg":"hs256"}"#, "{}");
    assert_eq!(error(&lower), "The specified alg value is not allowed");
}

#[test]
fn an_asymmetric_alg_cannot_borrow_the_hmac_key() {
    // HS/RS confusion: an RS256 header over an HMAC signature made with the secret.
    let token = signed(Algorithm::HS256, r#"{"alg":"RS256","typ":"JWT"}"#, r#"{"sub":"admin"}"#);
    assert_eq!(error(&token), "The specified alg value is not allowed");
}

#[test]
fn the_header_alg_does_not_choose_the_verifier() {
    // An HS256 signature relabelled HS512 fails, even when both are allowed.
    let token = signed(Algorithm::HS256, r#"{"alg":"HS512"}"#, "{}");
    let unverified = decode_unverified(&token, MAX).unwrap();
    let err = verify(&unverified, &Algorithm::ALL, &key()).unwrap_err();
    assert_eq!(err, JwtError::decode("Signature verification failed"));
}

// --- Signature --------------------------------------------------------------------

#[test]
fn wrong_key() {
    let token = hs256(r#"{"sub":"a"}"#);
    let unverified = decode_unverified(&token, MAX).unwrap();
    let other = SigningKey::new("another-secret").unwrap();
    assert_eq!(verify(&unverified, HS256, &other), Err(JwtError::decode("Signature verification failed")));
}

#[test]
fn tampered_payload() {
    let token = hs256(r#"{"sub":"alice","admin":false}"#);
    let tampered = with_segment(&token, 1, &b64(r#"{"sub":"alice","admin":true}"#));
    assert_eq!(error(&tampered), "Signature verification failed");
}

#[test]
fn tampered_header() {
    let token = hs256("{}");
    let tampered = with_segment(&token, 0, &b64(r#"{"alg":"HS256","typ":"JWT","kid":"x"}"#));
    assert_eq!(error(&tampered), "Signature verification failed");
}

#[test]
fn truncated_or_extended_signature() {
    let token = hs256(r#"{"sub":"a"}"#);
    let crypto = token.rsplit_once('.').unwrap().1;
    // Cut to 42 characters, 4 bits are left over, and for this token they are not
    // zero: refused as base64url. Cut to 40 or 20, they are 30 or 15 whole bytes:
    // refused as a MAC.
    assert_eq!(error(&with_segment(&token, 2, &crypto[..42])), "Invalid crypto padding");
    assert_eq!(error(&with_segment(&token, 2, &crypto[..40])), "Signature verification failed");
    assert_eq!(error(&with_segment(&token, 2, &crypto[..20])), "Signature verification failed");
    let mut longer = URL_SAFE_NO_PAD.decode(crypto).unwrap();
    longer.push(0);
    assert_eq!(error(&with_segment(&token, 2, &URL_SAFE_NO_PAD.encode(longer))), "Signature verification failed");
}

#[test]
fn a_signature_from_another_token_does_not_transfer() {
    let one = hs256(r#"{"sub":"alice"}"#);
    let two = hs256(r#"{"sub":"admin"}"#);
    let swapped = with_segment(&two, 2, one.rsplit_once('.').unwrap().1);
    assert_eq!(error(&swapped), "Signature verification failed");
}
