//! `Cookies`: the cookies of the request.

use std::collections::HashMap;

use super::FromRequest;
use crate::{Request, ViewError};

/// The request's cookies by name (`request.cookies`); the first wins when a name
/// repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cookies(HashMap<String, String>);

impl Cookies {
    /// The value of cookie `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Whether cookie `name` was sent.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// All cookies, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl FromRequest for Cookies {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        let mut cookies = HashMap::new();
        for (name, value) in request.cookies() {
            cookies.entry(name.to_string()).or_insert_with(|| value.to_string());
        }
        Ok(Cookies(cookies))
    }
}
