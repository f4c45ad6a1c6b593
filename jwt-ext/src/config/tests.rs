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

fn key_file(name: &str) -> Value {
    let path = format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    json!(std::fs::read_to_string(&path).unwrap())
}

/// The keys the config gives, or the start-up error's text.
fn keys(pairs: &[(&str, Value)]) -> Result<ConfiguredKeys, String> {
    let settings = Settings::from_config(&config(pairs), false).map_err(|err| err.to_string())?;
    ConfiguredKeys::from_settings(&settings, false).map_err(|err| err.to_string())
}

#[test]
fn an_asymmetric_algorithm_needs_a_key_at_start() {
    let err = keys(&[secret(), ("JWT_ALGORITHM", json!("RS256"))]).unwrap_err();
    assert_eq!(
        err,
        "config key JWT_PUBLIC_KEY must be set (or JWT_PRIVATE_KEY) when using asymmetric algorithm \"RS256\""
    );
}

#[test]
fn the_private_key_signs_and_its_public_half_verifies_when_no_public_key_is_given() {
    let keys = keys(&[("JWT_ALGORITHM", json!("ES256")), ("JWT_PRIVATE_KEY", key_file("p256_private.pem"))]).unwrap();
    assert_eq!(keys.signing.unwrap().key_type(), crate::algorithm::KeyType::P256);
    assert_eq!(keys.verifying.unwrap().key_type(), crate::algorithm::KeyType::P256);
}

#[test]
fn a_public_key_alone_verifies_and_nothing_signs() {
    let keys = keys(&[("JWT_ALGORITHM", json!("EdDSA")), ("JWT_PUBLIC_KEY", key_file("ed25519.pub"))]).unwrap();
    assert!(keys.signing.is_none());
    assert!(keys.verifying.unwrap().fits(Algorithm::EdDSA));
}

#[test]
fn a_key_of_the_wrong_type_for_the_algorithm_is_refused_at_start() {
    let err = keys(&[("JWT_ALGORITHM", json!("RS256")), ("JWT_PUBLIC_KEY", key_file("p256_public.pem"))]).unwrap_err();
    assert_eq!(err, "config key JWT_PUBLIC_KEY is a P-256 EC key, and JWT_ALGORITHM \"RS256\" needs an RSA key");
    let err =
        keys(&[("JWT_ALGORITHM", json!("ES384")), ("JWT_PRIVATE_KEY", key_file("p256_private.pem"))]).unwrap_err();
    assert_eq!(err, "config key JWT_PRIVATE_KEY is a P-256 EC key, and JWT_ALGORITHM \"ES384\" needs a P-384 EC key");
}

#[test]
fn a_public_key_that_is_not_the_private_keys_half_is_refused_at_start() {
    let err = keys(&[
        ("JWT_ALGORITHM", json!("RS256")),
        ("JWT_PRIVATE_KEY", key_file("rsa2048_private.pem")),
        ("JWT_PUBLIC_KEY", key_file("rsa3072_public.pem")),
    ])
    .unwrap_err();
    assert!(err.starts_with("config key JWT_PUBLIC_KEY is not the public half of JWT_PRIVATE_KEY"), "{err}");
}

#[test]
fn decode_algorithms_must_fit_the_configured_key() {
    let err = keys(&[
        ("JWT_ALGORITHM", json!("RS256")),
        ("JWT_DECODE_ALGORITHMS", json!(["HS256", "RS256"])),
        ("JWT_PUBLIC_KEY", key_file("rsa2048_public.pem")),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        "config key JWT_DECODE_ALGORITHMS lists \"HS256\", which needs an HMAC secret, and the key from \
         JWT_PUBLIC_KEY is an RSA key"
    );
    // RS and PS share the key type.
    assert!(
        keys(&[
            ("JWT_ALGORITHM", json!("RS256")),
            ("JWT_DECODE_ALGORITHMS", json!(["PS512", "RS384"])),
            ("JWT_PUBLIC_KEY", key_file("rsa2048_public.pem")),
        ])
        .is_ok()
    );
}

#[test]
fn short_rsa_keys_are_refused_unless_the_minimum_is_lowered() {
    let short = [("JWT_ALGORITHM", json!("RS256")), ("JWT_PRIVATE_KEY", key_file("rsa1024_private.pem"))];
    let err = keys(&short).unwrap_err();
    assert_eq!(
        err,
        "config key JWT_PRIVATE_KEY cannot be used: the RSA key is 1024 bits long, under the 2048-bit minimum \
         (JWT_RSA_MIN_KEY_BITS)"
    );
    let mut allowed = short.to_vec();
    allowed.push(("JWT_RSA_MIN_KEY_BITS", json!(1024)));
    assert!(keys(&allowed).is_ok());
}

#[test]
fn a_key_that_does_not_parse_is_named_and_never_echoed() {
    let pem = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n";
    let err = keys(&[("JWT_ALGORITHM", json!("RS256")), ("JWT_PRIVATE_KEY", json!(pem))]).unwrap_err();
    assert!(err.starts_with("config key JWT_PRIVATE_KEY cannot be used: the key is not a private key"), "{err}");
    assert!(!err.contains("bm90"), "{err}");
    let err = keys(&[("JWT_ALGORITHM", json!("ES256")), ("JWT_PUBLIC_KEY", json!("just text"))]).unwrap_err();
    assert!(err.starts_with("config key JWT_PUBLIC_KEY cannot be used: the OpenSSH public key is malformed"), "{err}");
}

#[test]
fn an_hmac_algorithm_ignores_the_key_pair() {
    let keys = keys(&[secret(), ("JWT_PRIVATE_KEY", key_file("p256_private.pem"))]).unwrap();
    assert_eq!(keys.signing.unwrap().key_type(), crate::algorithm::KeyType::Hmac);
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
