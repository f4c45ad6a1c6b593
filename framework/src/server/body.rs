//! Reading a request body into memory, within the size and time limits.

use bytes::Bytes;
use http::StatusCode;
use http::header::{CONNECTION, CONTENT_LENGTH, HeaderValue};
use http_body::Body as _;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;

use super::limits::Limits;
use crate::{HttpError, Response};

/// The whole body, or the response that refuses it (413, 408, 400). A refusal
/// closes the connection, since the rest of the body is not read.
pub(super) async fn read(head: &http::request::Parts, body: Incoming, limits: &Limits) -> Result<Bytes, Response> {
    if body.is_end_stream() {
        return Ok(Bytes::new());
    }
    let declared = head.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limits.max_content_length as u64) {
        return Err(refuse(StatusCode::PAYLOAD_TOO_LARGE, head, "declared body too large"));
    }
    let collected =
        tokio::time::timeout(limits.body_read_timeout, Limited::new(body, limits.max_content_length).collect());
    match collected.await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => {
            Err(refuse(StatusCode::PAYLOAD_TOO_LARGE, head, "body too large"))
        }
        Ok(Err(_)) => Err(refuse(StatusCode::BAD_REQUEST, head, "body could not be read")),
        Err(_) => Err(refuse(StatusCode::REQUEST_TIMEOUT, head, "body not received in time")),
    }
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
