use super::*;
use serde_json::json;

const NOW: i64 = 1_700_000_000;

fn object(value: Value) -> JsonObject {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn header() -> JsonObject {
    object(json!({"alg": "HS256", "typ": "JWT"}))
}

fn check_with(claims: Value, validation: &Validation) -> Result<(), JwtError> {
    validate(&header(), &object(claims), NOW, validation)
}

fn check(claims: Value) -> Result<(), JwtError> {
    check_with(claims, &Validation::default())
}

fn message(result: Result<(), JwtError>) -> String {
    result.expect_err("the claims were accepted").to_string()
}

fn leeway(seconds: u64) -> Validation {
    Validation { leeway: Duration::from_secs(seconds), ..Validation::default() }
}

fn audience(accepted: &[&str]) -> Validation {
    Validation { audience: Some(accepted.iter().map(|a| a.to_string()).collect()), ..Validation::default() }
}

fn issuer(accepted: &[&str]) -> Validation {
    Validation { issuer: Some(accepted.iter().map(|a| a.to_string()).collect()), ..Validation::default() }
}

#[test]
fn the_default_validation_is_upstreams() {
    let v = Validation::default();
    assert_eq!(v.leeway, Duration::ZERO);
    assert_eq!((v.audience, v.issuer), (None, None));
    assert!(v.verify_sub && v.verify_exp);
}

#[test]
fn a_typical_access_token_passes() {
    let claims = json!({
        "fresh": false, "iat": NOW, "jti": "2b479b54-0f3c-4b4e-9a53-2f6a7f1c0e11", "type": "access",
        "sub": "test", "nbf": NOW, "csrf": "0c8a7a1e-0b39-4d4a-8f0e-3d7c3c5b9f20", "exp": NOW + 900
    });
    assert_eq!(check(claims), Ok(()));
    assert_eq!(check(json!({})), Ok(()), "no claim is required");
}

#[test]
fn expired_when_exp_is_now_or_earlier() {
    assert!(matches!(check(json!({"exp": NOW})), Err(JwtError::Expired { .. })));
    assert!(matches!(check(json!({"exp": NOW - 1})), Err(JwtError::Expired { .. })));
    assert_eq!(check(json!({"exp": NOW + 1})), Ok(()));
    assert_eq!(message(check(json!({"exp": NOW}))), "Token has expired");
}

#[test]
fn negative_exp_is_simply_expired() {
    for exp in [json!(-1), json!(-1.5), json!(i64::MIN), json!(-1e300), json!(0)] {
        assert!(matches!(check(json!({"exp": exp})), Err(JwtError::Expired { .. })), "{exp}");
    }
}

#[test]
fn expired_carries_the_header_and_claims_for_the_callback() {
    let claims = json!({"sub": "alice", "exp": NOW - 5});
    match check(claims.clone()) {
        Err(JwtError::Expired { header: h, claims: c }) => {
            assert_eq!(h, header());
            assert_eq!(Value::Object(c), claims);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn leeway_extends_exp() {
    assert_eq!(check_with(json!({"exp": NOW - 9}), &leeway(10)), Ok(()));
    assert!(matches!(check_with(json!({"exp": NOW - 10}), &leeway(10)), Err(JwtError::Expired { .. })));
    let half = Validation { leeway: Duration::from_millis(1500), ..Validation::default() };
    assert_eq!(check_with(json!({"exp": NOW - 1}), &half), Ok(()));
    assert!(matches!(check_with(json!({"exp": NOW - 2}), &half), Err(JwtError::Expired { .. })));
}

#[test]
fn float_time_claims_are_accepted_and_truncated_like_python_int() {
    assert_eq!(check(json!({"exp": NOW as f64 + 1.5})), Ok(()));
    // int(NOW + 0.5) == NOW, which is expired.
    assert!(matches!(check(json!({"exp": NOW as f64 + 0.5})), Err(JwtError::Expired { .. })));
    // int(NOW + 0.9) == NOW, which is not in the future.
    assert_eq!(check(json!({"iat": NOW as f64 + 0.9, "nbf": NOW as f64 + 0.9})), Ok(()));
    assert_eq!(check(json!({"exp": 1e300, "iat": -1e300})), Ok(()));
}

#[test]
fn huge_integers_are_far_future_not_errors() {
    assert_eq!(check(json!({"exp": u64::MAX})), Ok(()));
    assert_eq!(message(check(json!({"nbf": u64::MAX}))), "The token is not yet valid (nbf)");
}

#[test]
fn not_yet_valid_iat_and_nbf() {
    assert_eq!(message(check(json!({"iat": NOW + 1}))), "The token is not yet valid (iat)");
    assert_eq!(message(check(json!({"nbf": NOW + 1}))), "The token is not yet valid (nbf)");
    assert_eq!(check(json!({"iat": NOW, "nbf": NOW})), Ok(()));
}

#[test]
fn leeway_extends_iat_and_nbf() {
    assert_eq!(check_with(json!({"iat": NOW + 5, "nbf": NOW + 5}), &leeway(5)), Ok(()));
    assert_eq!(message(check_with(json!({"iat": NOW + 6}), &leeway(5))), "The token is not yet valid (iat)");
    assert_eq!(message(check_with(json!({"nbf": NOW + 6}), &leeway(5))), "The token is not yet valid (nbf)");
}

#[test]
fn time_claims_of_the_wrong_type_are_errors_never_absent() {
    // CVE-2026-25537: a string exp must not be skipped. PyJWT would even accept "123".
    for bad in [json!("123"), json!("soon"), json!(null), json!(true), json!([1]), json!({"t": 1})] {
        assert_eq!(message(check(json!({"iat": bad}))), "Issued At claim (iat) must be an integer.", "{bad}");
        assert_eq!(message(check(json!({"nbf": bad}))), "Not Before claim (nbf) must be an integer.", "{bad}");
        assert_eq!(message(check(json!({"exp": bad}))), "Expiration Time claim (exp) must be an integer.", "{bad}");
    }
}

#[test]
fn allow_expired_skips_the_expiry_but_not_the_type_check() {
    let allow_expired = Validation { verify_exp: false, ..Validation::default() };
    assert_eq!(check_with(json!({"exp": NOW - 100}), &allow_expired), Ok(()));
    assert_eq!(
        message(check_with(json!({"exp": "yesterday"}), &allow_expired)),
        "Expiration Time claim (exp) must be an integer."
    );
    assert_eq!(message(check_with(json!({"nbf": NOW + 1}), &allow_expired)), "The token is not yet valid (nbf)");
}

#[test]
fn checks_run_in_pyjwts_order() {
    let all_bad = json!({
        "iat": "x", "nbf": "x", "exp": "x", "iss": 1, "aud": 1, "sub": 1, "jti": 1
    });
    let strict =
        Validation { audience: Some(vec!["api".into()]), issuer: Some(vec!["me".into()]), ..Validation::default() };
    let mut claims = object(all_bad);
    let expected = [
        ("iat", "Issued At claim (iat) must be an integer.", json!(NOW)),
        ("nbf", "Not Before claim (nbf) must be an integer.", json!(NOW)),
        ("exp", "Expiration Time claim (exp) must be an integer.", json!(NOW + 1)),
        ("iss", "Invalid issuer", json!("me")),
        ("aud", "Invalid claim format in token", json!("api")),
        ("sub", "Subject must be a string", json!("alice")),
        ("jti", "JWT ID must be a string", json!("id")),
    ];
    // Fixing the claims one by one reveals the next failure each time.
    for (claim, text, good) in expected {
        assert_eq!(message(validate(&header(), &claims, NOW, &strict)), text);
        claims.insert(claim.to_owned(), good);
    }
    assert_eq!(validate(&header(), &claims, NOW, &strict), Ok(()));
    // Time problems come before expiry, and expiry before iss/aud/sub.
    assert_eq!(message(check(json!({"iat": NOW + 1, "exp": NOW - 1}))), "The token is not yet valid (iat)");
    assert_eq!(message(check(json!({"nbf": NOW + 1, "exp": NOW - 1}))), "The token is not yet valid (nbf)");
    assert_eq!(message(check_with(json!({"exp": NOW - 1}), &strict)), "Token has expired");
}

#[test]
fn issuer_is_unchecked_unless_configured() {
    assert_eq!(check(json!({"iss": 5})), Ok(()));
    assert_eq!(check(json!({})), Ok(()));
}

#[test]
fn issuer_must_be_present_and_one_of_the_accepted() {
    let v = issuer(&["auth.example", "legacy.example"]);
    assert_eq!(message(check_with(json!({}), &v)), "Token is missing the \"iss\" claim");
    assert_eq!(check_with(json!({"iss": "auth.example"}), &v), Ok(()));
    assert_eq!(check_with(json!({"iss": "legacy.example"}), &v), Ok(()));
    for bad in [json!("evil.example"), json!("AUTH.EXAMPLE"), json!(null), json!(1), json!(["auth.example"])] {
        assert_eq!(message(check_with(json!({"iss": bad}), &v)), "Invalid issuer", "{bad}");
    }
}

#[test]
fn audience_is_unchecked_unless_configured() {
    assert_eq!(check(json!({"aud": 5})), Ok(()));
    assert_eq!(check(json!({"aud": "anything"})), Ok(()));
}

#[test]
fn audience_missing_or_empty() {
    let v = audience(&["api"]);
    for missing in [
        json!({}),
        json!({"aud": ""}),
        json!({"aud": []}),
        json!({"aud": null}),
        json!({"aud": 0}),
        json!({"aud": false}),
    ] {
        assert_eq!(message(check_with(missing.clone(), &v)), "Token is missing the \"aud\" claim", "{missing}");
    }
}

#[test]
fn audience_of_the_wrong_shape() {
    let v = audience(&["api"]);
    for bad in [json!(5), json!(true), json!({"api": 1}), json!(["api", 1]), json!([null]), json!([["api"]])] {
        assert_eq!(message(check_with(json!({"aud": bad}), &v)), "Invalid claim format in token", "{bad}");
    }
}

#[test]
fn audience_needs_one_in_common() {
    let v = audience(&["api", "admin"]);
    assert_eq!(check_with(json!({"aud": "api"}), &v), Ok(()));
    assert_eq!(check_with(json!({"aud": ["web", "admin"]}), &v), Ok(()));
    for bad in [json!("web"), json!(["web", "mobile"]), json!("API")] {
        assert_eq!(message(check_with(json!({"aud": bad}), &v)), "Audience doesn't match", "{bad}");
    }
    assert_eq!(message(check_with(json!({"aud": "api"}), &audience(&[]))), "Audience doesn't match");
}

#[test]
fn subject_must_be_a_string_unless_turned_off() {
    for bad in [json!(1), json!(null), json!(["a"]), json!({"id": 1})] {
        assert_eq!(message(check(json!({"sub": bad}))), "Subject must be a string", "{bad}");
        let off = Validation { verify_sub: false, ..Validation::default() };
        assert_eq!(check_with(json!({"sub": bad}), &off), Ok(()));
    }
    assert_eq!(check(json!({"sub": ""})), Ok(()));
}

#[test]
fn jti_must_be_a_string_when_present() {
    for bad in [json!(1), json!(null), json!(true)] {
        assert_eq!(message(check(json!({"jti": bad}))), "JWT ID must be a string", "{bad}");
    }
    assert_eq!(check(json!({"jti": "abc"})), Ok(()));
}
