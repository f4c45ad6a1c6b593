//! The body of a phial response (and of a request going through tower layers):
//! bytes held in memory, or a stream.

use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use http_body::{Frame, SizeHint};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Incoming;
use std::any::Any;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The error of a body that streams: whatever its source failed with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A body: bytes in memory (what `jsonify!`, text and `Json` make, sent in one
/// frame), or a stream of chunks (a file, a generator, another service's body).
///
/// After-request hooks and the test client read an in-memory body with
/// [`Body::as_bytes`]; a streaming body is read by awaiting [`Body::to_bytes`].
#[derive(Default)]
pub struct Body {
    kind: Kind,
}

enum Kind {
    /// Bytes in memory (maybe none); `sent` once the frame went out.
    Full { bytes: Bytes, sent: bool },
    /// A request's body as hyper reads it (kept unboxed: every request through
    /// tower layers carries one).
    Incoming(Incoming),
    /// A stream, type-erased.
    Stream(UnsyncBoxBody<Bytes, BoxError>),
}

impl Default for Kind {
    fn default() -> Kind {
        Kind::Full { bytes: Bytes::new(), sent: false }
    }
}

impl Body {
    /// An empty body.
    pub fn empty() -> Body {
        Body::default()
    }

    /// A body that sends what `stream` yields, chunk by chunk (Flask's
    /// `Response(generator())`).
    ///
    /// ```
    /// use phial::response::Body;
    ///
    /// let chunks = futures_util::stream::iter(["a", "b"].map(Ok::<_, std::io::Error>));
    /// let body = Body::from_stream(chunks);
    /// assert!(body.as_bytes().is_none(), "not in memory");
    /// ```
    pub fn from_stream<S, T, E>(stream: S) -> Body
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        T: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        let frames = stream.map_ok(|chunk| Frame::data(chunk.into())).map_err(Into::into);
        Body { kind: Kind::Stream(StreamBody::new(frames).boxed_unsync()) }
    }

    /// Wraps any `http_body::Body` of bytes (a tower layer's body, a proxied one);
    /// a `Body` is returned as it is.
    pub fn new<B>(body: B) -> Body
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let mut slot = Some(body);
        let any = &mut slot as &mut dyn Any;
        if let Some(body) = any.downcast_mut::<Option<Body>>().and_then(Option::take) {
            return body;
        }
        if let Some(incoming) = any.downcast_mut::<Option<Incoming>>().and_then(Option::take) {
            return Body { kind: Kind::Incoming(incoming) };
        }
        match slot {
            Some(body) => Body { kind: Kind::Stream(body.map_err(Into::into).boxed_unsync()) },
            None => Body::empty(),
        }
    }

    /// The bytes, when the body is in memory; `None` for a stream.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.kind {
            Kind::Full { bytes, .. } => Some(bytes),
            Kind::Incoming(_) | Kind::Stream(_) => None,
        }
    }

    /// All of the body, reading a stream to its end.
    pub async fn to_bytes(self) -> Result<Bytes, BoxError> {
        match self.kind {
            Kind::Full { bytes, .. } => Ok(bytes),
            Kind::Incoming(incoming) => Ok(incoming.collect().await?.to_bytes()),
            Kind::Stream(stream) => Ok(stream.collect().await?.to_bytes()),
        }
    }

    /// The length, when it is known (always for a body in memory).
    pub fn len(&self) -> Option<u64> {
        self.size_hint_of_kind().exact()
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    fn size_hint_of_kind(&self) -> SizeHint {
        match &self.kind {
            Kind::Full { bytes, sent } => SizeHint::with_exact(if *sent { 0 } else { bytes.len() as u64 }),
            Kind::Incoming(incoming) => http_body::Body::size_hint(incoming),
            Kind::Stream(stream) => http_body::Body::size_hint(stream),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Full { bytes, .. } => match std::str::from_utf8(bytes) {
                Ok(text) => write!(f, "Body({text:?})"),
                Err(_) => write!(f, "Body({} bytes)", bytes.len()),
            },
            Kind::Incoming(_) | Kind::Stream(_) => f.write_str("Body(stream)"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body { kind: Kind::Full { bytes, sent: false } }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.get_mut().kind {
            Kind::Full { bytes, sent } => {
                if *sent || bytes.is_empty() {
                    return Poll::Ready(None);
                }
                *sent = true;
                // Moved out, not cloned: cloning `Bytes` made from a `Vec` (every JSON
                // body) allocates a shared header to count the two owners.
                Poll::Ready(Some(Ok(Frame::data(std::mem::take(bytes)))))
            }
            Kind::Incoming(incoming) => Pin::new(incoming).poll_frame(cx).map_err(Into::into),
            Kind::Stream(stream) => Pin::new(stream).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Full { bytes, sent } => *sent || bytes.is_empty(),
            Kind::Incoming(incoming) => incoming.is_end_stream(),
            Kind::Stream(stream) => stream.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        self.size_hint_of_kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;
    use std::task::Waker;

    fn poll(body: &mut Body) -> Option<Bytes> {
        let mut cx = Context::from_waker(Waker::noop());
        match Pin::new(body).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => frame.into_data().ok(),
            Poll::Ready(None) => None,
            Poll::Ready(Some(Err(err))) => panic!("{err}"),
            Poll::Pending => panic!("an in-memory body is never pending"),
        }
    }

    #[test]
    fn the_bytes_are_sent_in_one_frame_then_the_body_ends() {
        let mut body = Body::from(b"{\"a\":1}".to_vec());
        assert_eq!(body.size_hint().exact(), Some(7));
        assert!(!body.is_end_stream());
        assert_eq!(poll(&mut body), Some(Bytes::from_static(b"{\"a\":1}")));
        assert!(body.is_end_stream());
        assert_eq!(body.size_hint().exact(), Some(0));
        assert_eq!(poll(&mut body), None);
    }

    #[test]
    fn an_empty_body_sends_no_frame() {
        let mut body = Body::empty();
        assert!(body.is_end_stream());
        assert_eq!(body.as_bytes(), Some(&Bytes::new()));
        assert_eq!(poll(&mut body), None);
    }

    #[tokio::test]
    async fn a_stream_is_sent_chunk_by_chunk_and_can_be_collected() {
        let chunks = || futures_util::stream::iter(["hello, ", "world"].map(Ok::<_, std::io::Error>));
        let mut body = Body::from_stream(chunks());
        assert_eq!((body.as_bytes(), body.len()), (None, None));
        assert_eq!(poll(&mut body), Some(Bytes::from_static(b"hello, ")));
        assert_eq!(poll(&mut body), Some(Bytes::from_static(b"world")));
        assert_eq!(poll(&mut body), None);
        assert_eq!(Body::from_stream(chunks()).to_bytes().await.unwrap(), "hello, world");
    }

    #[test]
    fn a_body_wrapped_again_is_itself() {
        let body = Body::new(Body::from("in memory"));
        assert_eq!(body.as_bytes().map(|b| &b[..]), Some(&b"in memory"[..]));
    }

    #[tokio::test]
    async fn a_failing_stream_reports_its_error() {
        let chunks = futures_util::stream::iter([Ok("a"), Err(std::io::Error::other("disk"))]);
        let error = Body::from_stream(chunks).to_bytes().await.unwrap_err();
        assert_eq!(error.to_string(), "disk");
    }
}
