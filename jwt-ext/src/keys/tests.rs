//! Keys: parsing each format, the key type binding the algorithms, and errors
//! that name what was expected.
use super::*;

const ED25519_PRIVATE: &str = include_str!("../../tests/keys/ed25519_private.pem");
const ED25519_PUBLIC: &str = include_str!("../../tests/keys/ed25519_public.pem");

#[test]
fn an_ed25519_pair_signs_and_verifies_eddsa_only() {
    let private = SigningKey::from_pem(ED25519_PRIVATE).unwrap();
    let public = VerifyingKey::from_pem(ED25519_PUBLIC).unwrap();
    let signature = private.sign(Algorithm::EdDSA, b"input").unwrap();
    assert!(public.verify(Algorithm::EdDSA, b"input", &signature));
    assert!(!public.verify(Algorithm::EdDSA, b"other", &signature));
    for alg in Algorithm::ALL.into_iter().filter(|alg| *alg != Algorithm::EdDSA) {
        assert!(!public.fits(alg));
        assert_eq!(
            private.sign(alg, b"input").unwrap_err().to_string(),
            format!("{alg} needs {}, and the signing key is an Ed25519 key", alg.key_type().describe())
        );
    }
}

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_rfc_7638_example_key_has_the_rfcs_thumbprint() {
    let jwk: crate::JsonObject = serde_json::from_value(serde_json::json!({
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29"
    }))
    .unwrap();
    let key = VerifyingKey::from_jwk(&jwk).unwrap();
    assert_eq!(key.thumbprint().unwrap(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

#[test]
fn every_public_key_type_round_trips_through_its_jwk() {
    for (file, alg) in [
        ("rsa2048_public.pem", Algorithm::RS256),
        ("p256_public.pem", Algorithm::ES256),
        ("p384_public.pem", Algorithm::ES384),
        ("p521_public.pem", Algorithm::ES512),
        ("ed25519_public.pem", Algorithm::EdDSA),
    ] {
        let key = VerifyingKey::from_pem(key_file(file)).unwrap();
        let jwk = key.to_jwk().unwrap();
        let back = VerifyingKey::from_jwk(&jwk).unwrap();
        assert_eq!(back.to_jwk(), Some(jwk.clone()), "{file}");
        assert_eq!(back.thumbprint(), key.thumbprint(), "{file}");
        assert!(back.fits(alg), "{file}");
        let private = SigningKey::from_pem(key_file(&file.replace("_public", "_private"))).unwrap();
        assert!(back.verify(alg, b"input", &private.sign(alg, b"input").unwrap()), "{file}");
        assert!(["d", "p", "q", "dp", "dq", "qi"].iter().all(|member| !jwk.contains_key(*member)), "{file}");
    }
    assert_eq!(VerifyingKey::hmac("secret").unwrap().to_jwk(), None, "secrets are never published");
}

#[test]
fn jwks_refuse_secrets_and_unknown_types() {
    let jwk = |value: serde_json::Value| -> crate::JsonObject { serde_json::from_value(value).unwrap() };
    let err = VerifyingKey::from_jwk(&jwk(serde_json::json!({"kty": "oct", "k": "c2VjcmV0"}))).unwrap_err();
    assert_eq!(err.to_string(), "the JWK cannot be used: kty \"oct\" (a shared secret) is never accepted in a key set");
    let err =
        VerifyingKey::from_jwk(&jwk(serde_json::json!({"kty": "EC", "crv": "P-256K", "x": "", "y": ""}))).unwrap_err();
    assert_eq!(err.to_string(), "the JWK cannot be used: crv \"P-256K\" is not P-256, P-384 or P-521");
    let err = VerifyingKey::from_jwk(&jwk(serde_json::json!({"n": "AQAB"}))).unwrap_err();
    assert_eq!(err.to_string(), "the JWK cannot be used: no \"kty\" string member");
}

#[test]
fn a_key_set_picks_by_kid_and_publishes_public_keys_only() {
    let current = SigningKey::from_pem(key_file("p256_private.pem")).unwrap();
    let retired = VerifyingKey::from_pem(key_file("rsa2048_public.pem")).unwrap();
    let set = KeySet::new()
        .with_signing_key("2026-11", Algorithm::ES256, current.clone())
        .unwrap()
        .with_verifying_key("2026-10", retired)
        .unwrap();
    assert_eq!(set.verifying_key(Some("2026-10")).unwrap().key_type(), KeyType::Rsa);
    assert_eq!(set.verifying_key(Some("2026-11")).unwrap().key_type(), KeyType::P256);
    assert_eq!(set.verifying_key(None).unwrap().key_type(), KeyType::P256, "no kid: the signing key");
    assert_eq!(set.verifying_key(Some("2026-09")).unwrap_err(), JwtError::decode(NO_MATCHING_KEY));
    // The signing key's JWK carries its algorithm, which is then the only one it verifies.
    assert!(!set.verifying_key(Some("2026-11")).unwrap().fits(Algorithm::ES384));
    let jwks = set.jwks();
    let kids: Vec<&str> = jwks["keys"].as_array().unwrap().iter().map(|key| key["kid"].as_str().unwrap()).collect();
    assert_eq!(kids, ["2026-11", "2026-10"]);
    assert_eq!(jwks["keys"][0]["alg"], "ES256");
    assert_eq!(jwks["keys"][0]["use"], "sig");
    assert!(jwks["keys"][1].get("alg").is_none());
    // What it publishes reads back as the same set.
    let read_back = KeySet::from_jwks(&jwks).unwrap();
    assert_eq!(read_back.kids().collect::<Vec<_>>(), kids);
    assert!(read_back.signing_key().is_none(), "a published set never signs");
}

#[test]
fn a_key_set_refuses_duplicate_kids_and_a_signing_key_of_the_wrong_type() {
    let key = SigningKey::from_pem(key_file("ed25519_private.pem")).unwrap();
    let set = KeySet::new().with_signing_key("a", Algorithm::EdDSA, key.clone()).unwrap();
    let err = set.with_verifying_key("a", key.verifying_key().clone()).unwrap_err();
    assert_eq!(err.to_string(), "the key set already has a key with kid \"a\"");
    let err = KeySet::new().with_signing_key("b", Algorithm::RS256, key).unwrap_err();
    assert_eq!(err.to_string(), "the signing key \"b\" is an Ed25519 key, and RS256 needs an RSA key");
}

#[test]
fn a_jwks_document_skips_keys_it_cannot_use_and_needs_one_it_can() {
    let ed = VerifyingKey::from_pem(key_file("ed25519_public.pem")).unwrap();
    let mut usable = ed.to_jwk().unwrap();
    usable.insert("kid".into(), "ed".into());
    let document = serde_json::json!({"keys": [
        {"kty": "oct", "k": "c2VjcmV0", "kid": "secret"},
        {"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "tiny"},
        {"kty": "OKP", "crv": "Ed25519", "x": usable["x"], "use": "enc", "kid": "for-encryption"},
        usable,
    ]});
    let set = KeySet::from_jwks(&document).unwrap();
    assert_eq!(set.kids().collect::<Vec<_>>(), ["ed"]);
    let err =
        KeySet::from_jwks(&serde_json::json!({"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "s"}]})).unwrap_err();
    assert_eq!(err.to_string(), "the JWKS document has no usable signature key");
    assert!(KeySet::from_jwks(&serde_json::json!({"nokeys": []})).is_err());
}

#[test]
fn openssh_lines_that_lie_are_refused() {
    let line = key_file("ed25519.pub");
    let relabelled = line.replacen("ssh-ed25519", "ssh-rsa", 1);
    assert_eq!(
        VerifyingKey::from_pem(relabelled).unwrap_err().to_string(),
        "the OpenSSH public key's type does not match its data"
    );
    assert!(VerifyingKey::from_pem("ssh-ed25519 !!!notbase64").is_err());
    assert!(VerifyingKey::from_pem("ssh-dss AAAAB3NzaC1kc3MAAACBAP").is_err());
}

#[test]
fn debug_never_shows_key_material() {
    let key = SigningKey::from_pem(key_file("rsa2048_private.pem")).unwrap();
    assert_eq!(format!("{key:?}"), "SigningKey { key_type: Rsa, .. }");
    assert_eq!(format!("{:?}", key.verifying_key()), "VerifyingKey { key_type: Rsa, .. }");
}
