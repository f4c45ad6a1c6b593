//! `Query<T>`: the query string parsed into a type.

use http::StatusCode;
use serde::de::DeserializeOwned;

use super::FromRequest;
use crate::{HttpError, Request, ViewError};

/// The query string parsed into `T` with `serde_urlencoded` (`?page=2&q=rust`).
///
/// A missing or malformed field is a 400 that says which. For optional arguments use
/// `Option<_>` fields; for Flask's loose `request.args.get(...)` use
/// [`Request::args`].
///
/// ```
/// use phial::prelude::*;
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Page { page: Option<u32> }
///
/// async fn list(Query(p): Query<Page>) -> String {
///     format!("page {}", p.page.unwrap_or(1))
/// }
/// # let mut app = App::new("demo");
/// # app.route("/", ["GET"], list);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        serde_urlencoded::from_str(request.query_string()).map(Query).map_err(|err| {
            tracing::debug!(target: "phial::request", error = %err, "bad query string");
            HttpError::with_message(StatusCode::BAD_REQUEST, format!("Invalid query string: {err}")).into()
        })
    }
}
