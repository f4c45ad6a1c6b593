//! Extractors: the parameters of a handler.
//!
//! Each parameter of a handler is built from the request by [`FromRequest`]. phial
//! reads the body before the handler runs (unless a [`BodyStream`] parameter takes
//! it as a stream), so extraction is synchronous. When a
//! parameter cannot be built, its rejection (a [`ViewError`], usually an
//! [`HttpError`](crate::HttpError)) goes to the app's error handlers, as the error
//! of the view would, and the handler does not run.
//!
//! | Parameter | What it gives | Rejection |
//! |---|---|---|
//! | [`Request`] | the whole request | never |
//! | [`Json<T>`](crate::Json) | the body parsed with Flask's `get_json` rules | 415 / 400 |
//! | [`Query<T>`] | `request.args` parsed into `T` | 400 |
//! | [`Form<T>`] | `request.form` (urlencoded or multipart) parsed into `T` | 415 / 400 / 413 |
//! | [`Path<T>`] | the rule's variables parsed into `T` | 404 |
//! | [`Cookies`] | the request cookies | never |
//! | [`Extension<T>`] | a clone of an object in `app.extensions` | 500 |
//! | [`Stashed<T>`] | a clone of a value a decorator stored in `g` | 500 |
//! | [`BodyStream`] | the body, chunk by chunk, as the client sends it | 413 / 408 from the stream |
//! | `http::HeaderMap`, `http::Method`, `http::Uri` | those parts | never |
//! | `Option<T>` | `None` instead of a rejection | never |
//! | `Result<T, ViewError>` | the rejection, to handle yourself | never |

mod body_stream;
mod cookies;
mod extension;
mod form;
mod path;
mod query;

pub use body_stream::BodyStream;
pub(crate) use body_stream::UnreadBody;
pub use cookies::Cookies;
pub use extension::{Extension, Stashed};
pub use form::Form;
#[doc(hidden)]
pub use path::path_param;
pub use path::{FromPathParam, Path, converters};
pub use query::Query;

use http::{HeaderMap, Method, Uri};

use crate::{Json, Request, ViewError};

/// Builds a handler parameter from the request.
///
/// Implement it to make your own types usable as handler parameters:
///
/// ```
/// use phial::prelude::*;
///
/// struct ClientIp(Option<std::net::SocketAddr>);
///
/// impl FromRequest for ClientIp {
///     fn from_request(request: &Request) -> Result<Self, ViewError> {
///         Ok(ClientIp(request.remote_addr()))
///     }
/// }
///
/// async fn whoami(ip: ClientIp) -> String {
///     format!("{:?}", ip.0)
/// }
/// # let mut app = App::new("demo");
/// # app.route("/", ["GET"], whoami);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a handler parameter",
    label = "does not implement `FromRequest`",
    note = "handler parameters are extractors such as Request, Json<T>, Query<T>, Form<T>, Path<T>, \
            Cookies, Extension<T>, Stashed<T>, HeaderMap, Method, Uri; with a route attribute, \
            a parameter may also be named after a variable of the rule"
)]
pub trait FromRequest: Sized {
    /// Whether this parameter takes the body as a stream ([`BodyStream`]): the
    /// server then leaves the body unread for the view. `false` for every other
    /// extractor.
    const STREAMS_BODY: bool = false;

    /// Builds the value, or the error that answers the request instead (through
    /// the app's error handlers).
    fn from_request(request: &Request) -> Result<Self, ViewError>;
}

impl FromRequest for Request {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        Ok(request.clone())
    }
}

impl FromRequest for Method {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        Ok(request.method().clone())
    }
}

impl FromRequest for Uri {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        Ok(request.uri().clone())
    }
}

impl FromRequest for HeaderMap {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        Ok(request.headers().clone())
    }
}

impl<T: FromRequest> FromRequest for Option<T> {
    const STREAMS_BODY: bool = T::STREAMS_BODY;

    fn from_request(request: &Request) -> Result<Self, ViewError> {
        Ok(T::from_request(request).ok())
    }
}

impl<T: FromRequest> FromRequest for Result<T, ViewError> {
    const STREAMS_BODY: bool = T::STREAMS_BODY;

    fn from_request(request: &Request) -> Result<Self, ViewError> {
        Ok(T::from_request(request))
    }
}

/// The body, parsed with Flask's `get_json` rules (see [`Request::get_json`]).
impl<T: serde::de::DeserializeOwned> FromRequest for Json<T> {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        request.get_json().map(Json).map_err(ViewError::from)
    }
}
