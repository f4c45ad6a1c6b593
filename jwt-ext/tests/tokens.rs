//! Made tokens: flask-jwt-extended's claim layout and order, freshness, expiry, and
//! every config key that shapes a token or its checks.

mod common;

use common::*;
use phial::App;
use phial_jwt::jws;
use phial_jwt::prelude::*;
use phial_jwt::{Clock, JsonObject};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Runs `f` in the app context of an app with `config`, on the frozen clock.
fn with_app<R>(config: &[(&str, Value)], f: impl FnOnce() -> R) -> R {
    let (app, _) = app(config);
    app.finalize().unwrap().app_context(f)
}

fn claims_of(token: &str) -> JsonObject {
    jws::decode_unverified(token, 100_000).unwrap().into_parts().1
}

fn keys(claims: &JsonObject) -> Vec<&str> {
    claims.keys().map(String::as_str).collect()
}

#[test]
fn default_access_token_has_upstreams_claims_in_upstreams_order() {
    let token = with_app(&[], || create_access_token("test").unwrap());
    let payload = token.split('.').nth(1).unwrap();
    use base64::Engine;
    let raw = String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let order: Vec<&str> = ["\"fresh\"", "\"iat\"", "\"jti\"", "\"type\"", "\"sub\"", "\"nbf\"", "\"csrf\"", "\"exp\""]
        .into_iter()
        .collect();
    let positions: Vec<usize> = order.iter().map(|key| raw.find(key).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "claims out of order: {raw}");

    let claims = claims_of(&token);
    assert_eq!(claims["fresh"], false);
    assert_eq!(claims["iat"], NOW);
    assert_eq!(claims["nbf"], NOW);
    assert_eq!(claims["exp"], NOW + 900);
    assert_eq!(claims["type"], "access");
    assert_eq!(claims["sub"], "test");
    for uuid in [&claims["jti"], &claims["csrf"]] {
        let text = uuid.as_str().unwrap();
        assert_eq!(uuid::Uuid::parse_str(text).unwrap().get_version_num(), 4);
        assert_eq!(text.len(), 36);
    }
    assert_ne!(claims["jti"], claims["csrf"]);
    let header = phial_jwt::jws::decode_unverified(&token, 100_000).unwrap().into_parts().0;
    assert_eq!(Value::Object(header), json!({"alg": "HS256", "typ": "JWT"}));
}

#[test]
fn refresh_tokens_last_thirty_days_and_are_never_fresh() {
    let token = with_app(&[], || refresh_token("test").fresh(true).create().unwrap());
    let claims = claims_of(&token);
    assert_eq!((claims["type"].clone(), claims["fresh"].clone()), (json!("refresh"), json!(false)));
    assert_eq!(claims["exp"], NOW + 30 * 24 * 3600);
}

#[test]
fn freshness_and_expiry_options() {
    with_app(&[], || {
        let fresh = claims_of(&access_token("t").fresh(true).create().unwrap());
        assert_eq!(fresh["fresh"], true);
        let window = claims_of(&access_token("t").fresh(Duration::from_millis(900_250)).create().unwrap());
        assert_eq!(window["fresh"], json!(NOW as f64 + 900.25));
        let until = claims_of(&access_token("t").fresh(phial_jwt::Fresh::Until(5.5)).create().unwrap());
        assert_eq!(until["fresh"], json!(5.5));
        let short = claims_of(&access_token("t").expires_delta(Duration::from_secs(60)).create().unwrap());
        assert_eq!(short["exp"], NOW + 60);
        let never = claims_of(&access_token("t").never_expires().create().unwrap());
        assert!(!never.contains_key("exp"));
        let zero = claims_of(&access_token("t").expires_delta(Duration::ZERO).create().unwrap());
        assert!(!zero.contains_key("exp"), "a zero delta means never, as upstream");
    });
}

#[test]
fn additional_claims_override_the_defaults_in_place() {
    let token = with_app(&[], || {
        access_token("t")
            .additional_claims(json!({"sub": "other", "exp": 5, "aud": "x", "foo": "bar"}))
            .create()
            .unwrap()
    });
    let claims = claims_of(&token);
    assert_eq!(keys(&claims).len(), 10);
    assert_eq!(
        (claims["sub"].clone(), claims["exp"].clone(), claims["foo"].clone()),
        (json!("other"), json!(5), json!("bar"))
    );
    let bad = with_app(&[], || access_token("t").additional_claims(json!([1, 2])).create().unwrap_err());
    assert!(bad.to_string().contains("must be a JSON object"), "{bad}");
}

#[test]
fn config_keys_that_shape_tokens() {
    let token = with_app(
        &[
            ("JWT_ACCESS_TOKEN_EXPIRES", json!(3600)),
            ("JWT_ENCODE_NBF", json!(false)),
            ("JWT_COOKIE_CSRF_PROTECT", json!(false)),
            ("JWT_IDENTITY_CLAIM", json!("identity")),
            ("JWT_ENCODE_AUDIENCE", json!(["api", "web"])),
            ("JWT_ENCODE_ISSUER", json!("phial")),
            ("JWT_ALGORITHM", json!("HS512")),
        ],
        || create_access_token("ann").unwrap(),
    );
    let claims = claims_of(&token);
    assert_eq!(claims["exp"], NOW + 3600);
    assert_eq!(claims["identity"], "ann");
    assert_eq!(claims["aud"], json!(["api", "web"]));
    assert_eq!(claims["iss"], "phial");
    for absent in ["nbf", "csrf", "sub"] {
        assert!(!claims.contains_key(absent), "{absent}");
    }
    let header = jws::decode_unverified(&token, 100_000).unwrap().into_parts().0;
    assert_eq!(header["alg"], "HS512");
    let never = with_app(&[("JWT_REFRESH_TOKEN_EXPIRES", json!(false))], || create_refresh_token("ann").unwrap());
    assert!(!claims_of(&never).contains_key("exp"));
}

#[tokio::test]
async fn config_keys_that_shape_checks() {
    // Audience and issuer, when configured, are required and matched.
    let (app, _) = common::app(&[("JWT_DECODE_AUDIENCE", json!(["api", "web"])), ("JWT_DECODE_ISSUER", json!("me"))]);
    let client = app.test_client();
    let good = encode_token(claims_with(json!({"aud": "web", "iss": "me"})), json!({}));
    assert_eq!(get_with(&client, "/protected", &good).await.0, 200);
    for (changes, message) in [
        (json!({"iss": "me"}), "Token is missing the \"aud\" claim"),
        (json!({"aud": "api"}), "Token is missing the \"iss\" claim"),
        (json!({"aud": "other", "iss": "me"}), "Audience doesn't match"),
        (json!({"aud": ["api", 1], "iss": "me"}), "Invalid claim format in token"),
        (json!({"aud": "api", "iss": "you"}), "Invalid issuer"),
    ] {
        let token = encode_token(claims_with(changes.clone()), json!({}));
        assert_eq!(get_with(&client, "/protected", &token).await, (422, msg(message)), "{changes}");
    }

    // Leeway allows a little clock skew both ways.
    let (app, _) = common::app(&[("JWT_DECODE_LEEWAY", json!(30))]);
    let client = app.test_client();
    let skewed = encode_token(claims_with(json!({"exp": NOW - 10, "nbf": NOW + 10, "iat": NOW + 10})), json!({}));
    assert_eq!(get_with(&client, "/protected", &skewed).await.0, 200);
    let too_late = encode_token(claims_with(json!({"exp": NOW - 30})), json!({}));
    assert_eq!(get_with(&client, "/protected", &too_late).await.0, 401);

    // JWT_VERIFY_SUB off lets non-string subjects through.
    let (app, _) = common::app(&[("JWT_VERIFY_SUB", json!(false))]);
    let client = app.test_client();
    let numeric = encode_token(claims_with(json!({"sub": 5})), json!({}));
    assert_eq!(get_with(&client, "/protected", &numeric).await, (200, json!({"foo": "bar", "identity": 5})));

    // Another identity claim.
    let (app, _) = common::app(&[("JWT_IDENTITY_CLAIM", json!("identity"))]);
    let client = app.test_client();
    let token = encode_token(claims_with(json!({"identity": "x"})), json!({}));
    assert_eq!(get_with(&client, "/protected", &token).await, (200, json!({"foo": "bar", "identity": "x"})));
    let without = encode_token(claims_with(json!({"sub": null})), json!({}));
    assert_eq!(get_with(&client, "/protected", &without).await, (422, msg("Missing claim: identity")));

    // Decode algorithms: HS512 accepted alongside HS256 when listed.
    let (app, _) = common::app(&[("JWT_DECODE_ALGORITHMS", json!(["HS512"]))]);
    let client = app.test_client();
    let hs512 = encode_with(access_claims(), json!({}), SECRET, phial_jwt::algorithm::Algorithm::HS512);
    assert_eq!(get_with(&client, "/protected", &hs512).await.0, 200);
    let hs384 = encode_with(access_claims(), json!({}), SECRET, phial_jwt::algorithm::Algorithm::HS384);
    assert_eq!(get_with(&client, "/protected", &hs384).await, (422, msg("The specified alg value is not allowed")));
}

#[tokio::test]
async fn header_name_and_type() {
    let (app, _) = common::app(&[("JWT_HEADER_NAME", json!("X-Auth")), ("JWT_HEADER_TYPE", json!("JWT"))]);
    let client = app.test_client();
    let token = encode_token(access_claims(), json!({}));
    let ok = client.get("/protected").header("X-Auth", &format!("JWT {token}")).send().await;
    assert_eq!(ok.status(), 200);
    let response = client.get("/protected").bearer(&token).send().await;
    assert_eq!(response.json::<Value>(), msg("Missing X-Auth Header"));
    let wrong = client.get("/protected").header("X-Auth", &format!("Bearer {token}")).send().await;
    assert_eq!(wrong.json::<Value>(), msg("Missing 'JWT' type in 'X-Auth' header. Expected 'X-Auth: JWT <JWT>'"));

    let (app, _) = common::app(&[("JWT_HEADER_TYPE", json!(""))]);
    let client = app.test_client();
    assert_eq!(client.get("/protected").header("Authorization", &token).send().await.status(), 200);
    let two = client.get("/protected").header("Authorization", &format!("Bearer {token}")).send().await;
    assert_eq!(two.json::<Value>(), msg("Bad Authorization header. Expected 'Authorization: <JWT>'"));
}

#[test]
fn the_secret_falls_back_to_secret_key_and_its_absence_stops_the_app() {
    let mut app = App::new("secrets");
    app.config.set("SECRET_KEY", "flask-secret");
    JWTManager::new(&mut app);
    let token = app.finalize().unwrap().app_context(|| create_access_token("a").unwrap());
    let parsed = jws::decode_unverified(&token, 8192).unwrap();
    let key = phial_jwt::jws::SigningKey::new(b"flask-secret").unwrap();
    jws::verify(&parsed, &[phial_jwt::algorithm::Algorithm::HS256], &key).unwrap();

    let mut app = App::new("no secret");
    JWTManager::new(&mut app);
    let err = app.finalize().unwrap_err().to_string();
    assert!(err.contains("JWT_SECRET_KEY must be set (or SECRET_KEY)"), "{err}");

    // An asymmetric algorithm never falls back to the secret.
    let mut app = App::new("asymmetric");
    app.config.set("JWT_SECRET_KEY", "x").set("JWT_ALGORITHM", "RS256");
    JWTManager::new(&mut app);
    let err = app.finalize().unwrap_err().to_string();
    assert!(err.contains("JWT_PUBLIC_KEY must be set (or JWT_PRIVATE_KEY)"), "{err}");
}

#[test]
fn config_set_after_the_manager_but_before_start_counts() {
    let mut app = App::new("late config");
    let jwt = JWTManager::new(&mut app);
    jwt.set_clock(Clock::fixed(NOW as f64));
    app.config.set("JWT_SECRET_KEY", "late").set("JWT_ACCESS_TOKEN_EXPIRES", 10);
    assert_eq!(app.config.get("JWT_HEADER_TYPE"), Some(&json!("Bearer")), "defaults are visible in the config");
    let token = app.finalize().unwrap().app_context(|| create_access_token("a").unwrap());
    assert_eq!(claims_of(&token)["exp"], NOW + 10);
}

#[test]
fn tokens_can_be_made_without_a_context_through_the_manager() {
    let (app, jwt) = app(&[]);
    assert!(jwt.access_token("a").create().unwrap_err().to_string().contains("has not started"));
    let app = app.finalize().unwrap();
    let token = jwt.access_token("a").create().unwrap();
    let decoded = jwt.decode_token(&token, None, false).unwrap();
    assert_eq!(decoded.claims()["sub"], "a");
    let jti = app.app_context(|| phial_jwt::get_jti(&token).unwrap());
    assert_eq!(Some(decoded.claims()["jti"].as_str().unwrap().to_string()), jti);
    let csrf = app.app_context(|| phial_jwt::get_csrf_token(&token).unwrap());
    assert_eq!(decoded.claims()["csrf"], csrf);
}

#[test]
fn a_decoded_token_reads_single_claims_as_its_claims_map_does() {
    let (app, jwt) = app(&[]);
    app.finalize().unwrap();
    // Made elsewhere: no type, fresh or jti, and a claim of the app's own.
    let token = encode_token(json!({"sub": "alice", "exp": NOW + 60, "roles": ["admin"]}), json!({}));
    let decoded = jwt.decode_token(&token, None, false).unwrap();
    let copy = decoded.clone();
    for name in ["sub", "exp", "roles", "type", "fresh", "jti", "csrf", "iat", "nope"] {
        assert_eq!(copy.claim(name), decoded.claims().get(name), "{name}");
    }
    assert_eq!(decoded.claim("type"), Some(&json!("access")), "upstream's defaults are claims too");
    assert_eq!(decoded.claim("fresh"), Some(&json!(false)));
    assert_eq!(decoded.claim("jti"), Some(&Value::Null));
    assert!(Arc::ptr_eq(decoded.claims(), copy.claims()), "clones share one claims map");
    assert_eq!(decoded, copy);
}

#[test]
fn decode_token_options() {
    with_app(&[], || {
        let expired = encode_token(claims_with(json!({"exp": 1})), json!({}));
        assert_eq!(decode_token(&expired, None, false).unwrap_err().to_string(), "Token has expired");
        assert_eq!(decode_token(&expired, None, true).unwrap()["sub"], "username");
        let token = encode_token(access_claims(), json!({}));
        assert!(decode_token(&token, Some("csrf-1"), false).is_ok());
        assert_eq!(
            decode_token(&token, Some("nope"), false).unwrap_err().to_string(),
            "CSRF double submit tokens do not match"
        );
        let no_csrf = encode_token(claims_with(json!({"csrf": null})), json!({}));
        assert_eq!(decode_token(&no_csrf, Some("x"), false).unwrap_err().to_string(), "Missing claim: csrf");
        let minimal = encode_token(json!({"sub": "x"}), json!({}));
        let claims = decode_token(&minimal, None, false).unwrap();
        assert_eq!(
            (claims["type"].clone(), claims["fresh"].clone(), claims["jti"].clone()),
            (json!("access"), json!(false), json!(null))
        );
    });
}
