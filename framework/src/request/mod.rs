//! The request: what Flask's `request` object offers, as a cheap, cloneable handle.
//!
//! A request knows its app ([`Request::app`]), and the app keeps the handlers that
//! take requests: the two types refer to each other, as Flask's request and app do.
//! Every other module imports only modules below it.

mod charset;
mod cookie_header;
mod file_storage;
mod form_data;
mod form_error;
mod g;
mod json;
mod multidict;
mod multipart;
mod objects_only;
mod options_header;
pub(crate) mod path;

pub use file_storage::{FileStorage, Files};
pub use g::G;
pub use multidict::MultiDict;

use bytes::Bytes;
use http::{HeaderMap, Method, Uri, Version};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use crate::{AppHandle, Config, HttpError};
use form_data::FormData;
use form_error::FormError;
use multipart::FormLimits;

/// The current HTTP request, like Flask's `request`.
///
/// The body has already been read (within the app's size limit), so everything here
/// is synchronous. Cloning is cheap: clones share the same request. Inside a handler,
/// take it as a parameter, or call [`phial::request()`](crate::request()) anywhere
/// below the handler.
#[derive(Clone)]
pub struct Request {
    inner: Arc<Inner>,
}

struct Inner {
    head: http::request::Parts,
    body: Bytes,
    /// The percent-decoded path when decoding changed it; the URI's path otherwise.
    decoded_path: Option<String>,
    view_args: Vec<(Arc<str>, String)>,
    route: Option<MatchedRoute>,
    app: AppHandle,
    remote_addr: Option<SocketAddr>,
    g: G,
    args: OnceLock<MultiDict>,
    form: OnceLock<Result<FormData, FormError>>,
    cookies: OnceLock<Vec<(String, String)>>,
    session: OnceLock<crate::sessions::Session>,
}

/// Which route matched a request.
#[derive(Clone, Debug)]
pub(crate) struct MatchedRoute {
    pub(crate) endpoint: Arc<str>,
    pub(crate) rule: Arc<str>,
    pub(crate) blueprint: Option<usize>,
}

/// The pieces a request is made of, before it is shared.
pub(crate) struct RequestParts {
    pub(crate) head: http::request::Parts,
    pub(crate) body: Bytes,
    /// The percent-decoded path, when it differs from the URI's.
    pub(crate) decoded_path: Option<String>,
    pub(crate) view_args: Vec<(Arc<str>, String)>,
    pub(crate) route: Option<MatchedRoute>,
    pub(crate) app: AppHandle,
    pub(crate) remote_addr: Option<SocketAddr>,
}

impl Request {
    #[inline]
    pub(crate) fn new(parts: RequestParts) -> Request {
        Request {
            inner: Arc::new(Inner {
                head: parts.head,
                body: parts.body,
                decoded_path: parts.decoded_path,
                view_args: parts.view_args,
                route: parts.route,
                app: parts.app,
                remote_addr: parts.remote_addr,
                g: G::default(),
                args: OnceLock::new(),
                form: OnceLock::new(),
                cookies: OnceLock::new(),
                session: OnceLock::new(),
            }),
        }
    }

    /// The method (`GET`, `POST`, ...). A `HEAD` request answered by a `GET` view
    /// still says `HEAD` here, as in Flask.
    #[inline]
    pub fn method(&self) -> &Method {
        &self.inner.head.method
    }

    /// The request target as sent.
    #[inline]
    pub fn uri(&self) -> &Uri {
        &self.inner.head.uri
    }

    /// The HTTP version.
    #[inline]
    pub fn version(&self) -> Version {
        self.inner.head.version
    }

    /// The path, percent-decoded (`request.path`).
    #[inline]
    pub fn path(&self) -> &str {
        self.inner.decoded_path.as_deref().unwrap_or_else(|| self.inner.head.uri.path())
    }

    /// The raw query string, without the `?` (empty when there is none).
    pub fn query_string(&self) -> &str {
        self.inner.head.uri.query().unwrap_or("")
    }

    /// The `Host` header, if any.
    pub fn host(&self) -> Option<&str> {
        self.header(http::header::HOST).or_else(|| self.inner.head.uri.host())
    }

    /// The full URL, `scheme://host/root/path?query` (`request.url`).
    pub fn url(&self) -> String {
        let host = self.host().unwrap_or("localhost");
        let (scheme, root) = (self.scheme(), self.script_root());
        match self.inner.head.uri.path_and_query() {
            Some(pq) => format!("{scheme}://{host}{root}{pq}"),
            None => format!("{scheme}://{host}{root}/"),
        }
    }

    /// The scheme the client used (`request.scheme`): `http`, or what a trusted
    /// proxy says in `X-Forwarded-Proto` ([`ProxyFix`](crate::layer::ProxyFix)).
    pub fn scheme(&self) -> &str {
        self.inner.head.extensions.get::<crate::layer::ForwardedScheme>().map_or("http", |scheme| scheme.0.as_str())
    }

    /// The path the app is mounted under (`request.script_root`): empty, or what a
    /// trusted proxy says in `X-Forwarded-Prefix` ([`ProxyFix`](crate::layer::ProxyFix)),
    /// without a trailing slash. `url_for` puts it in front of the URLs it builds.
    pub fn script_root(&self) -> &str {
        self.inner.head.extensions.get::<crate::layer::ScriptRoot>().map_or("", |root| root.0.as_str())
    }

    /// All headers (`request.headers`; names are case-insensitive).
    #[inline]
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.head.headers
    }

    /// The first value of header `name` as text; `None` when absent or not valid text.
    #[inline]
    pub fn header(&self, name: impl http::header::AsHeaderName) -> Option<&str> {
        self.inner.head.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The query arguments (`request.args`).
    pub fn args(&self) -> &MultiDict {
        self.inner.args.get_or_init(|| MultiDict::parse(self.query_string().as_bytes()))
    }

    /// The form fields (`request.form`): those of an
    /// `application/x-www-form-urlencoded` body, or the text fields of a
    /// `multipart/form-data` body; empty for other content types.
    ///
    /// This never fails: a multipart body that cannot be read (malformed, or over
    /// `MAX_FORM_MEMORY_SIZE` / `MAX_FORM_PARTS`) gives an empty form, as Werkzeug
    /// gives for a malformed one. [`try_form`](Request::try_form) says why, with
    /// Flask's statuses. An urlencoded body is read whatever its size (within
    /// `MAX_CONTENT_LENGTH`), as in Werkzeug 3.1.
    pub fn form(&self) -> &MultiDict {
        static EMPTY: MultiDict = MultiDict::new();
        match self.form_data() {
            Ok(data) => &data.form,
            Err(_) => &EMPTY,
        }
    }

    /// The form fields, or the error Flask raises when it reads them: 413 when a
    /// multipart text field is larger than `MAX_FORM_MEMORY_SIZE` (default 500 000
    /// bytes) or the body has more parts than `MAX_FORM_PARTS` (default 1000), 400
    /// when a multipart body is malformed (Werkzeug reads that as an empty form).
    /// Use it with `?` in a view: `request.try_form()?.get("title")`.
    pub fn try_form(&self) -> Result<&MultiDict, HttpError> {
        self.form_data().as_ref().map(|data| &data.form).map_err(FormError::to_http_error)
    }

    /// The uploaded files of a `multipart/form-data` body (`request.files`): the
    /// parts whose `Content-Disposition` has a `filename`, an empty one included
    /// (what a browser sends for a file input left empty). Empty for other
    /// content types. Its errors are [`try_form`](Request::try_form)'s: the body is
    /// read once for both.
    pub fn files(&self) -> Result<&Files, HttpError> {
        self.form_data().as_ref().map(|data| &data.files).map_err(FormError::to_http_error)
    }

    fn form_data(&self) -> &Result<FormData, FormError> {
        self.inner.form.get_or_init(|| {
            let limits = &self.inner.app.core().limits;
            let limits =
                FormLimits { max_form_memory_size: limits.max_form_memory_size, max_form_parts: limits.max_form_parts };
            let content_type = self.header(http::header::CONTENT_TYPE);
            let data = form_data::load(&self.mimetype(), content_type, &self.inner.body, limits);
            if let Err(error) = &data {
                tracing::debug!(target: "phial::request", %error, "unreadable form body");
            }
            data
        })
    }

    /// The raw body (`request.data` / `get_data()`).
    #[inline]
    pub fn data(&self) -> &Bytes {
        &self.inner.body
    }

    /// The value of cookie `name` (`request.cookies.get(name)`); the first one wins
    /// when the browser sends several.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// All cookies sent, in order, read as Werkzeug reads them: double-quoted values
    /// unquoted and unescaped, no percent-decoding, several `Cookie` headers (as
    /// HTTP/2 sends them) read as one.
    pub fn cookies(&self) -> impl Iterator<Item = (&str, &str)> {
        let cookies = self.inner.cookies.get_or_init(|| {
            cookie_header::parse(self.inner.head.headers.get_all(http::header::COOKIE).iter().map(|v| v.as_bytes()))
        });
        cookies.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The content type without parameters, lowercased (`request.mimetype`).
    pub fn mimetype(&self) -> String {
        self.header(http::header::CONTENT_TYPE)
            .and_then(|ct| ct.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// The URL variables of the matched rule, as text (`request.view_args`).
    pub fn view_args(&self) -> impl Iterator<Item = (&str, &str)> {
        self.inner.view_args.iter().map(|(k, v)| (&**k, v.as_str()))
    }

    /// The URL variable `name` of the matched rule, as text.
    pub fn view_arg(&self, name: &str) -> Option<&str> {
        self.view_args().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The matched endpoint's name (`request.endpoint`); `None` when nothing matched.
    pub fn endpoint(&self) -> Option<&str> {
        self.inner.route.as_ref().map(|r| &*r.endpoint)
    }

    /// The matched rule as written (`request.url_rule`).
    pub fn url_rule(&self) -> Option<&str> {
        self.inner.route.as_ref().map(|r| &*r.rule)
    }

    /// The name of the blueprint whose route matched (`request.blueprint`).
    pub fn blueprint(&self) -> Option<&str> {
        let index = self.blueprint_index()?;
        self.inner.app.blueprint_name(index)
    }

    pub(crate) fn blueprint_index(&self) -> Option<usize> {
        self.inner.route.as_ref().and_then(|r| r.blueprint)
    }

    /// The per-request store, Flask's `g`.
    #[inline]
    pub fn g(&self) -> &G {
        &self.inner.g
    }

    /// The app serving this request (Flask's `current_app`).
    #[inline]
    pub fn app(&self) -> &AppHandle {
        &self.inner.app
    }

    /// The app's configuration.
    #[inline]
    pub fn config(&self) -> &Config {
        self.inner.app.config()
    }

    /// An extension object stored in `app.extensions`, such as the JWT manager.
    pub fn extension<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.inner.app.extension::<T>()
    }

    /// The client's address, when served over a socket.
    #[inline]
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.inner.remote_addr
    }

    /// Where the session is kept once opened (see [`Request::session`]).
    pub(crate) fn session_slot(&self) -> &OnceLock<crate::sessions::Session> {
        &self.inner.session
    }

    /// The `http` extensions of the request (set by middleware or the server).
    #[inline]
    pub fn extensions(&self) -> &http::Extensions {
        &self.inner.head.extensions
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", self.method())
            .field("path", &self.path())
            .field("endpoint", &self.endpoint())
            .finish_non_exhaustive()
    }
}
