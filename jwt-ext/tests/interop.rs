//! Interoperability with PyJWT and flask-jwt-extended.
//!
//! `vectors/vectors.json` was made by `vectors/generate.py` with PyJWT 2.10.1 and
//! flask-jwt-extended 4.7.1. phial must verify every token in it, refuse the
//! negative ones with upstream's messages, and write byte for byte the same token as
//! PyJWT for the same header and claims, which proves PyJWT verifies phial's tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use phial::App;
use phial_jwt::algorithm::Algorithm;
use phial_jwt::jws::{self, OrderedClaims, SigningKey};
use phial_jwt::{Clock, JWTManager, JsonObject, decode_token};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors/vectors.json")).unwrap()
}

fn app_with_secret(secret: &str, allowed: &[&str], now: f64) -> App {
    let mut app = App::new("interop");
    app.config
        .set("JWT_SECRET_KEY", secret)
        .set("JWT_DECODE_ALGORITHMS", allowed.to_vec());
    JWTManager::new(&mut app).set_clock(Clock::fixed(now));
    app
}

#[test]
fn rfc_7515_appendix_a1_verifies_at_the_signature_layer() {
    let key = URL_SAFE_NO_PAD
        .decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
        .unwrap();
    let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
                 .eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
                 .dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let parsed = jws::decode_unverified(token, 8192).unwrap();
    assert_eq!(parsed.claims()["iss"], "joe");
    assert_eq!(parsed.claims()["http://example.com/is_root"], true);
    jws::verify(&parsed, &[Algorithm::HS256], &SigningKey::new(&key)).unwrap();

    let tampered = token.replace("dBjft", "dBjfu");
    let parsed = jws::decode_unverified(&tampered, 8192).unwrap();
    let err = jws::verify(&parsed, &[Algorithm::HS256], &SigningKey::new(&key)).unwrap_err();
    assert_eq!(err.to_string(), "Signature verification failed");
}

#[test]
fn phial_writes_pyjwts_bytes_and_reads_pyjwts_tokens() {
    let vectors = vectors();
    assert_eq!(vectors["generator"]["PyJWT"], "2.10.1");
    for vector in vectors["encoder"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let algorithm: Algorithm = vector["algorithm"].as_str().unwrap().parse().unwrap();
        let key = SigningKey::new(vector["secret"].as_str().unwrap().as_bytes());
        let mut claims = OrderedClaims::new();
        for pair in vector["claims"].as_array().unwrap() {
            claims.insert(pair[0].as_str().unwrap(), pair[1].clone());
        }
        let headers: JsonObject = vector["headers"].as_object().unwrap().clone();
        let expected = vector["token"].as_str().unwrap();

        let token = jws::encode(&headers, algorithm, &claims, &key).unwrap();
        assert_eq!(token, expected, "{name}: phial's token differs from PyJWT's");

        let parsed = jws::decode_unverified(expected, 8192).unwrap();
        jws::verify(&parsed, &[algorithm], &key).unwrap_or_else(|e| panic!("{name}: {e}"));
        let decoded: Vec<(&str, &Value)> = claims.iter().collect();
        for (key, value) in decoded {
            assert_eq!(&parsed.claims()[key], value, "{name}: claim {key}");
        }
    }
}

#[test]
fn negative_vectors_are_refused_with_upstreams_messages() {
    for vector in vectors()["negative"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let allowed: Vec<&str> = vector["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut app = app_with_secret(vector["secret"].as_str().unwrap(), &allowed, 1_700_000_100.0);
        let token = vector["token"].as_str().unwrap();
        let err = app.app_context(|| decode_token(token, None, false)).unwrap_err();
        assert_eq!(err.to_string(), vector["message"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn flask_jwt_extended_tokens_decode_to_the_same_claims() {
    for vector in vectors()["flask_jwt_extended"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let claims = vector["claims"].as_object().unwrap();
        let now = claims["iat"].as_f64().unwrap() + 1.0;
        let mut app = app_with_secret(vector["secret"].as_str().unwrap(), &["HS256"], now);
        let decoded = app
            .app_context(|| decode_token(vector["token"].as_str().unwrap(), None, false))
            .unwrap();
        for (key, value) in claims {
            assert_eq!(&decoded[key], value, "{name}: claim {key}");
        }
        // flask-jwt-extended puts a csrf claim in every token, and phial does too.
        assert!(decoded["csrf"].is_string(), "{name}");
    }
}
