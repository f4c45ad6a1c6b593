//! Jinja2's filters where minijinja's own differ from them: the arguments Jinja2
//! takes (by position or by name), Python's rounding, number parsing and string
//! methods, and the filters minijinja does not have (`truncate`, `striptags`,
//! `wordcount`, `center`). Each one is checked against Jinja2's output in
//! `tests/templates.rs`.

mod numbers;
mod sequences;
mod text;

use minijinja::value::{Kwargs, Rest, Value};
use minijinja::{Environment, Error, ErrorKind};

/// Puts Jinja2's versions of these filters in place of minijinja's.
pub(crate) fn register(environment: &mut Environment<'static>) {
    environment.add_filter("title", text::title);
    environment.add_filter("replace", text::replace);
    environment.add_filter("truncate", text::truncate);
    environment.add_filter("striptags", text::striptags);
    environment.add_filter("wordcount", text::wordcount);
    environment.add_filter("center", text::center);
    environment.add_filter("indent", text::indent);
    environment.add_filter("urlencode", text::urlencode);
    environment.add_filter("string", text::string);
    environment.add_filter("round", numbers::round);
    environment.add_filter("int", numbers::int);
    environment.add_filter("float", numbers::float);
    environment.add_filter("sum", sequences::sum);
    environment.add_filter("join", sequences::join);
}

/// A filter's arguments as Jinja2 binds them: each parameter by position or by
/// name, unknown or doubled ones an error.
pub(super) struct Params {
    filter: &'static str,
    positional: Vec<Value>,
    kwargs: Kwargs,
}

impl Params {
    pub(super) fn new(filter: &'static str, positional: Rest<Value>, kwargs: Kwargs) -> Params {
        Params { filter, positional: positional.0, kwargs }
    }

    /// Parameter number `position` (after the filtered value), or the one named `name`.
    pub(super) fn get(&self, position: usize, name: &str) -> Result<Option<Value>, Error> {
        let by_name: Option<Value> = self.kwargs.get(name)?;
        match (self.positional.get(position), by_name) {
            (Some(_), Some(_)) => Err(self.error(format!("got multiple values for argument '{name}'"))),
            (Some(value), None) => Ok(Some(value.clone())),
            (None, by_name) => Ok(by_name),
        }
    }

    /// Refuses more positional arguments than `count`, and names nobody asked for.
    pub(super) fn finish(&self, count: usize) -> Result<(), Error> {
        if self.positional.len() > count {
            return Err(Error::from(ErrorKind::TooManyArguments));
        }
        self.kwargs.assert_all_used()
    }

    /// A `TypeError`-like error naming the filter.
    pub(super) fn error(&self, message: impl std::fmt::Display) -> Error {
        Error::new(ErrorKind::InvalidOperation, format!("{}: {message}", self.filter))
    }
}

/// An integer argument.
pub(super) fn int_arg(value: Option<Value>, default: i64) -> Result<i64, Error> {
    match value {
        None => Ok(default),
        Some(value) => i64::try_from(value.clone())
            .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("expected an integer, got {value}"))),
    }
}
