//! The response body as hyper sends it: it keeps its request in flight on its
//! connection until it is all sent, and on HTTP/2 it runs its stream's clock
//! (`stream_clock.rs`).
//!
//! hyper hands an HTTP/2 data frame to h2 whole, however large, as soon as the
//! stream has any window; a response made of one big frame (a `Vec<u8>` answer) would
//! then sit in h2's buffers with nothing left for the clock to time. So on HTTP/2 a
//! frame larger than [`PIECE`] is handed over in pieces (`Bytes` slices, no copy),
//! each of which waits for the client's window.

use bytes::Bytes;
use http_body::Frame;
use pin_project_lite::pin_project;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::connection::InFlight;
use super::stream_clock::StreamClock;
use crate::response::{Body, BoxError};

/// The largest piece of a data frame handed to hyper on HTTP/2.
const PIECE: usize = 64 * 1024;

pin_project! {
    /// A response body that keeps its request in flight until hyper has taken all of
    /// it (and drops it): a streamed body may take minutes, and its connection is
    /// not idle meanwhile.
    pub(super) struct InFlightBody {
        #[pin]
        body: Body,
        // The HTTP/2 stream's clock, and what is left of a frame handed over in pieces.
        clock: Option<Arc<StreamClock>>,
        rest: Option<Bytes>,
        _in_flight: InFlight,
    }
}

impl InFlightBody {
    /// `body`, sent for the request `in_flight`, on an HTTP/2 stream when `clock` is given.
    pub(super) fn new(body: Body, in_flight: InFlight, clock: Option<Arc<StreamClock>>) -> InFlightBody {
        InFlightBody { body, clock, rest: None, _in_flight: in_flight }
    }
}

impl http_body::Body for InFlightBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.project();
        let Some(clock) = this.clock.as_deref() else { return this.body.poll_frame(cx) };
        clock.asked();
        let data = match this.rest.take() {
            Some(rest) => rest,
            None => match this.body.poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => data,
                    Err(frame) => {
                        clock.answered();
                        return Poll::Ready(Some(Ok(frame)));
                    }
                },
                other => return other,
            },
        };
        let mut piece = data;
        if piece.len() > PIECE {
            *this.rest = Some(piece.split_off(PIECE));
        }
        clock.answered();
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_none() && self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        let hint = self.body.size_hint();
        let Some(rest) = self.rest.as_ref().map(|rest| rest.len() as u64) else { return hint };
        let mut total = http_body::SizeHint::new();
        total.set_lower(hint.lower().saturating_add(rest));
        if let Some(upper) = hint.upper() {
            total.set_upper(upper.saturating_add(rest));
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::connection::ConnectionState;
    use http_body::Body as _;
    use http_body_util::BodyExt;
    use std::sync::atomic::Ordering;

    fn body(clock: Option<Arc<StreamClock>>) -> InFlightBody {
        let state = Arc::new(ConnectionState::default());
        let in_flight = state.request_started(http::Version::HTTP_2);
        InFlightBody::new(Body::from(vec![7u8; 2 * PIECE + 10]), in_flight, clock)
    }

    #[tokio::test]
    async fn on_http2_a_large_frame_goes_to_hyper_in_pieces_each_timed() {
        let clock = Arc::new(StreamClock::default());
        let mut body = body(Some(Arc::clone(&clock)));
        assert_eq!(body.size_hint().exact(), Some(2 * PIECE as u64 + 10));
        let mut pieces = Vec::new();
        while let Some(frame) = body.frame().await {
            let data = frame.unwrap().into_data().unwrap();
            pieces.push(data.len());
            assert!(clock.waiting.load(Ordering::Relaxed), "a piece handed over waits for the client");
            assert_eq!(body.is_end_stream(), pieces.len() == 3);
            if pieces.len() == 1 {
                assert_eq!(body.size_hint().exact(), Some(PIECE as u64 + 10));
            }
        }
        assert_eq!(pieces, [PIECE, PIECE, 10]);
        assert_eq!(clock.asks.load(Ordering::Relaxed), 4, "asked for each piece, and for the end");
    }

    #[tokio::test]
    async fn on_http1_a_frame_goes_whole() {
        let mut body = body(None);
        let data = body.frame().await.unwrap().unwrap().into_data().unwrap();
        assert_eq!(data.len(), 2 * PIECE + 10);
        assert!(body.is_end_stream());
    }
}
