//! Checking a payload while keeping only its registered claims.
//!
//! [`scan_payload`] reads the payload with the same parser and the same rules as
//! `parse_object` (valid JSON, an object, distinct top-level keys, at most
//! `MAX_DEPTH` levels), so it accepts and refuses the same documents with the same
//! messages. It keeps the values of the [`RegisteredClaims`] and checks the other
//! values without building them: the map of every claim is built later, and only
//! for the requests that ask for it (`get_jwt()`, the callbacks that take it).
//! Compact payloads, as PyJWT and phial write them, take a shortcut first
//! (`compact_payload`) that gives the same claims without serde.

use super::compact_payload::read_compact;
use super::seen_keys::SeenKeys;
use super::strict_json::{Members, Nested, Part, parse_top_level};
use crate::JwtError;
use crate::claims::RegisteredClaims;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Checks `bytes` as a payload and returns its registered claims: through the
/// shortcut for the compact payloads PyJWT and phial write, else in full.
pub(super) fn scan_payload(bytes: &[u8]) -> Result<RegisteredClaims, JwtError> {
    match read_compact(bytes) {
        Some(registered) => Ok(registered),
        None => full_scan(bytes),
    }
}

/// The full check: serde_json's parser with `strict_json`'s rules.
pub(super) fn full_scan(bytes: &[u8]) -> Result<RegisteredClaims, JwtError> {
    parse_top_level(bytes, Part::Payload, KeepRegistered)
}

/// [`Members`] that keep the registered claims and only check the others.
struct KeepRegistered;

impl Members for KeepRegistered {
    type Object = RegisteredClaims;

    fn read<'de, A: MapAccess<'de>>(self, mut map: A, children: Nested<'_>) -> Result<RegisteredClaims, A::Error> {
        let mut seen = SeenKeys::new();
        let mut registered = RegisteredClaims::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let slot = RegisteredClaims::slot(&key);
            // As `parse_object`: a repeat is refused before its value is read.
            seen.insert(key, slot).map_err(|repeated| children.duplicate(repeated.into_owned()))?;
            match slot {
                Some(slot) => registered.set(slot, map.next_value_seed(children)?),
                None => map.next_value_seed(Checked(children))?,
            }
        }
        Ok(registered)
    }
}

/// An object key, borrowed from the payload unless it had escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
}

/// Reads a value as `Nested` would, with the same depth rule, and keeps nothing.
#[derive(Clone, Copy)]
struct Checked<'p>(Nested<'p>);

impl<'de> DeserializeSeed<'de> for Checked<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        // `deserialize_any`, not `deserialize_ignored_any`: strings are then checked
        // for UTF-8 and escapes exactly as when they are built.
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let children = Checked(self.0.open()?);
        while map.next_key_seed(KeySeed)?.is_some() {
            map.next_value_seed(children)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let children = Checked(self.0.open()?);
        while seq.next_element_seed(children)?.is_some() {}
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jws::strict_json::parse_object;
    use serde_json::{Value, json};

    /// Both readers on `text`: the same verdict, the same message, the same values.
    fn agree(text: &str) -> Result<RegisteredClaims, String> {
        let scanned = scan_payload(text.as_bytes()).map_err(|err| err.to_string());
        let parsed = parse_object(text.as_bytes(), Part::Payload).map_err(|err| err.to_string());
        match (&scanned, &parsed) {
            (Ok(registered), Ok(claims)) => {
                for name in ["iat", "nbf", "exp", "iss", "aud", "sub", "jti", "type", "fresh", "csrf"] {
                    assert_eq!(registered.get(name), claims.get(name), "{name} in {text}");
                }
            }
            (Err(scan), Err(parse)) => assert_eq!(scan, parse, "{text}"),
            _ => panic!("{text}: scan {scanned:?}, parse {parsed:?}"),
        }
        scanned
    }

    #[test]
    fn registered_claims_are_kept_and_others_only_checked() {
        let registered =
            agree(r#"{"fresh":false,"iat":1,"jti":"j","type":"access","sub":"alice","roles":["a",{"b":null}]}"#)
                .unwrap();
        assert_eq!(registered.get("sub"), Some(&json!("alice")));
        assert_eq!(registered.get("fresh"), Some(&Value::Bool(false)));
        assert_eq!(registered.get("exp"), None);
        assert_eq!(registered.get("roles"), None);
    }

    #[test]
    fn the_same_documents_are_refused_with_the_same_messages() {
        for text in [
            "",
            "[]",
            "12",
            "{",
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{"a":1}x"#,
            r#"{"sub":"a","sub":"b"}"#,
            r#"{"roles":1,"roles":2}"#,
            r#"{"sub":"a","\u0073ub":"b"}"#,
            r#"{"r\u006fles":1,"roles":2}"#,
            r#"{"other":{"x":[1,2,{"y":"\ud800"}]}}"#,
            r#"{"other":"\q"}"#,
            r#"{"other":1e999}"#,
            r#"{"other":{"id":1,"id":2}}"#,
        ] {
            let _ = agree(text);
        }
        assert_eq!(agree(r#"{"roles":1,"roles":2}"#).unwrap_err(), r#"Invalid payload string: duplicate key "roles""#);
    }

    #[test]
    fn skipped_values_obey_the_depth_rule_and_utf8() {
        let nested = |levels: usize| format!("{{\"x\":{}{}}}", "[".repeat(levels), "]".repeat(levels));
        assert!(agree(&nested(31)).is_ok());
        assert_eq!(agree(&nested(32)).unwrap_err(), "Invalid payload string: JSON nested deeper than 32 levels");
        let bytes = b"{\"other\":\"\xa6\"}";
        let scanned = scan_payload(bytes).unwrap_err().to_string();
        assert_eq!(scanned, parse_object(bytes, Part::Payload).unwrap_err().to_string());
    }

    #[test]
    fn repeats_are_found_among_many_keys() {
        let mut members: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        assert!(agree(&format!("{{{}}}", members.join(","))).is_ok());
        members.push("\"k3\":0".into());
        assert_eq!(
            agree(&format!("{{{}}}", members.join(","))).unwrap_err(),
            r#"Invalid payload string: duplicate key "k3""#
        );
        members.pop();
        members.push("\"k39\":0".into());
        assert_eq!(
            agree(&format!("{{{}}}", members.join(","))).unwrap_err(),
            r#"Invalid payload string: duplicate key "k39""#
        );
    }
}
