//! Conditional and range requests for a file (Werkzeug's `make_conditional`, as
//! `send_file` uses it): `If-None-Match`, `If-Modified-Since`, `If-Match`, `Range`
//! and `If-Range`, for `GET` and `HEAD`.
//!
//! Werkzeug's order, kept so that a ported app's clients see the same statuses: the
//! range is looked at first, and a range that is served (206) is served whatever
//! the other headers say; only then can the other headers make it a 304 (or a 412
//! when `If-Match` is there). `If-None-Match` compares weakly and wins over
//! `If-Modified-Since` either way; `If-Range` compares without the weak marker.

use http::header::{IF_MATCH, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, RANGE};
use http::{HeaderMap, HeaderName, Method};
use std::time::SystemTime;

use super::range::{ByteRange, byte_range};

/// What the response for a file should be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// All of it (200).
    Whole,
    /// Bytes `start..end` (206).
    Part { start: u64, end: u64 },
    /// 304: the client's copy is current.
    NotModified,
    /// 412: `If-Match` did not hold.
    PreconditionFailed,
    /// 416: a range that cannot be served.
    NotSatisfiable,
}

/// The file's validators, as its response carries them.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Validators<'a> {
    /// The entity tag, without its quotes.
    pub(crate) etag: Option<&'a str>,
    /// The modification time (compared to the second).
    pub(crate) last_modified: Option<SystemTime>,
}

/// The outcome of a request with `method` and `headers` for a file of `length`
/// bytes (`None`: unknown) with these validators.
pub(crate) fn evaluate(
    method: &Method,
    headers: &HeaderMap,
    validators: Validators<'_>,
    length: Option<u64>,
) -> Outcome {
    if method != Method::GET && method != Method::HEAD {
        return Outcome::Whole;
    }
    if let (Some(length @ 1..), Some(range)) = (length, text(headers, &RANGE)) {
        let if_range_holds = !headers.contains_key(IF_RANGE) || !is_modified(headers, validators, true);
        if if_range_holds {
            return match byte_range(range, length) {
                ByteRange::Satisfiable { start, end } => Outcome::Part { start, end },
                ByteRange::NotSatisfiable => Outcome::NotSatisfiable,
            };
        }
    }
    if is_modified(headers, validators, false) {
        Outcome::Whole
    } else if ETags::parse(text(headers, &IF_MATCH)).is_empty() {
        Outcome::NotModified
    } else {
        Outcome::PreconditionFailed
    }
}

/// Whether the client's copy is out of date (Werkzeug's `is_resource_modified`);
/// with `use_if_range`, `If-Range` stands in for the other headers it replaces.
fn is_modified(headers: &HeaderMap, validators: Validators<'_>, use_if_range: bool) -> bool {
    let if_range = if use_if_range { text(headers, &IF_RANGE).map(IfRange::parse) } else { None };
    let modified_since = match if_range {
        Some(IfRange::Date(date)) => Some(date),
        _ => text(headers, &IF_MODIFIED_SINCE).and_then(|value| httpdate::parse_http_date(value).ok()),
    };
    let last_modified = validators.last_modified.map(whole_seconds);
    let mut unmodified = matches!((modified_since, last_modified), (Some(since), Some(last)) if last <= since);
    if let Some(etag) = validators.etag.filter(|etag| !etag.is_empty()) {
        if let Some(IfRange::Tag(tag)) = if_range {
            unmodified = tag == etag;
        } else {
            let if_none_match = ETags::parse(text(headers, &IF_NONE_MATCH));
            if !if_none_match.is_empty() {
                unmodified = if_none_match.contains_weak(etag);
            }
            let if_match = ETags::parse(text(headers, &IF_MATCH));
            if !if_match.is_empty() {
                unmodified = !if_match.is_strong(etag);
            }
        }
    }
    !unmodified
}

fn text<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn whole_seconds(time: SystemTime) -> SystemTime {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) => SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(since.as_secs()),
        Err(_) => time,
    }
}

/// `If-Range`: a date, or an entity tag (its weak marker dropped).
#[derive(Clone, Copy, Debug)]
enum IfRange<'a> {
    Date(SystemTime),
    Tag(&'a str),
}

impl<'a> IfRange<'a> {
    fn parse(value: &'a str) -> IfRange<'a> {
        match httpdate::parse_http_date(value) {
            Ok(date) => IfRange::Date(date),
            Err(_) => IfRange::Tag(unquote(value)),
        }
    }
}

/// An entity tag without its weak marker and quotes (an unquoted one as it is).
fn unquote(tag: &str) -> &str {
    let tag = tag.strip_prefix("W/").or_else(|| tag.strip_prefix("w/")).unwrap_or(tag);
    tag.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')).unwrap_or(tag)
}

/// The entity tags of `If-None-Match` or `If-Match`, read leniently as Werkzeug
/// reads them: unquoted tags are taken, anything else is skipped to the next comma.
#[derive(Debug, Default)]
struct ETags<'a> {
    any: bool,
    strong: Vec<&'a str>,
    weak: Vec<&'a str>,
}

impl<'a> ETags<'a> {
    fn parse(value: Option<&'a str>) -> ETags<'a> {
        let mut tags = ETags::default();
        let Some(value) = value.filter(|value| !value.is_empty()) else { return tags };
        if value == "*" {
            tags.any = true;
            return tags;
        }
        for item in value.split(',') {
            let item = item.trim_matches([' ', '\t']);
            let (weak, rest) = match item.strip_prefix("W/").or_else(|| item.strip_prefix("w/")) {
                Some(rest) => (true, rest),
                None => (false, item),
            };
            let tag = if let Some(quoted) = rest.strip_prefix('"') {
                match quoted.strip_suffix('"') {
                    Some(tag) if !tag.contains('"') => tag,
                    _ => continue,
                }
            } else if !rest.is_empty() && !rest.contains(['"', ' ', '\t']) {
                rest
            } else {
                continue;
            };
            if weak { tags.weak.push(tag) } else { tags.strong.push(tag) }
        }
        tags
    }

    fn is_empty(&self) -> bool {
        !self.any && self.strong.is_empty() && self.weak.is_empty()
    }

    fn is_strong(&self, etag: &str) -> bool {
        self.strong.contains(&etag)
    }

    fn contains_weak(&self, etag: &str) -> bool {
        self.any || self.weak.contains(&etag) || self.strong.contains(&etag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const ETAG: &str = "1700000000.0-61-2575503780";
    const LAST_MODIFIED: &str = "Tue, 14 Nov 2023 22:13:20 GMT";

    fn outcome(method: Method, headers: &[(&'static str, &'static str)]) -> Outcome {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        let validators =
            Validators { etag: Some(ETAG), last_modified: Some(httpdate::parse_http_date(LAST_MODIFIED).unwrap()) };
        evaluate(&method, &map, validators, Some(101))
    }

    #[test]
    fn if_none_match_compares_weakly_and_wins_over_if_modified_since() {
        let tag = r#""1700000000.0-61-2575503780""#;
        assert_eq!(outcome(Method::GET, &[("if-none-match", tag)]), Outcome::NotModified);
        assert_eq!(
            outcome(Method::GET, &[("if-none-match", r#"W/"1700000000.0-61-2575503780""#)]),
            Outcome::NotModified
        );
        assert_eq!(outcome(Method::GET, &[("if-none-match", "1700000000.0-61-2575503780")]), Outcome::NotModified);
        assert_eq!(
            outcome(Method::GET, &[("if-none-match", r#""x", "1700000000.0-61-2575503780""#)]),
            Outcome::NotModified
        );
        assert_eq!(outcome(Method::GET, &[("if-none-match", "*")]), Outcome::NotModified);
        assert_eq!(
            outcome(Method::GET, &[("if-none-match", r#""x""#), ("if-modified-since", LAST_MODIFIED)]),
            Outcome::Whole
        );
        assert_eq!(
            outcome(Method::GET, &[("if-none-match", tag), ("if-modified-since", "Mon, 13 Nov 2023 00:00:00 GMT")]),
            Outcome::NotModified
        );
        assert_eq!(outcome(Method::HEAD, &[("if-none-match", tag)]), Outcome::NotModified);
        assert_eq!(outcome(Method::POST, &[("if-none-match", tag)]), Outcome::Whole);
    }

    #[test]
    fn if_modified_since_holds_from_the_last_modified_second_on() {
        assert_eq!(outcome(Method::GET, &[("if-modified-since", LAST_MODIFIED)]), Outcome::NotModified);
        assert_eq!(
            outcome(Method::GET, &[("if-modified-since", "Wed, 15 Nov 2023 00:00:00 GMT")]),
            Outcome::NotModified
        );
        assert_eq!(outcome(Method::GET, &[("if-modified-since", "Mon, 13 Nov 2023 00:00:00 GMT")]), Outcome::Whole);
        assert_eq!(outcome(Method::GET, &[("if-modified-since", "yesterday")]), Outcome::Whole);
    }

    #[test]
    fn if_match_is_strong_and_its_failure_is_a_412() {
        assert_eq!(outcome(Method::GET, &[("if-match", r#""1700000000.0-61-2575503780""#)]), Outcome::Whole);
        assert_eq!(outcome(Method::GET, &[("if-match", r#""x""#)]), Outcome::PreconditionFailed);
        // Werkzeug never counts `*` as a strong match.
        assert_eq!(outcome(Method::GET, &[("if-match", "*")]), Outcome::PreconditionFailed);
    }

    #[test]
    fn a_range_is_served_first_unless_if_range_says_the_file_changed() {
        assert_eq!(outcome(Method::GET, &[("range", "bytes=0-9")]), Outcome::Part { start: 0, end: 10 });
        let tag = r#""1700000000.0-61-2575503780""#;
        assert_eq!(
            outcome(Method::GET, &[("range", "bytes=0-9"), ("if-none-match", tag)]),
            Outcome::Part { start: 0, end: 10 }
        );
        assert_eq!(
            outcome(Method::GET, &[("range", "bytes=0-9"), ("if-range", tag)]),
            Outcome::Part { start: 0, end: 10 }
        );
        assert_eq!(
            outcome(Method::GET, &[("range", "bytes=0-9"), ("if-range", r#"W/"1700000000.0-61-2575503780""#)]),
            Outcome::Part { start: 0, end: 10 }
        );
        assert_eq!(outcome(Method::GET, &[("range", "bytes=0-9"), ("if-range", r#""x""#)]), Outcome::Whole);
        assert_eq!(
            outcome(Method::GET, &[("range", "bytes=0-9"), ("if-range", r#""x""#), ("if-none-match", tag)]),
            Outcome::NotModified
        );
        assert_eq!(outcome(Method::GET, &[("range", "bytes=500-"), ("if-range", r#""x""#)]), Outcome::Whole);
        assert_eq!(
            outcome(Method::GET, &[("range", "bytes=0-9"), ("if-range", LAST_MODIFIED)]),
            Outcome::Part { start: 0, end: 10 }
        );
        assert_eq!(
            outcome(Method::GET, &[("range", "bytes=0-9"), ("if-range", "Mon, 13 Nov 2023 00:00:00 GMT")]),
            Outcome::Whole
        );
        assert_eq!(outcome(Method::GET, &[("range", "bytes=500-")]), Outcome::NotSatisfiable);
        assert_eq!(outcome(Method::GET, &[("if-range", tag)]), Outcome::Whole);
    }
}
