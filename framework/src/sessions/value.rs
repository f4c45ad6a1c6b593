//! The values a session holds: JSON plus the Python types Flask's tagged JSON
//! carries across.

use std::collections::BTreeMap;
use std::time::SystemTime;
use uuid::Uuid;

/// A whole session: string keys, as in Flask's `session` dict.
///
/// Keys are kept sorted, which is also the order Flask writes them in
/// (`sort_keys=True`, by code point).
pub type SessionMap = BTreeMap<String, SessionValue>;

/// One value in a session, for every type Flask's session serializer reads and
/// writes.
///
/// | Python | in the cookie's JSON | `SessionValue` |
/// |---|---|---|
/// | `None`, `True`/`False` | `null`, `true`/`false` | [`Null`](Self::Null), [`Bool`](Self::Bool) |
/// | `int`, `float` | a number (`1`, `1.0`, `1e+16`) | [`Number`](Self::Number) (integers stay integers, floats floats) |
/// | `str` | a string | [`String`](Self::String) |
/// | `list` | an array | [`List`](Self::List) |
/// | `dict` | an object (`{" di": {"<key>__": ..}}` when its only key is a tag) | [`Dict`](Self::Dict) |
/// | `tuple` | `{" t": [..]}` | [`Tuple`](Self::Tuple) |
/// | `bytes` | `{" b": "<base64>"}` | [`Bytes`](Self::Bytes) |
/// | `markupsafe.Markup` | `{" m": "<html>"}` | [`Markup`](Self::Markup) |
/// | `uuid.UUID` | `{" u": "<32 hex digits>"}` | [`Uuid`](Self::Uuid) |
/// | `datetime` | `{" d": "Sun, 06 Nov 1994 08:49:37 GMT"}` | [`DateTime`](Self::DateTime) (whole seconds, UTC) |
///
/// What Flask itself loses on the way through a cookie is lost here too: a
/// `datetime` keeps whole seconds and comes back in UTC (and a `date` or a
/// `Decimal` comes back as a string, as Flask's JSON writes them). Python integers beyond 64 bits read as floats,
/// and `NaN`/`Infinity` (which Python's JSON writes) make the cookie unreadable:
/// see the porting guide.
///
/// ```
/// use phial::sessions::{SessionMap, SessionValue};
///
/// let mut session = SessionMap::new();
/// session.insert("user_id".into(), 42.into());
/// session.insert("_flashes".into(), SessionValue::List(vec![SessionValue::Tuple(vec!["message".into(), "Hi".into()])]));
/// assert_eq!(session["user_id"].as_i64(), Some(42));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum SessionValue {
    /// Python's `None`.
    Null,
    /// `True` or `False`.
    Bool(bool),
    /// An `int` or a `float`.
    Number(serde_json::Number),
    /// A `str`.
    String(String),
    /// A `list`.
    List(Vec<SessionValue>),
    /// A `dict`.
    Dict(SessionMap),
    /// A `tuple` (Flask's tag `" t"`): what `flash` stores, `(category, message)`.
    Tuple(Vec<SessionValue>),
    /// `bytes` (tag `" b"`).
    Bytes(Vec<u8>),
    /// `markupsafe.Markup`, HTML that templates do not escape again (tag `" m"`).
    Markup(String),
    /// A `uuid.UUID` (tag `" u"`).
    Uuid(Uuid),
    /// A `datetime` (tag `" d"`), written to the second in UTC as an HTTP date.
    DateTime(SystemTime),
}

impl SessionValue {
    /// The text of a [`String`](Self::String) or [`Markup`](Self::Markup).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            SessionValue::String(text) | SessionValue::Markup(text) => Some(text),
            _ => None,
        }
    }

    /// An integer [`Number`](Self::Number) that fits `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            SessionValue::Number(number) => number.as_i64(),
            _ => None,
        }
    }

    /// A [`Number`](Self::Number) as a float (integers too).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            SessionValue::Number(number) => number.as_f64(),
            _ => None,
        }
    }

    /// A [`Bool`](Self::Bool).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            SessionValue::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The items of a [`List`](Self::List) or a [`Tuple`](Self::Tuple).
    pub fn as_slice(&self) -> Option<&[SessionValue]> {
        match self {
            SessionValue::List(items) | SessionValue::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of a [`Dict`](Self::Dict).
    pub fn as_dict(&self) -> Option<&SessionMap> {
        match self {
            SessionValue::Dict(entries) => Some(entries),
            _ => None,
        }
    }
}

impl From<bool> for SessionValue {
    fn from(flag: bool) -> Self {
        SessionValue::Bool(flag)
    }
}

impl From<i64> for SessionValue {
    fn from(number: i64) -> Self {
        SessionValue::Number(number.into())
    }
}

impl From<i32> for SessionValue {
    fn from(number: i32) -> Self {
        SessionValue::Number(number.into())
    }
}

impl From<u64> for SessionValue {
    fn from(number: u64) -> Self {
        SessionValue::Number(number.into())
    }
}

/// A finite float; `NaN` and the infinities become [`Null`](SessionValue::Null), as
/// `serde_json::json!` makes them (Flask would write `NaN`, which no JSON reader
/// but Python's accepts).
impl From<f64> for SessionValue {
    fn from(number: f64) -> Self {
        serde_json::Number::from_f64(number).map_or(SessionValue::Null, SessionValue::Number)
    }
}

impl From<&str> for SessionValue {
    fn from(text: &str) -> Self {
        SessionValue::String(text.to_owned())
    }
}

impl From<String> for SessionValue {
    fn from(text: String) -> Self {
        SessionValue::String(text)
    }
}

impl From<Vec<SessionValue>> for SessionValue {
    fn from(items: Vec<SessionValue>) -> Self {
        SessionValue::List(items)
    }
}

impl From<SessionMap> for SessionValue {
    fn from(entries: SessionMap) -> Self {
        SessionValue::Dict(entries)
    }
}

impl From<Uuid> for SessionValue {
    fn from(uuid: Uuid) -> Self {
        SessionValue::Uuid(uuid)
    }
}

impl From<SystemTime> for SessionValue {
    fn from(time: SystemTime) -> Self {
        SessionValue::DateTime(time)
    }
}

/// Plain JSON, as a JSON request body gives it: objects become dicts and arrays
/// lists. No tag is read (`{" t": [1]}` stays a dict), as Flask stores what
/// `request.get_json()` returned.
impl From<serde_json::Value> for SessionValue {
    fn from(value: serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => SessionValue::Null,
            Value::Bool(flag) => SessionValue::Bool(flag),
            Value::Number(number) => SessionValue::Number(number),
            Value::String(text) => SessionValue::String(text),
            Value::Array(items) => SessionValue::List(items.into_iter().map(SessionValue::from).collect()),
            Value::Object(entries) => {
                SessionValue::Dict(entries.into_iter().map(|(key, item)| (key, SessionValue::from(item))).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_json_becomes_lists_and_dicts_without_reading_tags() {
        let value = SessionValue::from(json!({"a": [1, 2.5, "x", null, true], " t": [1]}));
        let dict = value.as_dict().unwrap();
        assert_eq!(dict["a"].as_slice().unwrap()[0].as_i64(), Some(1));
        assert_eq!(dict["a"].as_slice().unwrap()[1].as_f64(), Some(2.5));
        assert_eq!(dict[" t"], SessionValue::List(vec![1.into()]));
    }

    #[test]
    fn integers_and_floats_stay_apart_as_in_python() {
        assert_ne!(SessionValue::from(1), SessionValue::from(1.0));
        assert_eq!(SessionValue::from(1.0).as_i64(), None);
        assert_eq!(SessionValue::from(f64::NAN), SessionValue::Null);
    }

    #[test]
    fn markup_reads_as_text_and_tuples_as_slices() {
        assert_eq!(SessionValue::Markup("<b>hi</b>".into()).as_str(), Some("<b>hi</b>"));
        assert_eq!(SessionValue::Tuple(vec![true.into()]).as_slice().map(<[_]>::len), Some(1));
        assert_eq!(SessionValue::Null.as_str(), None);
    }
}
