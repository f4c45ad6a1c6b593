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

/// Phial's logger, when it writes plain text.
struct Direct {
    writer: BatchedWriter,
    /// Whether its filter says the same for every request line wherever it is
    /// logged (no directive that depends on spans or fields)...
    fixed_filter: bool,
    /// ...and then what it says, asked once.
    enabled: OnceLock<bool>,
}

static DIRECT: OnceLock<Direct> = OnceLock::new();

/// Sends request lines to `writer` whenever phial's logger is the one listening;
/// `filter` is its `RUST_LOG` filter, as text.
pub(super) fn write_directly_to(writer: BatchedWriter, filter: &str) {
    let _ = DIRECT.set(Direct { writer, fixed_filter: is_fixed(filter), enabled: OnceLock::new() });
}

/// Whether an `EnvFilter` (as its `Display` writes it) says the same for a target
/// and level wherever the event is: it has no span or field directive, which are
/// written in brackets (`[span{field=1}]=info`).
fn is_fixed(filter: &str) -> bool {
    !filter.contains('[')
}

/// Who will write the line of a request answered here, if anyone listens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Listener {
    /// Phial's logger: [`RequestLine::write`] writes it.
    Direct,
    /// Another subscriber: the tracing event carries it.
    Event,
}

/// Who listens for request lines (`phial::request` at `info`) where this is
/// called. With phial's logger current and a fixed filter this costs one look at
/// the current subscriber; otherwise the subscriber is asked.
pub(crate) fn listener() -> Option<Listener> {
    let asked = || tracing::enabled!(target: "phial::request", tracing::Level::INFO);
    if let Some(direct) = DIRECT.get() {
        if tracing::dispatcher::get_default(|current| current.is::<PhialSubscriber>()) {
            let enabled = if direct.fixed_filter { *direct.enabled.get_or_init(asked) } else { asked() };
            return enabled.then_some(Listener::Direct);
        }
    }
    asked().then_some(Listener::Event)
}

/// The date and time of one second (`2026-12-01T02:48:35.`), as written.
struct Second {
    seconds: u64,
    text: [u8; 20],
}

thread_local! {
    /// The last second this thread wrote.
    static LAST_SECOND: RefCell<Second> = const { RefCell::new(Second { seconds: u64::MAX, text: [0; 20] }) };
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
    /// Writes the line to phial's logger, which [`listener`] found listening;
    /// `false` when the tracing event should carry it instead (no such logger, or
    /// text the general formatter would escape).
    pub(crate) fn write(&self) -> bool {
        let Some(direct) = DIRECT.get() else { return false };
        if !self.is_plain() {
            return false;
        }
        let Ok(since_epoch) = SystemTime::now().duration_since(UNIX_EPOCH) else { return false };
        LAST_SECOND.with_borrow_mut(|second| {
            let Some(date_and_time) = date_and_time(second, since_epoch.as_secs()) else { return false };
            // Written straight into the writer's batch.
            direct.writer.append_with(|batch| {
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
    /// Pieces of a fixed size are copied whole, without a call.
    fn write_rest(&self, batch: &mut Vec<u8>) {
        batch.extend_from_slice(b" INFO phial::request: served client=");
        batch.extend_from_slice(self.client.as_bytes());
        batch.extend_from_slice(b" method=");
        batch.extend_from_slice(self.method.as_bytes());
        batch.extend_from_slice(b" path=");
        batch.extend_from_slice(self.path.as_bytes());
        match <[u8; 3]>::try_from(self.status.as_bytes()) {
            Ok(digits) => {
                let mut status = *b" status=000 elapsed_us=";
                status[8..11].copy_from_slice(&digits);
                batch.extend_from_slice(&status);
            }
            Err(_) => {
                batch.extend_from_slice(b" status=");
                batch.extend_from_slice(self.status.as_bytes());
                batch.extend_from_slice(b" elapsed_us=");
            }
        }
        batch.extend_from_slice(itoa::Buffer::new().format(self.elapsed_us).as_bytes());
        batch.push(b'\n');
    }
}

/// The date and time of `seconds` since 1970 (`2026-12-01T02:48:35.`), kept in
/// `second` for the whole second; `None` after the year 9999 (the general
/// formatter writes those).
fn date_and_time(second: &mut Second, seconds: u64) -> Option<&[u8; 20]> {
    if second.seconds != seconds {
        second.text = second_text(seconds)?;
        second.seconds = seconds;
    }
    Some(&second.text)
}

/// Writes the timestamp as the general formatter's clock does (RFC 3339 in UTC, to
/// the microsecond, then a space): `date_and_time`, then `micros` (below a
/// million), in one piece.
fn write_timestamp(batch: &mut Vec<u8>, date_and_time: &[u8; 20], micros: u32) {
    let mut stamp = *b"0000-00-00T00:00:00.000000Z ";
    stamp[..20].copy_from_slice(date_and_time);
    let mut rest = micros;
    for digit in stamp[20..26].iter_mut().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    batch.extend_from_slice(&stamp);
}

/// `YYYY-MM-DDTHH:MM:SS.` for `seconds` since 1970 (UTC), up to the year 9999.
fn second_text(seconds: u64) -> Option<[u8; 20]> {
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
    <[u8; 20]>::try_from(text.as_bytes()).ok()
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
        let mut second = Second { seconds: u64::MAX, text: [0; 20] };
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
        let mut second = Second { seconds: u64::MAX, text: [0; 20] };
        let stamp = |second: &mut Second, seconds, micros| {
            let mut batch = Vec::new();
            write_timestamp(&mut batch, date_and_time(second, seconds)?, micros);
            String::from_utf8(batch).ok()
        };
        assert_eq!(stamp(&mut second, 0, 999_999).unwrap(), "1970-01-01T00:00:00.999999Z ");
        assert_eq!(stamp(&mut second, 951_782_400, 7).unwrap(), "2000-02-29T00:00:00.000007Z ");
        assert_eq!(second.seconds, 951_782_400);
        assert_eq!(stamp(&mut second, 253_402_300_800, 0), None, "the year 10000");
    }

    #[test]
    fn only_printable_ascii_is_written_directly() {
        assert!(line().is_plain());
        assert!(!RequestLine { path: "/caf\u{e9}", ..line() }.is_plain());
        assert!(!RequestLine { method: "G\x1bT", ..line() }.is_plain());
    }

    #[test]
    fn a_filter_with_span_or_field_directives_is_asked_for_each_line() {
        for (filter, fixed) in [
            ("info", true),
            ("warn,phial::request=info", true),
            ("info,[handler]=debug", false),
            ("info,[{user=1}]=trace", false),
            ("phial[login]=debug", false),
        ] {
            let text = tracing_subscriber::EnvFilter::new(filter).to_string();
            assert_eq!(is_fixed(&text), fixed, "{filter} is written {text}");
        }
    }

    #[test]
    fn before_phials_logger_is_installed_the_event_carries_the_line() {
        // (tests/sigterm.rs runs the quickstart with it: every line written directly.)
        let subscriber = tracing_subscriber::fmt().finish();
        tracing::subscriber::with_default(subscriber, || {
            assert_eq!(listener(), Some(Listener::Event));
            assert!(!line().write());
        });
        let quiet = tracing_subscriber::fmt().with_max_level(tracing::Level::WARN).finish();
        tracing::subscriber::with_default(quiet, || assert_eq!(listener(), None));
    }
}
