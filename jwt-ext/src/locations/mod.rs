//! Where a token is looked for: headers, cookies, the query string, the JSON body.
//!
//! Each location either finds an encoded token, finds none (upstream's
//! `NoAuthorizationError`, so the next location is tried), or fails outright
//! (a malformed header, a failed CSRF check: those stop the search).

mod cookies;
mod headers;
mod json;
pub(crate) mod location;
mod query;

pub use location::Location;

pub(crate) use headers::missing_message as missing_header_message;

use std::borrow::Cow;

use phial::Request;

use crate::JwtError;
use crate::config::Settings;

/// An encoded token found in a request (borrowed from it when it can be), with
/// the CSRF value to check it against (cookies only).
#[derive(Debug, PartialEq)]
pub(crate) struct Found<'r> {
    pub(crate) token: Cow<'r, str>,
    pub(crate) csrf: Option<String>,
}

/// Looks for a token in `location`. `Err(NoAuthorization)` means "not here".
pub(crate) fn extract<'r>(
    location: Location,
    request: &'r Request,
    settings: &Settings,
    refresh: bool,
) -> Result<Found<'r>, JwtError> {
    let found = |token: String| Found { token: Cow::Owned(token), csrf: None };
    match location {
        Location::Headers => headers::extract(request, settings).map(|token| Found { token, csrf: None }),
        Location::Cookies => cookies::extract(request, settings, refresh),
        Location::QueryString => query::extract(request, settings).map(found),
        Location::Json => json::extract(request, settings, refresh).map(found),
    }
}
