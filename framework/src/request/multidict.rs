//! `MultiDict`: ordered key/value pairs where a key may repeat, as Werkzeug's
//! `request.args` and `request.form`.

use std::str::FromStr;

/// Ordered pairs where a key may appear several times (`?tag=a&tag=b`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MultiDict {
    pairs: Vec<(String, String)>,
}

impl MultiDict {
    /// An empty `MultiDict`.
    pub const fn new() -> MultiDict {
        MultiDict { pairs: Vec::new() }
    }

    /// Parses `application/x-www-form-urlencoded` text (a query string or a form body).
    pub fn parse(input: &[u8]) -> MultiDict {
        MultiDict { pairs: form_urlencoded::parse(input).into_owned().collect() }
    }

    /// The first value of `key`, like `request.args.get(key)`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The first value of `key` converted with `FromStr`; `None` when absent or when it
    /// does not convert (Flask's `args.get(key, type=int)`).
    pub fn get_as<T: FromStr>(&self, key: &str) -> Option<T> {
        self.get(key)?.parse().ok()
    }

    /// Every value of `key`, in order (`args.getlist(key)`).
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    /// All pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for MultiDict {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        MultiDict { pairs: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_and_typed_get() {
        let args = MultiDict::parse(b"tag=a&n=x&tag=b&m=5&q=a+b%21");
        assert_eq!(args.get("tag"), Some("a"));
        assert_eq!(args.get_all("tag").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(args.get_as::<i32>("n"), None);
        assert_eq!(args.get_as::<i32>("m"), Some(5));
        assert_eq!(args.get("q"), Some("a b!"));
        assert!(!args.contains_key("zz"));
    }
}
