//! `TestResponse`: what the test client got back.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

/// A response received by the [`TestClient`](super::TestClient), body included.
#[derive(Clone, Debug)]
pub struct TestResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl TestResponse {
    /// The status; compares with numbers: `assert_eq!(response.status(), 200)`.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The first value of header `name` as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every `Set-Cookie` header, as text.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers.get_all(http::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).collect()
    }

    /// The body's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON into `T`.
    ///
    /// # Panics
    /// When the body is not JSON of that shape; the message shows the body.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        match self.try_json() {
            Ok(value) => value,
            Err(err) => {
                panic!("response body is not the expected JSON ({err}); status {}, body {:?}", self.status, self.text())
            }
        }
    }

    /// The body parsed as JSON into `T`, or the parse error.
    pub fn try_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}
