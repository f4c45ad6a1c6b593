//! The request body as a stream of chunks, for a view that handles a large body
//! piece by piece (Werkzeug's `request.stream`).
//!
//! A view with a [`BodyStream`] parameter gets the body as the client sends it:
//! the server does not read it first, so its size is not held in memory.
//! `MAX_CONTENT_LENGTH` and `BODY_READ_TIMEOUT` still hold, chunk by chunk: past
//! them the stream yields a 413 or a 408, which the view returns with `?`. Such a
//! view's `request.data()` (and `form()`, `get_json()`) is empty.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use phial::extract::BodyStream;
//! use phial::prelude::*;
//! use tokio::io::AsyncWriteExt;
//!
//! async fn upload(mut body: BodyStream) -> Result<impl IntoResponse, ViewError> {
//!     let mut file = tokio::fs::File::create("upload.bin").await?;
//!     let mut size = 0;
//!     while let Some(chunk) = body.next().await {
//!         let chunk = chunk?;
//!         size += chunk.len();
//!         file.write_all(&chunk).await?;
//!     }
//!     Ok((jsonify!({"size": size}), 201))
//! }
//! let mut app = App::new("uploads");
//! app.route("/upload", ["PUT"], upload);
//! ```
//!
//! Behind the test client, and behind a tower layer that reads the body itself,
//! the body has been read already; the stream then yields it as one chunk.

use bytes::Bytes;
use futures_util::Stream;
use http::StatusCode;
use http_body::Body as _;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::time::{Instant, Sleep};

use super::FromRequest;
use crate::response::Body;
use crate::{HttpError, Request, ViewError};

/// The request body, chunk by chunk as the client sends it (Werkzeug's
/// `request.stream`): the server does not read it first, and `MAX_CONTENT_LENGTH`
/// and `BODY_READ_TIMEOUT` hold per chunk (a 413 or a 408 from the stream). See
/// the extractors in [`extract`](crate::extract).
pub struct BodyStream {
    source: Source,
}

enum Source {
    /// The body as the client sends it, within the app's limits.
    Unread(Box<Limited>),
    /// The body phial had read already, yielded once.
    Read(Option<Bytes>),
    /// A limit was passed or the body failed: nothing more.
    Done,
}

struct Limited {
    body: Body,
    received: usize,
    max_content_length: usize,
    deadline: Pin<Box<Sleep>>,
}

/// A body the server left unread for a [`BodyStream`] view (a request extension
/// until the view takes it).
#[derive(Clone)]
pub(crate) struct UnreadBody(Arc<Mutex<Option<Box<Limited>>>>);

impl UnreadBody {
    /// `body`, to be read within `max_content_length` bytes by `deadline`.
    pub(crate) fn new(body: Body, max_content_length: usize, deadline: Instant) -> UnreadBody {
        let limited =
            Limited { body, received: 0, max_content_length, deadline: Box::pin(tokio::time::sleep_until(deadline)) };
        UnreadBody(Arc::new(Mutex::new(Some(Box::new(limited)))))
    }

    fn take(&self) -> Option<Box<Limited>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

impl FromRequest for BodyStream {
    const STREAMS_BODY: bool = true;

    fn from_request(request: &Request) -> Result<Self, ViewError> {
        let source = match request.extensions().get::<UnreadBody>().and_then(UnreadBody::take) {
            Some(limited) => Source::Unread(limited),
            None => Source::Read(Some(request.data().clone()).filter(|data| !data.is_empty())),
        };
        Ok(BodyStream { source })
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, HttpError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let limited = match &mut self.source {
            Source::Read(bytes) => return Poll::Ready(bytes.take().map(Ok)),
            Source::Done => return Poll::Ready(None),
            Source::Unread(limited) => limited,
        };
        if limited.deadline.as_mut().poll(cx).is_ready() {
            tracing::warn!(target: "phial::request", "body not received in time");
            return self.fail(StatusCode::REQUEST_TIMEOUT);
        }
        loop {
            let frame = match Pin::new(&mut limited.body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    self.source = Source::Done;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(error))) => {
                    tracing::warn!(target: "phial::request", %error, "body could not be read");
                    return self.fail(StatusCode::BAD_REQUEST);
                }
                Poll::Ready(Some(Ok(frame))) => frame,
            };
            let Ok(data) = frame.into_data() else { continue };
            limited.received += data.len();
            if limited.received > limited.max_content_length {
                tracing::warn!(target: "phial::request", bytes = limited.received, "request body too large");
                return self.fail(StatusCode::PAYLOAD_TOO_LARGE);
            }
            return Poll::Ready(Some(Ok(data)));
        }
    }
}

impl BodyStream {
    fn fail(&mut self, status: StatusCode) -> Poll<Option<Result<Bytes, HttpError>>> {
        self.source = Source::Done;
        Poll::Ready(Some(Err(HttpError::new(status))))
    }
}

impl std::fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyStream").finish_non_exhaustive()
    }
}
