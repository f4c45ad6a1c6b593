//! JSON as Python judges it: [`is_truthy`] is Python's truth test on a JSON value,
//! which PyJWT uses for the `typ` header and the `aud` claim. (JSON as Python
//! *writes* it, byte for byte, is [`phial::python_json`].)

use serde_json::Value;

/// Python's truth value of a JSON value: `null`, `false`, `0`, `0.0`, `""`, `[]` and
/// `{}` are false; everything else is true.
pub(crate) fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_truthiness() {
        for falsy in [json!(null), json!(false), json!(0), json!(0.0), json!(""), json!([]), json!({})] {
            assert!(!is_truthy(&falsy), "{falsy}");
        }
        for truthy in [json!(true), json!(1), json!(-0.5), json!("x"), json!([null]), json!({"a": 0})] {
            assert!(is_truthy(&truthy), "{truthy}");
        }
    }
}
