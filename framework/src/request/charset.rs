//! The charsets Werkzeug reads form data in, and Python's percent-decoding.
//!
//! Werkzeug decodes a multipart text field, and an RFC 2231 parameter such as
//! `filename*=iso-8859-1''%E9t%E9.txt`, in the charset the client names when it is
//! one of `ascii`, `us-ascii`, `utf-8` or `iso-8859-1`, and as UTF-8 otherwise
//! (text fields) or not at all (parameters). Bytes that do not decode become
//! U+FFFD, as Python's `errors="replace"` makes them.

/// A charset Werkzeug accepts in form data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    /// `ascii` / `us-ascii`.
    Ascii,
    /// `utf-8`.
    Utf8,
    /// `iso-8859-1`.
    Latin1,
}

impl Charset {
    /// The charset a lowercase label names, if Werkzeug accepts it.
    pub(crate) fn from_label(label: &str) -> Option<Charset> {
        match label {
            "ascii" | "us-ascii" => Some(Charset::Ascii),
            "utf-8" => Some(Charset::Utf8),
            "iso-8859-1" => Some(Charset::Latin1),
            _ => None,
        }
    }

    /// Decodes `bytes`, each undecodable sequence replaced by U+FFFD.
    pub(crate) fn decode(self, bytes: &[u8]) -> String {
        match self {
            Charset::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Charset::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
            Charset::Ascii => bytes.iter().map(|&b| if b.is_ascii() { char::from(b) } else { '\u{FFFD}' }).collect(),
        }
    }
}

/// Python's `urllib.parse.unquote(value, encoding)`: `%XX` escapes in each run of
/// ASCII characters become bytes, decoded in `charset`; a `%` not followed by two
/// hex digits stays, and so do characters outside ASCII.
pub(crate) fn percent_decode(value: &str, charset: Charset) -> String {
    if !value.contains('%') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while !rest.is_empty() {
        let ascii_len = rest.bytes().take_while(u8::is_ascii).count();
        let (ascii, tail) = rest.split_at(ascii_len);
        out.push_str(&charset.decode(&unescape(ascii.as_bytes())));
        let other_len = tail.char_indices().find(|(_, c)| c.is_ascii()).map_or(tail.len(), |(i, _)| i);
        out.push_str(&tail[..other_len]);
        rest = &tail[other_len..];
    }
    out
}

/// `%XX` to the byte it stands for; anything else as it is.
fn unescape(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'%' {
            if let (Some(high), Some(low)) =
                (input.get(i + 1).and_then(|&b| hex(b)), input.get(i + 2).and_then(|&b| hex(b)))
            {
                // Two hex digits: at most 0xFF.
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(input[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_with_replacement_as_python() {
        assert_eq!(Charset::Utf8.decode(b"a\xffb\xe2\x82c\xf0\x9f\x98"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}");
        assert_eq!(Charset::Latin1.decode(b"caf\xe9"), "café");
        assert_eq!(Charset::Ascii.decode(b"caf\xe9"), "caf\u{FFFD}");
        assert_eq!(Charset::from_label("koi8-r"), None);
    }

    #[test]
    fn percent_decoding_as_urllib_unquote() {
        assert_eq!(percent_decode("caf%C3%A9%20menu.txt", Charset::Utf8), "café menu.txt");
        assert_eq!(percent_decode("%E9t%E9", Charset::Latin1), "été");
        assert_eq!(percent_decode("%E9", Charset::Ascii), "\u{FFFD}");
        assert_eq!(percent_decode("%%41%zz%4", Charset::Utf8), "%A%zz%4");
        assert_eq!(percent_decode("é%41", Charset::Ascii), "éA", "characters outside ASCII are kept");
        assert_eq!(percent_decode("plain", Charset::Ascii), "plain");
    }
}
