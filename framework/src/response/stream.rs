//! Streamed responses: Flask's `Response(generate(), mimetype=..)` and
//! `stream_with_context`.
//!
//! The body is sent chunk by chunk as the stream yields it (chunked transfer on
//! HTTP/1.1, data frames on HTTP/2). The connection asks for the next chunk only
//! once the last one is on its way, so a slow client slows the stream down instead
//! of filling memory; a client that goes away drops the stream, which ends whatever
//! it was doing.
//!
//! ```
//! use futures_util::StreamExt;
//! use phial::prelude::*;
//! use phial::response::{stream, stream_with_context};
//!
//! async fn numbers() -> Result<Response, ViewError> {
//!     let rows = futures_util::stream::iter(1..=3).map(|n| Ok::<_, std::io::Error>(format!("{n}\n")));
//!     Ok(stream(stream_with_context(rows)?).mimetype("text/csv").into_response())
//! }
//! ```

use bytes::Bytes;
use futures_util::Stream;
use http::HeaderValue;
use http::header::CONTENT_TYPE;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use super::{Body, BoxError, IntoResponse, Response};
use crate::context::{self, Context};
use crate::{AppHandle, Error, Request};

/// A response whose body is a stream (Flask's `Response(generator)`), sent as
/// `text/html; charset=utf-8` unless [`mimetype`](StreamResponse::mimetype) says
/// otherwise.
#[derive(Debug)]
pub struct StreamResponse {
    body: Body,
    content_type: String,
}

/// A response that sends what `chunks` yields, chunk by chunk; an `Err` from the
/// stream ends the response early (the connection is closed, as a Flask
/// generator that raises does).
pub fn stream<S, T, E>(chunks: S) -> StreamResponse
where
    S: Stream<Item = Result<T, E>> + Send + 'static,
    T: Into<Bytes> + 'static,
    E: Into<BoxError> + 'static,
{
    StreamResponse { body: Body::from_stream(chunks), content_type: "text/html; charset=utf-8".to_string() }
}

impl StreamResponse {
    /// The body's type, with `; charset=utf-8` added for text types as Werkzeug
    /// adds it (`text/event-stream` is sent as `text/event-stream; charset=utf-8`).
    pub fn mimetype(mut self, mimetype: &str) -> StreamResponse {
        self.content_type = crate::files::with_charset(mimetype.to_string());
        self
    }
}

impl IntoResponse for StreamResponse {
    fn into_response(self) -> Response {
        let mut response = Response::new(self.body);
        if let Ok(value) = HeaderValue::from_str(&self.content_type) {
            response.headers_mut().insert(CONTENT_TYPE, value);
        }
        response
    }
}

/// Keeps the current request around `stream` (Flask's `stream_with_context`): code
/// in the stream can call [`request()`](crate::request()), [`current_app()`](crate::current_app())
/// and what builds on them (`get_jwt_identity()`, `url_for`, templates) while the
/// response is being sent, after the view has returned.
///
/// Errors outside a request, as Flask's raises.
pub fn stream_with_context<S: Stream>(stream: S) -> Result<WithContext<S>, Error> {
    let request = crate::request()?;
    let app = request.app().clone();
    Ok(WithContext { stream: Box::pin(stream), app, request })
}

/// A stream polled inside the request it was made in; see [`stream_with_context`].
pub struct WithContext<S> {
    stream: Pin<Box<S>>,
    app: AppHandle,
    request: Request,
}

impl<S> std::fmt::Debug for WithContext<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithContext").field("request", &self.request).finish_non_exhaustive()
    }
}

impl<S: Stream> Stream for WithContext<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<S::Item>> {
        let this = &mut *self;
        let scope = Context::new(this.app.clone(), Some(this.request.clone()));
        context::sync_scope(scope, || this.stream.as_mut().poll_next(cx))
    }
}
