//! The shortcut for payloads as PyJWT and phial write them.
//!
//! `json.dumps(claims, separators=(",", ":"))` (PyJWT, with `ensure_ascii`) and
//! phial's encoder write a flask-jwt-extended payload in one flat shape: no
//! whitespace, keys and strings of printable ASCII without escapes, the times as
//! integers, `fresh` as `true` or `false`. [`read_compact`] reads exactly that shape
//! and nothing else: an object whose members have such keys and whose values are
//! such strings, non-negative integers of at most 19 digits, `true`, `false` or
//! `null`, with no key twice. For any other text (an escape, a float, a negative
//! number, a nested value, whitespace, a repeated key, an error) it answers `None`
//! and the full scan (`claims_scan`) decides, with its rules and its messages.
//!
//! Whatever it accepts, serde_json reads as the same values, so the shortcut never
//! changes a verdict or a claim; the tests and a proptest hold it to the full scan.

use super::seen_keys::SeenKeys;
use crate::claims::RegisteredClaims;
use serde_json::Value;
use std::borrow::Cow;

/// Integers of up to 19 digits always fit in a `u64` (whose maximum has 20), and
/// serde_json reads them as one.
const MAX_DIGITS: usize = 19;

/// The registered claims of `bytes` when it has the compact shape of the module
/// docs; `None` otherwise (nothing is refused here).
pub(super) fn read_compact(bytes: &[u8]) -> Option<RegisteredClaims> {
    // One pass over the whole payload first (a fold without early exit over
    // bytes, which the compiler vectorises): printable ASCII and no backslash, so
    // no string has an escape or a control character, and the text is UTF-8.
    let (lowest, highest, backslash) = bytes.iter().fold((u8::MAX, 0, 0), |(low, high, backslash), &byte| {
        (low.min(byte), high.max(byte), backslash | u8::from(byte == b'\\'))
    });
    if lowest < b' ' || highest > b'~' || backslash != 0 {
        return None;
    }
    // Printable ASCII is UTF-8: this cannot fail.
    let text = std::str::from_utf8(bytes).ok()?;

    let mut registered = RegisteredClaims::default();
    let mut rest = text.strip_prefix('{')?;
    if rest == "}" {
        return Some(registered);
    }
    let mut seen = SeenKeys::new();
    loop {
        let (key, after_key) = string(rest)?;
        let (value, after_value) = scalar(after_key.strip_prefix(':')?)?;
        let slot = RegisteredClaims::slot(key);
        seen.insert(Cow::Borrowed(key), slot).ok()?;
        if let Some(slot) = slot {
            registered.set(slot, value.into_value());
        }
        match after_value.strip_prefix(',') {
            Some(more) => rest = more,
            None if after_value == "}" => return Some(registered),
            None => return None,
        }
    }
}

/// A value of the compact shape, borrowed from the payload.
enum Scalar<'a> {
    String(&'a str),
    Integer(u64),
    Bool(bool),
    Null,
}

impl Scalar<'_> {
    /// The value serde_json reads for the same text.
    fn into_value(self) -> Value {
        match self {
            Scalar::String(text) => Value::String(text.to_owned()),
            Scalar::Integer(number) => Value::from(number),
            Scalar::Bool(flag) => Value::Bool(flag),
            Scalar::Null => Value::Null,
        }
    }
}

/// The value at the start of `text`, and what follows it.
fn scalar(text: &str) -> Option<(Scalar<'_>, &str)> {
    match text.as_bytes().first()? {
        b'"' => string(text).map(|(value, rest)| (Scalar::String(value), rest)),
        b't' => text.strip_prefix("true").map(|rest| (Scalar::Bool(true), rest)),
        b'f' => text.strip_prefix("false").map(|rest| (Scalar::Bool(false), rest)),
        b'n' => text.strip_prefix("null").map(|rest| (Scalar::Null, rest)),
        b'0'..=b'9' => {
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            // JSON has no leading zeros; longer numbers may not fit a u64.
            if digits > MAX_DIGITS || (digits > 1 && text.starts_with('0')) {
                return None;
            }
            let (number, rest) = text.split_at(digits);
            Some((Scalar::Integer(number.parse().ok()?), rest))
        }
        _ => None,
    }
}

/// The string at the start of `text` (which must open with `"`; the payload has
/// no backslash, so it has no escapes), and what follows its closing quote.
fn string(text: &str) -> Option<(&str, &str)> {
    let body = text.strip_prefix('"')?;
    // A byte search: strings here are a few dozen bytes, too short for `find`'s
    // setup to pay off. A quote is ASCII, so `end` is a character boundary.
    let end = body.bytes().position(|byte| byte == b'"')?;
    Some((&body[..end], &body[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jws::claims_scan::full_scan;
    use serde_json::json;

    /// `text` takes the shortcut, and gives what the full scan gives.
    fn compact(text: &str) -> RegisteredClaims {
        let fast = read_compact(text.as_bytes()).unwrap_or_else(|| panic!("not compact: {text}"));
        assert_eq!(Ok(&fast), full_scan(text.as_bytes()).as_ref().map_err(ToString::to_string), "{text}");
        fast
    }

    #[test]
    fn tokens_as_flask_jwt_extended_writes_them_take_the_shortcut() {
        let registered = compact(
            r#"{"fresh":false,"iat":1732871000,"jti":"2f7c8d5e-0d6c-4a8b-9b1e-3c2a1f0e9d8c","type":"access","sub":"test","nbf":1732871000,"csrf":"c1d2","exp":1732871900}"#,
        );
        assert_eq!(registered.get("sub"), Some(&json!("test")));
        assert_eq!(registered.get("exp"), Some(&json!(1732871900_u64)));
        assert_eq!(registered.get("fresh"), Some(&json!(false)));
        let with_others = compact(r#"{"sub":"a b","role":"admin","n":0,"x":null,"y":true}"#);
        assert_eq!(with_others.get("sub"), Some(&json!("a b")));
        compact("{}");
        compact(r#"{"big":9999999999999999999}"#);
    }

    #[test]
    fn anything_else_is_left_to_the_full_scan() {
        for text in [
            r#"{"sub": "a"}"#,
            r#" {"sub":"a"}"#,
            r#"{"sub":"a"} "#,
            r#"{"sub":"\u0061"}"#,
            r#"{"sub":"é"}"#,
            r#"{"iat":1.5}"#,
            r#"{"iat":1e3}"#,
            r#"{"iat":-1}"#,
            r#"{"iat":01}"#,
            r#"{"iat":18446744073709551615}"#,
            r#"{"aud":["a"]}"#,
            r#"{"x":{}}"#,
            r#"{"sub":"a","sub":"b"}"#,
            r#"{"x":1,"x":2}"#,
            r#"{"sub":"a",}"#,
            r#"{"sub":"a""#,
            r#"{"sub":tru}"#,
            r#"{"sub":"a"}x"#,
            r#"{,}"#,
            "",
            "[]",
        ] {
            assert!(read_compact(text.as_bytes()).is_none(), "{text}");
        }
    }
}
