//! Values written as Python writes them: Jinja2 prints `str(value)`, so a float is
//! `1e+20` and `0.1`, a list is `['a', 'b']` and a dict `{'k': 1}`, where minijinja
//! would print `100000000000000000000.0` and `["a", "b"]`.

use minijinja::value::{Value, ValueKind};

use crate::python_json::python_float_repr;

/// `str(value)`: a string as it is, anything else as Python spells it.
pub(crate) fn python_str(value: &Value) -> String {
    match value.as_str() {
        Some(text) => text.to_string(),
        None => python_repr(value),
    }
}

/// `repr(value)`: strings quoted, containers with their items' reprs.
pub(crate) fn python_repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(&mut out, value);
    out
}

fn write_repr(out: &mut String, value: &Value) {
    match value.kind() {
        ValueKind::Undefined => {}
        ValueKind::None => out.push_str("None"),
        ValueKind::Bool => out.push_str(if value.is_true() { "True" } else { "False" }),
        ValueKind::String => write_string_repr(out, value.as_str().unwrap_or_default()),
        ValueKind::Number => match value_as_float(value) {
            Some(float) => out.push_str(&python_float_repr(float)),
            None => out.push_str(&value.to_string()),
        },
        ValueKind::Seq => {
            out.push('[');
            for (index, item) in value.try_iter().into_iter().flatten().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_repr(out, &item);
            }
            out.push(']');
        }
        ValueKind::Map => {
            out.push('{');
            for (index, key) in value.try_iter().into_iter().flatten().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_repr(out, &key);
                out.push_str(": ");
                write_repr(out, &value.get_item(&key).unwrap_or_default());
            }
            out.push('}');
        }
        _ => out.push_str(&value.to_string()),
    }
}

/// A float (not an integer) as `f64`.
fn value_as_float(value: &Value) -> Option<f64> {
    if value.is_integer() { None } else { f64::try_from(value.clone()).ok() }
}

/// `repr(text)`: single quotes unless the text has a `'` and no `"`; `\\`, `\n`,
/// `\r`, `\t` and the characters Python does not print escaped.
fn write_string_repr(out: &mut String, text: &str) {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ch if ch == quote => {
                out.push('\\');
                out.push(ch);
            }
            ch if !is_printable(ch) => {
                let code = ch as u32;
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code <= 0xffff {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
            ch => out.push(ch),
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable()` for one character: not a control, format,
/// separator (other than the space) or private-use character. Unassigned code
/// points are not told apart (Python escapes them; they are printed here).
fn is_printable(ch: char) -> bool {
    !(ch.is_control()
        || matches!(ch,
            '\u{a0}' | '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{1680}'
            | '\u{180e}' | '\u{2000}'..='\u{200f}' | '\u{2028}'..='\u{202f}' | '\u{205f}'..='\u{206f}'
            | '\u{3000}' | '\u{e000}'..='\u{f8ff}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
            | '\u{f0000}'..='\u{10ffff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr_of(json: serde_json::Value) -> String {
        python_str(&Value::from_serialize(json))
    }

    #[test]
    fn containers_print_as_python_reprs() {
        assert_eq!(repr_of(serde_json::json!([1, "two", null, true, 2.0])), "[1, 'two', None, True, 2.0]");
        assert_eq!(repr_of(serde_json::json!({"a": [1, 2]})), "{'a': [1, 2]}");
    }

    #[test]
    fn strings_pick_their_quote_and_escape_as_python() {
        assert_eq!(python_repr(&Value::from("it's")), r#""it's""#);
        assert_eq!(python_repr(&Value::from("say \"it's\"")), r#"'say "it\'s"'"#);
        assert_eq!(python_repr(&Value::from("a\\b\n\u{1}\u{a0}é\u{2028}😀")), r"'a\\b\n\x01\xa0é\u2028😀'");
    }

    #[test]
    fn floats_print_as_python_reprs() {
        for (float, text) in [(1e20, "1e+20"), (0.1 + 0.2, "0.30000000000000004"), (1e-7, "1e-07"), (3.0, "3.0")] {
            assert_eq!(python_str(&Value::from(float)), text);
        }
        assert_eq!(python_str(&Value::from(42)), "42");
    }
}
