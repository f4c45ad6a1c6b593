//! Server-sent events: a `text/event-stream` response of [`Event`]s, what a Flask
//! app writes by hand as a generator yielding `"data: ...\n\n"`.
//!
//! ```
//! use phial::prelude::*;
//! use phial::response::sse::{Event, event_stream};
//! use futures_util::StreamExt;
//!
//! async fn ticks() -> Response {
//!     let events = futures_util::stream::iter(1..=3)
//!         .map(|n| Ok::<_, std::convert::Infallible>(Event::new().event("tick").id(n.to_string()).data(n.to_string())));
//!     event_stream(events).into_response()
//! }
//! ```

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use std::fmt::Write;

use super::{BoxError, StreamResponse, stream};

/// One event: its fields written as the `text/event-stream` format wants them,
/// data of several lines as several `data:` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    text: String,
    data: Option<String>,
}

impl Event {
    /// An event with no fields yet.
    pub fn new() -> Event {
        Event::default()
    }

    /// The event's type (`event:`), which `EventSource.addEventListener(type, ..)`
    /// listens for.
    pub fn event(self, name: impl AsRef<str>) -> Event {
        self.field("event", name.as_ref())
    }

    /// The event's id (`id:`), sent back by the browser as `Last-Event-ID` when it
    /// reconnects.
    pub fn id(self, id: impl AsRef<str>) -> Event {
        self.field("id", id.as_ref())
    }

    /// How long the browser waits before reconnecting (`retry:`), in milliseconds.
    pub fn retry(self, milliseconds: u64) -> Event {
        self.field("retry", &milliseconds.to_string())
    }

    /// A comment line (`: text`), which browsers ignore: a keep-alive.
    pub fn comment(self, text: impl AsRef<str>) -> Event {
        self.field("", text.as_ref())
    }

    /// The event's data (`data:`); each line of it becomes a `data:` line, and
    /// the browser joins them back with `\n`. Set twice, the lines add up.
    pub fn data(mut self, data: impl AsRef<str>) -> Event {
        let lines = self.data.get_or_insert_with(String::new);
        for line in split_lines(data.as_ref()) {
            let _ = writeln!(lines, "data: {line}");
        }
        self
    }

    /// Adds `name: value`, one line per line of `value` (a line break cannot be
    /// part of a field).
    fn field(mut self, name: &str, value: &str) -> Event {
        for line in split_lines(value) {
            let _ = writeln!(self.text, "{name}: {line}");
        }
        self
    }

    /// The event as it is sent, ending with the blank line that ends an event.
    pub fn to_bytes(&self) -> Bytes {
        let mut text = self.text.clone();
        text.push_str(self.data.as_deref().unwrap_or_default());
        text.push('\n');
        Bytes::from(text)
    }
}

/// The lines of `text`, split at `\r\n`, `\n` or `\r` as the format's parser does.
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let (mut lines, mut start, mut at) = (Vec::new(), 0, 0);
    while at < bytes.len() {
        match bytes[at] {
            b'\n' | b'\r' => {
                lines.push(&text[start..at]);
                at += if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
                start = at;
            }
            _ => at += 1,
        }
    }
    lines.push(&text[start..]);
    lines
}

/// A `text/event-stream` response of `events` (sent as `text/event-stream;
/// charset=utf-8`, as Flask sends that mimetype), each event as soon as the
/// stream yields it.
pub fn event_stream<S, E>(events: S) -> StreamResponse
where
    S: Stream<Item = Result<Event, E>> + Send + 'static,
    E: Into<BoxError> + 'static,
{
    stream(events.map(|event| event.map(|event| event.to_bytes()))).mimetype("text/event-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_its_fields_then_a_blank_line() {
        let event = Event::new().event("tick").id("7").retry(1500).data("one\ntwo");
        assert_eq!(event.to_bytes(), "event: tick\nid: 7\nretry: 1500\ndata: one\ndata: two\n\n");
    }

    #[test]
    fn line_breaks_cannot_smuggle_fields() {
        let event = Event::new().event("a\r\nid: evil").data("x\rdata: y");
        assert_eq!(event.to_bytes(), "event: a\nevent: id: evil\ndata: x\ndata: data: y\n\n");
    }

    #[test]
    fn a_comment_keeps_the_connection_alive() {
        assert_eq!(Event::new().comment("ping").to_bytes(), ": ping\n\n");
    }
}
