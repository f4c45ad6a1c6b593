//! Werkzeug's `parse_options_header`: a header value with `key=value` parameters
//! (`Content-Type`, `Content-Disposition`), read as Werkzeug 3.1 reads it, so that
//! a part's name, filename and type come out as Flask sees them.
//!
//! Parameters are RFC 9110's (`; key=token` or `; key="quoted \"string\""`), with
//! RFC 2231's charsets (`filename*=UTF-8''caf%C3%A9.txt`) and continuations
//! (`name*0=a; name*1=b`), and the HTML standard's `%22` for a quote inside a
//! multipart quoted string. Malformed parameters are skipped, not refused.

use super::charset::{Charset, percent_decode};

/// The parameters of a header value, in Python `dict` order: a key given twice
/// keeps its first place and its last value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    fn insert(&mut self, key: String, value: String) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }

    /// The value of `key` (keys are lowercase).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The pairs, in order.
    pub(crate) fn into_pairs(self) -> Vec<(String, String)> {
        self.0
    }
}

/// Splits `value` into its main value and its parameters (lowercased keys), as
/// Werkzeug's `parse_options_header` does.
pub(crate) fn parse_options_header(value: &str) -> (&str, Params) {
    let (main, rest) = value.split_once(';').unwrap_or((value, ""));
    let main = main.trim_matches([' ', '\t']);
    let rest = rest.trim_matches([' ', '\t']);
    if main.is_empty() || rest.is_empty() {
        return (main, Params::default());
    }
    (main, resolve(scan(rest)))
}

/// RFC 9110's `tchar` (a token character), which Werkzeug's patterns spell
/// `[\w!#$%&'*+\-.^`|~]` with ASCII `\w`.
fn is_token_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Collects the `key=value` parts as written (values still quoted).
fn scan(rest: &str) -> Vec<(String, &str)> {
    let bytes = rest.as_bytes();
    let mut parts = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let key_end = pos + bytes[pos..].iter().take_while(|&&b| is_token_char(b)).count();
        if key_end > pos && bytes.get(key_end) == Some(&b'=') {
            let key = rest[pos..key_end].to_ascii_lowercase();
            pos = key_end + 1;
            let token_end = pos + bytes[pos..].iter().take_while(|&&b| is_token_char(b)).count();
            if token_end > pos {
                parts.push((key, &rest[pos..token_end]));
            } else if bytes.get(pos) == Some(&b'"') {
                match closing_quote(&bytes[pos..]) {
                    Some(end) => {
                        parts.push((key, &rest[pos..pos + end + 1]));
                        pos += end + 1;
                    }
                    // An unterminated quoted string ends the scan.
                    None => break,
                }
            }
        }
        // On to the next `;` (a malformed part is skipped).
        match bytes[pos..].iter().position(|&b| b == b';') {
            Some(semicolon) => {
                pos += semicolon + 1;
                pos += bytes[pos..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
            }
            None => break,
        }
    }
    parts
}

/// The index of the quote that closes the quoted string starting at `quoted[0]`,
/// stepping over `\\` and `\"`.
fn closing_quote(quoted: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < quoted.len() {
        match quoted[i] {
            b'\\' if matches!(quoted.get(i + 1), Some(b'\\' | b'"')) => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Splits RFC 2231's markers off a key: `name*0*` is `name`, continued, with a charset.
fn split_marks(key: &str) -> (&str, bool, bool) {
    let (key, charset) = match key.strip_suffix('*') {
        Some(stripped) => (stripped, true),
        None => (key, false),
    };
    if let Some(star) = key.rfind('*') {
        let digits = &key[star + 1..];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return (&key[..star], true, charset);
        }
    }
    (key, false, charset)
}

/// `charset'language'value` (RFC 2231 section 4): the charset, lowercased, and the value.
fn split_charset(value: &str) -> Option<(String, &str)> {
    let (charset, rest) = value.split_once('\'')?;
    let (language, encoded) = rest.split_once('\'')?;
    let plain = |s: &str| s.bytes().all(|b| b != b'\'' && is_token_char(b));
    (plain(charset) && plain(language) && !encoded.is_empty() && encoded.bytes().all(is_token_char))
        .then(|| (charset.to_ascii_lowercase(), encoded))
}

/// Removes the quotes of a quoted string and the backslash before any character
/// (Werkzeug's `unquote_header_value`); anything else is returned as it is.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).filter(|_| value.len() >= 2) else {
        return value.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            // Python's `.` does not match a line feed: `\` before one stays.
            '\\' => match chars.clone().next() {
                Some(next) if next != '\n' => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

/// Decodes charsets, joins continuations and unquotes the values.
fn resolve(parts: Vec<(String, &str)>) -> Params {
    let mut options = Params::default();
    let mut continuations: Vec<(String, Vec<String>)> = Vec::new();
    let mut continuation_charsets: Vec<(String, String)> = Vec::new();
    for (raw_key, raw_value) in parts {
        let (key, continued, has_charset) = split_marks(&raw_key);
        let key = key.to_string();
        let mut charset_name = None;
        let value = if has_charset {
            let mut value = raw_value;
            if let Some((name, encoded)) = split_charset(raw_value) {
                value = encoded;
                charset_name = Some(name).filter(|n| !n.is_empty());
            }
            if charset_name.is_none() && continued {
                charset_name = continuation_charsets.iter().find(|(k, _)| *k == key).map(|(_, c)| c.clone());
            }
            match charset_name.as_deref().and_then(Charset::from_label) {
                Some(charset) => percent_decode(value, charset),
                // An unknown charset leaves the value as it was sent.
                None => value.to_string(),
            }
        } else {
            unquote(raw_value).replace("%22", "\"")
        };
        if continued {
            options.remove(&key);
            match continuations.iter_mut().find(|(k, _)| *k == key) {
                Some((_, pieces)) => pieces.push(value),
                None => continuations.push((key.clone(), vec![value])),
            }
            if let Some(name) = charset_name {
                match continuation_charsets.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, c)) => *c = name,
                    None => continuation_charsets.push((key, name)),
                }
            }
        } else {
            if continuations.iter().any(|(k, _)| *k == key) {
                continuations.retain(|(k, _)| *k != key);
                continuation_charsets.retain(|(k, _)| *k != key);
            }
            options.insert(key, value);
        }
    }
    for (key, pieces) in continuations {
        options.insert(key, pieces.concat());
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(value: &str) -> Vec<(String, String)> {
        parse_options_header(value).1.into_pairs()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn main_value_and_plain_parameters() {
        assert_eq!(parse_options_header("text/html; charset=UTF-8").0, "text/html");
        assert_eq!(params("text/html; charset=UTF-8"), pairs(&[("charset", "UTF-8")]));
        assert_eq!(params("text/plain"), pairs(&[]));
        assert_eq!(parse_options_header("").0, "");
        assert_eq!(params("; a=1"), pairs(&[]), "no main value, no parameters");
        assert_eq!(params("form-data; NAME=x; Name=y"), pairs(&[("name", "y")]));
    }

    #[test]
    fn quoted_strings_escapes_and_percent_quotes() {
        assert_eq!(params(r#"form-data; name="a;b""#), pairs(&[("name", "a;b")]));
        assert_eq!(params(r#"form-data; filename="a \"b\" \\ c""#), pairs(&[("filename", r#"a "b" \ c"#)]));
        assert_eq!(params(r#"form-data; filename="C:\Users\x.txt""#), pairs(&[("filename", "C:Usersx.txt")]));
        assert_eq!(params(r#"form-data; filename="say %22hi%22""#), pairs(&[("filename", "say \"hi\"")]));
        assert_eq!(params(r#"form-data; name="open; x=1"#), pairs(&[]), "an unterminated string ends the scan");
        assert_eq!(params("form-data; name = x; b=2"), pairs(&[("b", "2")]), "spaces around = are not a parameter");
    }

    #[test]
    fn rfc_2231_charsets_and_continuations() {
        assert_eq!(params("form-data; filename*=UTF-8''caf%C3%A9.txt"), pairs(&[("filename", "café.txt")]));
        assert_eq!(params("a; filename*=iso-8859-1'en'%E9t%E9"), pairs(&[("filename", "été")]));
        assert_eq!(params("a; filename*=koi8-r''%C1.txt"), pairs(&[("filename", "%C1.txt")]));
        assert_eq!(params("a; filename*=%C1.txt"), pairs(&[("filename", "%C1.txt")]));
        assert_eq!(params("a; filename=\"x\"; filename*=UTF-8''y"), pairs(&[("filename", "y")]));
        assert_eq!(params("a; filename*=UTF-8''y; filename=\"x\""), pairs(&[("filename", "x")]));
        assert_eq!(params("a; name*0=ab; name*1=\"cd\""), pairs(&[("name", "abcd")]));
        assert_eq!(params("a; name*0*=UTF-8''%C3%A9; name*1*=%C3%A9"), pairs(&[("name", "éé")]));
        assert_eq!(params("a; x=1; name*0=a; y=2"), pairs(&[("x", "1"), ("y", "2"), ("name", "a")]));
    }

    proptest::proptest! {
        #[test]
        fn any_value_parses_without_panicking(value in "[a-z/ ;=*'\"\\\\%0-9A-Fé\t]{0,60}") {
            let _ = parse_options_header(&value);
        }
    }
}
