//! Tokens in the `Authorization` header (`JWT_HEADER_NAME`, `JWT_HEADER_TYPE`),
//! parsed exactly as flask-jwt-extended does.
//!
//! The header may carry several comma-separated schemes (`Basic abc, Bearer <jwt>`):
//! exactly one entry must start with the type word (case-sensitive), and that entry
//! must be the type and the token, nothing more.
//!
//! Words are separated by ASCII whitespace (in a header value: spaces and tabs),
//! split on bytes: a token is hundreds of characters and this runs on every
//! protected request. Non-ASCII whitespace (a no-break space) separates nothing,
//! as in upstream, where headers reach Python as Latin-1 text.

use phial::Request;
use std::borrow::Cow;

use crate::JwtError;
use crate::config::Settings;

/// The encoded token from the header, or why there is none.
pub(super) fn extract<'r>(request: &'r Request, settings: &Settings) -> Result<Cow<'r, str>, JwtError> {
    let (name, kind) = (&settings.header_name, &settings.header_type);
    let mut values = request.headers().get_all(name.as_str()).iter();
    if let (Some(only), None) = (values.next(), values.next()) {
        if let Some(token) = plain_token(only.as_bytes(), kind) {
            return Ok(Cow::Borrowed(token));
        }
    }
    match joined_values(request, name) {
        Cow::Borrowed(value) => token_in(value, name, kind).map(Cow::Borrowed),
        Cow::Owned(value) => token_in(&value, name, kind).map(|token| Cow::Owned(token.to_owned())),
    }
}

/// `Missing <name> Header`: the message of every request without a token, so three
/// copies into one exact allocation (`format!` and `concat` are several times the work).
pub(crate) fn missing_message(name: &str) -> String {
    let mut message = String::with_capacity(name.len() + 15);
    message.push_str("Missing ");
    message.push_str(name);
    message.push_str(" Header");
    message
}

/// The token in the (joined) header value, by upstream's rules (module docs).
fn token_in<'v>(value: &'v str, name: &str, kind: &str) -> Result<&'v str, JwtError> {
    let header = value.trim_ascii().trim_matches(',');
    if header.is_empty() {
        return Err(JwtError::NoAuthorization(missing_message(name)));
    }
    if kind.is_empty() {
        let mut parts = header.split_ascii_whitespace();
        return match (parts.next(), parts.next()) {
            (Some(token), None) => Ok(token),
            _ => Err(JwtError::InvalidHeader(format!("Bad {name} header. Expected '{name}: <JWT>'"))),
        };
    }
    let mut entries = split_entries(header).filter(|entry| entry.split_ascii_whitespace().next() == Some(kind));
    let (Some(entry), None) = (entries.next(), entries.next()) else {
        return Err(JwtError::NoAuthorization(format!(
            "Missing '{kind}' type in '{name}' header. Expected '{name}: {kind} <JWT>'"
        )));
    };
    let mut parts = entry.split_ascii_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(token), None) => Ok(token),
        _ => Err(JwtError::InvalidHeader(format!("Bad {name} header. Expected '{name}: {kind} <JWT>'"))),
    }
}

/// The usual header, read in one pass: a single value `<kind> <token>`, one space
/// between, the token printable ASCII without a comma, and `kind` a plain word.
/// [`token_in`] gives the same token for such a value; anything else (`None`) is
/// left to it.
fn plain_token<'v>(value: &'v [u8], kind: &str) -> Option<&'v str> {
    let is_plain = |byte: u8| byte > b' ' && byte < 0x7f && byte != b',';
    if kind.is_empty() || !kind.bytes().all(is_plain) {
        return None;
    }
    let token = value.strip_prefix(kind.as_bytes())?.strip_prefix(b" ")?;
    // Lowest and highest byte, and whether a comma is there: a fold without early
    // exit over bytes, which the compiler turns into vector instructions over a
    // token of hundreds of bytes (the comma flag is a byte, not a bool: a bool
    // keeps the loop scalar, 25 times the instructions).
    let (lowest, highest, comma) = token.iter().fold((u8::MAX, 0, 0), |(low, high, comma), &byte| {
        (low.min(byte), high.max(byte), comma | u8::from(byte == b','))
    });
    if token.is_empty() || lowest <= b' ' || highest >= 0x7f || comma != 0 {
        return None;
    }
    // Printable ASCII: always UTF-8 (the check cannot fail, and is cheap next to the fold).
    std::str::from_utf8(token).ok()
}

/// The values of header `name`: repeated headers reach a WSGI app joined by commas,
/// so they are joined the same way. One value (the usual case) is borrowed as is.
fn joined_values<'r>(request: &'r Request, name: &str) -> Cow<'r, str> {
    let mut values = request.headers().get_all(name).iter();
    match (values.next(), values.next()) {
        (None, _) => Cow::Borrowed(""),
        // `from_utf8` first: it is much faster than the lossy scan on valid text.
        (Some(only), None) => match std::str::from_utf8(only.as_bytes()) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(only.as_bytes()),
        },
        (Some(first), Some(second)) => {
            let mut joined = String::from_utf8_lossy(first.as_bytes()).into_owned();
            for value in [second].into_iter().chain(values) {
                joined.push_str(", ");
                joined.push_str(&String::from_utf8_lossy(value.as_bytes()));
            }
            Cow::Owned(joined)
        }
    }
}

/// Splits on `,` followed by any whitespace (Python's `re.split(r",\s*", ...)`),
/// dropping empty entries.
fn split_entries(header: &str) -> impl Iterator<Item = &str> {
    header.split(',').map(str::trim_ascii_start).filter(|entry| !entry.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(name: &str, kind: &str) -> Settings {
        let mut config = phial::Config::new();
        config.set("JWT_SECRET_KEY", "k").set("JWT_HEADER_NAME", name).set("JWT_HEADER_TYPE", kind);
        Settings::from_config(&config, false).unwrap()
    }

    fn extract_from(values: &[&str], settings: &Settings) -> Result<String, JwtError> {
        let app = phial::App::new("headers");
        let handle = app.finalize().unwrap();
        let mut builder = phial::http::Request::builder().uri("/");
        for value in values {
            builder = builder.header(settings.header_name.as_str(), *value);
        }
        let request = handle.test_request(builder.body(Default::default()).unwrap());
        extract(&request, settings).map(Cow::into_owned)
    }

    const MISSING_TYPE: &str =
        "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'";
    const BAD: &str = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'";

    #[test]
    fn bearer_tokens_among_other_schemes() {
        let s = settings("Authorization", "Bearer");
        for value in
            ["Bearer abc", "Basic creds, Bearer abc", "Bearer abc, Basic creds", "Bearer abc,   ", "  Bearer abc  "]
        {
            assert_eq!(extract_from(&[value], &s), Ok("abc".to_string()), "{value:?}");
        }
        assert_eq!(extract_from(&["Basic creds", "Bearer abc"], &s), Ok("abc".to_string()));
    }

    #[test]
    fn missing_and_malformed_headers() {
        let s = settings("Authorization", "Bearer");
        assert_eq!(extract_from(&[], &s), Err(JwtError::NoAuthorization("Missing Authorization Header".into())));
        assert_eq!(extract_from(&[" , "], &s), Err(JwtError::NoAuthorization("Missing Authorization Header".into())));
        for value in ["Basic abc", "bearer abc", "Bearer a, Bearer b", "Foo 1, Bar 2, Baz, 3"] {
            assert_eq!(extract_from(&[value], &s), Err(JwtError::NoAuthorization(MISSING_TYPE.into())), "{value:?}");
        }
        for value in ["Bearer", "Bearer ", "Bearer a b", "Bearer ,,0", "Foo 1, Bearer, Baz, 3"] {
            assert_eq!(extract_from(&[value], &s), Err(JwtError::InvalidHeader(BAD.into())), "{value:?}");
        }
    }

    #[test]
    fn words_are_split_on_ascii_whitespace_only() {
        let s = settings("Authorization", "Bearer");
        assert_eq!(extract_from(&["Bearer\tabc"], &s), Ok("abc".to_string()));
        assert_eq!(extract_from(&["\tBearer  abc\t"], &s), Ok("abc".to_string()));
        // A no-break space joins the words, so no entry starts with "Bearer".
        let nbsp = phial::http::HeaderValue::from_bytes("Bearer\u{a0}abc".as_bytes()).unwrap();
        let app = phial::App::new("headers");
        let handle = app.finalize().unwrap();
        let request = handle.test_request(
            phial::http::Request::builder().uri("/").header("Authorization", nbsp).body(Default::default()).unwrap(),
        );
        assert_eq!(extract(&request, &s), Err(JwtError::NoAuthorization(MISSING_TYPE.into())));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_not_trusted() {
        let s = settings("Authorization", "Bearer");
        let value = phial::http::HeaderValue::from_bytes(b"Bearer ab\xffc").unwrap();
        let app = phial::App::new("headers");
        let handle = app.finalize().unwrap();
        let request = handle.test_request(
            phial::http::Request::builder().uri("/").header("Authorization", value).body(Default::default()).unwrap(),
        );
        // The replacement character cannot appear in a token, so decoding refuses it later.
        assert_eq!(extract(&request, &s), Ok(Cow::Owned("ab\u{fffd}c".to_string())));
    }

    #[test]
    fn custom_name_and_empty_type() {
        let s = settings("Foo", "JWT");
        assert_eq!(extract_from(&["JWT abc"], &s), Ok("abc".to_string()));
        assert_eq!(extract_from(&[], &s), Err(JwtError::NoAuthorization("Missing Foo Header".into())));
        let bare = settings("Authorization", "");
        assert_eq!(extract_from(&["abc"], &bare), Ok("abc".to_string()));
        assert_eq!(
            extract_from(&["Bearer abc"], &bare),
            Err(JwtError::InvalidHeader("Bad Authorization header. Expected 'Authorization: <JWT>'".into()))
        );
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_reading_gives_the_general_paths_token(
            value in "(Bearer|JWT|Basic|bearer)?[ \t]{0,2}[a-zA-Z0-9._, \t\u{a0}\u{7f}-]{0,12}",
            kind in proptest::sample::select(vec!["Bearer", "JWT", "", "Bearer x", "Bear,er"]),
        ) {
            if let Some(token) = plain_token(value.as_bytes(), kind) {
                proptest::prop_assert_eq!(token_in(&value, "Authorization", kind), Ok(token));
            }
        }
    }

    #[test]
    fn the_one_pass_reading_takes_only_the_plain_form() {
        assert_eq!(plain_token(b"Bearer abc.def", "Bearer"), Some("abc.def"));
        for value in
            ["Bearer  abc", "Bearer abc ", "Bearer a,b", "Bearer ", "bearer abc", "Bearer\tabc", "Bearer a\u{7f}"]
        {
            assert_eq!(plain_token(value.as_bytes(), "Bearer"), None, "{value:?}");
        }
        assert_eq!(plain_token(b"Bearer abc", ""), None);
        assert_eq!(plain_token(b"Bearer x abc", "Bearer x"), None, "a kind of two words never matches upstream");
        assert_eq!(plain_token("Bearer ab\u{e9}".as_bytes(), "Bearer"), None);
    }
}
