//! Creating a token: PyJWT's `jwt.encode`, byte for byte.

use super::segments;
use crate::algorithm::Algorithm;
use crate::keys::SigningKey;
use crate::python_json::is_truthy;
use crate::{JsonObject, JwtError};
use phial::python_json;
use serde::Serialize;
use serde_json::Value;

/// Signs `claims` into a compact JWS, as PyJWT 2.10's `jwt.encode(claims, key,
/// alg, headers=header_extra)` does.
///
/// The header is `{"alg": alg, "typ": "JWT"}` updated with `header_extra`, written
/// with sorted keys; the payload is written in the order `claims` serialises its
/// fields (use [`OrderedClaims`](super::OrderedClaims) to control it); both compact,
/// with non-ASCII characters escaped as `\uXXXX` and floats spelt as Python's `repr`.
/// The result is the same string PyJWT produces, so PyJWT verifies phial's tokens.
///
/// PyJWT's rules for additional headers are kept, because an app that sets them
/// gets the same token as upstream:
/// - a truthy `alg` in `header_extra` replaces `alg`, and the token is signed with
///   it (the header never lies about the signature); it must be an algorithm `key`
///   can sign, else a [`JwtError::Setup`];
/// - a falsy `typ` (`null`, `""`, ...) removes `typ` from the header;
/// - a `kid` that is not a string is refused with upstream's message;
/// - `b64: true` is dropped (it is the default), and `b64: false` (detached
///   payloads) is refused as unsupported.
///
/// Claims that do not serialise to a JSON object are a [`JwtError::Setup`] (the
/// app's mistake), with PyJWT's message.
pub fn encode<C>(header_extra: &JsonObject, alg: Algorithm, claims: &C, key: &SigningKey) -> Result<String, JwtError>
where
    C: Serialize + ?Sized,
{
    let mut payload = Vec::with_capacity(256);
    python_json::to_writer(&mut payload, claims)
        .map_err(|e| JwtError::Setup(format!("the claims cannot be written as JSON: {e}")))?;
    if payload.first() != Some(&b'{') {
        return Err(JwtError::Setup(
            "Expecting a dict object, as JWT only supports JSON objects as payloads.".to_owned(),
        ));
    }

    let mut token;
    let alg = if header_extra.is_empty() {
        token = String::with_capacity(token_capacity(DEFAULT_HEADER_LEN, payload.len()));
        token.push_str(default_header(alg));
        alg
    } else {
        let (alg, header) = merged_header(header_extra, alg)?;
        let mut header_json = Vec::with_capacity(64);
        python_json::to_writer(&mut header_json, &header)
            .map_err(|e| JwtError::Setup(format!("the headers cannot be written as JSON: {e}")))?;
        token = String::with_capacity(token_capacity(header_json.len() * 4 / 3 + 4, payload.len()));
        segments::encode_into(&header_json, &mut token);
        alg
    };
    token.push('.');
    segments::encode_into(&payload, &mut token);
    key.append_signature(alg, &mut token)?;
    Ok(token)
}

/// The length of the precomputed default headers.
const DEFAULT_HEADER_LEN: usize = 36;

/// `BASE64URL({"alg":"<alg>","typ":"JWT"})`, the header of every token created
/// without additional headers, precomputed (checked by a test).
pub(super) fn default_header(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::HS256 => "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        Algorithm::HS384 => "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9",
        Algorithm::HS512 => "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9",
        Algorithm::RS256 => "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9",
        Algorithm::RS384 => "eyJhbGciOiJSUzM4NCIsInR5cCI6IkpXVCJ9",
        Algorithm::RS512 => "eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9",
        Algorithm::PS256 => "eyJhbGciOiJQUzI1NiIsInR5cCI6IkpXVCJ9",
        Algorithm::PS384 => "eyJhbGciOiJQUzM4NCIsInR5cCI6IkpXVCJ9",
        Algorithm::PS512 => "eyJhbGciOiJQUzUxMiIsInR5cCI6IkpXVCJ9",
        Algorithm::ES256 => "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9",
        Algorithm::ES384 => "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCJ9",
        Algorithm::ES512 => "eyJhbGciOiJFUzUxMiIsInR5cCI6IkpXVCJ9",
        Algorithm::EdDSA => "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9",
    }
}

/// Room for the header, the payload, and an HMAC or EC signature; an RSA one
/// (342 characters at 2048 bits) grows the string once.
fn token_capacity(header_b64: usize, payload_json: usize) -> usize {
    header_b64 + 1 + payload_json.div_ceil(3) * 4 + 1 + 86
}

/// PyJWS.encode's header: `{"typ": "JWT", "alg": alg}` updated with the extra
/// headers, then `typ` dropped if falsy and `b64` dropped. Returns the algorithm
/// that signs, which a truthy extra `alg` chooses.
fn merged_header(extra: &JsonObject, alg: Algorithm) -> Result<(Algorithm, JsonObject), JwtError> {
    let alg = match extra.get("alg") {
        Some(Value::String(name)) if !name.is_empty() => name
            .parse::<Algorithm>()
            .map_err(|e| JwtError::Setup(format!("the \"alg\" additional header is not usable: {e}")))?,
        Some(value) if is_truthy(value) => {
            return Err(JwtError::Setup("Algorithm not supported".to_owned()));
        }
        _ => alg,
    };
    if extra.get("kid").is_some_and(|kid| !kid.is_string()) {
        return Err(JwtError::decode("Key ID header parameter must be a string"));
    }
    if extra.get("b64") == Some(&Value::Bool(false)) {
        return Err(JwtError::Setup(
            "the \"b64\": false header (detached payload, RFC 7797) is not supported".to_owned(),
        ));
    }
    let mut header = JsonObject::new();
    header.insert("typ".to_owned(), Value::from("JWT"));
    header.insert("alg".to_owned(), Value::from(alg.as_str()));
    header.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    if header.get("typ").is_some_and(|typ| !is_truthy(typ)) {
        header.remove("typ");
    }
    header.remove("b64");
    Ok((alg, header))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jws::OrderedClaims;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    fn key() -> SigningKey {
        SigningKey::new("super-secret").unwrap()
    }

    fn object(value: Value) -> JsonObject {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    /// The header and payload JSON of a token, as text.
    fn parts(token: &str) -> (String, String) {
        let mut segments = token.split('.');
        let mut text = || String::from_utf8(URL_SAFE_NO_PAD.decode(segments.next().unwrap()).unwrap()).unwrap();
        (text(), text())
    }

    #[test]
    fn the_precomputed_default_headers_are_the_serialised_ones() {
        for alg in Algorithm::ALL {
            let mut json = Vec::new();
            python_json::to_writer(&mut json, &json!({"alg": alg.as_str(), "typ": "JWT"})).unwrap();
            let mut expected = String::new();
            segments::encode_into(&json, &mut expected);
            assert_eq!(default_header(alg), expected);
            assert!(expected.len() <= DEFAULT_HEADER_LEN);
        }
    }

    #[test]
    fn pyjwt_example_token_is_reproduced() {
        // jwt.encode({"some": "payload"}, "secret", algorithm="HS256") in PyJWT's README.
        let token = encode(
            &JsonObject::new(),
            Algorithm::HS256,
            &json!({"some": "payload"}),
            &SigningKey::new("secret").unwrap(),
        );
        assert_eq!(
            token.unwrap(),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzb21lIjoicGF5bG9hZCJ9.4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg"
        );
    }

    #[test]
    fn payload_keeps_the_callers_order_and_is_compact() {
        let claims: OrderedClaims =
            [("sub", json!("test")), ("exp", json!(2)), ("aud", json!(["a", "b"]))].into_iter().collect();
        let token = encode(&JsonObject::new(), Algorithm::HS256, &claims, &key()).unwrap();
        assert_eq!(parts(&token).1, r#"{"sub":"test","exp":2,"aud":["a","b"]}"#);
    }

    #[test]
    fn additional_headers_are_merged_and_sorted() {
        let extra = object(json!({"kid": "k1", "typ": "at+jwt", "cty": "x"}));
        let token = encode(&extra, Algorithm::HS256, &json!({}), &key()).unwrap();
        assert_eq!(parts(&token).0, r#"{"alg":"HS256","cty":"x","kid":"k1","typ":"at+jwt"}"#);
    }

    #[test]
    fn an_extra_alg_header_chooses_the_signing_algorithm_as_in_pyjwt() {
        let extra = object(json!({"alg": "HS512"}));
        let token = encode(&extra, Algorithm::HS256, &json!({}), &key()).unwrap();
        assert_eq!(parts(&token).0, r#"{"alg":"HS512","typ":"JWT"}"#);
        assert_eq!(token, encode(&JsonObject::new(), Algorithm::HS512, &json!({}), &key()).unwrap());
    }

    #[test]
    fn an_extra_alg_header_must_be_a_supported_algorithm() {
        for alg in [json!("none"), json!("RS256"), json!("HS1024")] {
            let err = encode(&object(json!({"alg": alg})), Algorithm::HS256, &json!({}), &key()).unwrap_err();
            assert!(matches!(err, JwtError::Setup(_)), "{alg}: {err:?}");
        }
        let err = encode(&object(json!({"alg": 5})), Algorithm::HS256, &json!({}), &key()).unwrap_err();
        assert_eq!(err, JwtError::Setup("Algorithm not supported".into()));
    }

    #[test]
    fn a_falsy_typ_is_removed_and_b64_true_dropped() {
        for typ in [json!(null), json!(""), json!(false), json!(0)] {
            let token =
                encode(&object(json!({"typ": typ, "b64": true})), Algorithm::HS256, &json!({}), &key()).unwrap();
            assert_eq!(parts(&token).0, r#"{"alg":"HS256"}"#);
        }
    }

    #[test]
    fn detached_payloads_and_non_string_kids_are_refused() {
        let err = encode(&object(json!({"b64": false})), Algorithm::HS256, &json!({}), &key()).unwrap_err();
        assert!(matches!(err, JwtError::Setup(_)));
        let err = encode(&object(json!({"kid": 1})), Algorithm::HS256, &json!({}), &key()).unwrap_err();
        assert_eq!(err, JwtError::decode("Key ID header parameter must be a string"));
    }

    #[test]
    fn claims_must_serialise_to_an_object() {
        for claims in [json!([1]), json!("sub"), json!(null), json!(1)] {
            let err = encode(&JsonObject::new(), Algorithm::HS256, &claims, &key()).unwrap_err();
            assert_eq!(
                err,
                JwtError::Setup("Expecting a dict object, as JWT only supports JSON objects as payloads.".into())
            );
        }
        let mut numeric_keys = std::collections::BTreeMap::new();
        numeric_keys.insert(vec![1u8], 1);
        let err = encode(&JsonObject::new(), Algorithm::HS256, &numeric_keys, &key()).unwrap_err();
        assert!(matches!(err, JwtError::Setup(_)), "{err:?}");
    }

    #[test]
    fn the_signature_covers_header_and_payload() {
        let token = encode(&JsonObject::new(), Algorithm::HS384, &json!({"sub": "x"}), &key()).unwrap();
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
        assert!(key().verifying_key().verify(Algorithm::HS384, signing_input.as_bytes(), &signature));
    }
}
