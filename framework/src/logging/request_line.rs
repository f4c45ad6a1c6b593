//! The request's log line, written straight to phial's logger.
//!
//! Every request logs one line (`phial::request`, "served", with its client,
//! method, path, status and time taken). Through tracing's event and
//! tracing-subscriber's general formatter that line costs about 11 000
//! instructions, three quarters of what phial spends on a whole 401 answer: styles
//! applied even without colours, every field and the timestamp through
//! `core::fmt`, each field visited through a `dyn` call.
//!
//! When the logger listening is phial's own ([`super::init`], writing plain text)
//! the line skips all that: [`RequestLine::write`] writes the same text, to the
//! byte, into a reused buffer and hands it to the logger's background writer, in
//! order with every other line. Any other subscriber (an app's own, a test's
//! scoped one, colours on a terminal) gets the tracing event as before.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use super::batched_writer::BatchedWriter;

/// The subscriber [`super::init`] installs.
pub(super) type PhialSubscriber = tracing_subscriber::fmt::Subscriber<
    tracing_subscriber::fmt::format::DefaultFields,
    tracing_subscriber::fmt::format::Format,
    tracing_subscriber::EnvFilter,
    BatchedWriter,
>;

/// The background writer of phial's logger, when it writes plain text.
static WRITER: OnceLock<BatchedWriter> = OnceLock::new();

/// Sends request lines to `writer` whenever phial's logger is the one listening.
pub(super) fn write_directly_to(writer: BatchedWriter) {
    let _ = WRITER.set(writer);
}

thread_local! {
    /// This thread's line buffer, and the last second it wrote with that second's
    /// text (`2026-12-01T02:48:35.`).
    static LINE: RefCell<Line> = const { RefCell::new(Line { text: String::new(), second: (u64::MAX, String::new()) }) };
}

struct Line {
    text: String,
    second: (u64, String),
}

/// The request's line, in pieces.
#[derive(Debug)]
pub(crate) struct RequestLine<'a> {
    /// The client's address, `-` when unknown.
    pub(crate) client: &'a str,
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    /// The status code's three digits.
    pub(crate) status: &'a str,
    pub(crate) elapsed_us: u64,
}

impl RequestLine<'_> {
    /// Writes the line if phial's logger is listening; `false` when the tracing
    /// event should carry it instead (another subscriber, or text the general
    /// formatter would escape).
    pub(crate) fn write(&self) -> bool {
        let Some(writer) = WRITER.get() else { return false };
        if !tracing::dispatcher::get_default(|current| current.is::<PhialSubscriber>()) || !self.is_plain() {
            return false;
        }
        let Ok(since_epoch) = SystemTime::now().duration_since(UNIX_EPOCH) else { return false };
        LINE.with_borrow_mut(|line| {
            let Line { text, second } = line;
            text.clear();
            if !write_timestamp(text, second, since_epoch.as_secs(), since_epoch.subsec_micros()) {
                return false;
            }
            self.write_rest(text);
            writer.append(text.as_bytes());
            true
        })
    }

    /// Whether every piece is text the general formatter writes as it is (printable
    /// ASCII: an http path or method always is).
    fn is_plain(&self) -> bool {
        [self.client, self.method, self.path].iter().all(|piece| piece.bytes().all(|byte| byte.is_ascii_graphic()))
    }

    /// The line after its timestamp, as the general formatter writes the event.
    fn write_rest(&self, text: &mut String) {
        text.push_str(" INFO phial::request: served client=");
        text.push_str(self.client);
        text.push_str(" method=");
        text.push_str(self.method);
        text.push_str(" path=");
        text.push_str(self.path);
        text.push_str(" status=");
        text.push_str(self.status);
        text.push_str(" elapsed_us=");
        text.push_str(itoa::Buffer::new().format(self.elapsed_us));
        text.push('\n');
    }
}

/// Writes `seconds` and `micros` since 1970 as the general formatter's clock does
/// (RFC 3339 in UTC, to the microsecond, then a space), the date and time kept for
/// the whole second in `second`; `false` after the year 9999.
fn write_timestamp(text: &mut String, second: &mut (u64, String), seconds: u64, micros: u32) -> bool {
    if second.0 != seconds {
        let Some(date_and_time) = second_text(seconds) else { return false };
        *second = (seconds, date_and_time);
    }
    text.push_str(&second.1);
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(micros);
    text.push_str("000000".get(digits.len()..).unwrap_or(""));
    text.push_str(digits);
    text.push_str("Z ");
    true
}

/// `YYYY-MM-DDTHH:MM:SS.` for `seconds` since 1970 (UTC), up to the year 9999.
fn second_text(seconds: u64) -> Option<String> {
    let moment = time::OffsetDateTime::from_unix_timestamp(i64::try_from(seconds).ok()?).ok()?;
    if moment.year() > 9999 {
        return None;
    }
    let mut text = String::with_capacity(20);
    write!(
        text,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.",
        moment.year(),
        u8::from(moment.month()),
        moment.day(),
        moment.hour(),
        moment.minute(),
        moment.second()
    )
    .ok()?;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::ErrorKind::Other)?.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The general formatter's line for the request's event (colours off).
    fn general_formatters_line() -> String {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(
                target: "phial::request",
                client = %"192.0.2.7",
                method = %"GET",
                path = %"/protected/%C3%A9t%C3%A9",
                status = 401u16,
                elapsed_us = 57u64,
                "served"
            );
        });
        let bytes = buffer.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    fn line() -> RequestLine<'static> {
        RequestLine {
            client: "192.0.2.7",
            method: "GET",
            path: "/protected/%C3%A9t%C3%A9",
            status: "401",
            elapsed_us: 57,
        }
    }

    #[test]
    fn the_line_is_the_general_formatters_text() {
        let general = general_formatters_line();
        let mut by_hand = String::new();
        let mut second = (u64::MAX, String::new());
        assert!(write_timestamp(&mut by_hand, &mut second, 1_795_919_315, 42));
        line().write_rest(&mut by_hand);
        assert_eq!(by_hand[..28], *"2026-11-29T02:28:35.000042Z ");
        // The timestamps differ (the general formatter read the clock).
        assert_eq!(by_hand[28..], general[28..], "\n{by_hand}{general}");
        let shape: String = general[..28].chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect();
        assert_eq!(shape, "9999-99-99T99:99:99.999999Z ");
    }

    #[test]
    fn a_second_is_written_once_and_reused() {
        let mut second = (u64::MAX, String::new());
        let mut text = String::new();
        assert!(write_timestamp(&mut text, &mut second, 0, 999_999));
        assert_eq!(text, "1970-01-01T00:00:00.999999Z ");
        text.clear();
        assert!(write_timestamp(&mut text, &mut second, 951_782_400, 7));
        assert_eq!(text, "2000-02-29T00:00:00.000007Z ");
        assert_eq!(second.0, 951_782_400);
        assert!(!write_timestamp(&mut text, &mut second, 253_402_300_800, 0), "the year 10000");
    }

    #[test]
    fn only_printable_ascii_is_written_directly() {
        assert!(line().is_plain());
        assert!(!RequestLine { path: "/caf\u{e9}", ..line() }.is_plain());
        assert!(!RequestLine { method: "G\x1bT", ..line() }.is_plain());
    }

    #[test]
    fn before_phials_logger_is_installed_the_event_carries_the_line() {
        // (tests/sigterm.rs runs the quickstart with it: every line written directly.)
        let subscriber = tracing_subscriber::fmt().finish();
        tracing::subscriber::with_default(subscriber, || assert!(!line().write()));
    }
}
