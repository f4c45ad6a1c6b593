//! Parsing a header or payload: one JSON object, read once, more strictly than
//! Python's `json.loads`.
//!
//! Upstream's messages name the segment (`Invalid header string: ...`, `Invalid
//! payload string: ...`) and then quote CPython's parser; phial keeps the prefix and
//! explains in its own words. On top of upstream's rules (valid JSON, an object):
//! - a key repeated at the top level is refused, because `serde_json::Map` would
//!   silently keep the last value and a second parser might keep the first (see
//!   `jwt-attacks.md`, duplicate JSON keys); nested objects keep their last value,
//!   which RFC 7515 allows and no check reads;
//! - nesting deeper than [`MAX_DEPTH`] levels is refused as soon as the parser
//!   reaches the next level, so hostile input costs no more than 32 levels of
//!   recursion.
//!
//! Both rules live in the visitors that read the values, so a segment is checked
//! in a single pass. [`parse_object`] builds the map of every member; a token's
//! payload is first checked by `claims_scan`, which shares this module's top-level
//! reader and depth rule but keeps only the registered claims.

use crate::JsonObject;
use crate::JwtError;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};
use std::cell::Cell;
use std::fmt;

/// The deepest nesting accepted; the top-level object is level 1.
pub(super) const MAX_DEPTH: usize = 32;

/// Which segment is being parsed, for the message prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    Header,
    Payload,
}

impl Part {
    fn invalid(self, explanation: impl fmt::Display) -> JwtError {
        let part = match self {
            Part::Header => "header",
            Part::Payload => "payload",
        };
        JwtError::Decode(format!("Invalid {part} string: {explanation}"))
    }
}

/// A rule of ours that a visitor broke. The visitors leave it here so that the
/// message can say it plainly, without serde_json's position suffix.
#[derive(Debug)]
enum Problem {
    Duplicate(String),
    TooDeep,
}

/// Parses `bytes` as one JSON object with distinct top-level keys.
pub(super) fn parse_object(bytes: &[u8], part: Part) -> Result<JsonObject, JwtError> {
    parse_top_level(bytes, part, BuildMap)
}

/// What to do with the members of the top-level object: build a map of them
/// ([`parse_object`]), or read only some (`claims_scan`). Whatever the reader, the
/// document is checked in full, with the same rules and the same messages.
pub(super) trait Members {
    /// What the top-level object becomes.
    type Object;

    /// Reads every member of the top-level object from `map`; values go through
    /// `children` (or its depth rules), repeated keys through [`Nested::duplicate`].
    fn read<'de, A: MapAccess<'de>>(self, map: A, children: Nested<'_>) -> Result<Self::Object, A::Error>;
}

/// Parses `bytes` as one JSON object, handing its members to `members`.
pub(super) fn parse_top_level<M: Members>(bytes: &[u8], part: Part, members: M) -> Result<M::Object, JwtError> {
    let problem = Cell::new(None);
    let top_level = TopLevel { problem: &problem, members };
    let parsed = match std::str::from_utf8(bytes) {
        // Checked as UTF-8 in one pass: the reader need not check every string again.
        Ok(text) => read_document(serde_json::Deserializer::from_str(text), top_level),
        // The byte reader then finds the bad bytes and words the error as always.
        Err(_) => read_document(serde_json::Deserializer::from_slice(bytes), top_level),
    };
    match (parsed, problem.into_inner()) {
        (_, Some(Problem::Duplicate(key))) => Err(part.invalid(format_args!("duplicate key {}", Value::String(key)))),
        (_, Some(Problem::TooDeep)) => Err(part.invalid(format_args!("JSON nested deeper than {MAX_DEPTH} levels"))),
        (Err(error), None) => Err(part.invalid(error)),
        (Ok(None), None) => Err(part.invalid("must be a json object")),
        (Ok(Some(object)), None) => Ok(object),
    }
}

/// The top-level value of `deserializer`'s document, and nothing after it.
fn read_document<'de, R, M>(
    mut deserializer: serde_json::Deserializer<R>,
    top_level: TopLevel<'_, M>,
) -> serde_json::Result<Option<M::Object>>
where
    R: serde_json::de::Read<'de>,
    M: Members,
{
    let object = top_level.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(object)
}

/// [`Members`] that build a `serde_json` map of every member.
struct BuildMap;

impl Members for BuildMap {
    type Object = JsonObject;

    fn read<'de, A: MapAccess<'de>>(self, mut map: A, children: Nested<'_>) -> Result<JsonObject, A::Error> {
        let mut object = JsonObject::new();
        while let Some(key) = map.next_key::<String>()? {
            // One lookup per key: the slot is found before the value is parsed.
            match object.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(map.next_value_seed(children)?);
                }
                Entry::Occupied(taken) => return Err(children.duplicate(taken.key().clone())),
            }
        }
        Ok(object)
    }
}

/// Reads the whole document; an object becomes `Some`, anything else is checked
/// for syntax (and depth) and then reported as `None` ("must be a json object").
struct TopLevel<'p, M> {
    problem: &'p Cell<Option<Problem>>,
    members: M,
}

impl<'de, M: Members> DeserializeSeed<'de> for TopLevel<'_, M> {
    type Value = Option<M::Object>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, M: Members> Visitor<'de> for TopLevel<'_, M> {
    type Value = Option<M::Object>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        // The values inside the top-level object are at level 2.
        let children = Nested { levels_left: MAX_DEPTH - 1, problem: self.problem };
        self.members.read(map, children).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let children = Nested { levels_left: MAX_DEPTH - 1, problem: self.problem };
        while seq.next_element_seed(children)?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Builds a `serde_json::Value` as serde_json's own visitor does, refusing to
/// open an array or object when no level is left.
#[derive(Clone, Copy)]
pub(super) struct Nested<'p> {
    levels_left: usize,
    problem: &'p Cell<Option<Problem>>,
}

impl<'p> Nested<'p> {
    /// Records that `key` repeats a top-level key; returns the error that stops
    /// the parser (the message comes from the record).
    pub(super) fn duplicate<E: de::Error>(self, key: String) -> E {
        self.problem.set(Some(Problem::Duplicate(key)));
        E::custom("duplicate key")
    }

    /// The seed for the values one level down, if this level may be opened.
    pub(super) fn open<E: de::Error>(self) -> Result<Nested<'p>, E> {
        match self.levels_left.checked_sub(1) {
            Some(levels_left) => Ok(Nested { levels_left, ..self }),
            None => {
                self.problem.set(Some(Problem::TooDeep));
                Err(E::custom("nested too deep"))
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Nested<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Nested<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let children = self.open()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(children)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let children = self.open()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(children)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        // JSON text has no NaN or infinity, and serde_json refuses out-of-range
        // numbers, so the fallback is never taken.
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn header(text: &str) -> Result<JsonObject, JwtError> {
        parse_object(text.as_bytes(), Part::Header)
    }

    fn payload(text: &str) -> Result<JsonObject, JwtError> {
        parse_object(text.as_bytes(), Part::Payload)
    }

    fn message(result: Result<JsonObject, JwtError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn an_object_parses_with_surrounding_whitespace() {
        let object = header(" \r\n{\"alg\":\"HS256\",\r\n \"typ\":\"JWT\"} ").unwrap();
        assert_eq!(Value::Object(object), json!({"alg": "HS256", "typ": "JWT"}));
        assert!(payload("{}").unwrap().is_empty());
    }

    #[test]
    fn json_that_is_not_an_object_gives_upstreams_message() {
        for text in ["[]", "[1, {\"a\": 2}]", "\"alg\"", "12", "-1.5", "true", "null"] {
            assert_eq!(message(header(text)), "Invalid header string: must be a json object", "{text}");
            assert_eq!(message(payload(text)), "Invalid payload string: must be a json object", "{text}");
        }
    }

    #[test]
    fn invalid_json_is_explained_after_the_prefix() {
        for text in ["", "{", "{\"a\":}", "[1,", "{\"a\":1}x", "{\"a\":1,}", "NaN", "{'a': 1}", "\u{feff}{}"] {
            let header_message = message(header(text));
            assert!(header_message.starts_with("Invalid header string: "), "{text:?}: {header_message}");
            assert_ne!(header_message, "Invalid header string: must be a json object", "{text:?}");
            assert!(message(payload(text)).starts_with("Invalid payload string: "), "{text:?}");
        }
        assert_eq!(message(payload("")), "Invalid payload string: EOF while parsing a value at line 1 column 0");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_invalid_json() {
        let result = parse_object(b"{\"a\":\"\xa6\"}", Part::Header);
        assert!(message(result).starts_with("Invalid header string: "));
        let result = parse_object(b"\xa6", Part::Payload);
        assert!(message(result).starts_with("Invalid payload string: "));
    }

    #[test]
    fn a_repeated_top_level_key_is_named() {
        assert_eq!(
            message(header(r#"{"alg":"HS256","typ":"JWT","alg":"none"}"#)),
            r#"Invalid header string: duplicate key "alg""#
        );
        assert_eq!(
            message(payload(r#"{"exp":1,"sub":"a","exp":"x"}"#)),
            r#"Invalid payload string: duplicate key "exp""#
        );
        assert_eq!(message(payload(r#"{"sub":"a","sub":"a"}"#)), r#"Invalid payload string: duplicate key "sub""#);
        // Escapes are decoded before comparing, so a disguised repeat is still a repeat.
        assert_eq!(message(payload(r#"{"sub":"a","\u0073ub":"b"}"#)), r#"Invalid payload string: duplicate key "sub""#);
    }

    #[test]
    fn repeated_keys_inside_nested_objects_keep_the_last_value() {
        let object = payload(r#"{"user":{"id":1,"id":2}}"#).unwrap();
        assert_eq!(object["user"], json!({"id": 2}));
    }

    #[test]
    fn thirty_two_levels_are_accepted_and_thirty_three_refused() {
        let nested = |levels: usize| format!("{}{}{}", "{\"a\":".repeat(levels - 1), "{}", "}".repeat(levels - 1));
        assert!(payload(&nested(32)).is_ok());
        assert_eq!(message(payload(&nested(33))), "Invalid payload string: JSON nested deeper than 32 levels");
        let arrays = format!("{{\"a\":{}{}}}", "[".repeat(40), "]".repeat(40));
        assert_eq!(message(header(&arrays)), "Invalid header string: JSON nested deeper than 32 levels");
        // A hostile megabyte of brackets is refused at level 33, not recursed into.
        let hostile = "[".repeat(1 << 20);
        assert_eq!(message(payload(&hostile)), "Invalid payload string: JSON nested deeper than 32 levels");
    }

    #[test]
    fn depth_counts_arrays_and_objects_alike_from_the_top_level() {
        // The top-level object is level 1, so 31 arrays inside it make 32 levels.
        let arrays = |n: usize| format!("{{\"a\":{}{}}}", "[".repeat(n), "]".repeat(n));
        assert!(payload(&arrays(31)).is_ok());
        assert!(message(payload(&arrays(32))).ends_with("JSON nested deeper than 32 levels"));
        // A top-level array deep enough is refused for depth before its shape.
        let top = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(message(payload(&top(32))), "Invalid payload string: must be a json object");
        assert!(message(payload(&top(33))).ends_with("JSON nested deeper than 32 levels"));
    }

    #[test]
    fn values_are_the_ones_serde_json_would_build() {
        let text = r#"{"n":null,"t":true,"f":false,"i":-7,"u":18446744073709551615,
            "x":1.5e-7,"big":1e300,"s":"a\u00e9\"","a":[1,[2,{"k":[]}]],"o":{"z":1,"a":{}}}"#;
        let expected: Value = serde_json::from_str(text).unwrap();
        assert_eq!(Value::Object(payload(text).unwrap()), expected);
    }

    #[test]
    fn brackets_inside_strings_do_not_count_as_nesting() {
        let text = format!(r#"{{"a":"{}","b":"\"{}"}}"#, "[{".repeat(100), "{".repeat(100));
        assert!(payload(&text).is_ok());
    }
}
