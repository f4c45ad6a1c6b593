//! **Not API**: hooks for phial's differential fuzz target
//! (`fuzz/fuzz_targets/payload_differential.rs`) and its regression tests. Hidden
//! from the docs, outside semver, and free to change in any release.
//!
//! A token's payload is read by three parsers: the compact reader
//! (`compact_payload`, the shortcut for payloads as PyJWT and phial write them),
//! the registered-claim scan (`claims_scan`, which keeps only the claims phial
//! reads on every request) and the serde path (`strict_json::parse_object`, the
//! map of every claim, which is the reference). `check_payload` feeds the same
//! bytes to all three, directly and inside an HS256 token that goes through
//! `jws::decode_unverified`, `jws::verify` and the decoded token's claim
//! accessors, and panics on any disagreement.

use super::claims_scan::{full_scan, scan_payload};
use super::compact_payload::read_compact;
use super::strict_json::{Part, parse_object};
use super::{SigningKey, decode_unverified, encode_segment, verify};
use crate::JsonObject;
use crate::algorithm::Algorithm;
use crate::claims::{self, Failure, RegisteredClaims, Validation};
use crate::decode::DecodedToken;
use serde_json::Value;
use std::sync::LazyLock;
use std::time::Duration;

/// The claims the registered-claim readers keep, every one of which is compared
/// with the serde map.
pub const REGISTERED: [&str; 10] = ["iat", "nbf", "exp", "iss", "aud", "sub", "jti", "type", "fresh", "csrf"];

/// The secret of the tokens [`check_payload`] signs.
const SECRET: &str = "payload-differential";

/// What each payload reader made of the same bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct PayloadVerdicts {
    /// The compact reader: the registered claims (in [`REGISTERED`] order) when
    /// the bytes have its shape, `None` when it leaves them to the full scan.
    pub compact: Option<Vec<Option<Value>>>,
    /// The full registered-claim scan: the registered claims, or the message.
    pub full_scan: Result<Vec<Option<Value>>, String>,
    /// What a token's payload gets: the compact reader, else the full scan.
    pub scan: Result<Vec<Option<Value>>, String>,
    /// The serde path (the reference): the map of every claim, or the message.
    pub map: Result<JsonObject, String>,
}

/// Runs every payload reader on `bytes`, without comparing them.
pub fn payload_verdicts(bytes: &[u8]) -> PayloadVerdicts {
    PayloadVerdicts {
        compact: read_compact(bytes).map(|registered| values(&registered)),
        full_scan: full_scan(bytes).map(|registered| values(&registered)).map_err(|err| err.to_string()),
        scan: scan_payload(bytes).map(|registered| values(&registered)).map_err(|err| err.to_string()),
        map: parse_object(bytes, Part::Payload).map_err(|err| err.to_string()),
    }
}

/// Each payload reader alone, for `benches/payload.rs` (what the fast paths buy):
/// whether it read `bytes` (the compact reader answers `false` for a payload not
/// of its shape, which then goes to the full scan).
pub mod readers {
    use super::*;

    /// The compact reader (payloads as PyJWT and phial write them).
    pub fn compact(bytes: &[u8]) -> bool {
        read_compact(bytes).is_some()
    }

    /// The full registered-claim scan.
    pub fn full_scan(bytes: &[u8]) -> bool {
        super::full_scan(bytes).is_ok()
    }

    /// The serde path: the map of every claim.
    pub fn serde_map(bytes: &[u8]) -> bool {
        parse_object(bytes, Part::Payload).is_ok()
    }
}

/// A token with the default HS256 header and exactly `payload` as its payload,
/// signed with `key`.
pub fn hs256_token(payload: &[u8], key: &SigningKey) -> String {
    let mut token = super::encode::default_header(Algorithm::HS256).to_owned();
    token.push('.');
    encode_segment(payload, &mut token);
    let signature = key.sign(Algorithm::HS256, token.as_bytes()).expect("an HMAC key signs HS256");
    token.push('.');
    encode_segment(&signature, &mut token);
    token
}

/// Feeds `bytes` to every payload reader and panics, naming the readers and the
/// claim, on any disagreement with the serde map:
///
/// 1. the full scan accepts exactly the documents the serde path accepts, refuses
///    the others with the same message, and keeps every [`REGISTERED`] claim with
///    the map's value (absent where the map has none);
/// 2. the scan a token uses (compact shortcut first) gives exactly what the full
///    scan gives, and the compact reader, when it answers, gives the same claims;
/// 3. whatever the serde path accepts, plain `serde_json` reads as the same map,
///    and whatever plain `serde_json` refuses, the serde path refuses too;
/// 4. as an HS256 token, the payload decodes and verifies exactly when the serde
///    path accepts it (with its message otherwise); the unverified token's
///    registered claims equal its claim map; the verified token's `claim(name)`
///    equals its `claims()[name]`, which is the map's value or upstream's default
///    (`type`, `fresh`, `jti`); and the claim checks give the same verdict on the
///    registered claims as on the map, for a few validations.
pub fn check_payload(bytes: &[u8]) {
    let verdicts = payload_verdicts(bytes);
    let shown = String::from_utf8_lossy(bytes);

    // 1. The full scan against the serde map.
    match (&verdicts.full_scan, &verdicts.map) {
        (Ok(registered), Ok(map)) => same_claims("full scan", registered, map, &shown),
        (Err(scan), Err(parse)) => assert_eq!(scan, parse, "full scan and serde map refuse {shown:?} differently"),
        (scan, parse) => panic!("full scan {scan:?} but serde map {parse:?} for {shown:?}"),
    }

    // 2. The token's scan and the compact shortcut against the full scan.
    assert_eq!(verdicts.scan, verdicts.full_scan, "token scan and full scan differ on {shown:?}");
    if let Some(compact) = &verdicts.compact {
        assert_eq!(Ok(compact), verdicts.full_scan.as_ref(), "compact reader and full scan differ on {shown:?}");
    }

    // 3. Plain serde_json, which has neither the duplicate-key nor the depth rule.
    match (&verdicts.map, serde_json::from_slice::<Value>(bytes)) {
        (Ok(map), Ok(plain)) => {
            assert_eq!(Some(map), plain.as_object(), "serde map and serde_json differ on {shown:?}")
        }
        (Ok(map), Err(plain)) => panic!("serde map {map:?} but serde_json refuses {shown:?}: {plain}"),
        (Err(_), _) => {}
    }

    // 4. The whole token path.
    check_token(bytes, &verdicts.map, &shown);
}

/// Step 4 of [`check_payload`].
fn check_token(bytes: &[u8], reference: &Result<JsonObject, String>, shown: &str) {
    static KEY: LazyLock<SigningKey> = LazyLock::new(|| SigningKey::new(SECRET).expect("a plain secret is a key"));
    let token = hs256_token(bytes, &KEY);
    let unverified = match (decode_unverified(&token, usize::MAX), reference) {
        (Ok(unverified), Ok(_)) => unverified,
        (Err(err), Err(message)) => {
            assert_eq!(&err.to_string(), message, "token and serde map refuse {shown:?} differently");
            return;
        }
        (decoded, reference) => panic!("token {decoded:?} but serde map {reference:?} for {shown:?}"),
    };
    verify(&unverified, &[Algorithm::HS256], &*KEY).expect("a token signed with the key verifies");
    let map = unverified.claims().clone();
    assert_eq!(Ok(&map), reference.as_ref(), "token claims and serde map differ on {shown:?}");
    same_claims("token's registered claims", &values(unverified.registered()), &map, shown);

    for validation in validations() {
        for now in [0, 1_700_000_000, i64::MAX] {
            let scanned = claims::check(unverified.registered(), now, validation);
            let mapped = claims::check(&map, now, validation);
            assert_eq!(verdict(scanned), verdict(mapped), "claim checks differ on {shown:?} at {now}, {validation:?}");
        }
    }

    let (header, payload) = unverified.into_verified_parts();
    let decoded = DecodedToken::new(header, payload);
    let claims = decoded.claims();
    for name in REGISTERED {
        let expected = map.get(name).cloned().or_else(|| default(name));
        assert_eq!(claims.get(name), expected.as_ref(), "get_jwt()[{name:?}] of {shown:?}");
        assert_eq!(decoded.claim(name), expected.as_ref(), "claim({name:?}) of {shown:?}");
    }
    for (name, value) in &map {
        assert_eq!(claims.get(name), Some(value), "get_jwt()[{name:?}] of {shown:?}");
        assert_eq!(decoded.claim(name), Some(value), "claim({name:?}) of {shown:?}");
    }
}

/// Upstream's default for a claim a token lacks (see `decode::add_defaults`).
fn default(name: &str) -> Option<Value> {
    match name {
        "type" => Some(Value::from("access")),
        "fresh" => Some(Value::Bool(false)),
        "jti" => Some(Value::Null),
        _ => None,
    }
}

/// The validations the claim checks are compared under: the default, and one
/// with leeway, issuers and audiences, without the expiry and subject checks.
fn validations() -> &'static [Validation; 2] {
    static VALIDATIONS: LazyLock<[Validation; 2]> = LazyLock::new(|| {
        [
            Validation::default(),
            Validation {
                leeway: Duration::from_secs(30),
                audience: Some(vec!["a".into(), "api".into()]),
                issuer: Some(vec!["i".into()]),
                verify_sub: false,
                verify_exp: false,
            },
        ]
    });
    &VALIDATIONS
}

/// A claim check's verdict as text, for comparing.
fn verdict(checked: Result<(), Failure>) -> Result<(), String> {
    checked.map_err(|failure| match failure {
        Failure::Expired => "expired".to_owned(),
        Failure::Invalid(err) => err.to_string(),
    })
}

/// The values of the [`REGISTERED`] claims, in order.
fn values(registered: &RegisteredClaims) -> Vec<Option<Value>> {
    REGISTERED.iter().map(|name| registered.get(name).cloned()).collect()
}

/// Panics unless `registered` (in [`REGISTERED`] order) has `map`'s value for
/// every registered claim.
fn same_claims(reader: &str, registered: &[Option<Value>], map: &JsonObject, shown: &str) {
    for (name, value) in REGISTERED.iter().zip(registered) {
        assert_eq!(value.as_ref(), map.get(*name), "{reader} and serde map differ on {name:?} in {shown:?}");
    }
}
