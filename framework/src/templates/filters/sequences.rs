//! `join` and `sum` with Jinja2's `attribute=` argument, items written as Python
//! writes them.

use minijinja::value::{Kwargs, Rest, StringInput, Value};
use minijinja::{Error, State};

use super::Params;
use super::numbers::Number;
use crate::templates::python_str::python_str;

/// `join(d='', attribute=None)`: the items (or each item's `attribute`) as text,
/// joined by `d`; in an autoescaped template, joined as Markup when one of them is.
pub(super) fn join(state: &State, value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let params = Params::new("join", args, kwargs);
    let separator = params.get(0, "d")?.unwrap_or_else(|| Value::from(""));
    let separator = if separator.as_str().is_some() { separator } else { Value::from(python_str(&separator)) };
    let attribute = params.get(1, "attribute")?;
    params.finish(2)?;
    let items = items_of(&value, attribute.as_ref())?;
    let texts: Vec<Value> = items
        .into_iter()
        .map(|item| if item.as_str().is_some() { item } else { Value::from(python_str(&item)) })
        .collect();
    minijinja::filters::join(state, &Value::from(texts), Some(StringInput::new(state, &separator)?))
}

/// `sum(attribute=None, start=0)`: Python's `sum` of the items (or of each item's
/// `attribute`), added one by one from `start`: integers stay exact, a float makes
/// the total a float.
pub(super) fn sum(value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let params = Params::new("sum", args, kwargs);
    let attribute = params.get(0, "attribute")?;
    let start = params.get(1, "start")?.unwrap_or_else(|| Value::from(0));
    params.finish(2)?;
    let mut total = Number::of(&start).ok_or_else(|| params.error("start must be a number"))?;
    for item in items_of(&value, attribute.as_ref())? {
        let number = Number::of(&item)
            .ok_or_else(|| params.error(format!("unsupported operand type(s) for +: number and {}", item.kind())))?;
        total = match (total, number) {
            (Number::Int(a), Number::Int(b)) => {
                Number::Int(a.checked_add(b).ok_or_else(|| params.error("integer overflow"))?)
            }
            (a, b) => Number::Float(a.as_f64() + b.as_f64()),
        };
    }
    Ok(match total {
        Number::Int(int) => Value::from(int),
        Number::Float(float) => Value::from(float),
    })
}

/// The items of `value`, or each item's `attribute` (a dotted path, a number in it
/// an index), as Jinja2's `make_attrgetter` reads it.
fn items_of(value: &Value, attribute: Option<&Value>) -> Result<Vec<Value>, Error> {
    let items = value.try_iter()?;
    let Some(attribute) = attribute.filter(|attribute| !attribute.is_none()) else {
        return Ok(items.collect());
    };
    let path = python_str(attribute);
    Ok(items.map(|item| attribute_of(item, &path)).collect())
}

fn attribute_of(mut item: Value, path: &str) -> Value {
    for part in path.split('.') {
        let key = part.parse::<i64>().map_or_else(|_| Value::from(part), Value::from);
        item = item.get_item(&key).unwrap_or_default();
    }
    item
}
