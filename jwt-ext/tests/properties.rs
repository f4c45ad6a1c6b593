//! Properties of the token format: any claims round-trip under any key, and no
//! single-bit change of a token is ever accepted.

use phial_jwt::algorithm::Algorithm;
use phial_jwt::jws::{self, OrderedClaims, SigningKey};
use proptest::prelude::*;
use serde_json::{Value, json};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e15f64..1e15).prop_map(|f| json!(f)),
        ".*".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn claims() -> impl Strategy<Value = Vec<(String, Value)>> {
    prop::collection::btree_map("[a-zA-Z_é]{1,8}", json_value(), 0..8).prop_map(|m| m.into_iter().collect())
}

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![Just(Algorithm::HS256), Just(Algorithm::HS384), Just(Algorithm::HS512)]
}

fn sign(claims: &[(String, Value)], algorithm: Algorithm, key: &SigningKey) -> String {
    let mut ordered = OrderedClaims::new();
    for (k, v) in claims {
        ordered.insert(k, v.clone());
    }
    jws::encode(&Default::default(), algorithm, &ordered, key).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_claims_round_trip_under_any_key(
        claims in claims(),
        secret in prop::collection::vec(any::<u8>(), 0..100),
        algorithm in algorithm(),
    ) {
        let key = SigningKey::new(&secret);
        let token = sign(&claims, algorithm, &key);
        let parsed = jws::decode_unverified(&token, 1 << 20).unwrap();
        jws::verify(&parsed, &[algorithm], &key).unwrap();
        let decoded = parsed.into_parts().1;
        prop_assert_eq!(decoded.len(), claims.len());
        for (k, v) in &claims {
            prop_assert_eq!(&decoded[k], v);
        }
    }

    #[test]
    fn no_single_bit_flip_is_accepted(
        claims in claims(),
        algorithm in algorithm(),
        position in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let key = SigningKey::new(b"a key for bit flips");
        let token = sign(&claims, algorithm, &key);
        let mut bytes = token.clone().into_bytes();
        let at = position.index(bytes.len());
        bytes[at] ^= 1 << bit;
        let Ok(flipped) = String::from_utf8(bytes) else { return Ok(()) };
        let accepted = jws::decode_unverified(&flipped, 1 << 20)
            .and_then(|parsed| jws::verify(&parsed, &[algorithm], &key));
        prop_assert!(accepted.is_err(), "a flipped token was accepted: {} -> {}", token, flipped);
    }
}
