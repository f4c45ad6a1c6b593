//! Reading `Cookie` headers exactly as Werkzeug reads them (`parse_cookie`), so
//! that a cookie a Flask service would accept is accepted here, with the same value.
//!
//! Why not the `cookie` crate's parser: Werkzeug strips double quotes around a value
//! and undoes its backslash escapes (`\"`, `\\`, `\351` octal), does not
//! percent-decode, reads the header's bytes as Latin-1 (as WSGI hands them to it),
//! and skips pairs without a name instead of failing. The rules, in Werkzeug's
//! order:
//! 1. the header lines are joined with `;`, and one `;` is added at the end;
//! 2. from each position, a name runs to the next `=` or `;`; after `=` (and
//!    spaces) comes either a double-quoted string with backslash escapes followed by
//!    `;`, or anything up to the next `;`; without `=`, the value is empty;
//! 3. name and value are stripped of whitespace; pairs without a name are skipped;
//! 4. a value that starts and ends with `"` loses them, and its escapes are undone
//!    on its UTF-8 bytes, which are then read as UTF-8 (invalid bytes become U+FFFD).

use std::borrow::Cow;

/// The `(name, value)` pairs of `headers` (the bytes of each `Cookie` header), in order.
pub(crate) fn parse<'h>(headers: impl IntoIterator<Item = &'h [u8]>) -> Vec<(String, String)> {
    let mut text = Vec::new();
    for (i, header) in headers.into_iter().enumerate() {
        if i > 0 {
            text.push(b';');
        }
        text.extend_from_slice(header);
    }
    if text.is_empty() {
        return Vec::new();
    }
    text.push(b';');

    let mut pairs = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let (name, value, next) = pair_at(&text, at);
        at = next;
        let name = strip(name);
        if name.is_empty() {
            continue;
        }
        let value = strip(value);
        let value = match value {
            [b'"', inner @ .., b'"'] => unquote(inner),
            _ => latin1(value),
        };
        pairs.push((latin1(name).into_owned(), value.into_owned()));
    }
    pairs
}

/// The name and raw value starting at `at`, and where the next pair starts. `text`
/// ends with `;`, so every position starts a pair.
fn pair_at(text: &[u8], at: usize) -> (&[u8], &[u8], usize) {
    let name_end = at + text[at..].iter().position(|&b| b == b'=' || b == b';').unwrap_or(text.len() - at);
    if text.get(name_end) != Some(&b'=') {
        return (&text[at..name_end], &[], after_separator(text, name_end));
    }
    let value_start = skip_space(text, name_end + 1);
    if let Some(close) = closing_quote(text, value_start) {
        let after = skip_space(text, close + 1);
        if text.get(after) == Some(&b';') {
            return (&text[at..name_end], &text[value_start..=close], after_separator(text, after));
        }
    }
    let semicolon =
        value_start + text[value_start..].iter().position(|&b| b == b';').unwrap_or(text.len() - value_start);
    (&text[at..name_end], &text[value_start..semicolon], after_separator(text, semicolon))
}

/// The index of the `"` closing a quoted string that opens at `start`, if one does.
fn closing_quote(text: &[u8], start: usize) -> Option<usize> {
    if text.get(start) != Some(&b'"') {
        return None;
    }
    let mut i = start + 1;
    while i < text.len() {
        match text[i] {
            b'"' => return Some(i),
            b'\\' if text.get(i + 1).is_some_and(|&next| next != b'\n') => i += 2,
            b'\\' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Past the `;` at `semicolon` and the spaces after it.
fn after_separator(text: &[u8], semicolon: usize) -> usize {
    skip_space(text, semicolon + 1)
}

/// Past the regex `\s` characters from `i`.
fn skip_space(text: &[u8], mut i: usize) -> usize {
    while text.get(i).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')) {
        i += 1;
    }
    i
}

/// `bytes` without the characters Python's `str.strip()` removes from Latin-1 text.
fn strip(bytes: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(b, b'\t'..=b'\r' | b'\x1c'..=b' ' | b'\x85' | b'\xa0');
    let start = bytes.iter().position(|b| !is_space(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !is_space(b)).map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Bytes read as Latin-1 (each byte is the character of the same number).
fn latin1(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) if bytes.is_ascii() => Cow::Borrowed(text),
        _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// A quoted value's inside with its escapes undone: `\ooo` (octal, first digit 0-3)
/// is that byte, `\x` is `x`; on the UTF-8 form of the Latin-1 text, as Werkzeug works.
fn unquote(inner: &[u8]) -> Cow<'static, str> {
    let utf8 = latin1(inner).into_owned().into_bytes();
    let mut out = Vec::with_capacity(utf8.len());
    let mut i = 0;
    while i < utf8.len() {
        if utf8[i] == b'\\' && i + 1 < utf8.len() && utf8[i + 1] != b'\n' {
            if let Some(byte) = octal_escape(&utf8[i + 1..]) {
                out.push(byte);
                i += 4;
            } else {
                out.push(utf8[i + 1]);
                i += 2;
            }
        } else {
            out.push(utf8[i]);
            i += 1;
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The byte of `ooo` at the start of `rest`, when it is `[0-3][0-7][0-7]`.
fn octal_escape(rest: &[u8]) -> Option<u8> {
    match rest {
        [a @ b'0'..=b'3', b @ b'0'..=b'7', c @ b'0'..=b'7', ..] => Some((a - b'0') * 64 + (b - b'0') * 8 + (c - b'0')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn pairs(header: &str) -> Vec<(String, String)> {
        parse([header.as_bytes()])
    }

    fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn plain_pairs_with_any_spacing() {
        assert_eq!(pairs("a=1; b=2;c=3"), owned(&[("a", "1"), ("b", "2"), ("c", "3")]));
        assert_eq!(pairs("a = 1 ; b= 2 ;\tc =3"), owned(&[("a", "1"), ("b", "2"), ("c", "3")]));
    }

    #[test]
    fn quotes_are_removed_and_escapes_undone() {
        assert_eq!(pairs(r#"t="eyJ.e30.sig""#), owned(&[("t", "eyJ.e30.sig")]));
        assert_eq!(pairs(r#"a="x\"y""#), owned(&[("a", "x\"y")]));
        assert_eq!(pairs(r#"a="\101\102""#), owned(&[("a", "AB")]));
        assert_eq!(pairs(r#"a="\303\251t\303\251""#), owned(&[("a", "été")]));
        assert_eq!(pairs(r#"a="\377""#), owned(&[("a", "\u{fffd}")]));
        assert_eq!(pairs(r#"a="\q\\""#), owned(&[("a", "q\\")]));
        assert_eq!(pairs(r#"a="x;y"; b=2"#), owned(&[("a", "x;y"), ("b", "2")]));
    }

    #[test]
    fn stray_quotes_stay() {
        assert_eq!(pairs(r#"a="x"y; b=2"#), owned(&[("a", "\"x\"y"), ("b", "2")]));
        assert_eq!(pairs(r#"a="open"#), owned(&[("a", "\"open")]));
        assert_eq!(pairs(r#"a=""#), owned(&[("a", "\"")]));
        assert_eq!(pairs(r#"a="""#), owned(&[("a", "")]));
    }

    #[test]
    fn percent_escapes_are_not_decoded() {
        assert_eq!(pairs("a=%20%3B"), owned(&[("a", "%20%3B")]));
    }

    #[test]
    fn odd_pairs_as_werkzeug_reads_them() {
        assert_eq!(pairs("a=b=c"), owned(&[("a", "b=c")]));
        assert_eq!(pairs("a; b=2"), owned(&[("a", ""), ("b", "2")]));
        assert_eq!(pairs("=x; b=2"), owned(&[("b", "2")]));
        assert_eq!(pairs(";;a=1;;"), owned(&[("a", "1")]));
        assert_eq!(pairs("a=1; a=2"), owned(&[("a", "1"), ("a", "2")]));
        assert_eq!(pairs(""), owned(&[]));
    }

    #[test]
    fn bytes_are_latin1_as_wsgi_hands_them_over() {
        assert_eq!(parse([&b"a=caf\xc3\xa9"[..]]), owned(&[("a", "caf\u{c3}\u{a9}")]));
        assert_eq!(parse([&b"a=\xe9t\xe9"[..]]), owned(&[("a", "été")]));
        assert_eq!(parse([&b"a=\xa0x\xa0"[..]]), owned(&[("a", "x")]));
    }

    #[test]
    fn several_headers_are_read_as_one() {
        assert_eq!(parse([&b"a=1"[..], b"b=2; a=3"]), owned(&[("a", "1"), ("b", "2"), ("a", "3")]));
    }
}
