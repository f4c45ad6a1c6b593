//! Flask's `TaggedJSONSerializer` (`flask.json.tag`): JSON that carries tuples,
//! bytes, `Markup`, UUIDs and datetimes across as one-key objects whose key is a
//! tag.
//!
//! Writing ([`to_vec`]) gives Flask's bytes: each non-JSON value becomes
//! `{"<tag>": <json>}`, a dict whose only key looks like a tag is wrapped as
//! `{" di": {"<key>__": ..}}`, and the JSON is compact with the keys sorted and
//! everything outside printable ASCII escaped (what `session_json_serializer.dumps`
//! writes inside a request, where Flask's JSON provider sorts keys).
//!
//! Reading ([`from_slice`]) untags from the leaves up, as `_untag_scan` does, so a
//! tag inside a tag reads as in Flask. A tag whose content Flask would never write
//! (`{" b": 5}`) is an [`Error::BadPayload`], except `" d"`: Werkzeug's
//! `parse_date` answers `None` for what it cannot read, and so does this module.
//!
//! ```
//! use phial::sessions::{tagged_json, SessionValue};
//!
//! let flashes = SessionValue::List(vec![SessionValue::Tuple(vec!["message".into(), "Logged in".into()])]);
//! let json = tagged_json::to_vec(&flashes);
//! assert_eq!(json, br#"[{" t":["message","Logged in"]}]"#);
//! assert_eq!(tagged_json::from_slice(&json).unwrap(), flashes);
//! ```

use super::http_date;
use super::{SessionMap, SessionValue};
use crate::Error;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

/// Flask's registered tags, in `TaggedJSONSerializer.default_tags` order.
const TAG_DICT: &str = " di";
const TAG_TUPLE: &str = " t";
const TAG_BYTES: &str = " b";
const TAG_MARKUP: &str = " m";
const TAG_UUID: &str = " u";
const TAG_DATETIME: &str = " d";
const TAGS: [&str; 6] = [TAG_DICT, TAG_TUPLE, TAG_BYTES, TAG_MARKUP, TAG_UUID, TAG_DATETIME];

/// `TaggedJSONSerializer().dumps(value)` as Flask runs it inside a request: the
/// tagged value as compact, sorted, ASCII-only JSON.
pub fn to_vec(value: &SessionValue) -> Vec<u8> {
    let mut out = Vec::new();
    crate::python_json::to_writer_sorted(&mut out, &tag(value));
    out
}

/// [`to_vec`] of a whole session, without copying it into a [`SessionValue`].
pub(crate) fn session_to_vec(session: &SessionMap) -> Vec<u8> {
    let mut out = Vec::new();
    crate::python_json::to_writer_sorted(&mut out, &tag_dict(session));
    out
}

/// `TaggedJSONSerializer().loads(json)`: JSON (UTF-8) back to a value, tags read.
pub fn from_slice(json: &[u8]) -> Result<SessionValue, Error> {
    let value: Value = serde_json::from_slice(json)
        .map_err(|err| Error::BadPayload { message: format!("the payload is not JSON ({err})") })?;
    untag(value)
}

/// A value as Flask's `TaggedJSONSerializer.tag` leaves it, ready to be written.
fn tag(value: &SessionValue) -> Value {
    match value {
        SessionValue::Null => Value::Null,
        SessionValue::Bool(flag) => Value::Bool(*flag),
        SessionValue::Number(number) => Value::Number(number.clone()),
        SessionValue::String(text) => Value::String(text.clone()),
        SessionValue::List(items) => Value::Array(items.iter().map(tag).collect()),
        SessionValue::Dict(entries) => tag_dict(entries),
        SessionValue::Tuple(items) => tagged(TAG_TUPLE, Value::Array(items.iter().map(tag).collect())),
        SessionValue::Bytes(bytes) => tagged(TAG_BYTES, Value::String(STANDARD.encode(bytes))),
        SessionValue::Markup(html) => tagged(TAG_MARKUP, Value::String(html.clone())),
        // `UUID.hex`: 32 lowercase hex digits, no hyphens.
        SessionValue::Uuid(uuid) => tagged(TAG_UUID, Value::String(uuid.simple().to_string())),
        SessionValue::DateTime(time) => tagged(TAG_DATETIME, Value::String(http_date::format(*time))),
    }
}

/// A dict, wrapped in `" di"` when its only key looks like a tag (Flask's `TagDict`).
fn tag_dict(entries: &SessionMap) -> Value {
    match entries.iter().next() {
        Some((key, item)) if entries.len() == 1 && TAGS.contains(&key.as_str()) => {
            tagged(TAG_DICT, tagged(&format!("{key}__"), tag(item)))
        }
        _ => Value::Object(entries.iter().map(|(key, item)| (key.clone(), tag(item))).collect()),
    }
}

/// `{key: value}`.
fn tagged(key: &str, value: Value) -> Value {
    let mut object = Map::new();
    object.insert(key.to_owned(), value);
    Value::Object(object)
}

/// Flask's `_untag_scan`: the children first, then the object itself.
fn untag(value: Value) -> Result<SessionValue, Error> {
    Ok(match value {
        Value::Null => SessionValue::Null,
        Value::Bool(flag) => SessionValue::Bool(flag),
        Value::Number(number) => SessionValue::Number(number),
        Value::String(text) => SessionValue::String(text),
        Value::Array(items) => SessionValue::List(items.into_iter().map(untag).collect::<Result<_, _>>()?),
        Value::Object(entries) => {
            let mut entries =
                entries.into_iter().map(|(key, item)| Ok((key, untag(item)?))).collect::<Result<Vec<_>, Error>>()?;
            let is_tag = entries.len() == 1 && TAGS.contains(&entries[0].0.as_str());
            match entries.pop() {
                Some((key, item)) if is_tag => read_tag(&key, item)?,
                Some(last) => {
                    entries.push(last);
                    SessionValue::Dict(entries.into_iter().collect())
                }
                None => SessionValue::Dict(Default::default()),
            }
        }
    })
}

/// The Python value of `{key: item}`, `key` being one of [`TAGS`].
fn read_tag(key: &str, item: SessionValue) -> Result<SessionValue, Error> {
    match (key, item) {
        (TAG_TUPLE, SessionValue::List(items)) => Ok(SessionValue::Tuple(items)),
        (TAG_BYTES, SessionValue::String(text)) => STANDARD
            .decode(text)
            .map(SessionValue::Bytes)
            .map_err(|err| Error::BadPayload { message: format!("the tag \" b\" holds invalid base64 ({err})") }),
        (TAG_MARKUP, SessionValue::String(html)) => Ok(SessionValue::Markup(html)),
        (TAG_UUID, SessionValue::String(text)) => uuid::Uuid::parse_str(&text)
            .map(SessionValue::Uuid)
            .map_err(|err| Error::BadPayload { message: format!("the tag \" u\" holds {text:?}, not a UUID ({err})") }),
        // Werkzeug's parse_date answers None for anything it cannot read.
        (TAG_DATETIME, SessionValue::String(text)) => {
            Ok(http_date::parse(&text).map_or(SessionValue::Null, SessionValue::DateTime))
        }
        (TAG_DATETIME, _) => Ok(SessionValue::Null),
        (TAG_DICT, SessionValue::Dict(mut entries)) if entries.len() == 1 => match entries.pop_first() {
            Some((inner, value)) if inner.ends_with("__") => {
                // "__" is ASCII: the cut is on a character boundary.
                let original = inner[..inner.len() - 2].to_owned();
                Ok(SessionValue::Dict([(original, value)].into()))
            }
            entry => Err(Error::BadPayload {
                message: format!(
                    "the tag \" di\" holds the key {:?}, which does not end in \"__\"",
                    entry.map(|(inner, _)| inner).unwrap_or_default()
                ),
            }),
        },
        (_, other) => {
            let wanted = match key {
                TAG_DICT => "a one-key object",
                TAG_TUPLE => "an array",
                _ => "a string",
            };
            Err(Error::BadPayload {
                message: format!("the tag {key:?} holds {} where Flask writes {wanted}", kind(&other)),
            })
        }
    }
}

/// What a value is, for messages.
fn kind(value: &SessionValue) -> &'static str {
    match value {
        SessionValue::Null => "null",
        SessionValue::Bool(_) => "a boolean",
        SessionValue::Number(_) => "a number",
        SessionValue::String(_) => "a string",
        SessionValue::List(_) => "an array",
        SessionValue::Dict(_) => "an object",
        SessionValue::Tuple(_) => "a tuple",
        SessionValue::Bytes(_) => "bytes",
        SessionValue::Markup(_) => "markup",
        SessionValue::Uuid(_) => "a UUID",
        SessionValue::DateTime(_) => "a datetime",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn dumps(value: &SessionValue) -> String {
        String::from_utf8(to_vec(value)).unwrap()
    }

    fn dict<const N: usize>(entries: [(&str, SessionValue); N]) -> SessionValue {
        SessionValue::Dict(entries.into_iter().map(|(key, value)| (key.to_owned(), value)).collect::<SessionMap>())
    }

    #[test]
    fn each_python_type_is_written_with_flasks_tag() {
        // Expected strings are what Flask 3.1's session_json_serializer.dumps writes in a request.
        let uuid = uuid::Uuid::parse_str("12345678-1234-5678-1234-567812345678").unwrap();
        let cases = [
            (SessionValue::Tuple(vec![1.into(), "a".into()]), r#"{" t":[1,"a"]}"#),
            (SessionValue::Bytes(b"\x00\xffhi".to_vec()), r#"{" b":"AP9oaQ=="}"#),
            (SessionValue::Markup("<b>x</b>".into()), r#"{" m":"<b>x</b>"}"#),
            (SessionValue::Uuid(uuid), r#"{" u":"12345678123456781234567812345678"}"#),
            (
                SessionValue::DateTime(UNIX_EPOCH + Duration::from_secs(784_111_777)),
                r#"{" d":"Sun, 06 Nov 1994 08:49:37 GMT"}"#,
            ),
            (SessionValue::from(1.0), "1.0"),
            (SessionValue::from("Zoë"), r#""Zo\u00eb""#),
        ];
        for (value, flask) in cases {
            assert_eq!(dumps(&value), flask);
        }
    }

    #[test]
    fn a_dict_whose_only_key_looks_like_a_tag_is_wrapped_in_di() {
        assert_eq!(dumps(&dict([(" t", 1.into())])), r#"{" di":{" t__":1}}"#);
        assert_eq!(dumps(&dict([(" di", 1.into())])), r#"{" di":{" di__":1}}"#);
        // Two keys, or a key that is no tag: written as it is.
        assert_eq!(dumps(&dict([(" t", 1.into()), ("a", 2.into())])), r#"{" t":1,"a":2}"#);
        assert_eq!(dumps(&dict([(" x", 1.into())])), r#"{" x":1}"#);
    }

    #[test]
    fn keys_are_sorted_at_every_level() {
        let value = dict([("b", dict([("z", 1.into()), ("a", 2.into())])), ("a", SessionValue::Null)]);
        assert_eq!(dumps(&value), r#"{"a":null,"b":{"a":2,"z":1}}"#);
    }

    #[test]
    fn tags_inside_tags_read_back() {
        let value = dict([(
            " t",
            SessionValue::Tuple(vec![SessionValue::Bytes(vec![0]), dict([(" b", SessionValue::Markup("m".into()))])]),
        )]);
        let json = to_vec(&value);
        assert_eq!(
            String::from_utf8(json.clone()).unwrap(),
            r#"{" di":{" t__":{" t":[{" b":"AA=="},{" di":{" b__":{" m":"m"}}}]}}}"#
        );
        assert_eq!(from_slice(&json).unwrap(), value);
    }

    #[test]
    fn an_unreadable_date_reads_as_none_as_werkzeug_parse_date_answers() {
        assert_eq!(from_slice(br#"{" d":"yesterday"}"#).unwrap(), SessionValue::Null);
        assert_eq!(from_slice(br#"{" d":5}"#).unwrap(), SessionValue::Null);
    }

    #[test]
    fn tags_flask_would_never_write_are_bad_payloads_with_a_reason() {
        for (json, reason) in [
            (r#"{" b":5}"#, r#"the tag " b" holds a number where Flask writes a string"#),
            (r#"{" b":"***"}"#, r#"the tag " b" holds invalid base64"#),
            (r#"{" t":"ab"}"#, r#"the tag " t" holds a string where Flask writes an array"#),
            (r#"{" u":"nope"}"#, r#"the tag " u" holds "nope", not a UUID"#),
            (r#"{" m":[1]}"#, r#"the tag " m" holds an array where Flask writes a string"#),
            (r#"{" di":{"a":1}}"#, r#"the tag " di" holds the key "a", which does not end in "__""#),
            (r#"{" di":{"a__":1,"b__":2}}"#, r#"the tag " di" holds an object where Flask writes a one-key object"#),
            (r#"{"a":"#, "the payload is not JSON"),
        ] {
            let error = from_slice(json.as_bytes()).unwrap_err().to_string();
            assert!(error.contains(reason), "{json}: {error}");
        }
    }

    #[test]
    fn numbers_python_writes_beyond_json_are_documented_differences() {
        // 2**64 reads as a float (Python keeps an int); NaN makes the payload unreadable.
        assert_eq!(from_slice(b"18446744073709551616").unwrap(), SessionValue::from(18_446_744_073_709_551_616.0));
        assert_eq!(from_slice(b"18446744073709551615").unwrap(), SessionValue::from(u64::MAX));
        assert!(from_slice(br#"{"x":NaN}"#).is_err());
    }

    #[test]
    fn plain_json_reads_as_lists_and_dicts() {
        let value = from_slice(br#" {"a": [1, 2.5, true, null, "\u00e9"], "b": {}} "#).unwrap();
        let expected = dict([
            ("a", vec![1.into(), 2.5.into(), true.into(), SessionValue::Null, "é".into()].into()),
            ("b", dict([])),
        ]);
        assert_eq!(value, expected);
    }
}
