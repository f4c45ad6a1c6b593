//! The app's template environment: minijinja set up as Flask sets up Jinja2.
//!
//! Templates are read from the app's `templates/` folder (then each blueprint's, in
//! registration order), their line endings made `\n` and one trailing newline
//! dropped, as Jinja2 reads them; they are compiled once and kept, or read again
//! for every render when `DEBUG` or `TEMPLATES_AUTO_RELOAD` is on. Autoescaping,
//! `escape` and `tojson` are Flask's (see `escape.rs`); `url_for`, `config`,
//! `request` and `g` are there, with the app's context processors, filters and
//! globals.

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use super::globals::{self, RequestObject};
use super::session::{self, SessionObject};
use super::{cycler, escape, filters};
use crate::Config;
use crate::files::safe_join;

/// Adds a filter, function or test to an environment (kept to set up a fresh one
/// when templates are reloaded).
pub(crate) type Registration = Arc<dyn Fn(&mut Environment<'static>) + Send + Sync>;

/// A context processor: values every template sees.
pub(crate) type ContextProcessor = Arc<dyn Fn() -> Value + Send + Sync>;

/// What an app was told about its templates while it was set up.
#[derive(Clone)]
pub(crate) struct TemplateSetup {
    pub(crate) folder: Option<PathBuf>,
    pub(crate) blueprint_folders: Vec<PathBuf>,
    pub(crate) registrations: Vec<Registration>,
    pub(crate) context_processors: Vec<ContextProcessor>,
}

impl Default for TemplateSetup {
    fn default() -> TemplateSetup {
        TemplateSetup {
            folder: Some(PathBuf::from("templates")),
            blueprint_folders: Vec::new(),
            registrations: Vec::new(),
            context_processors: Vec::new(),
        }
    }
}

impl std::fmt::Debug for TemplateSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateSetup").field("folder", &self.folder).finish_non_exhaustive()
    }
}

/// The started app's templates.
pub(crate) struct Templates {
    environment: RwLock<Environment<'static>>,
    reload: bool,
    context_processors: Vec<ContextProcessor>,
}

/// The name templates rendered from a string go by (autoescaped, as Flask's are).
const STRING_TEMPLATE: &str = "<template>";

impl Templates {
    pub(crate) fn new(setup: TemplateSetup, config: &Config) -> Templates {
        let on = |key: &str| config.get_bool(key).ok().flatten().unwrap_or(false);
        let reload = on("TEMPLATES_AUTO_RELOAD") || on("DEBUG");
        let config =
            Value::from_iter(config.iter().map(|(key, value)| (key.to_string(), Value::from_serialize(value))));
        Templates {
            environment: RwLock::new(environment(&setup, config)),
            reload,
            context_processors: setup.context_processors,
        }
    }

    /// Renders the template `name` with `context` (Flask's `render_template`).
    pub(crate) fn render(&self, name: &str, context: Value) -> Result<String, Error> {
        if self.reload {
            self.environment.write().unwrap_or_else(|poisoned| poisoned.into_inner()).clear_templates();
        }
        let environment = self.environment.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        environment.get_template(name)?.render(self.context(context))
    }

    /// Renders `source` as a template (Flask's `render_template_string`).
    pub(crate) fn render_string(&self, source: &str, context: Value) -> Result<String, Error> {
        let environment = self.environment.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        environment.render_named_str(STRING_TEMPLATE, &normalise_newlines(source), self.context(context))
    }

    /// What a template sees: `request` and `g` of the current request, the context
    /// processors' values, then the caller's (which win, as in Flask).
    fn context(&self, context: Value) -> Value {
        let mut values: BTreeMap<String, Value> = BTreeMap::new();
        if let Ok(request) = crate::request() {
            let g = request.g().named_values().into_iter().map(|(name, value)| (name, Value::from_serialize(value)));
            values.insert("g".to_string(), Value::from_iter(g));
            values.insert("session".to_string(), Value::from_object(SessionObject(request.clone())));
            values.insert("request".to_string(), Value::from_object(RequestObject(request)));
        }
        for processor in &self.context_processors {
            extend(&mut values, &processor());
        }
        extend(&mut values, &context);
        Value::from(values)
    }
}

/// Adds a map's entries to `values`.
fn extend(values: &mut BTreeMap<String, Value>, map: &Value) {
    if let Ok(keys) = map.try_iter() {
        for key in keys {
            if let (Some(name), Ok(value)) = (key.as_str(), map.get_item(&key)) {
                values.insert(name.to_string(), value);
            }
        }
    }
}

/// A minijinja environment with Flask's settings.
fn environment(setup: &TemplateSetup, config: Value) -> Environment<'static> {
    let mut environment = Environment::new();
    let folders: Vec<PathBuf> = setup.folder.iter().chain(&setup.blueprint_folders).cloned().collect();
    environment.set_loader(move |name| load(&folders, name));
    environment.set_auto_escape_callback(autoescape);
    environment.set_formatter(escape::formatter);
    environment.set_keep_trailing_newline(false);
    filters::register(&mut environment);
    environment.add_filter("escape", escape::escape);
    environment.add_filter("e", escape::escape);
    environment.add_filter("tojson", escape::tojson);
    environment.add_test("divisibleby", divisible_by);
    environment.add_function("url_for", globals::url_for);
    environment.add_function("cycler", cycler::cycler);
    environment.add_function("joiner", minijinja_contrib::globals::joiner);
    environment.add_function("get_flashed_messages", session::get_flashed_messages);
    environment.add_global("config", config);
    environment.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    for register in &setup.registrations {
        register(&mut environment);
    }
    environment
}

/// Reads the template `name` from the first folder that has it, safely joined.
fn load(folders: &[PathBuf], name: &str) -> Result<Option<String>, Error> {
    for folder in folders {
        let Some(path) = safe_join(folder, name) else { continue };
        match std::fs::read_to_string(&path) {
            Ok(source) => return Ok(Some(normalise_newlines(&source))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => {
                return Err(
                    Error::new(ErrorKind::InvalidOperation, format!("cannot read template {name}")).with_source(error)
                );
            }
        }
    }
    Ok(None)
}

/// Jinja2's lexer writes every line ending of a template as `\n`.
fn normalise_newlines(source: &str) -> String {
    source.replace("\r\n", "\n").replace('\r', "\n")
}

/// Flask's autoescape choice: on for `.html`, `.htm`, `.xml`, `.xhtml` and `.svg`
/// (as written: `A.HTML` is off) and for templates from a string.
fn autoescape(name: &str) -> AutoEscape {
    let escaped =
        name == STRING_TEMPLATE || [".html", ".htm", ".xml", ".xhtml", ".svg"].iter().any(|ext| name.ends_with(ext));
    if escaped { AutoEscape::Html } else { AutoEscape::None }
}

/// `is divisibleby(n)`; by 0 an error, as in Jinja2 (minijinja's own divides by it).
fn divisible_by(value: &Value, divisor: &Value) -> Result<bool, Error> {
    match (i64::try_from(value.clone()), i64::try_from(divisor.clone())) {
        (Ok(_), Ok(0)) => Err(Error::new(ErrorKind::InvalidOperation, "divisibleby: division by zero")),
        (Ok(value), Ok(divisor)) => Ok(value % divisor == 0),
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autoescape_is_flasks_choice() {
        for (name, escaped) in [
            ("a.html", true),
            ("a.htm", true),
            ("a.xml", true),
            ("a.xhtml", true),
            ("a.svg", true),
            ("a.txt", false),
            ("a.js", false),
            ("a.html.j2", false),
            ("A.HTML", false),
            (STRING_TEMPLATE, true),
        ] {
            assert_eq!(autoescape(name) == AutoEscape::Html, escaped, "{name}");
        }
    }

    #[test]
    fn line_endings_become_newlines() {
        assert_eq!(normalise_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
    }
}
