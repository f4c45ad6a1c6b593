//! JSON for tokens: a strict parser for the header and claims objects, and a writer
//! that produces PyJWT's bytes.
//!
//! Parsing refuses what a permissive parser would let through: duplicate top-level
//! keys (`serde_json::Map` would keep the last one, so two parsers could disagree on
//! `alg` or `exp`), nesting deeper than [`MAX_DEPTH`], and anything but an object.
//! Writing escapes non-ASCII characters as `\uXXXX`, as Python's `json.dumps` does,
//! so phial's tokens are byte for byte PyJWT's.

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::fmt;
use std::io;

use crate::JsonObject;

/// The deepest nesting of arrays and objects accepted in a header or claims.
pub const MAX_DEPTH: usize = 32;

/// The start of the error a non-object value produces, to tell it apart.
const NOT_AN_OBJECT: &str = "not a JSON object";

/// Why a segment's JSON was refused; the caller prefixes "Invalid header string: ".
pub(crate) fn parse_object(bytes: &[u8]) -> Result<JsonObject, String> {
    if exceeds_depth(bytes, MAX_DEPTH) {
        return Err(format!("JSON nested deeper than {MAX_DEPTH} levels"));
    }
    match serde_json::from_slice::<StrictObject>(bytes) {
        Ok(object) => Ok(object.0),
        Err(err) if err.to_string().starts_with(NOT_AN_OBJECT) => Err("must be a json object".to_string()),
        Err(err) => Err(err.to_string()),
    }
}

/// Whether arrays/objects nest deeper than `max` (strings are skipped).
fn exceeds_depth(bytes: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// A JSON object whose top-level keys are unique.
struct StrictObject(JsonObject);

impl<'de> Deserialize<'de> for StrictObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = StrictObject;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StrictObject, A::Error> {
        let mut object = JsonObject::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
            }
            let value: Value = map.next_value()?;
            object.insert(key, value);
        }
        Ok(StrictObject(object))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<StrictObject, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<StrictObject, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<StrictObject, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<StrictObject, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<StrictObject, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_unit<E: de::Error>(self) -> Result<StrictObject, E> {
        Err(E::custom(NOT_AN_OBJECT))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<StrictObject, A::Error> {
        Err(de::Error::custom(NOT_AN_OBJECT))
    }
}

/// Claims in a fixed order, serialised as a JSON object in that order
/// (flask-jwt-extended's: fresh, iat, jti, type, sub, nbf, csrf, aud, iss, exp,
/// then additional claims). Inserting an existing key replaces its value in place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderedClaims(Vec<(String, Value)>);

impl OrderedClaims {
    /// No claims.
    pub fn new() -> OrderedClaims {
        OrderedClaims::default()
    }

    /// Sets `key`: in place when present, appended otherwise.
    pub fn insert(&mut self, key: &str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The claims in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The entries of `object`, sorted by key (how PyJWT writes headers).
    pub fn sorted(object: &JsonObject) -> OrderedClaims {
        let mut entries: Vec<(String, Value)> = object.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        OrderedClaims(entries)
    }
}

impl Serialize for OrderedClaims {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Compact JSON with non-ASCII characters escaped, as Python's `json.dumps` with
/// `separators=(",", ":")` writes it.
pub(crate) fn to_python_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(256);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, AsciiFormatter);
    value.serialize(&mut serializer)?;
    Ok(out)
}

/// serde_json's compact formatter, with `\uXXXX` escapes for non-ASCII text.
struct AsciiFormatter;

impl serde_json::ser::Formatter for AsciiFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        if fragment.is_ascii() {
            return writer.write_all(fragment.as_bytes());
        }
        let mut units = [0u16; 2];
        for c in fragment.chars() {
            if c.is_ascii() {
                writer.write_all(&[c as u8])?;
            } else {
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn duplicate_top_level_keys_are_refused() {
        assert_eq!(
            parse_object(br#"{"alg":"HS256","alg":"none"}"#).unwrap_err(),
            "duplicate key \"alg\" at line 1 column 20"
        );
        // Nested duplicates are not the header's or claims' keys: kept as serde_json does.
        assert!(parse_object(br#"{"data":{"a":1,"a":2}}"#).is_ok());
    }

    #[test]
    fn only_objects_are_accepted() {
        for not_object in [&b"[1]"[..], b"\"x\"", b"1", b"null", b"true"] {
            assert_eq!(parse_object(not_object).unwrap_err(), "must be a json object");
        }
        assert!(parse_object(b"{").unwrap_err().contains("EOF"));
        assert!(parse_object(b"").unwrap_err().contains("EOF"));
        assert!(parse_object(b"\xa6").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(40), "]".repeat(40));
        assert_eq!(
            parse_object(deep.as_bytes()).unwrap_err(),
            "JSON nested deeper than 32 levels"
        );
        let brackets_in_strings = format!("{{\"a\":\"{}\"}}", "[".repeat(100));
        assert!(parse_object(brackets_in_strings.as_bytes()).is_ok());
    }

    #[test]
    fn claims_keep_their_order_and_replace_in_place() {
        let mut claims = OrderedClaims::new();
        claims.insert("fresh", json!(false));
        claims.insert("sub", json!("a"));
        claims.insert("fresh", json!(true));
        claims.insert("extra", json!(1));
        assert_eq!(
            to_python_json(&claims).unwrap(),
            br#"{"fresh":true,"sub":"a","extra":1}"#
        );
    }

    #[test]
    fn non_ascii_is_escaped_like_python() {
        let json = to_python_json(&json!({"name": "é😀\"\n"})).unwrap();
        assert_eq!(String::from_utf8(json).unwrap(), r#"{"name":"\u00e9\ud83d\ude00\"\n"}"#);
    }
}
