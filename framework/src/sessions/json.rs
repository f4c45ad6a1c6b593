//! A session value as Flask's `jsonify` writes it: `tuple`s as arrays, `Markup` as
//! its text, a UUID as its dashed text, a `datetime` as an HTTP date; `bytes` are
//! not JSON (Flask raises `TypeError`), so writing them is an error.

use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};

use super::SessionValue;

impl Serialize for SessionValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            SessionValue::Null => serializer.serialize_unit(),
            SessionValue::Bool(flag) => serializer.serialize_bool(*flag),
            SessionValue::Number(number) => number.serialize(serializer),
            SessionValue::String(text) | SessionValue::Markup(text) => serializer.serialize_str(text),
            SessionValue::List(items) | SessionValue::Tuple(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            SessionValue::Dict(values) => {
                let mut map = serializer.serialize_map(Some(values.len()))?;
                for (key, value) in values {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            SessionValue::Uuid(uuid) => serializer.collect_str(uuid),
            SessionValue::DateTime(time) => serializer.serialize_str(&httpdate::fmt_http_date(*time)),
            SessionValue::Bytes(_) => Err(S::Error::custom("Object of type bytes is not JSON serializable")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_types_are_written_as_flasks_json_writes_them() {
        let tuple = SessionValue::Tuple(vec!["message".into(), SessionValue::Markup("<b>hi</b>".into())]);
        assert_eq!(serde_json::to_string(&tuple).unwrap(), r#"["message","<b>hi</b>"]"#);
        let date = SessionValue::DateTime(std::time::UNIX_EPOCH + std::time::Duration::from_secs(784_111_777));
        assert_eq!(serde_json::to_string(&date).unwrap(), r#""Sun, 06 Nov 1994 08:49:37 GMT""#);
        assert!(serde_json::to_string(&SessionValue::Bytes(vec![1])).is_err());
    }
}
