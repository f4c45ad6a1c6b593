//! The `Range` header, read as Werkzeug reads it for `send_file`.
//!
//! One range of bytes is served (206); anything else that asks for a range is
//! refused with a 416: a malformed header, another unit, several ranges, or a range
//! that does not fit the file (a suffix longer than the file included). Werkzeug
//! does so, where RFC 9110 would have most of these ignored; a ported app's clients
//! see what they saw.

/// What a `Range` header asks of a body of `length` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ByteRange {
    /// Bytes `start..end` (end exclusive), within the body.
    Satisfiable { start: u64, end: u64 },
    /// A 416: nothing that can be served.
    NotSatisfiable,
}

/// One `first-last` (or `first-`, or `-suffix`) of the header, as parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spec {
    /// From `start` to `end` (exclusive), or to the end of the body.
    From { start: u64, end: Option<u64> },
    /// The last `n` bytes.
    Suffix(u64),
}

/// Reads `header` for a body of `length` bytes (`length` > 0).
pub(crate) fn byte_range(header: &str, length: u64) -> ByteRange {
    match parse(header) {
        Some((unit, specs)) if unit == "bytes" && specs.len() == 1 => resolve(specs[0], length),
        _ => ByteRange::NotSatisfiable,
    }
}

/// `unit=spec,spec,...`: `None` when malformed (Werkzeug's `parse_range_header`).
/// Specs must come in order without overlapping, an open one last.
fn parse(header: &str) -> Option<(String, Vec<Spec>)> {
    let (unit, specs) = header.split_once('=')?;
    let unit = unit.trim_matches([' ', '\t']).to_ascii_lowercase();
    let mut parsed = Vec::new();
    // Where the last spec ended; `None` once an open or suffix spec was seen.
    let mut last_end = Some(0);
    for item in specs.split(',') {
        let item = item.trim_matches([' ', '\t']);
        if let Some(suffix) = item.strip_prefix('-') {
            last_end?;
            // The digits right after the `-` (Werkzeug reads `-5` as one integer).
            if suffix.starts_with([' ', '\t']) {
                return None;
            }
            let n = plain_int(suffix)?;
            // `-0` asks for nothing.
            if n == 0 {
                return None;
            }
            parsed.push(Spec::Suffix(n));
            last_end = None;
        } else {
            let (first, last) = item.split_once('-')?;
            let start = plain_int(first)?;
            if start < last_end? {
                return None;
            }
            let last = last.trim_matches([' ', '\t']);
            let end = if last.is_empty() {
                None
            } else {
                let end = plain_int(last)?.checked_add(1)?;
                if start >= end {
                    return None;
                }
                Some(end)
            };
            parsed.push(Spec::From { start, end });
            last_end = end;
        }
    }
    Some((unit, parsed))
}

/// ASCII digits only, spaces and tabs around them allowed.
fn plain_int(text: &str) -> Option<u64> {
    let text = text.trim_matches([' ', '\t']);
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Where `spec` falls in a body of `length` bytes.
fn resolve(spec: Spec, length: u64) -> ByteRange {
    let (start, end) = match spec {
        Spec::From { start, end } => (start, end.unwrap_or(length).min(length)),
        Spec::Suffix(n) if n <= length => (length - n, length),
        Spec::Suffix(_) => return ByteRange::NotSatisfiable,
    };
    if start < end && start < length { ByteRange::Satisfiable { start, end } } else { ByteRange::NotSatisfiable }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: u64, end: u64) -> ByteRange {
        ByteRange::Satisfiable { start, end }
    }

    #[test]
    fn one_range_of_bytes_is_served_clamped_to_the_body() {
        assert_eq!(byte_range("bytes=0-9", 101), range(0, 10));
        assert_eq!(byte_range("bytes=10-", 101), range(10, 101));
        assert_eq!(byte_range("bytes=-5", 101), range(96, 101));
        assert_eq!(byte_range("bytes=0-0", 101), range(0, 1));
        assert_eq!(byte_range("bytes=90-200", 101), range(90, 101));
        assert_eq!(byte_range(" Bytes = 1 - 2 ", 101), range(1, 3));
        assert_eq!(byte_range("bytes=-101", 101), range(0, 101));
    }

    #[test]
    fn everything_else_is_not_satisfiable() {
        for header in [
            "bytes=-500",
            "bytes=500-600",
            "bytes=101-",
            "bytes=0-1,5-6",
            "bytes=abc",
            "items=0-5",
            "bytes",
            "bytes=5-2",
            "bytes=-0",
            "bytes=+1-2",
            "bytes=1-2,0-1",
            "bytes=-5,1-2",
            "bytes=",
            "bytes=- 5",
        ] {
            assert_eq!(byte_range(header, 101), ByteRange::NotSatisfiable, "{header:?}");
        }
    }
}
