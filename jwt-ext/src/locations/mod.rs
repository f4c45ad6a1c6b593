//! Where a token is looked for: headers, cookies, the query string, the JSON body.
//!
//! Each location either finds an encoded token, finds none (upstream's
//! `NoAuthorizationError`, so the next location is tried), or fails outright
//! (a malformed header, a failed CSRF check: those stop the search).

mod cookies;
mod headers;
mod json;
mod query;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use phial::Request;

use crate::JwtError;
use crate::config::Settings;

/// A place a token may come from (`JWT_TOKEN_LOCATION` entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// The `Authorization` header (`JWT_HEADER_NAME`).
    Headers,
    /// The JWT cookie, with the CSRF double-submit check.
    Cookies,
    /// A query-string parameter (`JWT_QUERY_STRING_NAME`).
    QueryString,
    /// A key of the JSON body (`JWT_JSON_KEY`).
    Json,
}

impl Location {
    /// The name used in config and in messages: `headers`, `cookies`,
    /// `query_string`, `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Headers => "headers",
            Location::Cookies => "cookies",
            Location::QueryString => "query_string",
            Location::Json => "json",
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Location {
    type Err = JwtError;

    fn from_str(name: &str) -> Result<Location, JwtError> {
        match name {
            "headers" => Ok(Location::Headers),
            "cookies" => Ok(Location::Cookies),
            "query_string" => Ok(Location::QueryString),
            "json" => Ok(Location::Json),
            other => Err(JwtError::Setup(format!("'{other}' is not a valid location"))),
        }
    }
}

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
