//! `Content-Disposition` for a file, as Werkzeug writes it: `inline` or
//! `attachment`, with the name as a token or a quoted string, and for a name
//! outside ASCII an ASCII fallback plus the UTF-8 name (`filename*`, RFC 6266).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use unicode_normalization::UnicodeNormalization;

/// What stays as it is in `filename*` (RFC 5987's attr-char).
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// The header's value for a file sent as an attachment or inline, under `name`.
pub(crate) fn content_disposition(as_attachment: bool, name: &str) -> String {
    let kind = if as_attachment { "attachment" } else { "inline" };
    if name.is_ascii() {
        return format!("{kind}; filename={}", quote_value(name));
    }
    // The name decomposed (é is e and an accent), then what is ASCII of it.
    let fallback: String = name.nfkd().filter(char::is_ascii).collect();
    let utf8 = utf8_percent_encode(name, ATTR_CHAR);
    format!("{kind}; filename={}; filename*=UTF-8''{utf8}", quote_value(&fallback))
}

/// A header parameter's value: bare when it is a token, quoted (`\` and `"`
/// escaped) otherwise.
fn quote_value(value: &str) -> String {
    let is_token_char = |byte: u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte);
    if !value.is_empty() && value.bytes().all(is_token_char) {
        return value.to_string();
    }
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for ch in value.chars() {
        if ch == '\\' || ch == '"' {
            quoted.push('\\');
        }
        quoted.push(ch);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_tokens_or_quoted_strings() {
        assert_eq!(content_disposition(false, "style.css"), "inline; filename=style.css");
        assert_eq!(content_disposition(true, "hello.txt"), "attachment; filename=hello.txt");
        assert_eq!(content_disposition(false, "space name.txt"), r#"inline; filename="space name.txt""#);
        assert_eq!(content_disposition(false, r#"quote"and;semi.txt"#), r#"inline; filename="quote\"and;semi.txt""#);
    }

    #[test]
    fn a_name_outside_ascii_gets_a_fallback_and_its_utf8_form() {
        assert_eq!(
            content_disposition(true, "résumé file.txt"),
            "attachment; filename=\"resume file.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20file.txt"
        );
        assert_eq!(content_disposition(false, "café.txt"), "inline; filename=cafe.txt; filename*=UTF-8''caf%C3%A9.txt");
    }
}
