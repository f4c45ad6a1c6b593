//! What every template sees, as Flask puts it there: `request`, `g`, `config` and
//! `url_for(..)`.

use minijinja::value::{Enumerator, Kwargs, Object, ObjectRepr, Value};
use minijinja::{Error, ErrorKind, State};
use std::sync::Arc;

use crate::Request;
use crate::request::MultiDict;

/// `request` in a template: the attributes Flask templates read (`path`, `method`,
/// `args`, `form`, `cookies`, `url`, `host`, `endpoint`, `view_args`, `blueprint`,
/// `remote_addr`, `query_string`, `mimetype`, `scheme`, `script_root`) and `request.headers.get(..)`.
#[derive(Debug)]
pub(crate) struct RequestObject(pub(crate) Request);

impl Object for RequestObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let request = &self.0;
        let value = match key.as_str()? {
            "path" => Value::from(request.path()),
            "full_path" => Value::from(format!("{}?{}", request.path(), request.query_string())),
            "method" => Value::from(request.method().as_str()),
            "url" => Value::from(request.url()),
            "scheme" => Value::from(request.scheme()),
            "script_root" => Value::from(request.script_root()),
            "host" => Value::from(request.host().unwrap_or_default()),
            "query_string" => Value::from(request.query_string()),
            "mimetype" => Value::from(request.mimetype()),
            "args" => Value::from_object(MultiDictObject(request.args().clone())),
            "form" => Value::from_object(MultiDictObject(request.form().clone())),
            "cookies" => pairs(request.cookies()),
            "view_args" => pairs(request.view_args()),
            "headers" => Value::from_object(HeadersObject(request.clone())),
            "endpoint" => request.endpoint().map_or(Value::from(()), Value::from),
            "blueprint" => request.blueprint().map_or(Value::from(()), Value::from),
            "remote_addr" => request.remote_addr().map_or(Value::from(()), |addr| Value::from(addr.ip().to_string())),
            _ => return None,
        };
        Some(value)
    }
}

fn pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    Value::from_iter(pairs.map(|(key, value)| (key.to_string(), value.to_string())))
}

/// `request.args` and `request.form`: a key's first value by `[key]` or
/// `.get(key, default)`, all of them by `.getlist(key)`.
#[derive(Debug)]
struct MultiDictObject(MultiDict);

impl Object for MultiDictObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_str()?).map(Value::from)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let mut keys: Vec<Value> = Vec::new();
        for (key, _) in self.0.iter() {
            let key = Value::from(key);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        Enumerator::Values(keys)
    }

    fn call_method(self: &Arc<Self>, _state: &State<'_, '_>, method: &str, args: &[Value]) -> Result<Value, Error> {
        let key = |args: &[Value]| args.first().and_then(|key| key.as_str().map(str::to_string));
        match method {
            "get" => {
                let default = args.get(1).cloned().unwrap_or(Value::from(()));
                Ok(key(args).and_then(|key| self.0.get(&key).map(Value::from)).unwrap_or(default))
            }
            "getlist" => Ok(Value::from_iter(
                key(args).map(|key| self.0.get_all(&key).map(str::to_string).collect::<Vec<_>>()).unwrap_or_default(),
            )),
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

/// `request.headers`: `.get(name, default)` and `[name]`, case-insensitive.
#[derive(Debug)]
struct HeadersObject(Request);

impl Object for HeadersObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.header(key.as_str()?).map(Value::from)
    }

    fn call_method(self: &Arc<Self>, _state: &State<'_, '_>, method: &str, args: &[Value]) -> Result<Value, Error> {
        if method != "get" {
            return Err(Error::from(ErrorKind::UnknownMethod));
        }
        let found = args.first().and_then(Value::as_str).and_then(|name| self.0.header(name)).map(Value::from);
        Ok(found.unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::from(()))))
    }
}

/// `url_for(endpoint, **values)` in a template: phial's `url_for`, the keyword
/// arguments as its values (`_external=True` included).
pub(crate) fn url_for(endpoint: &str, kwargs: Kwargs) -> Result<Value, Error> {
    let mut values: Vec<(String, String)> = Vec::new();
    for key in kwargs.args() {
        let value: Value = kwargs.get(key)?;
        if value.is_none() || value.is_undefined() {
            continue;
        }
        match value.try_iter() {
            Ok(items) if value.as_str().is_none() && !value.is_kwargs() => {
                values.extend(items.map(|item| (key.to_string(), item.to_string())))
            }
            _ => values.push((key.to_string(), value.to_string())),
        }
    }
    crate::url_for(endpoint, values)
        .map(Value::from)
        .map_err(|error| Error::new(ErrorKind::InvalidOperation, error.to_string()))
}
