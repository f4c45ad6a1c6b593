//! The body of a phial response: bytes held in memory.

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A response body: a buffer of bytes, sent in one frame.
///
/// phial responses are small JSON or text documents, so the body is kept whole in
/// memory; after-request hooks and the test client can read it with [`Body::as_bytes`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Body {
    bytes: Bytes,
    sent: bool,
}

impl Body {
    /// An empty body.
    pub fn empty() -> Body {
        Body::default()
    }

    /// The bytes of the body.
    pub fn as_bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// Takes the bytes out of the body.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) => write!(f, "Body({text:?})"),
            Err(_) => write!(f, "Body({} bytes)", self.bytes.len()),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body { bytes, sent: false }
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
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.sent || this.bytes.is_empty() {
            return Poll::Ready(None);
        }
        this.sent = true;
        // Moved out, not cloned: cloning `Bytes` made from a `Vec` (every JSON
        // body) allocates a shared header to count the two owners.
        Poll::Ready(Some(Ok(Frame::data(std::mem::take(&mut this.bytes)))))
    }

    fn is_end_stream(&self) -> bool {
        self.sent || self.bytes.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(if self.sent { 0 } else { self.bytes.len() as u64 })
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
        assert_eq!(poll(&mut body), None);
    }
}
