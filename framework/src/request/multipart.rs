//! Reading a `multipart/form-data` body into text fields and files, with multer,
//! within Werkzeug's limits.
//!
//! The body is already in memory, so multer gets it as a stream of one chunk and
//! is driven to the end on the calling thread: every poll is ready at once (a
//! poll that is not means the body ended early, and is a malformed body). Each
//! part's content is a slice of multer's one buffer, shared without copying.
//!
//! As Werkzeug: a part whose `Content-Disposition` has a `filename` (even an empty
//! one) is a file, any other a text field decoded in the charset its
//! `Content-Type` names (ASCII, UTF-8 or ISO-8859-1; UTF-8 otherwise) with U+FFFD
//! for bytes that do not decode. `MAX_FORM_PARTS` counts every part, files
//! included; `MAX_FORM_MEMORY_SIZE` bounds each text field (files are not
//! bounded by it), and, as Werkzeug's buffer does, the bytes before the first
//! boundary and each part's header lines. Where multer is stricter than Werkzeug (line
//! breaks other than CRLF, more than 32 headers in a part), the body is malformed.

use bytes::{Bytes, BytesMut};
use std::convert::Infallible;
use std::future::Future;
use std::task::{Context, Poll, Waker};

use super::charset::Charset;
use super::file_storage::{FileStorage, Files};
use super::form_error::FormError;
use super::multidict::MultiDict;
use super::options_header::parse_options_header;

/// `MAX_FORM_MEMORY_SIZE` and `MAX_FORM_PARTS`; `None` is no limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FormLimits {
    pub(crate) max_form_memory_size: Option<usize>,
    pub(crate) max_form_parts: Option<usize>,
}

/// The text fields and files of a multipart body delimited by `boundary`.
pub(crate) fn parse(body: &Bytes, boundary: &str, limits: FormLimits) -> Result<(MultiDict, Files), FormError> {
    let delimiter = format!("--{boundary}");
    let Some(preamble) = body.windows(delimiter.len()).position(|w| w == delimiter.as_bytes()) else {
        return Err(match limits.max_form_memory_size.filter(|&limit| body.len() > limit) {
            Some(limit) => FormError::TooLarge { limit },
            None => FormError::malformed("the body does not hold the boundary its Content-Type names"),
        });
    };
    if let Some(limit) = limits.max_form_memory_size.filter(|&limit| preamble > limit) {
        return Err(FormError::TooLarge { limit });
    }
    let chunk = futures_util::stream::iter([Ok::<Bytes, Infallible>(body.clone())]);
    let mut multipart = multer::Multipart::new(chunk, boundary);
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let mut parts = 0usize;
    loop {
        let field = match ready(multipart.next_field())? {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(FormError::from_multer(&err)),
        };
        parts += 1;
        if let Some(limit) = limits.max_form_parts.filter(|&limit| parts > limit) {
            return Err(FormError::TooManyParts { limit });
        }
        let headers = field.headers().clone();
        if let Some(limit) = limits.max_form_memory_size.filter(|&limit| header_size(&headers) > limit) {
            return Err(FormError::TooLarge { limit });
        }
        let data = read_content(field)?;
        if data.starts_with(b"--") && data[2..].starts_with(boundary.as_bytes()) {
            // A part with no line between its headers and the next boundary:
            // multer would take the following parts as this one's content.
            return Err(FormError::malformed("a part has no empty line between its headers and the next boundary"));
        }
        let Part { name, filename, charset } = describe(&headers)?;
        if filename.is_none() {
            if let Some(limit) = limits.max_form_memory_size.filter(|&limit| data.len() > limit) {
                return Err(FormError::TooLarge { limit });
            }
        }
        // Werkzeug files a part without a name under `None`, where no view can
        // ask for it: leave it out.
        let Some(name) = name else { continue };
        match filename {
            Some(filename) => files.push(FileStorage::new(name, Some(filename), headers, data)),
            None => fields.push((name, charset.decode(&data))),
        }
    }
    Ok((fields.into_iter().collect(), files.into_iter().collect()))
}

/// What a part's headers say about it.
struct Part {
    name: Option<String>,
    filename: Option<String>,
    charset: Charset,
}

/// Reads a part's name, filename and charset from its headers, which must be
/// UTF-8 and have a `Content-Disposition`, as Werkzeug requires.
fn describe(headers: &http::HeaderMap) -> Result<Part, FormError> {
    for value in headers.values() {
        text(value)?;
    }
    let disposition = headers
        .get(http::header::CONTENT_DISPOSITION)
        .ok_or_else(|| FormError::malformed("a part has no Content-Disposition header"))?;
    let (_, params) = parse_options_header(text(disposition)?);
    let charset = match headers.get(http::header::CONTENT_TYPE) {
        Some(content_type) => {
            let (_, params) = parse_options_header(text(content_type)?);
            params.get("charset").and_then(|label| Charset::from_label(&label.to_lowercase())).unwrap_or(Charset::Utf8)
        }
        None => Charset::Utf8,
    };
    Ok(Part {
        name: params.get("name").map(str::to_string),
        filename: params.get("filename").map(str::to_string),
        charset,
    })
}

/// The size of a part's header lines as sent (`name: value` and CRLF each).
fn header_size(headers: &http::HeaderMap) -> usize {
    headers.iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum()
}

/// A header value as text: Werkzeug decodes part headers as UTF-8.
fn text(value: &http::HeaderValue) -> Result<&str, FormError> {
    std::str::from_utf8(value.as_bytes()).map_err(|_| FormError::malformed("a part's headers are not UTF-8"))
}

/// A part's whole content: one slice of multer's buffer when the body came in
/// one chunk, as here.
fn read_content(mut field: multer::Field<'_>) -> Result<Bytes, FormError> {
    let mut first: Option<Bytes> = None;
    let mut more: Option<BytesMut> = None;
    while let Some(chunk) = ready(field.chunk())?.map_err(|err| FormError::from_multer(&err))? {
        match (&mut first, &mut more) {
            (None, _) => first = Some(chunk),
            (Some(first), None) => {
                let mut joined = BytesMut::from(first.as_ref());
                joined.extend_from_slice(&chunk);
                more = Some(joined);
            }
            (Some(_), Some(joined)) => joined.extend_from_slice(&chunk),
        }
    }
    Ok(match (more, first) {
        (Some(joined), _) => joined.freeze(),
        (None, first) => first.unwrap_or_default(),
    })
}

/// Polls `future` once: with the whole body in multer's buffer it is always ready.
fn ready<F: Future>(future: F) -> Result<F::Output, FormError> {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err(FormError::malformed("the body ends before the multipart data does")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: FormLimits = FormLimits { max_form_memory_size: Some(500_000), max_form_parts: Some(1000) };

    fn parse_text(body: &str, limits: FormLimits) -> Result<(MultiDict, Files), FormError> {
        parse(&Bytes::from(body.to_string()), "b", limits)
    }

    #[test]
    fn fields_and_files_are_slices_of_one_buffer() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nhello\r\n\
                    --b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile one\r\n\
                    --b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n\r\n--b--\r\n";
        let (form, files) = parse_text(body, LIMITS).unwrap();
        assert_eq!(form.get("t"), Some("hello"));
        let all: Vec<_> = files.get_all("f").collect();
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[0].filename(), all[0].bytes().as_ref(), all[0].mimetype().as_str()),
            (Some("a.txt"), &b"file one"[..], "text/plain")
        );
        assert_eq!((all[1].filename(), all[1].len()), (Some(""), 0));
    }

    #[test]
    fn limits_answer_413() {
        let field =
            |n: usize| format!("--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n{}\r\n", "a".repeat(n));
        let small = FormLimits { max_form_memory_size: Some(50), max_form_parts: Some(2) };
        assert!(parse_text(&(field(50) + "--b--\r\n"), small).is_ok());
        assert_eq!(parse_text(&(field(51) + "--b--\r\n"), small).err(), Some(FormError::TooLarge { limit: 50 }));
        assert_eq!(
            parse_text(&(field(1).repeat(3) + "--b--\r\n"), small).err(),
            Some(FormError::TooManyParts { limit: 2 })
        );
        let unlimited = FormLimits { max_form_memory_size: None, max_form_parts: None };
        assert!(parse_text(&(field(1000).repeat(3) + "--b--\r\n"), unlimited).is_ok());
        // What Werkzeug holds in its buffer: the bytes before the first boundary,
        // and a part's header lines.
        let preamble = format!("{}--b--\r\n", "x".repeat(51));
        assert_eq!(parse_text(&preamble, small).err(), Some(FormError::TooLarge { limit: 50 }));
        let headers =
            format!("--b\r\nContent-Disposition: form-data; name=\"t\"\r\nX: {}\r\n\r\n1\r\n--b--\r\n", "h".repeat(9));
        assert_eq!(parse_text(&headers, small).err(), Some(FormError::TooLarge { limit: 50 }));
    }

    #[test]
    fn malformed_bodies_say_why() {
        let truncated = parse_text("--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nhal", LIMITS);
        assert!(matches!(truncated, Err(FormError::Malformed(_))), "{truncated:?}");
        let no_disposition = parse_text("--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--\r\n", LIMITS);
        assert_eq!(no_disposition.err(), Some(FormError::malformed("a part has no Content-Disposition header")));
        let bodiless = "--b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";
        assert!(matches!(parse_text(bodiless, LIMITS), Err(FormError::Malformed(_))));
        assert!(matches!(parse_text("", LIMITS), Err(FormError::Malformed(_))), "Werkzeug refuses an empty body too");
    }

    proptest::proptest! {
        /// Any body, and any cut or single-byte change of a valid one, is read or
        /// refused, never a panic.
        #[test]
        fn never_panics(noise in proptest::collection::vec(proptest::num::u8::ANY, 0..200), cut in 0usize..400, at in 0usize..400, byte in proptest::num::u8::ANY) {
            let _ = parse(&Bytes::from(noise), "b", LIMITS);
            let valid = b"--b\r\nContent-Disposition: form-data; name=\"t\"; filename*=UTF-8''%C3%A9\r\n\
                          Content-Type: text/plain; charset=iso-8859-1\r\n\r\nvalue\r\n--b--\r\n";
            let mut changed = valid.to_vec();
            let at = at % changed.len();
            changed[at] = byte;
            let _ = parse(&Bytes::from(changed), "b", LIMITS);
            let _ = parse(&Bytes::copy_from_slice(&valid[..cut.min(valid.len())]), "b", LIMITS);
        }
    }
}
