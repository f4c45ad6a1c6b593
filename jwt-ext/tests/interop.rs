//! Interoperability: RFC 7515's HS256 example, and tokens made and judged by PyJWT
//! 2.10.1 (`tests/vectors/generate.py`, output checked in as `vectors.json`).
//!
//! For every PyJWT vector, phial must reach PyJWT's verdict under
//! flask-jwt-extended's configuration (the same header and claims, or the same
//! message), and for every token PyJWT created, phial's encoder must produce the
//! same string from the same secret, algorithm, additional headers and claim order,
//! which also proves that PyJWT accepts phial's tokens.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use phial_jwt::algorithm::Algorithm;
use phial_jwt::claims::{self, Validation};
use phial_jwt::jws::{self, OrderedClaims, SigningKey};
use phial_jwt::{JsonObject, JwtError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

// --- RFC 7515 appendix A.1 ----------------------------------------------------------

/// The symmetric key of RFC 7515 appendix A.1.1, as its JWK `k` member.
const RFC7515_A1_K: &str = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

/// The complete JWS of appendix A.1.1, in compact serialization. Its header has
/// line breaks and no `"alg"` first, which phial must read as written.
const RFC7515_A1_JWS: &str = concat!(
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9",
    ".",
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ",
    ".",
    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
);

fn rfc_key() -> SigningKey {
    SigningKey::new(URL_SAFE_NO_PAD.decode(RFC7515_A1_K).unwrap()).unwrap()
}

#[test]
fn rfc7515_a1_verifies_at_the_signature_layer() {
    let token = jws::decode_unverified(RFC7515_A1_JWS, jws::DEFAULT_MAX_TOKEN_LENGTH).unwrap();
    assert_eq!(jws::verify(&token, &[Algorithm::HS256], &rfc_key()), Ok(Algorithm::HS256));
    assert_eq!(Value::Object(token.header().clone()), json!({"typ": "JWT", "alg": "HS256"}));
    assert_eq!(
        Value::Object(token.claims().clone()),
        json!({"iss": "joe", "exp": 1300819380, "http://example.com/is_root": true})
    );
    // The signature covers the header bytes as sent, line breaks included.
    assert!(token.signing_input().starts_with("eyJ0eXAiOiJKV1QiLA0K"));
}

#[test]
fn rfc7515_a1_fails_with_another_key_or_algorithm() {
    let token = jws::decode_unverified(RFC7515_A1_JWS, jws::DEFAULT_MAX_TOKEN_LENGTH).unwrap();
    let other = SigningKey::new("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ").unwrap();
    assert_eq!(
        jws::verify(&token, &[Algorithm::HS256], &other),
        Err(JwtError::Decode("Signature verification failed".into()))
    );
    assert_eq!(
        jws::verify(&token, &[Algorithm::HS384, Algorithm::HS512], &rfc_key()),
        Err(JwtError::Decode("The specified alg value is not allowed".into()))
    );
}

#[test]
fn rfc7515_a1_claims_are_judged_separately_and_it_expired_in_2011() {
    let token = jws::decode_unverified(RFC7515_A1_JWS, jws::DEFAULT_MAX_TOKEN_LENGTH).unwrap();
    let checks = Validation::default();
    assert_eq!(claims::validate(token.header(), token.claims(), 1300819379, &checks), Ok(()));
    let err = claims::validate(token.header(), token.claims(), 1300819380, &checks).unwrap_err();
    assert!(matches!(err, JwtError::Expired { .. }), "{err:?}");
}

// --- PyJWT vectors ------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Document {
    pyjwt_version: String,
    now: i64,
    vectors: Vec<Vector>,
    differences: Vec<Vector>,
}

#[derive(Debug, Deserialize)]
struct Vector {
    name: String,
    token: String,
    /// How PyJWT created the token, when it did.
    encode: Option<Encode>,
    decode: Decode,
    /// PyJWT's verdict.
    expect: Verdict,
    /// phial's verdict where it differs on purpose (hand-written in the generator).
    expect_phial: Option<Verdict>,
}

#[derive(Debug, Deserialize)]
struct Encode {
    secret_hex: String,
    algorithm: String,
    headers: JsonObject,
    claims: Vec<(String, Value)>,
}

#[derive(Debug, Deserialize)]
struct Decode {
    secret_hex: String,
    algorithms: Vec<String>,
    now: i64,
    leeway: u64,
    audience: Option<Value>,
    issuer: Option<String>,
    verify_sub: bool,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(untagged)]
enum Verdict {
    Valid {
        header: JsonObject,
        claims: JsonObject,
    },
    Error {
        error: String,
    },
    /// PyJWT raised something other than a PyJWT error (upstream answers 500).
    Crash {
        crash: String,
    },
}

fn document() -> Document {
    serde_json::from_str(include_str!("vectors/vectors.json")).expect("vectors.json parses")
}

fn secret(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex secret")).collect()
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(one) => vec![one.clone()],
        Value::Array(many) => many.iter().map(|v| v.as_str().expect("audience").to_owned()).collect(),
        other => panic!("audience {other}"),
    }
}

/// The whole decode, as the manager will run it: unverified parse, signature,
/// then claims.
fn phial_verdict(vector: &Vector) -> Verdict {
    let decode = &vector.decode;
    let key = SigningKey::new(secret(&decode.secret_hex)).expect("secret");
    let allowed: Vec<Algorithm> = decode.algorithms.iter().map(|a| a.parse().expect("algorithm")).collect();
    let validation = Validation {
        leeway: Duration::from_secs(decode.leeway),
        audience: decode.audience.as_ref().map(strings),
        issuer: decode.issuer.clone().map(|issuer| vec![issuer]),
        verify_sub: decode.verify_sub,
        verify_exp: true,
    };
    let result = jws::decode_unverified(&vector.token, jws::DEFAULT_MAX_TOKEN_LENGTH).and_then(|token| {
        jws::verify(&token, &allowed, &key)?;
        claims::validate(token.header(), token.claims(), decode.now, &validation)?;
        Ok(token.into_parts())
    });
    match result {
        Ok((header, claims)) => Verdict::Valid { header, claims },
        Err(error) => Verdict::Error { error: error.to_string() },
    }
}

#[test]
fn vectors_come_from_the_pinned_pyjwt() {
    let document = document();
    assert_eq!(document.pyjwt_version, "2.10.1");
    assert!(document.vectors.len() >= 50, "{} vectors", document.vectors.len());
    assert!(document.vectors.iter().all(|v| v.decode.now == document.now));
}

#[test]
fn phial_reaches_pyjwts_verdict_on_every_vector() {
    let document = document();
    let mut mismatches = Vec::new();
    let (mut valid, mut refused) = (0, 0);
    for vector in &document.vectors {
        assert!(vector.expect_phial.is_none(), "{}: belongs under differences", vector.name);
        match vector.expect {
            Verdict::Valid { .. } => valid += 1,
            Verdict::Error { .. } => refused += 1,
            Verdict::Crash { .. } => {
                panic!("{}: PyJWT crashed; belongs under differences", vector.name)
            }
        }
        let phial = phial_verdict(vector);
        if phial != vector.expect {
            mismatches.push(format!("{}:\n  PyJWT {:?}\n  phial {:?}", vector.name, vector.expect, phial));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(valid >= 20 && refused >= 25, "{valid} valid and {refused} refused vectors");
}

#[test]
fn phial_encodes_pyjwts_tokens_byte_for_byte() {
    let document = document();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for vector in document.vectors.iter().chain(&document.differences) {
        let Some(encode) = &vector.encode else {
            continue;
        };
        let key = SigningKey::new(secret(&encode.secret_hex)).expect("secret");
        let alg: Algorithm = encode.algorithm.parse().expect("algorithm");
        let claims: OrderedClaims = encode.claims.iter().cloned().collect();
        let token = jws::encode(&encode.headers, alg, &claims, &key).expect("encode");
        if token != vector.token {
            mismatches.push(format!("{}:\n  PyJWT {}\n  phial {}", vector.name, vector.token, token));
        }
        checked += 1;
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(checked >= 40, "only {checked} tokens were compared");
}

#[test]
fn phial_is_stricter_than_pyjwt_only_where_documented() {
    let document = document();
    assert!(!document.differences.is_empty());
    for vector in &document.differences {
        let expected = vector.expect_phial.as_ref().expect("expect_phial");
        // These are differences: PyJWT accepted the token or crashed on it.
        assert!(
            matches!(vector.expect, Verdict::Valid { .. } | Verdict::Crash { .. }),
            "{}: PyJWT refused it too ({:?}); move it to the vectors",
            vector.name,
            vector.expect
        );
        assert_eq!(&phial_verdict(vector), expected, "{}", vector.name);
    }
}
