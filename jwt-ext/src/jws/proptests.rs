//! Properties over arbitrary claims, keys and algorithms: tokens round-trip, no
//! single-bit change of a token is ever accepted, and the payload check that keeps
//! only the registered claims agrees with the parser that builds every claim.

use super::*;
use crate::algorithm::Algorithm;
use crate::{JsonObject, JwtError};
use proptest::prelude::*;
use serde_json::{Number, Value};

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop::sample::select(Algorithm::HMAC.to_vec())
}

fn secret() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..80)
}

/// JSON values of every kind. Floats have few significant digits: serde_json's
/// default parser is exact for those (it does not promise to round-trip every
/// float without its `float_roundtrip` feature, which is a parsing matter, not ours).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i32>().prop_filter_map("finite", |n| Number::from_f64(f64::from(n) / 100.0).map(Value::Number)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn claims() -> impl Strategy<Value = JsonObject> {
    prop::collection::btree_map(any::<String>(), json_value(), 0..8).prop_map(|map| map.into_iter().collect())
}

/// A byte changed (0), inserted (1) or removed (2) at an index of the text.
type Edit = Option<(prop::sample::Index, u8, u8)>;

/// `members` as compact JSON object text, then `edit` applied to it.
fn edited_object(members: &[(String, Value)], edit: Edit) -> Vec<u8> {
    let mut text = b"{".to_vec();
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            text.push(b',');
        }
        text.extend(serde_json::to_vec(key).unwrap());
        text.push(b':');
        text.extend(serde_json::to_vec(value).unwrap());
    }
    text.push(b'}');
    if let Some((at, byte, kind)) = edit {
        let index = at.index(text.len());
        match kind {
            0 => text[index] = byte,
            1 => text.insert(index, byte),
            _ => {
                text.remove(index);
            }
        }
    }
    text
}

/// Payload text: an object whose keys are often registered claim names (and
/// sometimes repeat), then perhaps one byte changed, inserted or removed.
fn payload_text() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        prop::sample::select(vec!["iat", "nbf", "exp", "iss", "aud", "sub", "jti", "type", "fresh", "csrf"])
            .prop_map(str::to_owned),
        "[a-z\\\\\"]{0,4}",
        any::<String>(),
    ];
    let members = prop::collection::vec((key, json_value()), 0..10);
    let edit = prop_oneof![Just(None), (any::<prop::sample::Index>(), any::<u8>(), 0u8..3).prop_map(Some),];
    (members, edit).prop_map(|(members, edit)| edited_object(&members, edit))
}

/// Payload text close to the compact shape PyJWT writes (plain keys, printable
/// strings, integers, booleans), with the odd float, negative number or nested
/// value, then perhaps one byte changed, inserted or removed.
fn compact_payload_text() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        prop::sample::select(vec!["iat", "nbf", "exp", "iss", "aud", "sub", "jti", "type", "fresh", "csrf"])
            .prop_map(str::to_owned),
        "[a-z]{0,3}",
    ];
    let value = prop_oneof![
        "[ -~]{0,8}".prop_map(Value::String),
        any::<u64>().prop_map(Value::from),
        (0u64..2000).prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        json_value(),
    ];
    let members = prop::collection::vec((key, value), 0..10);
    let edit = prop_oneof![
        3 => Just(None),
        1 => (any::<prop::sample::Index>(), prop::sample::select(b" ,:{}[]\"0-.e1".to_vec()), 0u8..3).prop_map(Some),
    ];
    (members, edit).prop_map(|(members, edit)| edited_object(&members, edit))
}

fn headers() -> impl Strategy<Value = JsonObject> {
    // Additional headers that keep the token valid: no alg/typ/kid/b64/crit games.
    prop::collection::btree_map("[a-z]{1,6}", json_value(), 0..3).prop_map(|map| {
        map.into_iter().filter(|(k, _)| !["alg", "typ", "kid", "b64", "crit"].contains(&k.as_str())).collect()
    })
}

fn decode_and_verify(token: &str, alg: Algorithm, key: &SigningKey) -> Result<(JsonObject, JsonObject), JwtError> {
    let unverified = decode_unverified(token, usize::MAX)?;
    verify(&unverified, &[alg], key)?;
    Ok(unverified.into_parts())
}

proptest! {
    #[test]
    fn encoded_tokens_decode_to_the_same_header_and_claims(
        claims in claims(),
        extra in headers(),
        alg in algorithm(),
        secret in secret(),
    ) {
        let key = SigningKey::new(&secret);
        prop_assume!(key.is_ok(), "a PEM-looking secret");
        let key = key.unwrap();
        let token = encode(&extra, alg, &claims, &key).unwrap();
        prop_assert!(token.is_ascii());
        prop_assert_eq!(token.matches('.').count(), 2);
        let (header, decoded) = decode_and_verify(&token, alg, &key).unwrap();
        prop_assert_eq!(decoded, claims);
        prop_assert_eq!(&header["alg"], alg.as_str());
        prop_assert_eq!(&header["typ"], "JWT");
        for (name, value) in &extra {
            prop_assert_eq!(&header[name], value);
        }
    }

    #[test]
    fn ordered_claims_round_trip_too(
        pairs in prop::collection::vec((any::<String>(), json_value()), 0..8),
        alg in algorithm(),
    ) {
        let key = SigningKey::new("super-secret").unwrap();
        let ordered: OrderedClaims = pairs.into_iter().collect();
        let token = encode(&JsonObject::new(), alg, &ordered, &key).unwrap();
        let (_, decoded) = decode_and_verify(&token, alg, &key).unwrap();
        prop_assert_eq!(decoded, ordered.into_object());
    }

    #[test]
    fn no_single_bit_flip_is_accepted(
        claims in claims(),
        alg in algorithm(),
        secret in secret(),
        position in any::<prop::sample::Index>(),
        bit in 0u8..7,
    ) {
        let key = SigningKey::new(&secret);
        prop_assume!(key.is_ok(), "a PEM-looking secret");
        let key = key.unwrap();
        let token = encode(&JsonObject::new(), alg, &claims, &key).unwrap();
        let mut bytes = token.clone().into_bytes();
        let index = position.index(bytes.len());
        // Bits 0..7 of an ASCII byte: the result is still ASCII, so still a &str.
        bytes[index] ^= 1 << bit;
        let flipped = String::from_utf8(bytes).unwrap();
        prop_assert_ne!(&flipped, &token);
        prop_assert!(
            decode_and_verify(&flipped, alg, &key).is_err(),
            "accepted {} (bit {} of byte {} of {})", flipped, bit, index, token
        );
    }

    #[test]
    fn the_compact_shortcut_gives_what_the_full_scan_gives(text in compact_payload_text()) {
        if let Some(fast) = super::compact_payload::read_compact(&text) {
            let full = super::claims_scan::full_scan(&text);
            prop_assert_eq!(Ok(fast), full.map_err(|err| err.to_string()), "{}", String::from_utf8_lossy(&text));
        }
    }

    #[test]
    fn the_payload_check_agrees_with_the_parser_that_builds_every_claim(text in payload_text()) {
        let scanned = super::claims_scan::scan_payload(&text);
        let parsed = super::strict_json::parse_object(&text, super::strict_json::Part::Payload);
        match (scanned, parsed) {
            (Ok(registered), Ok(claims)) => {
                for name in ["iat", "nbf", "exp", "iss", "aud", "sub", "jti", "type", "fresh", "csrf"] {
                    prop_assert_eq!(registered.get(name), claims.get(name), "{}", name);
                }
            }
            (Err(scan_error), Err(parse_error)) => {
                prop_assert_eq!(scan_error.to_string(), parse_error.to_string());
            }
            (scanned, parsed) => prop_assert!(false, "scan {:?} but parse {:?}", scanned, parsed),
        }
    }
}

proptest! {
    #[test]
    fn every_payload_reader_agrees_directly_and_through_a_token(
        text in prop_oneof![payload_text(), compact_payload_text()],
    ) {
        // Panics, naming the readers and the claim, on any disagreement.
        super::fuzzing::check_payload(&text);
    }
}
