//! Secrets never print: `Config`'s `Debug` and `Display`, `App`'s `Debug`, the JWT
//! settings and every start-up error show the keys that hold secrets
//! (`SECRET_KEY`, `SECRET_KEY_FALLBACKS`, `JWT_SECRET_KEY`, `JWT_PRIVATE_KEY`, any
//! `*SECRET*` or `*PASSWORD*` key) with their values redacted.

use phial::prelude::*;
use phial_jwt::JWTManager;

const SECRETS: [(&str, &str); 5] = [
    ("SECRET_KEY", "flask-session-secret-value"),
    ("JWT_SECRET_KEY", "jwt-signing-secret-value"),
    ("JWT_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----private-key-value"),
    ("DATABASE_PASSWORD", "database-password-value"),
    ("STRIPE_SECRET", "stripe-secret-value"),
];

fn config_with_secrets() -> Config {
    let mut config = Config::new();
    for (key, value) in SECRETS {
        config.set(key, value);
    }
    config.set("SECRET_KEY_FALLBACKS", vec!["old-key-value"]).set("JWT_ALGORITHM", "HS256");
    config
}

fn assert_no_secret(printed: &str) {
    for (key, value) in SECRETS {
        assert!(!printed.contains(value), "{key}'s value printed: {printed}");
    }
    assert!(!printed.contains("old-key-value"), "a fallback key printed: {printed}");
}

#[test]
fn config_prints_every_key_with_secret_values_redacted() {
    let config = config_with_secrets();
    for printed in [format!("{config}"), format!("{config:?}"), format!("{config:#?}")] {
        assert_no_secret(&printed);
        assert!(printed.contains("JWT_SECRET_KEY") && printed.contains("[redacted]"), "{printed}");
        assert!(printed.contains("HS256"), "other values still print: {printed}");
    }
}

#[test]
fn the_apps_debug_redacts_its_config() {
    let mut app = App::new("secrets");
    app.config = config_with_secrets();
    assert_no_secret(&format!("{app:?}"));
}

#[test]
fn a_secret_of_the_wrong_type_is_named_without_its_value() {
    let mut app = App::new("secrets");
    // As `PHIAL_JWT_SECRET_KEY=31415926535` from the environment reads: a number.
    app.config.set("JWT_SECRET_KEY", 31_415_926_535_i64);
    JWTManager::new(&mut app);
    let error = app.finalize().unwrap_err().to_string();
    assert!(error.contains("JWT_SECRET_KEY") && error.contains("an integer"), "{error}");
    assert!(!error.contains("31415926535"), "{error}");
}

#[test]
fn other_keys_still_show_the_value_that_does_not_fit() {
    let mut app = App::new("secrets");
    app.config.set("JWT_SECRET_KEY", "a-secret-long-enough-for-hs256-signing").set("JWT_ACCESS_TOKEN_EXPIRES", "1h");
    JWTManager::new(&mut app);
    let error = app.finalize().unwrap_err().to_string();
    assert!(error.contains("JWT_ACCESS_TOKEN_EXPIRES") && error.contains("\"1h\""), "{error}");
}
