//! Tests of reading the settings from the config.
use super::*;

fn config(pairs: &[(&str, Value)]) -> Config {
    let mut config = Config::new();
    for (k, v) in pairs {
        config.set(*k, v.clone());
    }
    config
}

fn secret() -> (&'static str, Value) {
    ("JWT_SECRET_KEY", json!("a secret that is long enough for hs256!!"))
}

#[test]
fn defaults_are_upstreams() {
    let settings = Settings::from_config(&config(&[secret()]), false).unwrap();
    assert_eq!(settings.access_expires, Some(Duration::from_secs(900)));
    assert_eq!(settings.refresh_expires, Some(Duration::from_secs(30 * 24 * 3600)));
    assert_eq!(settings.algorithm, Algorithm::HS256);
    assert_eq!(settings.decode_algorithms, vec![Algorithm::HS256]);
    assert_eq!(settings.token_location, vec![Location::Headers]);
    assert_eq!((settings.header_name.as_str(), settings.header_type.as_str()), ("Authorization", "Bearer"));
    assert_eq!(settings.access_cookies.cookie_name, "access_token_cookie");
    assert_eq!(settings.refresh_cookies.csrf_cookie_name, "csrf_refresh_token");
    assert_eq!(settings.csrf_methods, ["POST", "PUT", "PATCH", "DELETE"]);
    assert!(settings.csrf_protect && settings.session_cookie && settings.encode_nbf && settings.verify_sub);
    assert_eq!(settings.error_message_key, "msg");
    assert_eq!(settings.max_token_length, 8192);
}

#[test]
fn the_secret_falls_back_to_secret_key_and_is_required() {
    let settings = Settings::from_config(&config(&[("SECRET_KEY", json!("flask-secret"))]), false).unwrap();
    assert_eq!(settings.secret.as_ref().map(phial::Secret::expose), Some(&b"flask-secret"[..]));
    let err = Settings::from_config(&config(&[]), false).unwrap_err().to_string();
    assert!(err.contains("JWT_SECRET_KEY") && err.contains("symmetric algorithm \"HS256\""), "{err}");
    assert!(Settings::from_config(&config(&[]), true).is_ok(), "custom key loaders replace the secret");
}

#[test]
fn weak_secrets_warn_or_fail_when_asked() {
    assert!(Settings::from_config(&config(&[("JWT_SECRET_KEY", json!("super-secret"))]), false).is_ok());
    let strict = config(&[("JWT_SECRET_KEY", json!("super-secret")), ("JWT_REQUIRE_STRONG_SECRET", json!(true))]);
    let err = Settings::from_config(&strict, false).unwrap_err().to_string();
    assert!(err.contains("JWT_SECRET_KEY is 12 bytes long; HS256 needs at least 32 bytes"), "{err}");
}

#[test]
fn asymmetric_algorithms_are_refused_at_start() {
    let err = Settings::from_config(&config(&[secret(), ("JWT_ALGORITHM", json!("RS256"))]), false).unwrap_err();
    let err = err.to_string();
    assert!(err.contains("JWT_ALGORITHM") && err.contains("not supported"), "{err}");
}

#[test]
fn decode_algorithms_always_include_the_signing_algorithm() {
    let settings = Settings::from_config(
        &config(&[secret(), ("JWT_ALGORITHM", json!("HS512")), ("JWT_DECODE_ALGORITHMS", json!(["HS256"]))]),
        false,
    )
    .unwrap();
    assert_eq!(settings.decode_algorithms, vec![Algorithm::HS256, Algorithm::HS512]);
}

#[test]
fn token_location_mistakes_use_upstream_messages() {
    let check = |value: Value, expected: &str| {
        let err = Settings::from_config(&config(&[secret(), ("JWT_TOKEN_LOCATION", value)]), false).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    };
    check(json!([]), "must contain at least one of");
    check(json!(["headers", "banana"]), "can only contain");
    check(json!(5), "must be a sequence or a set");
    let settings =
        Settings::from_config(&config(&[secret(), ("JWT_TOKEN_LOCATION", json!("cookies"))]), false).unwrap();
    assert_eq!(settings.token_location, vec![Location::Cookies]);
}

#[test]
fn wrong_types_name_the_key() {
    for (key, value) in [
        ("JWT_ACCESS_TOKEN_EXPIRES", json!("banana")),
        ("JWT_ACCESS_TOKEN_EXPIRES", json!(true)),
        ("JWT_COOKIE_SECURE", json!("yes")),
        ("JWT_HEADER_NAME", json!("")),
        ("JWT_COOKIE_SAMESITE", json!("sometimes")),
        ("JWT_DECODE_LEEWAY", json!(-1)),
    ] {
        let err = Settings::from_config(&config(&[secret(), (key, value)]), false).unwrap_err().to_string();
        assert!(err.contains(key), "{key}: {err}");
    }
}

#[test]
fn expiries_accept_seconds_and_false() {
    let settings = Settings::from_config(
        &config(&[secret(), ("JWT_ACCESS_TOKEN_EXPIRES", json!(3600)), ("JWT_REFRESH_TOKEN_EXPIRES", json!(false))]),
        false,
    )
    .unwrap();
    assert_eq!(settings.access_expires, Some(Duration::from_secs(3600)));
    assert_eq!(settings.refresh_expires, None);
}

#[test]
fn cookie_domains_lose_their_leading_dot() {
    let settings =
        Settings::from_config(&config(&[secret(), ("JWT_COOKIE_DOMAIN", json!(".example.com"))]), false).unwrap();
    assert_eq!(settings.cookie_domain.as_deref(), Some("example.com"));
}

#[test]
fn the_settings_print_the_secret_redacted() {
    let settings = Settings::from_config(&config(&[secret()]), false).unwrap();
    let printed = format!("{settings:?}");
    assert!(!printed.contains("long enough for hs256"), "{printed}");
    assert!(printed.contains("secret: Some(Secret([redacted]))"), "{printed}");
}
