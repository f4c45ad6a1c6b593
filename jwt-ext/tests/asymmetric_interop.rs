//! Asymmetric interop with PyJWT 2.10.1 + cryptography (`tests/vectors/asymmetric.py`,
//! output checked in): phial verifies every token PyJWT signed, with the public key
//! in every format PyJWT reads; for the deterministic algorithms (RS*, EdDSA) phial
//! signs the very same string; and PyJWT verified every token phial signed
//! (`phial_tokens_checked.json`).

use phial_jwt::algorithm::{Algorithm, KeyType};
use phial_jwt::jws::{self, OrderedClaims};
use phial_jwt::keys::{SigningKey, VerifyingKey};
use phial_jwt::{JsonObject, JwtError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn key_file(name: &str) -> String {
    std::fs::read_to_string(dir().join("keys").join(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn private(key: &str) -> SigningKey {
    SigningKey::from_pem(key_file(&format!("{key}_private.pem"))).unwrap()
}

fn public(key: &str) -> VerifyingKey {
    VerifyingKey::from_pem(key_file(&format!("{key}_public.pem"))).unwrap()
}

#[derive(Deserialize)]
struct Vectors {
    tokens: Vec<PyjwtToken>,
}

#[derive(Deserialize)]
struct PyjwtToken {
    alg: String,
    key: String,
    headers: JsonObject,
    token: String,
    claims: JsonObject,
}

fn vectors() -> Vectors {
    let text = std::fs::read_to_string(dir().join("vectors/asymmetric.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The claims of the vectors, in the order PyJWT wrote them.
fn claims() -> OrderedClaims {
    let mut claims = OrderedClaims::new();
    claims.insert("fresh", false);
    claims.insert("iat", 1_700_000_000);
    claims.insert("jti", "0b3c4a6e-0f5d-4c3e-9a61-2b8f8d1f7c11");
    claims.insert("type", "access");
    claims.insert("sub", "alice");
    claims.insert("nbf", 1_700_000_000);
    claims.insert("exp", 4_102_444_800_i64);
    claims
}

fn verify(token: &str, alg: Algorithm, key: &VerifyingKey) -> Result<JsonObject, JwtError> {
    let unverified = jws::decode_unverified(token, jws::DEFAULT_MAX_TOKEN_LENGTH)?;
    jws::verify(&unverified, &[alg], key)?;
    Ok(unverified.claims().clone())
}

#[test]
fn phial_verifies_every_pyjwt_token_with_the_public_key_in_every_format() {
    let vectors = vectors();
    assert_eq!(vectors.tokens.len(), 20, "two tokens for each of the ten asymmetric algorithms");
    for vector in &vectors.tokens {
        let alg: Algorithm = vector.alg.parse().unwrap();
        let mut formats = vec![format!("{}_public.pem", vector.key), format!("{}.pub", vector.key)];
        formats.push(format!("{}_private.pem", vector.key));
        if alg.key_type() == KeyType::Rsa {
            formats.push(format!("{}_public_pkcs1.pem", vector.key));
        }
        for file in formats {
            let key = VerifyingKey::from_pem(key_file(&file)).unwrap_or_else(|err| panic!("{file}: {err}"));
            let claims =
                verify(&vector.token, alg, &key).unwrap_or_else(|err| panic!("{} with {file}: {err}", vector.alg));
            assert_eq!(claims, vector.claims, "{}", vector.alg);
        }
    }
}

#[test]
fn deterministic_algorithms_sign_the_same_bytes_as_pyjwt() {
    let mut compared = 0;
    for vector in vectors().tokens {
        let alg: Algorithm = vector.alg.parse().unwrap();
        if !matches!(alg.key_type(), KeyType::Rsa | KeyType::Ed25519) || vector.alg.starts_with("PS") {
            continue;
        }
        let token = jws::encode(&vector.headers, alg, &claims(), &private(&vector.key)).unwrap();
        assert_eq!(token, vector.token, "{} {:?}", vector.alg, vector.headers);
        compared += 1;
    }
    assert_eq!(compared, 8, "RS256, RS384, RS512 and EdDSA, with and without a kid");
}

#[test]
fn every_private_key_format_signs_what_its_public_key_verifies() {
    let pairs = [
        ("rsa2048_private_pkcs1.pem", "rsa2048", Algorithm::PS256),
        ("p256_private_sec1.pem", "p256", Algorithm::ES256),
        ("p384_private_sec1.pem", "p384", Algorithm::ES384),
        ("p521_private_sec1.pem", "p521", Algorithm::ES512),
        ("ed25519_private.pem", "ed25519", Algorithm::EdDSA),
    ];
    for (file, key, alg) in pairs {
        let signing = SigningKey::from_pem(key_file(file)).unwrap_or_else(|err| panic!("{file}: {err}"));
        let token = jws::encode(&JsonObject::new(), alg, &claims(), &signing).unwrap();
        verify(&token, alg, &public(key)).unwrap_or_else(|err| panic!("{file}: {err}"));
    }
}

/// The tokens phial signs for PyJWT to check: each algorithm, with and without a
/// `kid`. Written by `PHIAL_WRITE_VECTORS=1`; checked by `asymmetric.py --check`.
fn phial_tokens() -> Vec<Value> {
    let mut tokens = Vec::new();
    for vector in vectors().tokens {
        let alg: Algorithm = vector.alg.parse().unwrap();
        let token = jws::encode(&vector.headers, alg, &claims(), &private(&vector.key)).unwrap();
        tokens.push(json!({"alg": vector.alg, "key": vector.key, "token": token}));
    }
    tokens
}

#[test]
fn pyjwt_verified_every_token_phial_signed() {
    if std::env::var_os("PHIAL_WRITE_VECTORS").is_some() {
        let text = serde_json::to_string_pretty(&json!({"tokens": phial_tokens()})).unwrap();
        std::fs::write(dir().join("vectors/phial_tokens.json"), text + "\n").unwrap();
        return;
    }
    let text = std::fs::read_to_string(dir().join("vectors/phial_tokens_checked.json")).unwrap();
    let checked: Value = serde_json::from_str(&text).unwrap();
    let verdicts = checked["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), 20);
    let algorithms: std::collections::BTreeSet<&str> = verdicts.iter().map(|v| v["alg"].as_str().unwrap()).collect();
    assert_eq!(algorithms.len(), 10, "{algorithms:?}");
    for verdict in verdicts {
        assert_eq!(verdict["verified"], true, "PyJWT refused {verdict}");
        assert_eq!(verdict["claims"]["sub"], "alice");
        // The token PyJWT checked is one phial verifies with the same key today.
        let alg: Algorithm = verdict["alg"].as_str().unwrap().parse().unwrap();
        verify(verdict["token"].as_str().unwrap(), alg, &public(verdict["key"].as_str().unwrap())).unwrap();
    }
}

#[test]
fn rsa_keys_under_2048_bits_are_refused_unless_allowed() {
    for file in ["rsa1024_private.pem", "rsa1024_private_pkcs1.pem"] {
        let err = SigningKey::from_pem(key_file(file)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the RSA key is 1024 bits long, under the 2048-bit minimum (JWT_RSA_MIN_KEY_BITS)",
            "{file}"
        );
        assert!(SigningKey::from_pem_with_min_rsa_bits(key_file(file), 1024).is_ok(), "{file}");
    }
    for file in ["rsa1024_public.pem", "rsa1024_public_pkcs1.pem", "rsa1024.pub"] {
        assert!(VerifyingKey::from_pem(key_file(file)).is_err(), "{file}");
        assert_eq!(VerifyingKey::from_pem_with_min_rsa_bits(key_file(file), 1024).unwrap().rsa_bits(), Some(1024));
    }
}
