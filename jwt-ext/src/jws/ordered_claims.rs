//! [`OrderedClaims`]: a claim set that serialises in insertion order, like a Python
//! dict, so that a token's payload bytes can match flask-jwt-extended's.

use crate::JsonObject;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// Claims in the order they were first inserted, each key once.
///
/// `serde_json::Map` sorts its keys (phial does not enable serde_json's
/// `preserve_order`), but PyJWT writes the payload in dict order, and
/// flask-jwt-extended builds that dict as `fresh, iat, jti, type, sub, nbf, csrf,
/// aud, iss, exp`, then the additional claims. [`OrderedClaims::insert`] behaves like
/// Python's `dict.__setitem__`: a new key goes to the end, an existing key keeps its
/// place and takes the new value. So a caller reproduces upstream's layout by
/// inserting in upstream's order.
///
/// Nested objects inside values are `serde_json::Map`s and serialise with sorted
/// keys, which is where phial's bytes can differ from PyJWT's (a nested dict built
/// in another order); the top level, which every token has, always matches.
///
/// ```
/// use phial_jwt::jws::OrderedClaims;
/// use serde_json::json;
///
/// let mut claims = OrderedClaims::new();
/// claims.insert("sub", "alice");
/// claims.insert("exp", 1_700_000_900);
/// claims.insert("sub", "bob"); // keeps its place
/// assert_eq!(serde_json::to_string(&claims).unwrap(), r#"{"sub":"bob","exp":1700000900}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrderedClaims(Vec<(String, Value)>);

impl OrderedClaims {
    /// An empty claim set.
    pub fn new() -> OrderedClaims {
        OrderedClaims(Vec::new())
    }

    /// An empty claim set with room for `capacity` claims.
    pub fn with_capacity(capacity: usize) -> OrderedClaims {
        OrderedClaims(Vec::with_capacity(capacity))
    }

    /// Sets `key` to `value`: in place if the key is present (returning the old
    /// value), at the end otherwise.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Removes `key`, keeping the order of the others; returns its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The number of claims.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no claims.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The claims in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The claims as a JSON object (sorted by key, as `serde_json::Map` is): the
    /// shape a decoded token's claims have.
    pub fn into_object(self) -> JsonObject {
        self.0.into_iter().collect()
    }
}

impl Serialize for OrderedClaims {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Like Python's `dict.update`: each pair is [inserted](OrderedClaims::insert).
impl<K: Into<String>, V: Into<Value>> Extend<(K, V)> for OrderedClaims {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        for (key, value) in pairs {
            self.insert(key, value);
        }
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for OrderedClaims {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> OrderedClaims {
        let mut claims = OrderedClaims::new();
        claims.extend(pairs);
        claims
    }
}

impl IntoIterator for OrderedClaims {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(claims: &OrderedClaims) -> Vec<&str> {
        claims.iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn serialises_in_insertion_order_not_sorted() {
        let mut claims = OrderedClaims::new();
        for key in ["fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp"] {
            claims.insert(key, 1);
        }
        assert_eq!(
            serde_json::to_string(&claims).unwrap(),
            r#"{"fresh":1,"iat":1,"jti":1,"type":1,"sub":1,"nbf":1,"csrf":1,"exp":1}"#
        );
    }

    #[test]
    fn insert_replaces_in_place_like_a_python_dict() {
        let mut claims = OrderedClaims::new();
        assert_eq!(claims.insert("type", "access"), None);
        claims.insert("sub", "alice");
        assert_eq!(claims.insert("type", "app"), Some(json!("access")));
        assert_eq!(keys(&claims), ["type", "sub"]);
        assert_eq!(claims.get("type"), Some(&json!("app")));
        assert_eq!(claims.len(), 2);
    }

    #[test]
    fn extend_is_dict_update() {
        let mut claims: OrderedClaims = [("sub", json!("alice")), ("exp", json!(1))].into_iter().collect();
        claims.extend([("role", json!("admin")), ("sub", json!("bob"))]);
        assert_eq!(keys(&claims), ["sub", "exp", "role"]);
        assert_eq!(claims.get("sub"), Some(&json!("bob")));
    }

    #[test]
    fn remove_keeps_the_others_in_order() {
        let mut claims: OrderedClaims = [("a", 1), ("b", 2), ("c", 3)].into_iter().collect();
        assert_eq!(claims.remove("b"), Some(json!(2)));
        assert_eq!(claims.remove("b"), None);
        assert!(!claims.contains_key("b"));
        assert_eq!(keys(&claims), ["a", "c"]);
        assert!(!claims.is_empty());
    }

    #[test]
    fn into_object_keeps_every_claim() {
        let claims: OrderedClaims = [("z", 1), ("a", 2)].into_iter().collect();
        assert_eq!(Value::Object(claims.clone().into_object()), json!({"a": 2, "z": 1}));
        assert_eq!(claims.into_iter().map(|(k, _)| k).collect::<Vec<_>>(), ["z", "a"]);
    }
}
