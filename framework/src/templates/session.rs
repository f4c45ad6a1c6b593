//! `session` and `get_flashed_messages()` in templates, as Flask puts them there.
//! The session is opened only when a template reads it.

use minijinja::value::{Enumerator, Kwargs, Object, ObjectRepr, Value};
use minijinja::{Error, ErrorKind, State};
use std::sync::Arc;

use crate::Request;
use crate::sessions::{SessionValue, flashed_messages_of};

/// `session` in a template: its values by `[key]`, `.key` or `.get(key, default)`.
#[derive(Debug)]
pub(crate) struct SessionObject(pub(crate) Request);

impl Object for SessionObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.session().get(key.as_str()?).as_ref().map(to_value)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.0.session().keys().into_iter().map(Value::from).collect())
    }

    fn call_method(self: &Arc<Self>, _state: &State<'_, '_>, method: &str, args: &[Value]) -> Result<Value, Error> {
        match method {
            "get" => {
                let found = args.first().and_then(Value::as_str).and_then(|key| self.0.session().get(key));
                Ok(found.as_ref().map(to_value).unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::from(()))))
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

/// A session value as a template sees it: Markup stays safe, tuples are lists.
fn to_value(value: &SessionValue) -> Value {
    match value {
        SessionValue::Null => Value::from(()),
        SessionValue::Bool(flag) => Value::from(*flag),
        SessionValue::Number(number) => Value::from_serialize(number),
        SessionValue::String(text) => Value::from(text.as_str()),
        SessionValue::Markup(html) => Value::from_safe_string(html.clone()),
        SessionValue::List(items) | SessionValue::Tuple(items) => Value::from_iter(items.iter().map(to_value)),
        SessionValue::Dict(map) => Value::from_iter(map.iter().map(|(key, value)| (key.clone(), to_value(value)))),
        SessionValue::Bytes(bytes) => Value::from_bytes(bytes.clone()),
        SessionValue::Uuid(uuid) => Value::from(uuid.to_string()),
        SessionValue::DateTime(time) => Value::from(httpdate::fmt_http_date(*time)),
    }
}

/// `get_flashed_messages(with_categories=False, category_filter=())`: the messages
/// flashed for this request, taken out of the session once.
pub(crate) fn get_flashed_messages(kwargs: Kwargs) -> Result<Value, Error> {
    let with_categories = kwargs.get::<Option<bool>>("with_categories")?.unwrap_or(false);
    let filter: Option<Vec<String>> = kwargs.get("category_filter")?;
    kwargs.assert_all_used()?;
    let request = crate::request().map_err(|error| Error::new(ErrorKind::InvalidOperation, error.to_string()))?;
    let flashes =
        flashed_messages_of(&request).map_err(|error| Error::new(ErrorKind::InvalidOperation, error.to_string()))?;
    let filter = filter.unwrap_or_default();
    let kept = flashes.into_iter().filter(|(category, _)| filter.is_empty() || filter.contains(category));
    Ok(if with_categories {
        Value::from_iter(kept.map(|(category, message)| Value::from_iter([category, message])))
    } else {
        Value::from_iter(kept.map(|(_, message)| message))
    })
}
