//! HTTP methods of a route: parsing Flask's `methods=[...]` lists and building `Allow`.

use http::Method;

/// Something that names the HTTP methods of a route: `"GET"`, `["GET", "POST"]`,
/// a `Method`, or a list of them. Names are case-insensitive, as in Flask.
pub trait IntoMethods {
    /// The methods, or the name that is not a valid method.
    fn into_methods(self) -> Result<Vec<Method>, String>;
}

fn parse(name: &str) -> Result<Method, String> {
    let upper = name.trim().to_ascii_uppercase();
    if upper.is_empty() {
        return Err("an empty method name".to_string());
    }
    Method::from_bytes(upper.as_bytes()).map_err(|_| format!("{name:?} is not a valid HTTP method"))
}

impl IntoMethods for &str {
    fn into_methods(self) -> Result<Vec<Method>, String> {
        Ok(vec![parse(self)?])
    }
}

impl IntoMethods for Method {
    fn into_methods(self) -> Result<Vec<Method>, String> {
        Ok(vec![self])
    }
}

impl<const N: usize> IntoMethods for [&str; N] {
    fn into_methods(self) -> Result<Vec<Method>, String> {
        self.iter().map(|m| parse(m)).collect()
    }
}

impl IntoMethods for &[&str] {
    fn into_methods(self) -> Result<Vec<Method>, String> {
        self.iter().map(|m| parse(m)).collect()
    }
}

impl IntoMethods for Vec<&str> {
    fn into_methods(self) -> Result<Vec<Method>, String> {
        self.as_slice().into_methods()
    }
}

impl IntoMethods for Vec<String> {
    fn into_methods(self) -> Result<Vec<Method>, String> {
        self.iter().map(|m| parse(m)).collect()
    }
}

impl<const N: usize> IntoMethods for [Method; N] {
    fn into_methods(self) -> Result<Vec<Method>, String> {
        Ok(self.to_vec())
    }
}

impl IntoMethods for Vec<Method> {
    fn into_methods(self) -> Result<Vec<Method>, String> {
        Ok(self)
    }
}

/// The methods a URL answers, for the `Allow` header: sorted and without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Allow(Vec<Method>);

impl Allow {
    pub(crate) fn add(&mut self, method: &Method) {
        if let Err(at) = self.0.binary_search_by(|m| m.as_str().cmp(method.as_str())) {
            self.0.insert(at, method.clone());
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `GET, HEAD, OPTIONS`.
    pub(crate) fn header_value(&self) -> String {
        self.0.iter().map(Method::as_str).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_are_case_insensitive() {
        assert_eq!(["get", "Post"].into_methods().unwrap(), vec![Method::GET, Method::POST]);
        assert!(["GE T"].into_methods().unwrap_err().contains("GE T"));
    }

    #[test]
    fn allow_is_sorted_and_deduplicated() {
        let mut allow = Allow::default();
        for m in [Method::POST, Method::GET, Method::OPTIONS, Method::GET, Method::HEAD] {
            allow.add(&m);
        }
        assert_eq!(allow.header_value(), "GET, HEAD, OPTIONS, POST");
    }
}
