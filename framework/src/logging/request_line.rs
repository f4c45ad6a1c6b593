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
    /// The last second this thread wrote, and its date and time (`2026-12-01T02:48:35.`).
    static LAST_SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
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
        LAST_SECOND.with_borrow_mut(|second| {
            let Some(date_and_time) = date_and_time(second, since_epoch.as_secs()) else { return false };
            // Written straight into the writer's batch.
            writer.append_with(|batch| {
                write_timestamp(batch, date_and_time, since_epoch.subsec_micros());
                self.write_rest(batch);
            });
            true
        })
    }

    /// Whether every piece is text the general formatter writes as it is (printable
    /// ASCII: an http path or method always is).
    fn is_plain(&self) -> bool {
        [self.client, self.method, self.path].iter().all(|piece| piece.bytes().all(|byte| byte.is_ascii_graphic()))
    }

    /// The line after its timestamp, as the general formatter writes the event.
    fn write_rest(&self, batch: &mut Vec<u8>) {
        let mut put = |text: &str| batch.extend_from_slice(text.as_bytes());
        put(" INFO phial::request: served client=");
        put(self.client);
        put(" method=");
        put(self.method);
        put(" path=");
        put(self.path);
        put(" status=");
        put(self.status);
        put(" elapsed_us=");
        put(itoa::Buffer::new().format(self.elapsed_us));
        put("\n");
    }
}

/// The date and time of `seconds` since 1970 (`2026-12-01T02:48:35.`), kept in
/// `second` for the whole second; `None` after the year 9999 (the general
/// formatter writes those).
fn date_and_time(second: &mut (u64, String), seconds: u64) -> Option<&str> {
    if second.0 != seconds {
        *second = (seconds, second_text(seconds)?);
    }
    Some(&second.1)
}

/// Writes the timestamp as the general formatter's clock does (RFC 3339 in UTC, to
/// the microsecond, then a space): `date_and_time`, then `micros`.
fn write_timestamp(batch: &mut Vec<u8>, date_and_time: &str, micros: u32) {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(micros);
    batch.extend_from_slice(date_and_time.as_bytes());
    batch.extend_from_slice("000000".get(digits.len()..).unwrap_or("").as_bytes());
    batch.extend_from_slice(digits.as_bytes());
    batch.extend_from_slice(b"Z ");
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
        let mut batch = Vec::new();
        let mut second = (u64::MAX, String::new());
        write_timestamp(&mut batch, date_and_time(&mut second, 1_795_919_315).unwrap(), 42);
        line().write_rest(&mut batch);
        let by_hand = String::from_utf8(batch).unwrap();
        assert_eq!(by_hand[..28], *"2026-11-29T02:28:35.000042Z ");
        // The timestamps differ (the general formatter read the clock).
        assert_eq!(by_hand[28..], general[28..], "\n{by_hand}{general}");
        let shape: String = general[..28].chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect();
        assert_eq!(shape, "9999-99-99T99:99:99.999999Z ");
    }

    #[test]
    fn a_second_is_written_once_and_reused() {
        let mut second = (u64::MAX, String::new());
        let stamp = |second: &mut (u64, String), seconds, micros| {
            let mut batch = Vec::new();
            write_timestamp(&mut batch, date_and_time(second, seconds)?, micros);
            String::from_utf8(batch).ok()
        };
        assert_eq!(stamp(&mut second, 0, 999_999).unwrap(), "1970-01-01T00:00:00.999999Z ");
        assert_eq!(stamp(&mut second, 951_782_400, 7).unwrap(), "2000-02-29T00:00:00.000007Z ");
        assert_eq!(second.0, 951_782_400);
        assert_eq!(stamp(&mut second, 253_402_300_800, 0), None, "the year 10000");
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
