//! Escaping as Flask's templates escape: MarkupSafe's five characters, and
//! `tojson`'s HTML-safe JSON.
//!
//! minijinja escapes more (`/` as `&#x2f;`, `"` as `&quot;`, `'` as `&#x27;`); a
//! page rendered by phial has the bytes Flask's has, so the formatter, `escape`
//! (`e`) and `tojson` are replaced with MarkupSafe's and Flask's spellings.

use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Error, Output, State};

/// MarkupSafe's `escape`: `& < > " '` as `&amp; &lt; &gt; &#34; &#39;`, nothing else.
pub(crate) fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&#34;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// How `{{ value }}` is written: escaped as MarkupSafe escapes in an autoescaped
/// template (`.html`, `.htm`, `.xml`, `.xhtml`, `.svg`), as it is otherwise and for
/// a safe value; an undefined value is nothing, `None` is `None`.
pub(crate) fn formatter(out: &mut Output<'_>, state: &State<'_, '_>, value: &Value) -> Result<(), Error> {
    let text = match (value.kind(), value.as_str()) {
        (ValueKind::Undefined, _) => return Ok(()),
        (_, Some(text)) => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(super::python_str::python_str(value)),
    };
    if state.auto_escape() == AutoEscape::None || value.is_safe() {
        out.write_str(&text)?;
    } else {
        out.write_str(&escape_html(&text))?;
    }
    Ok(())
}

/// The `escape` filter (and `e`): a safe value as it is, anything else escaped and
/// marked safe.
pub(crate) fn escape(value: Value) -> Value {
    if value.is_safe() {
        return value;
    }
    let text = match value.as_str() {
        Some(text) => escape_html(text),
        None if value.is_undefined() => String::new(),
        None => escape_html(&super::python_str::python_str(&value)),
    };
    Value::from_safe_string(text)
}

/// Flask's `tojson`: `json.dumps(value, sort_keys=True)` with `<`, `>`, `&` and `'`
/// written as `\u003c`, `\u003e`, `\u0026` and `\u0027`, so that it is safe in a
/// `<script>` and in a single-quoted attribute; marked safe.
pub(crate) fn tojson(value: Value) -> Result<Value, Error> {
    let json = serde_json::to_value(&value).map_err(|error| {
        Error::new(minijinja::ErrorKind::InvalidOperation, "cannot be written as JSON").with_source(error)
    })?;
    let text = crate::python_json::dumps_sorted(&json)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\'', "\\u0027");
    Ok(Value::from_safe_string(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_characters_are_escaped_as_markupsafe_spells_them() {
        assert_eq!(escape_html(r#"<a href="x">'&'/=`</a>"#), "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;/=`&lt;/a&gt;");
    }

    #[test]
    fn tojson_is_sorted_spaced_and_html_safe() {
        let value = Value::from_serialize(serde_json::json!({"b": ["<i>", "it's"], "a": "é & co"}));
        let json = tojson(value).unwrap();
        assert!(json.is_safe());
        assert_eq!(json.as_str(), Some(r#"{"a": "\u00e9 \u0026 co", "b": ["\u003ci\u003e", "it\u0027s"]}"#));
    }
}
