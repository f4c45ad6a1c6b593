//! Reading a request body into memory, within the size and time limits and the
//! server's budget of body bytes in flight.
//!
//! Each body is bounded by `MAX_CONTENT_LENGTH` (413) and `BODY_READ_TIMEOUT`
//! (408), but many slow bodies together could still fill memory (50 connections
//! stalling just under 2 MiB each, or 200 HTTP/2 streams on one connection). So
//! every body also draws its bytes from one budget shared by the whole server,
//! `MAX_BODY_BYTES_IN_FLIGHT`, and gives them back when its request has been
//! answered. A body with a `Content-Length` reserves it all before a byte is read;
//! a chunked one draws as its bytes arrive. When the budget is spent, a body waits
//! (unread: the client is slowed by TCP or HTTP/2 flow control) until bytes come
//! back, and gets 503 if its `BODY_READ_TIMEOUT` passes first.
//!
//! hyper decodes chunked framing itself and does not expose the size a chunk
//! declares, so a chunked body is refused with 413 as soon as the bytes received
//! exceed `MAX_CONTENT_LENGTH`, not when a chunk-size line announces more.

use bytes::{Bytes, BytesMut};
use http::StatusCode;
use http::header::{CONNECTION, CONTENT_LENGTH, HeaderValue};
use http_body_util::BodyExt;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, timeout_at};

use super::limits::Limits;
use crate::extract::UnreadBody;
use crate::response::{Body, BoxError};
use crate::routing::router::Lookup;
use crate::{AppHandle, HttpError, Response};

/// The app-wide budget of request-body bytes in flight.
#[derive(Debug)]
pub(crate) struct BodyBudget(Arc<Semaphore>);

/// Bytes drawn from the [`BodyBudget`], given back when dropped.
#[derive(Debug, Default)]
pub(crate) struct Drawn(Option<OwnedSemaphorePermit>);

impl BodyBudget {
    pub(crate) fn new(bytes: usize) -> BodyBudget {
        BodyBudget(Arc::new(Semaphore::new(bytes.min(Semaphore::MAX_PERMITS))))
    }

    /// Draws `bytes` more into `drawn`, waiting until `deadline`; `false` when the
    /// deadline passed first.
    async fn draw(&self, drawn: &mut Drawn, bytes: usize, deadline: Instant) -> bool {
        if bytes == 0 {
            return true;
        }
        let Ok(bytes) = u32::try_from(bytes) else { return false };
        let permit = match Arc::clone(&self.0).try_acquire_many_owned(bytes) {
            Ok(permit) => permit,
            Err(_) => match timeout_at(deadline, Arc::clone(&self.0).acquire_many_owned(bytes)).await {
                Ok(Ok(permit)) => permit,
                _ => return false,
            },
        };
        match &mut drawn.0 {
            Some(held) => held.merge(permit),
            None => drawn.0 = Some(permit),
        }
        true
    }
}

/// The body read whole (see [`read`]), or, when the route's view takes it as a
/// stream ([`BodyStream`](crate::extract::BodyStream)), left unread in `head`'s
/// extensions for the view, with the same limits applied as it is read.
pub(crate) async fn read_or_leave<B>(
    app: &AppHandle,
    head: &mut http::request::Parts,
    body: B,
) -> Result<(Bytes, Drawn), Response>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let limits = &app.core().limits;
    if app.core().streams_bodies && !body.is_end_stream() && routed_to_a_stream(app, head) {
        let declared =
            head.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > limits.max_content_length as u64) {
            return Err(refuse(StatusCode::PAYLOAD_TOO_LARGE, head, "declared body too large"));
        }
        let deadline = Instant::now() + limits.body_read_timeout;
        head.extensions.insert(UnreadBody::new(Body::new(body), limits.max_content_length, deadline));
        return Ok((Bytes::new(), Drawn::default()));
    }
    read(head, body, limits, &app.core().body_budget).await
}

/// Whether the request goes to a view that takes its body as a stream.
fn routed_to_a_stream(app: &AppHandle, head: &http::request::Parts) -> bool {
    let Ok(decoded) = crate::request::path::decode(head.uri.path()) else { return false };
    let path = decoded.as_deref().unwrap_or_else(|| head.uri.path());
    match app.core().router.lookup(path, &head.method) {
        Lookup::Found { route, .. } => app.core().routes[route].streams_body,
        _ => false,
    }
}

/// The whole body and the budget it holds (keep it until the request is answered),
/// or the response that refuses it (413, 408, 503, 400). A refusal closes the
/// connection, since the rest of the body is not read.
pub(crate) async fn read<B>(
    head: &http::request::Parts,
    body: B,
    limits: &Limits,
    budget: &BodyBudget,
) -> Result<(Bytes, Drawn), Response>
where
    B: http_body::Body<Data = Bytes>,
{
    let mut body = std::pin::pin!(body);
    if body.is_end_stream() {
        return Ok((Bytes::new(), Drawn::default()));
    }
    let declared = head.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limits.max_content_length as u64) {
        return Err(refuse(StatusCode::PAYLOAD_TOO_LARGE, head, "declared body too large"));
    }
    let deadline = Instant::now() + limits.body_read_timeout;
    let mut drawn = Drawn::default();
    // Within MAX_CONTENT_LENGTH, so it fits a usize.
    let mut reserved = declared.map_or(0, |len| len as usize);
    if !budget.draw(&mut drawn, reserved, deadline).await {
        return Err(busy(head));
    }

    let mut received = Received::default();
    loop {
        let frame = match timeout_at(deadline, body.as_mut().frame()).await {
            Err(_) => return Err(refuse(StatusCode::REQUEST_TIMEOUT, head, "body not received in time")),
            Ok(None) => break,
            Ok(Some(Err(_))) => return Err(refuse(StatusCode::BAD_REQUEST, head, "body could not be read")),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else { continue };
        let total = received.len + data.len();
        if total > limits.max_content_length {
            return Err(refuse(StatusCode::PAYLOAD_TOO_LARGE, head, "body too large"));
        }
        if total > reserved {
            if !budget.draw(&mut drawn, total - reserved, deadline).await {
                return Err(busy(head));
            }
            reserved = total;
        }
        received.push(data);
    }
    Ok((received.into_bytes(), drawn))
}

/// The frames received so far; one frame (the usual case) is kept without a copy.
#[derive(Default)]
struct Received {
    first: Bytes,
    rest: Option<BytesMut>,
    len: usize,
}

impl Received {
    fn push(&mut self, data: Bytes) {
        self.len += data.len();
        if self.len == data.len() {
            self.first = data;
            return;
        }
        let rest = self.rest.get_or_insert_with(|| BytesMut::from(std::mem::take(&mut self.first)));
        rest.extend_from_slice(&data);
    }

    fn into_bytes(self) -> Bytes {
        match self.rest {
            Some(rest) => rest.freeze(),
            None => self.first,
        }
    }
}

/// The budget stayed spent until the body's deadline: 503.
fn busy(head: &http::request::Parts) -> Response {
    let mut response = refuse(StatusCode::SERVICE_UNAVAILABLE, head, "no room for the body (MAX_BODY_BYTES_IN_FLIGHT)");
    response.headers_mut().insert(http::header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

fn refuse(status: StatusCode, head: &http::request::Parts, reason: &str) -> Response {
    tracing::warn!(
        target: "phial::request",
        method = %head.method,
        path = head.uri.path(),
        status = status.as_u16(),
        "{reason}"
    );
    let mut response = HttpError::new(status).render();
    response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn draws_wait_for_returned_bytes_until_their_deadline() {
        let budget = BodyBudget::new(10);
        let soon = || Instant::now() + Duration::from_millis(50);
        let mut first = Drawn::default();
        assert!(budget.draw(&mut first, 6, soon()).await);
        assert!(budget.draw(&mut first, 4, soon()).await, "a draw adds to what is held");
        let mut second = Drawn::default();
        assert!(!budget.draw(&mut second, 1, soon()).await, "nothing left: the deadline passes");
        drop(first);
        assert!(budget.draw(&mut second, 10, soon()).await, "dropped bytes come back");
        assert!(!budget.draw(&mut Drawn::default(), 11, soon()).await, "more than the whole budget never fits");
    }

    #[test]
    fn frames_are_joined_and_a_single_one_is_not_copied() {
        let one = Bytes::from(vec![1, 2, 3]);
        let mut received = Received::default();
        received.push(one.clone());
        assert_eq!(received.into_bytes().as_ptr(), one.as_ptr());

        let mut received = Received::default();
        for part in [&b"ab"[..], b"", b"cd"] {
            received.push(Bytes::copy_from_slice(part));
        }
        assert_eq!(received.into_bytes(), Bytes::from_static(b"abcd"));
    }
}
