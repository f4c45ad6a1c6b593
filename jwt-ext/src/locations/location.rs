//! `Location`: the names of the places a token may come from, as `JWT_TOKEN_LOCATION`
//! and `#[jwt_required(locations = [..])]` spell them. Kept apart from the lookup
//! itself so that the config can parse them without importing the lookup, which
//! reads the config.

use std::fmt;
use std::str::FromStr;

use crate::JwtError;

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
