//! Decoding and verification, one test per rule of `jwt-attacks.md` and per
//! message of the contract's section 4.2 that this layer produces: the shape of a
//! token in `format`, the algorithm and the MAC in `signature`.

use super::*;
use crate::algorithm::Algorithm;
use crate::{JsonObject, JwtError};
use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

const MAX: usize = DEFAULT_MAX_TOKEN_LENGTH;
const HS256: &[Algorithm] = &[Algorithm::HS256];

fn key() -> SigningKey {
    SigningKey::new("super-secret").unwrap()
}

fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

/// A token with exactly this header and payload text, correctly signed with `alg`,
/// so that each test reaches the check it is about.
fn signed(alg: Algorithm, header: &str, payload: &str) -> String {
    let mut token = format!("{}.{}", b64(header), b64(payload));
    let signature = key().sign(alg, token.as_bytes()).unwrap();
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    token
}

fn hs256(payload: &str) -> String {
    signed(Algorithm::HS256, r#"{"alg":"HS256","typ":"JWT"}"#, payload)
}

/// decode_unverified then verify against HS256 and the test key.
fn decode(token: &str) -> Result<(JsonObject, JsonObject), JwtError> {
    let unverified = decode_unverified(token, MAX)?;
    verify(&unverified, HS256, &key())?;
    Ok(unverified.into_parts())
}

fn error(token: &str) -> String {
    decode(token).expect_err("the token was accepted").to_string()
}

fn with_segment(token: &str, index: usize, segment: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[index] = segment;
    parts.join(".")
}

#[test]
fn a_token_round_trips() {
    let claims = json!({"sub": "alice", "exp": 4102444800u64, "fresh": 1795872479.553766, "roles": ["a", "b"]});
    let extra = match json!({"kid": "key-1"}) {
        Value::Object(map) => map,
        _ => unreachable!(),
    };
    let token = encode(&extra, Algorithm::HS256, &claims, &key()).unwrap();
    let (header, decoded) = decode(&token).unwrap();
    assert_eq!(Value::Object(header), json!({"alg": "HS256", "typ": "JWT", "kid": "key-1"}));
    assert_eq!(Value::Object(decoded), claims);
}

#[test]
fn the_unverified_token_borrows_the_signing_input() {
    let token = hs256(r#"{"sub":"a"}"#);
    let unverified = decode_unverified(&token, MAX).unwrap();
    assert_eq!(unverified.signing_input(), token.rsplit_once('.').unwrap().0);
    assert_eq!(unverified.signature().len(), 32);
    assert_eq!(unverified.claims()["sub"], "a");
    assert_eq!(unverified.header()["alg"], "HS256");
}

#[test]
fn every_hmac_algorithm_verifies_when_allowed() {
    for alg in Algorithm::HMAC {
        let token = encode(&JsonObject::new(), alg, &json!({"sub": "a"}), &key()).unwrap();
        let unverified = decode_unverified(&token, MAX).unwrap();
        assert_eq!(verify(&unverified, &Algorithm::ALL, &key()), Ok(alg));
    }
}

mod format;
mod payload_readers;
mod signature;
