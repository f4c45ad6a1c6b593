//! Jinja2's `cycler(*items)`: `next()` gives the current item and moves on,
//! `current` is the item `next()` gives next, `reset()` goes back to the first.

use minijinja::value::{Object, Value, from_args};
use minijinja::{Error, ErrorKind, State};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A cycler over its items (at least one).
#[derive(Debug)]
struct Cycler {
    items: Vec<Value>,
    position: AtomicUsize,
}

/// `cycler(a, b, ..)` in a template.
pub(crate) fn cycler(items: minijinja::value::Rest<Value>) -> Result<Value, Error> {
    if items.is_empty() {
        return Err(Error::new(ErrorKind::InvalidOperation, "cycler: at least one item has to be provided"));
    }
    Ok(Value::from_object(Cycler { items: items.0, position: AtomicUsize::new(0) }))
}

impl Cycler {
    fn current(&self) -> Value {
        self.items[self.position.load(Ordering::Relaxed) % self.items.len()].clone()
    }
}

impl Object for Cycler {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        (key.as_str()? == "current").then(|| self.current())
    }

    fn call_method(self: &Arc<Self>, _state: &State<'_, '_>, method: &str, args: &[Value]) -> Result<Value, Error> {
        let () = from_args(args)?;
        match method {
            "next" => {
                let current = self.current();
                self.position.store((self.position.load(Ordering::Relaxed) + 1) % self.items.len(), Ordering::Relaxed);
                Ok(current)
            }
            "reset" => {
                self.position.store(0, Ordering::Relaxed);
                Ok(Value::from(()))
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}
