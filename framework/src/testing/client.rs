//! `TestClient`: Flask's `app.test_client()`, driving the app without a socket.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, COOKIE, HOST, HeaderName, HeaderValue, SET_COOKIE};
use http::{HeaderMap, Method, StatusCode};
use serde::Serialize;
use std::sync::{Arc, Mutex, MutexGuard};

use super::cookie_jar::CookieJar;
use super::{Multipart, TestResponse};
use crate::AppHandle;

/// A client that sends requests straight into an app, with a cookie jar kept
/// between requests (set and deleted cookies honoured), like Flask's test client.
///
/// Clones share the jar. Requests go through the whole pipeline (limits, routing,
/// hooks, decorators, error handlers) except the socket and hyper.
#[derive(Clone, Debug)]
pub struct TestClient {
    app: AppHandle,
    jar: Arc<Mutex<CookieJar>>,
}

impl TestClient {
    /// A client for a finalised app (usually made with
    /// [`App::test_client`](crate::App::test_client)).
    pub fn new(app: AppHandle) -> TestClient {
        TestClient { app, jar: Arc::default() }
    }

    /// The app under test.
    pub fn app(&self) -> &AppHandle {
        &self.app
    }

    fn jar(&self) -> MutexGuard<'_, CookieJar> {
        self.jar.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A request with any method.
    pub fn request(&self, method: Method, path: &str) -> TestRequest {
        TestRequest {
            client: self.clone(),
            method,
            path: path.to_string(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            follow_redirects: false,
        }
    }

    /// A `GET` request.
    pub fn get(&self, path: &str) -> TestRequest {
        self.request(Method::GET, path)
    }

    /// A `POST` request.
    pub fn post(&self, path: &str) -> TestRequest {
        self.request(Method::POST, path)
    }

    /// A `PUT` request.
    pub fn put(&self, path: &str) -> TestRequest {
        self.request(Method::PUT, path)
    }

    /// A `PATCH` request.
    pub fn patch(&self, path: &str) -> TestRequest {
        self.request(Method::PATCH, path)
    }

    /// A `DELETE` request.
    pub fn delete(&self, path: &str) -> TestRequest {
        self.request(Method::DELETE, path)
    }

    /// A `HEAD` request.
    pub fn head(&self, path: &str) -> TestRequest {
        self.request(Method::HEAD, path)
    }

    /// An `OPTIONS` request.
    pub fn options(&self, path: &str) -> TestRequest {
        self.request(Method::OPTIONS, path)
    }

    /// Puts a cookie in the jar (path `/`), like `client.set_cookie(key, value)`.
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar().set(name, value);
    }

    /// The value of a cookie in the jar.
    pub fn get_cookie(&self, name: &str) -> Option<String> {
        self.jar().get(name).map(str::to_string)
    }

    /// Removes a cookie from the jar.
    pub fn delete_cookie(&self, name: &str) {
        self.jar().remove(name);
    }
}

/// A request being built by the [`TestClient`]; [`send`](TestRequest::send) it.
#[derive(Debug)]
#[must_use = "a test request does nothing until it is sent"]
pub struct TestRequest {
    client: TestClient,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
    follow_redirects: bool,
}

impl TestRequest {
    /// Adds a header.
    ///
    /// # Panics
    /// When the name or value is not valid HTTP (a mistake in the test).
    pub fn header(mut self, name: &str, value: &str) -> TestRequest {
        let name = HeaderName::from_bytes(name.as_bytes()).unwrap_or_else(|_| panic!("invalid header name {name:?}"));
        let value =
            HeaderValue::from_str(value).unwrap_or_else(|_| panic!("invalid value for header {name}: {value:?}"));
        self.headers.append(name, value);
        self
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> TestRequest {
        self.header("Authorization", &format!("Bearer {token}"))
    }

    /// Adds query arguments (Flask's `query_string=`), after any already in the path.
    pub fn query<K: ToString, V: ToString>(mut self, pairs: impl IntoIterator<Item = (K, V)>) -> TestRequest {
        self.query.extend(pairs.into_iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self
    }

    /// Sends `value` as a JSON body with `Content-Type: application/json` (Flask's `json=`).
    ///
    /// # Panics
    /// When `value` cannot be serialised.
    pub fn json<T: Serialize + ?Sized>(self, value: &T) -> TestRequest {
        let body = serde_json::to_vec(value).unwrap_or_else(|err| panic!("test JSON body cannot be serialised: {err}"));
        self.content_type("application/json").body(body)
    }

    /// Sends an urlencoded form body (Flask's `data={...}`).
    pub fn form<K: AsRef<str>, V: AsRef<str>>(self, pairs: impl IntoIterator<Item = (K, V)>) -> TestRequest {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            form.append_pair(k.as_ref(), v.as_ref());
        }
        let body = form.finish();
        self.content_type("application/x-www-form-urlencoded").body(body)
    }

    /// Sends a `multipart/form-data` body with text fields and files, as a
    /// browser sends a form with file inputs (Flask's `data={"f": (io.BytesIO(b".."), "a.txt")}`).
    pub fn multipart(self, form: Multipart) -> TestRequest {
        let (content_type, body) = form.encode();
        self.content_type(&content_type).body(body)
    }

    /// Sets the raw body.
    pub fn body(mut self, body: impl Into<Bytes>) -> TestRequest {
        self.body = body.into();
        self
    }

    /// Sets the `Content-Type` header.
    pub fn content_type(mut self, content_type: &str) -> TestRequest {
        self.headers.remove(CONTENT_TYPE);
        self.header("Content-Type", content_type)
    }

    /// Follows redirects (Flask's `follow_redirects=True`), up to 10.
    pub fn follow_redirects(mut self) -> TestRequest {
        self.follow_redirects = true;
        self
    }

    fn uri(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(&self.query);
        let sep = if self.path.contains('?') { '&' } else { '?' };
        format!("{}{sep}{}", self.path, query.finish())
    }

    /// Sends the request through the app and returns the response.
    ///
    /// # Panics
    /// When the path is not a valid request target (a mistake in the test).
    pub async fn send(self) -> TestResponse {
        let mut request = self;
        for _ in 0..10 {
            let response = request.send_once().await;
            let location = response.header("location").map(str::to_string);
            match location {
                Some(location) if request.follow_redirects && response.status().is_redirection() => {
                    let path = location.strip_prefix("http://localhost").unwrap_or(&location).to_string();
                    let keep =
                        matches!(response.status(), StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT);
                    request = TestRequest {
                        client: request.client.clone(),
                        method: if keep { request.method.clone() } else { Method::GET },
                        path,
                        query: Vec::new(),
                        headers: request.headers.clone(),
                        body: if keep { request.body.clone() } else { Bytes::new() },
                        follow_redirects: true,
                    };
                }
                _ => return response,
            }
        }
        panic!("more than 10 redirects");
    }

    async fn send_once(&self) -> TestResponse {
        let uri = self.uri();
        let mut builder = http::Request::builder().method(self.method.clone()).uri(&uri);
        if let Some(headers) = builder.headers_mut() {
            headers.extend(self.headers.clone());
            if !headers.contains_key(HOST) {
                headers.insert(HOST, HeaderValue::from_static("localhost"));
            }
            let path = uri.split('?').next().unwrap_or("/");
            if let Some(cookies) = self.client.jar().header_for(path) {
                if let Ok(value) = HeaderValue::from_str(&cookies) {
                    headers.append(COOKIE, value);
                }
            }
        }
        let request =
            builder.body(self.body.clone()).unwrap_or_else(|err| panic!("invalid test request {uri:?}: {err}"));
        let response = self.client.app.handle(request).await;
        let (parts, body) = response.into_parts();
        let body = body.to_bytes().await.unwrap_or_else(|err| panic!("the response body to {uri:?} failed: {err}"));
        {
            let mut jar = self.client.jar();
            for value in parts.headers.get_all(SET_COOKIE) {
                if let Ok(text) = value.to_str() {
                    jar.store(text);
                }
            }
        }
        TestResponse { status: parts.status, headers: parts.headers, body }
    }
}
