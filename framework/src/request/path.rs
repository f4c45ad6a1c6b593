//! The path a view sees and the router matches: the request target's path,
//! percent-decoded, with a leading run of slashes read as one, as Werkzeug reads
//! `PATH_INFO` (`"/" + path.lstrip("/")`): `//a/b` and `/%2Fa/b` are `/a/b`.

use std::borrow::Cow;
use std::str::Utf8Error;

/// The decoded path when it differs from `raw` (the URI's path), `None` when `raw`
/// is already it (the usual case, which allocates nothing). Errors when the decoded
/// bytes are not UTF-8.
pub(crate) fn decode(raw: &str) -> Result<Option<String>, Utf8Error> {
    let decoded = if raw.bytes().any(|byte| byte == b'%') {
        percent_encoding::percent_decode_str(raw).decode_utf8()?
    } else {
        Cow::Borrowed(raw)
    };
    if decoded.starts_with("//") {
        return Ok(Some(format!("/{}", decoded.trim_start_matches('/'))));
    }
    Ok(match decoded {
        Cow::Borrowed(_) => None,
        Cow::Owned(decoded) => Some(decoded),
    })
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn a_plain_path_is_kept_as_it_is() {
        assert_eq!(decode("/a/b"), Ok(None));
        assert_eq!(decode("/a//b/"), Ok(None));
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(decode("/sp%20ace/%C3%A9"), Ok(Some("/sp ace/é".to_string())));
    }

    #[test]
    fn leading_slashes_are_one_as_in_werkzeug() {
        assert_eq!(decode("//a/b"), Ok(Some("/a/b".to_string())));
        assert_eq!(decode("/%2Fa/b"), Ok(Some("/a/b".to_string())));
        assert_eq!(decode("/%2F%2F/a//b"), Ok(Some("/a//b".to_string())));
        assert_eq!(decode("/%2F"), Ok(Some("/".to_string())));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_an_error() {
        assert!(decode("/%FF").is_err());
    }
}
