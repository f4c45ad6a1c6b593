//! Blueprints: groups of routes with a URL prefix and their own hooks and error
//! handlers, as in Flask.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;

use crate::Scaffold;
use crate::files::static_folder::StaticFolder;

/// A group of routes registered on an app under a URL prefix, with hooks and error
/// handlers that apply to its own routes only.
///
/// Its endpoints are named `"<blueprint>.<endpoint>"`, as in Flask.
///
/// ```
/// use phial::prelude::*;
///
/// let mut auth = Blueprint::new("auth", "/auth");
/// auth.route("/login", ["POST"], || async { jsonify!({"msg": "ok"}) });
/// auth.before_request(|_request: &Request| None::<Response>);
///
/// let mut app = App::new("demo");
/// app.register_blueprint(auth); // serves POST /auth/login, endpoint "auth.login"
/// ```
#[derive(Debug)]
pub struct Blueprint {
    pub(crate) name: String,
    pub(crate) url_prefix: String,
    pub(crate) scaffold: Scaffold,
    pub(crate) template_folder: Option<PathBuf>,
    pub(crate) static_folder: StaticFolder,
}

impl Blueprint {
    /// A blueprint named `name` whose routes live under `url_prefix` (`""` for none).
    pub fn new(name: impl Into<String>, url_prefix: impl Into<String>) -> Blueprint {
        Blueprint {
            name: name.into(),
            url_prefix: url_prefix.into(),
            scaffold: Scaffold::default(),
            template_folder: None,
            static_folder: StaticFolder::none(),
        }
    }

    /// The blueprint's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The URL prefix of its routes.
    pub fn url_prefix(&self) -> &str {
        &self.url_prefix
    }

    /// A folder of templates searched after the app's own `templates/` (Flask's
    /// `Blueprint(.., template_folder=..)`): the app's template of the same name wins,
    /// as in Flask. Relative to the working directory.
    pub fn template_folder(&mut self, folder: impl Into<PathBuf>) -> &mut Blueprint {
        self.template_folder = Some(folder.into());
        self
    }

    /// A folder of static files served under the blueprint's prefix at
    /// `/<folder name>/<path:filename>`, endpoint `"<blueprint>.static"` (Flask's
    /// `Blueprint(.., static_folder=..)`; a blueprint has none by default).
    ///
    /// ```
    /// # use phial::prelude::*;
    /// let mut admin = Blueprint::new("admin", "/admin");
    /// admin.static_folder("admin/static"); // /admin/static/<path:filename>
    /// ```
    pub fn static_folder(&mut self, folder: impl Into<PathBuf>) -> &mut Blueprint {
        self.static_folder.set_folder(Some(folder.into()));
        self
    }

    /// The URL its static files are served at, under the prefix (Flask's
    /// `static_url_path`).
    pub fn static_url_path(&mut self, url_path: impl Into<String>) -> &mut Blueprint {
        self.static_folder.set_url_path(url_path.into());
        self
    }

    /// Changes the URL prefix (Flask's `register_blueprint(bp, url_prefix=...)`).
    pub fn with_url_prefix(mut self, url_prefix: impl Into<String>) -> Blueprint {
        self.url_prefix = url_prefix.into();
        self
    }
}

impl Deref for Blueprint {
    type Target = Scaffold;
    fn deref(&self) -> &Scaffold {
        &self.scaffold
    }
}

impl DerefMut for Blueprint {
    fn deref_mut(&mut self) -> &mut Scaffold {
        &mut self.scaffold
    }
}

/// Joins a blueprint's url_prefix and a rule as Flask does (`""` is no prefix):
/// the prefix without its trailing slash, `/`, and the rule without its leading
/// one; an empty rule is the prefix itself. Without a prefix the rule stays as
/// written, and must then start with a slash (checked at registration).
pub(crate) fn join_prefix(prefix: &str, rule: &str) -> String {
    match (prefix.is_empty(), rule.is_empty()) {
        (true, _) => rule.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) => format!("{}/{}", prefix.trim_end_matches('/'), rule.trim_start_matches('/')),
    }
}

#[cfg(test)]
mod tests {
    use super::join_prefix;

    #[test]
    fn prefixes_join_like_flask() {
        assert_eq!(join_prefix("/api", "/x"), "/api/x");
        assert_eq!(join_prefix("/api/", "/x/"), "/api/x/");
        assert_eq!(join_prefix("/api", "/"), "/api/");
        assert_eq!(join_prefix("", "/x"), "/x");
    }

    #[test]
    fn a_prefix_supplies_the_slash_an_empty_or_relative_rule_lacks() {
        assert_eq!(join_prefix("/api", ""), "/api");
        assert_eq!(join_prefix("/api", "<int:id>"), "/api/<int:id>");
        assert_eq!(join_prefix("/", "x"), "/x");
        // Without a prefix nothing is added: registration refuses these, as Flask does.
        assert_eq!(join_prefix("", "x"), "x");
        assert_eq!(join_prefix("", ""), "");
    }
}
