//! Interoperability at the manager level: tokens made by flask-jwt-extended 4.7.1
//! decode to the same claims through phial's `JWTManager`, and PyJWT-made bad
//! tokens are refused with upstream's messages. `flask_vectors/vectors.json` is
//! made by `flask_vectors/generate.py`.

use phial::App;
use phial_jwt::{Clock, JWTManager, decode_token};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("flask_vectors/vectors.json")).unwrap()
}

fn app_with_secret(secret: &str, allowed: &[&str], now: f64) -> App {
    let mut app = App::new("interop");
    app.config.set("JWT_SECRET_KEY", secret).set("JWT_DECODE_ALGORITHMS", allowed.to_vec());
    JWTManager::new(&mut app).set_clock(Clock::fixed(now));
    app
}

#[test]
fn flask_jwt_extended_tokens_decode_to_the_same_claims() {
    let vectors = vectors();
    assert_eq!(vectors["generator"]["flask-jwt-extended"], "4.7.1");
    for vector in vectors["flask_jwt_extended"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let claims = vector["claims"].as_object().unwrap();
        let now = claims["iat"].as_f64().unwrap() + 1.0;
        let app = app_with_secret(vector["secret"].as_str().unwrap(), &["HS256"], now).finalize().unwrap();
        let decoded = app.app_context(|| decode_token(vector["token"].as_str().unwrap(), None, false)).unwrap();
        for (key, value) in claims {
            assert_eq!(&decoded[key], value, "{name}: claim {key}");
        }
        // flask-jwt-extended puts a csrf claim in every token, and phial does too.
        assert!(decoded["csrf"].is_string(), "{name}");
    }
}

#[test]
fn bad_tokens_are_refused_with_upstreams_messages() {
    for vector in vectors()["negative"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let allowed: Vec<&str> = vector["allowed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let app = app_with_secret(vector["secret"].as_str().unwrap(), &allowed, 1_700_000_100.0).finalize().unwrap();
        let token = vector["token"].as_str().unwrap();
        let err = app.app_context(|| decode_token(token, None, false)).unwrap_err();
        assert_eq!(err.to_string(), vector["message"].as_str().unwrap(), "{name}");
    }
}
