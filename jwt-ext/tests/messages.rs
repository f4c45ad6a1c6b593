//! Every error message and status code of flask-jwt-extended's contract that the
//! Authorization header and the token itself can produce, through the test client.

mod common;

use common::*;
use phial_jwt::algorithm::Algorithm;
use serde_json::{Value, json};

#[tokio::test]
async fn authorization_header_problems() {
    let (app, _) = app(&[]);
    let client = app.test_client();
    let missing = client.get("/protected").send().await;
    assert_eq!((missing.status().as_u16(), missing.json()), (401, msg("Missing Authorization Header")));

    let token = encode_token(access_claims(), json!({}));
    let cases = [
        ("Basic abc", 401, "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"),
        ("bearer abc", 401, "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer", 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer a b", 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer ,,0", 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
    ];
    for (header, status, message) in cases {
        let response = client.get("/protected").header("Authorization", header).send().await;
        assert_eq!((response.status().as_u16(), response.json()), (status, msg(message)), "{header}");
    }
    let several =
        client.get("/protected").header("Authorization", &format!("Basic creds, Bearer {token}")).send().await;
    assert_eq!(several.status(), 200);
}

#[tokio::test]
async fn malformed_tokens() {
    let (app, _) = app(&[]);
    let client = app.test_client();
    let valid = encode_token(access_claims(), json!({}));
    let [header, payload, signature]: [&str; 3] = valid.split('.').collect::<Vec<_>>().try_into().unwrap();
    let not_json = "bm90IGpzb24"; // base64url("not json")
    let array = "WzFd"; // base64url("[1]")
    let cases = [
        ("xxx".to_string(), "Not enough segments"),
        ("foobarbaz".to_string(), "Not enough segments"),
        ("a.b".to_string(), "Not enough segments"),
        ("aaaaa.bbbbb.ccccc".to_string(), "Invalid header padding"),
        ("a.b.c.d".to_string(), "Invalid header padding"),
        (format!("{header}=.{payload}.{signature}"), "Invalid header padding"),
        (format!("{header}.{payload}+.{signature}"), "Invalid payload padding"),
        (format!("{header}.{payload}.{signature}="), "Invalid crypto padding"),
        (format!("{header}.{payload}.x.{signature}"), "Invalid payload padding"),
        (format!("{not_json}.{payload}.{signature}"), "Invalid header string: expected ident at line 1 column 2"),
        (format!("{array}.{payload}.{signature}"), "Invalid header string: must be a json object"),
        (format!("{header}.{not_json}.{signature}"), "Invalid payload string: expected ident at line 1 column 2"),
        (format!("{header}.{array}.{signature}"), "Invalid payload string: must be a json object"),
        (format!("{header}.{payload}."), "Signature verification failed"),
        // Truncated to whole base64 quanta: decodes, then fails the MAC.
        (format!("{header}.{payload}.{}", &signature[..40]), "Signature verification failed"),
        // Truncated mid-quantum: non-canonical base64url, refused as such.
        (format!("{header}.{payload}.{}", &signature[..10]), "Invalid crypto padding"),
        (
            format!(
                "{header}.{}.{signature}",
                encode_token(claims_with(json!({"sub": "admin"})), json!({})).split('.').nth(1).unwrap()
            ),
            "Signature verification failed",
        ),
    ];
    for (token, message) in cases {
        assert_eq!(get_with(&client, "/protected", &token).await, (422, msg(message)), "{token}");
    }
}

#[tokio::test]
async fn algorithm_problems() {
    let (app, _) = app(&[]);
    let client = app.test_client();
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; // {"alg":"none","typ":"JWT"}
    let payload = encode_token(access_claims(), json!({})).split('.').nth(1).unwrap().to_string();
    for token in [
        format!("{none_header}.{payload}."),
        encode_with(access_claims(), json!({}), SECRET, Algorithm::HS512),
        format!("{}.{payload}.AAAA", b64(r#"{"alg":"NONE","typ":"JWT"}"#)),
        format!("{}.{payload}.AAAA", b64(r#"{"alg":256,"typ":"JWT"}"#)),
    ] {
        assert_eq!(get_with(&client, "/protected", &token).await, (422, msg("The specified alg value is not allowed")));
    }
    let no_alg = "eyJ0eXAiOiJKV1QifQ"; // {"typ":"JWT"}
    assert_eq!(
        get_with(&client, "/protected", &format!("{no_alg}.{payload}.AAAA")).await,
        (422, msg("Algorithm not specified"))
    );
    let kid = format!("{}.{payload}.AAAA", b64(r#"{"alg":"HS256","kid":5}"#));
    assert_eq!(get_with(&client, "/protected", &kid).await, (422, msg("Key ID header parameter must be a string")));
    let wrong_key = encode_with(access_claims(), json!({}), "another secret", Algorithm::HS256);
    assert_eq!(get_with(&client, "/protected", &wrong_key).await, (422, msg("Signature verification failed")));
}

#[tokio::test]
async fn claim_problems() {
    let (app, _) = app(&[]);
    let client = app.test_client();
    let cases = [
        (json!({"iat": "now"}), 422, "Issued At claim (iat) must be an integer."),
        (json!({"iat": NOW + 60}), 422, "The token is not yet valid (iat)"),
        (json!({"nbf": true}), 422, "Not Before claim (nbf) must be an integer."),
        (json!({"nbf": NOW + 60}), 422, "The token is not yet valid (nbf)"),
        (json!({"exp": "later"}), 422, "Expiration Time claim (exp) must be an integer."),
        (json!({"exp": NOW}), 401, "Token has expired"),
        (json!({"exp": -1}), 401, "Token has expired"),
        (json!({"sub": 123}), 422, "Subject must be a string"),
        (json!({"jti": 5}), 422, "JWT ID must be a string"),
        (json!({"sub": null}), 422, "Missing claim: sub"),
        (json!({"type": "refresh"}), 422, "Only non-refresh tokens are allowed"),
    ];
    for (changes, status, message) in cases {
        let token = encode_token(claims_with(changes.clone()), json!({}));
        assert_eq!(get_with(&client, "/protected", &token).await, (status, msg(message)), "{changes}");
    }
    let access = encode_token(access_claims(), json!({}));
    assert_eq!(get_with(&client, "/refresh_protected", &access).await, (422, msg("Only refresh tokens are allowed")));
    assert_eq!(get_with(&client, "/fresh_protected", &access).await, (401, msg("Fresh token required")));
    // A float exp is a number; only a past one is expired.
    let float_exp = encode_token(claims_with(json!({"exp": NOW as f64 + 60.5})), json!({}));
    assert_eq!(get_with(&client, "/protected", &float_exp).await.0, 200);
    // Truncated like Python's int(): NOW + 0.5 is NOW, which has passed.
    let float_now = encode_token(claims_with(json!({"exp": NOW as f64 + 0.5})), json!({}));
    assert_eq!(get_with(&client, "/protected", &float_now).await, (401, msg("Token has expired")));
    // Tokens with only a sub (from another issuer) work: type, fresh and jti default.
    let minimal = encode_token(json!({"sub": "someone"}), json!({}));
    assert_eq!(get_with(&client, "/protected", &minimal).await.0, 200);
    // A token of an unknown type passes an access check, as upstream.
    let app_type = encode_token(claims_with(json!({"type": "app"})), json!({}));
    assert_eq!(get_with(&client, "/protected", &app_type).await.0, 200);
}

#[tokio::test]
async fn an_expired_token_with_another_problem_reports_the_other_one() {
    // Upstream decodes an expired token a second time without the expiry check, and
    // that decode's later checks answer first (reference: PyJWT's claim-check order).
    let (app, _) = app(&[("JWT_DECODE_ISSUER", json!("me")), ("JWT_DECODE_AUDIENCE", json!("us"))]);
    let client = app.test_client();
    let expired = |changes: Value| {
        let mut changes = changes;
        changes["exp"] = json!(NOW - 10);
        encode_token(claims_with(changes), json!({}))
    };
    let cases = [
        (json!({"iss": "you", "aud": "us"}), 422, "Invalid issuer"),
        (json!({"aud": "us"}), 422, "Token is missing the \"iss\" claim"),
        (json!({"iss": "me", "aud": "them"}), 422, "Audience doesn't match"),
        (json!({"iss": "me"}), 422, "Token is missing the \"aud\" claim"),
        (json!({"iss": "me", "aud": "us", "sub": 5}), 422, "Subject must be a string"),
        (json!({"iss": "me", "aud": "us", "sub": null}), 422, "Missing claim: sub"),
        (json!({"iss": "me", "aud": "us"}), 401, "Token has expired"),
    ];
    for (changes, status, message) in cases {
        assert_eq!(
            get_with(&client, "/protected", &expired(changes.clone())).await,
            (status, msg(message)),
            "{changes}"
        );
    }
}

#[tokio::test]
async fn an_expired_cookie_token_reports_its_csrf_problem_first() {
    let (app, _) = app(&[("JWT_TOKEN_LOCATION", json!(["cookies"]))]);
    let client = app.test_client();
    let post = |token: String, csrf: &'static str| {
        client
            .post("/refresh_protected")
            .header("Cookie", &format!("refresh_token_cookie={token}"))
            .header("X-CSRF-TOKEN", csrf)
            .send()
    };
    let expired = |changes: Value| {
        let mut changes = changes;
        changes["exp"] = json!(NOW - 10);
        changes["type"] = json!("refresh");
        encode_token(claims_with(changes), json!({}))
    };
    let mismatch = post(expired(json!({})), "not-csrf-1").await;
    assert_eq!((mismatch.status().as_u16(), mismatch.json()), (401, msg("CSRF double submit tokens do not match")));
    let no_claim = post(expired(json!({"csrf": null})), "csrf-1").await;
    assert_eq!((no_claim.status().as_u16(), no_claim.json()), (422, msg("Missing claim: csrf")));
    let only_expired = post(expired(json!({})), "csrf-1").await;
    assert_eq!((only_expired.status().as_u16(), only_expired.json()), (401, msg("Token has expired")));
}

#[tokio::test]
async fn the_custom_loaders_answer_in_upstreams_order_too() {
    let (app, jwt) = app(&[]);
    jwt.expired_token_loader(|_, claims| (phial::jsonify!({"expired": claims["sub"]}), 419));
    jwt.invalid_token_loader(|message| (phial::jsonify!({"invalid": message}), 400));
    let client = app.test_client();
    let no_sub = encode_token(claims_with(json!({"exp": NOW - 10, "sub": null})), json!({}));
    assert_eq!(get_with(&client, "/protected", &no_sub).await, (400, json!({"invalid": "Missing claim: sub"})));
    let expired = encode_token(claims_with(json!({"exp": NOW - 10})), json!({}));
    assert_eq!(get_with(&client, "/protected", &expired).await, (419, json!({"expired": "username"})));
}

#[tokio::test]
async fn phial_refuses_more_than_upstream() {
    let (app, _) = app(&[]);
    let client = app.test_client();
    let crit = encode_token(access_claims(), json!({"crit": ["exp"]}));
    assert_eq!(
        get_with(&client, "/protected", &crit).await,
        (422, msg("Invalid header string: the crit header lists extensions, and none are supported"))
    );
    // {"alg":"HS256","alg":"none"} and {"sub":"a","sub":"b"} hand-assembled.
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let token = format!("{}.{}.AAAA", b64(r#"{"alg":"HS256","alg":"none"}"#), b64(r#"{"sub":"a"}"#));
    let (status, body) = get_with(&client, "/protected", &token).await;
    assert_eq!(status, 422);
    assert!(body["msg"].as_str().unwrap().starts_with("Invalid header string: duplicate key \"alg\""), "{body}");
    let header = encode_token(access_claims(), json!({})).split('.').next().unwrap().to_string();
    let token = format!("{header}.{}.AAAA", b64(r#"{"sub":"a","exp":1,"exp":9999999999}"#));
    let (_, body) = get_with(&client, "/protected", &token).await;
    assert!(body["msg"].as_str().unwrap().starts_with("Invalid payload string: duplicate key \"exp\""), "{body}");

    let deep =
        format!("{header}.{}.AAAA", b64(&format!("{{\"sub\":\"a\",\"x\":{}1{}}}", "[".repeat(40), "]".repeat(40))));
    assert_eq!(
        get_with(&client, "/protected", &deep).await,
        (422, msg("Invalid payload string: JSON nested deeper than 32 levels"))
    );
    let huge = format!("{header}.{}.AAAA", "a".repeat(9000));
    assert_eq!(get_with(&client, "/protected", &huge).await, (422, msg("Token is too large")));
}

#[tokio::test]
async fn megabyte_tokens_are_refused_before_decoding() {
    let (mut app, _) = common::app(&[("JWT_TOKEN_LOCATION", json!(["headers", "json"]))]);
    app.register([
        phial::Route::new("/post_protected", ["POST"], || async { "never" }).decorate(phial_jwt::JwtRequired::new())
    ]);
    let client = app.test_client();
    // In a header, the server's header size cap answers 431 before the JWT layer.
    let huge = "A".repeat(1 << 20);
    assert_eq!(client.get("/protected").bearer(&huge).send().await.status(), 431);
    // In a JSON body (under MAX_CONTENT_LENGTH), the token length cap refuses it
    // before any base64 or JSON decoding.
    let token = format!("{}.{}.{}", "a".repeat(1 << 19), "b".repeat(1 << 19), "c");
    let response = client.post("/post_protected").json(&json!({"access_token": token})).send().await;
    assert_eq!((response.status().as_u16(), response.json()), (422, msg("Token is too large")));
}
