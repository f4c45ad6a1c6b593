//! The asymmetric_keys example: the quickstart's routes signed with a key pair for
//! each algorithm family, PyJWT's tokens accepted, the JWKS published, and the
//! algorithm-confusion token refused.

#[path = "../examples/asymmetric_keys.rs"]
#[allow(dead_code)]
mod asymmetric_keys;

use phial::testing::TestClient;
use serde_json::{Value, json};

fn client(algorithm: &str) -> TestClient {
    let (private, public) = asymmetric_keys::default_key_files(algorithm);
    let read = |path: &str| std::fs::read_to_string(path).unwrap();
    asymmetric_keys::create_app(algorithm, &read(&private), &read(&public)).test_client()
}

async fn login(client: &TestClient) -> String {
    let login = client.post("/login").json(&json!({"username": "test", "password": "test"})).send().await;
    assert_eq!(login.status(), 200);
    login.json::<Value>()["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_family_logs_in_and_reaches_the_protected_route() {
    for algorithm in ["RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA"] {
        let client = client(algorithm);
        let token = login(&client).await;
        let header: Value = {
            use base64::Engine;
            let segment = token.split('.').next().unwrap();
            serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
        };
        assert_eq!(header, json!({"alg": algorithm, "typ": "JWT"}));
        let protected = client.get("/protected").bearer(&token).send().await;
        assert_eq!(protected.status(), 200, "{algorithm}");
        assert_eq!(protected.json::<Value>(), json!({"logged_in_as": "test"}));
    }
}

#[tokio::test]
async fn a_pyjwt_token_made_with_the_private_key_is_accepted() {
    // From jwt-ext/tests/vectors/asymmetric.json: PyJWT 2.10.1, RS256, rsa2048, sub "alice".
    let vectors: Value = serde_json::from_str(include_str!("../jwt-ext/tests/vectors/asymmetric.json")).unwrap();
    let token = vectors["tokens"][0]["token"].as_str().unwrap();
    assert_eq!(vectors["tokens"][0]["alg"], "RS256");
    let protected = client("RS256").get("/protected").bearer(token).send().await;
    assert_eq!(protected.status(), 200);
    assert_eq!(protected.json::<Value>(), json!({"logged_in_as": "alice"}));
}

#[tokio::test]
async fn an_hs256_token_keyed_with_the_public_pem_is_refused() {
    use hmac::{Hmac, KeyInit, Mac};
    let public_pem = std::fs::read(asymmetric_keys::default_key_files("RS256").1).unwrap();
    let b64 = |bytes: &[u8]| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    };
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(br#"{"sub":"admin","type":"access","fresh":false,"jti":"x","iat":1700000000,"nbf":1700000000}"#)
    );
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&public_pem).unwrap();
    mac.update(input.as_bytes());
    let forged = format!("{input}.{}", b64(&mac.finalize().into_bytes()));
    let response = client("RS256").get("/protected").bearer(&forged).send().await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.json::<Value>(), json!({"msg": "The specified alg value is not allowed"}));
}

#[tokio::test]
async fn the_jwks_lists_the_public_key_only() {
    for algorithm in ["RS256", "ES256", "EdDSA"] {
        let client = client(algorithm);
        let jwks = client.get("/.well-known/jwks.json").send().await;
        assert_eq!(jwks.status(), 200);
        let document: Value = jwks.json();
        let keys = document["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 1);
        let key = keys[0].as_object().unwrap();
        assert_eq!(key["use"], "sig");
        assert_eq!(key["alg"], algorithm);
        assert!(key["kid"].as_str().is_some_and(|kid| kid.len() == 43), "an RFC 7638 thumbprint: {key:?}");
        for private_member in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            assert!(!key.contains_key(private_member), "{algorithm} leaks {private_member}");
        }
        let expected_kty = match algorithm {
            "RS256" => "RSA",
            "ES256" => "EC",
            _ => "OKP",
        };
        assert_eq!(key["kty"], expected_kty);
    }
}
