//! `app.config`: string keys, JSON values, typed getters, and Flask's loaders.
//!
//! ```
//! use phial::Config;
//! use std::time::Duration;
//!
//! let mut config = Config::default();
//! config.set("JWT_SECRET_KEY", "super-secret");
//! config.set("JWT_ACCESS_TOKEN_EXPIRES", Duration::from_secs(3600));
//! config.set("JWT_REFRESH_TOKEN_EXPIRES", false); // never expires
//!
//! assert_eq!(config.get_str("JWT_SECRET_KEY").unwrap(), Some("super-secret"));
//! assert_eq!(config.get_expiry("JWT_ACCESS_TOKEN_EXPIRES").unwrap(), Some(Some(Duration::from_secs(3600))));
//! assert_eq!(config.get_expiry("JWT_REFRESH_TOKEN_EXPIRES").unwrap(), Some(None));
//! // A wrong type is an error that names the key.
//! let err = config.get_bool("JWT_SECRET_KEY").unwrap_err();
//! assert!(err.to_string().contains("JWT_SECRET_KEY"));
//! ```

use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::Error;
use crate::secret::{REDACTED, is_secret_key};

/// The app's configuration: a map from string keys to JSON values, like Flask's
/// `app.config`.
///
/// Values go in through [`Config::set`] (anything convertible to a [`ConfigValue`]:
/// strings, numbers, booleans, lists, [`Duration`]s, JSON) and come out through typed
/// getters that return `Ok(None)` when the key is absent or `null`, and an
/// [`Error::Config`] naming the key when the value has the wrong type.
///
/// `Debug` and `Display` print every key, with the values of those that hold
/// secrets (`SECRET_KEY`, `JWT_SECRET_KEY`, any `*SECRET*` or `*PASSWORD*` key: see
/// [`is_secret_key`](crate::is_secret_key)) as `[redacted]`.
#[derive(Clone, Default, PartialEq)]
pub struct Config {
    values: BTreeMap<String, Value>,
}

/// A value that can be stored in [`Config`]; see [`Config::set`].
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigValue(pub Value);

macro_rules! config_value_from {
    ($($t:ty),*) => {$(
        impl From<$t> for ConfigValue {
            fn from(value: $t) -> Self {
                ConfigValue(Value::from(value))
            }
        }
    )*};
}
config_value_from!(&str, String, bool, i32, i64, u32, u64, usize, f64, Map<String, Value>);

impl From<Value> for ConfigValue {
    fn from(value: Value) -> Self {
        ConfigValue(value)
    }
}

/// A duration is stored as its number of seconds (a float when it has a fraction).
impl From<Duration> for ConfigValue {
    fn from(value: Duration) -> Self {
        if value.subsec_nanos() == 0 {
            ConfigValue(Value::from(value.as_secs()))
        } else {
            ConfigValue(Number::from_f64(value.as_secs_f64()).map_or(Value::Null, Value::Number))
        }
    }
}

impl<T: Into<ConfigValue>> From<Option<T>> for ConfigValue {
    fn from(value: Option<T>) -> Self {
        value.map_or(ConfigValue(Value::Null), Into::into)
    }
}

impl<T: Into<ConfigValue>> From<Vec<T>> for ConfigValue {
    fn from(items: Vec<T>) -> Self {
        ConfigValue(Value::Array(items.into_iter().map(|item| item.into().0).collect()))
    }
}

impl<T: Into<ConfigValue> + Clone> From<&[T]> for ConfigValue {
    fn from(items: &[T]) -> Self {
        items.to_vec().into()
    }
}

impl<T: Into<ConfigValue>, const N: usize> From<[T; N]> for ConfigValue {
    fn from(items: [T; N]) -> Self {
        Vec::from(items).into()
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a float",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A wrong type, naming the key and the type found; the value too, unless the key
/// holds a secret ([`is_secret_key`]).
fn wrong_type(key: &str, expected: &str, found: &Value) -> Error {
    let shown = if is_secret_key(key) { String::new() } else { format!(" ({found})") };
    Error::Config { key: key.to_string(), message: format!("must be {expected}, found {}{shown}", type_name(found)) }
}

/// A value as it may be printed: a secret key's as `[redacted]`.
fn printable<'a>(key: &str, value: &'a Value) -> &'a dyn fmt::Display {
    if is_secret_key(key) && !value.is_null() { &REDACTED } else { value }
}

impl Config {
    /// An empty configuration.
    pub fn new() -> Config {
        Config::default()
    }

    /// Sets `key` to `value`, replacing what was there.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<ConfigValue>) -> &mut Config {
        self.values.insert(key.into(), value.into().0);
        self
    }

    /// Sets `key` only when it is absent (Python's `dict.setdefault`).
    pub fn set_default(&mut self, key: impl Into<String>, value: impl Into<ConfigValue>) -> &mut Config {
        self.values.entry(key.into()).or_insert_with(|| value.into().0);
        self
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.values.remove(key)
    }

    /// The raw JSON value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// Whether `key` is set (to anything, `null` included).
    pub fn contains_key(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// All keys and values, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn present(&self, key: &str) -> Option<&Value> {
        self.values.get(key).filter(|v| !v.is_null())
    }

    /// A string value.
    pub fn get_str(&self, key: &str) -> Result<Option<&str>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong_type(key, "a string", other)),
        }
    }

    /// A boolean value.
    pub fn get_bool(&self, key: &str) -> Result<Option<bool>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong_type(key, "a boolean (true or false)", other)),
        }
    }

    /// An integer value.
    pub fn get_int(&self, key: &str) -> Result<Option<i64>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64()),
            Some(other) => Err(wrong_type(key, "an integer", other)),
        }
    }

    /// A non-negative integer value, such as a size limit.
    pub fn get_usize(&self, key: &str) -> Result<Option<usize>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Number(n)) if n.as_u64().is_some() => {
                Ok(n.as_u64().map(|v| usize::try_from(v).unwrap_or(usize::MAX)))
            }
            Some(other) => Err(wrong_type(key, "a non-negative integer", other)),
        }
    }

    /// A number (integer or float).
    pub fn get_f64(&self, key: &str) -> Result<Option<f64>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(other) => Err(wrong_type(key, "a number", other)),
        }
    }

    /// A duration given as a number of seconds (integer or float, not negative).
    pub fn get_duration(&self, key: &str) -> Result<Option<Duration>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(value @ Value::Number(n)) => match n.as_f64().and_then(|s| Duration::try_from_secs_f64(s).ok()) {
                Some(duration) => Ok(Some(duration)),
                None => Err(wrong_type(key, "a non-negative number of seconds", value)),
            },
            Some(other) => Err(wrong_type(key, "a number of seconds", other)),
        }
    }

    /// An expiry in flask-jwt-extended's sense: a number of seconds, or `false` for
    /// "never expires". `Ok(Some(None))` means never; a zero duration also means never,
    /// as upstream treats any falsy delta.
    pub fn get_expiry(&self, key: &str) -> Result<Option<Option<Duration>>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Bool(false)) => Ok(Some(None)),
            Some(Value::Number(_)) => {
                let duration = self.get_duration(key)?.unwrap_or_default();
                Ok(Some(if duration.is_zero() { None } else { Some(duration) }))
            }
            Some(other) => Err(wrong_type(key, "a number of seconds or false", other)),
        }
    }

    /// A list of strings; a single string counts as a list of one (as upstream accepts).
    pub fn get_str_list(&self, key: &str) -> Result<Option<Vec<String>>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
            Some(value @ Value::Array(items)) => items
                .iter()
                .map(|item| {
                    item.as_str().map(str::to_string).ok_or_else(|| wrong_type(key, "a list of strings", value))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(wrong_type(key, "a string or a list of strings", other)),
        }
    }

    /// Copies every UPPERCASE key of `mapping` into the config (Flask's
    /// `from_mapping`, which ignores other keys).
    pub fn from_mapping<K, V>(&mut self, mapping: impl IntoIterator<Item = (K, V)>) -> &mut Config
    where
        K: Into<String>,
        V: Into<ConfigValue>,
    {
        for (key, value) in mapping {
            let key = key.into();
            if key.chars().any(|c| c.is_ascii_lowercase()) {
                continue;
            }
            self.values.insert(key, value.into().0);
        }
        self
    }

    /// Loads every environment variable that starts with `PREFIX_` (Flask's
    /// `from_prefixed_env`). Keys are sorted first; each value is parsed as JSON when it
    /// is valid JSON (`"5"` becomes `5`, `"true"` becomes `true`) and kept as a string
    /// otherwise; `__` in a key nests into a mapping (`PHIAL_DB__HOST=x` sets
    /// `DB = {"HOST": "x"}`).
    pub fn from_prefixed_env(&mut self, prefix: &str) -> &mut Config {
        let vars: Vec<(String, String)> =
            std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))).collect();
        self.load_prefixed(prefix, vars)
    }

    fn load_prefixed(&mut self, prefix: &str, vars: Vec<(String, String)>) -> &mut Config {
        let prefix = format!("{prefix}_");
        let mut vars: Vec<(String, String)> = vars.into_iter().filter(|(k, _)| k.starts_with(&prefix)).collect();
        vars.sort();
        for (key, raw) in vars {
            let value = serde_json::from_str::<Value>(&raw).unwrap_or(Value::String(raw));
            let key = &key[prefix.len()..];
            if !key.contains("__") {
                self.values.insert(key.to_string(), value);
                continue;
            }
            let mut path = key.split("__");
            let Some(first) = path.next() else { continue };
            let mut current = self.values.entry(first.to_string()).or_insert_with(|| Value::Object(Map::new()));
            let parts: Vec<&str> = path.collect();
            for (i, part) in parts.iter().enumerate() {
                if !current.is_object() {
                    *current = Value::Object(Map::new());
                }
                let Value::Object(map) = current else { break };
                if i + 1 == parts.len() {
                    map.insert(part.to_string(), value.clone());
                    break;
                }
                current = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
            }
        }
        self
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, value) in &self.values {
            writeln!(f, "{key} = {}", printable(key, value))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.values {
            map.entry(key, &format_args!("{}", printable(key, value)));
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests;
