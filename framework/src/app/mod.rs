//! `App`: the application object, like `app = Flask(__name__)`.
//!
//! Setting it up is here (and in [`Scaffold`](crate::Scaffold), shared with
//! blueprints); serving it (`run`, `serve`) is in `server/`, next to the accept loop.

mod finalize;
mod handle;

pub(crate) use handle::AppCore;
pub use handle::AppHandle;

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;

use crate::files::static_folder::StaticFolder;
use crate::sessions::SessionInterface;
use crate::templates::{TemplateSetup, minijinja};
use crate::{Blueprint, Config, Error, Scaffold};
use std::sync::Arc;

/// A startup hook: runs once when the app is finalised, with its config and
/// extensions (see [`App::on_startup`]).
pub type StartupHook = Box<dyn FnOnce(&Config, &mut http::Extensions) -> Result<(), Error> + Send>;

/// The application: its config, extensions, routes, blueprints, hooks and error
/// handlers, like Flask's `app` object.
///
/// Setup happens on an `App`; [`run`](App::run), [`serve`](App::serve),
/// [`test_client`](App::test_client) or [`finalize`](App::finalize) consume it and
/// *finalise* it: routes are checked and compiled, extensions read their config,
/// and the result is an immutable [`AppHandle`] shared by every request. Setup
/// after that does not compile, where Flask raises "setup method can no longer be
/// called".
///
/// Like Flask, an app serves the files of its `static/` folder at
/// `/static/<path:filename>` (endpoint `static`); see
/// [`static_folder`](App::static_folder).
///
/// ```
/// use phial::prelude::*;
///
/// async fn hello() -> impl IntoResponse {
///     jsonify!({"hello": "world"})
/// }
///
/// let mut app = App::new("hello");
/// app.config.set("JSON_NOTE", "config values are JSON");
/// app.route("/", ["GET"], hello);
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let client = app.test_client();
/// let response = client.get("/").send().await;
/// assert_eq!(response.status(), 200);
/// assert_eq!(response.json::<serde_json::Value>()["hello"], "world");
/// # });
/// ```
pub struct App {
    name: String,
    /// The configuration (`app.config`), read by phial and its extensions when the
    /// app is finalised.
    pub config: Config,
    /// Extension objects such as the JWT manager (`app.extensions`), reachable from
    /// requests with [`Request::extension`](crate::Request::extension).
    pub extensions: http::Extensions,
    scaffold: Scaffold,
    blueprints: Vec<Blueprint>,
    startup: Vec<StartupHook>,
    static_folder: StaticFolder,
    templates: TemplateSetup,
    session_interface: Option<Arc<dyn SessionInterface>>,
}

impl App {
    /// A new app named `name`, with phial's default config: Flask's `DEBUG`,
    /// `TESTING` and `SECRET_KEY`, and the server limits (`MAX_CONTENT_LENGTH` 2 MiB,
    /// `MAX_BODY_BYTES_IN_FLIGHT` 64 MiB, `MAX_HEADER_SIZE` 16 KiB, `MAX_HEADER_COUNT` 64, `HEADER_READ_TIMEOUT` 30 s,
    /// `BODY_READ_TIMEOUT` 30 s, `MAX_CONNECTIONS` 10000,
    /// `SHUTDOWN_TIMEOUT` 30 s, `HTTP2_MAX_CONCURRENT_STREAMS` 100, `HTTP2_IDLE_TIMEOUT` 60 s,
    /// `RESPONSE_WRITE_TIMEOUT` 30 s), and Flask 3.1's form limits (`MAX_FORM_MEMORY_SIZE`
    /// 500 000 bytes, `MAX_FORM_PARTS` 1000; `null` for none).
    pub fn new(name: impl Into<String>) -> App {
        let mut config = Config::new();
        config.set("DEBUG", false).set("TESTING", false).set("SECRET_KEY", serde_json::Value::Null);
        for (key, value) in crate::server::limits::DEFAULTS {
            config.set(*key, *value);
        }
        App {
            name: name.into(),
            config,
            extensions: http::Extensions::new(),
            scaffold: Scaffold::default(),
            blueprints: Vec::new(),
            startup: Vec::new(),
            static_folder: StaticFolder::default(),
            templates: TemplateSetup::default(),
            session_interface: None,
        }
    }

    /// The app's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The folder of the app's static files (Flask's `static_folder`): `static` by
    /// default, served at `/static/<path:filename>` under the endpoint `static`, so
    /// that `url_for("static", [("filename", "style.css")])` is
    /// `/static/style.css`. Files are sent as [`send_from_directory`](crate::files::send_from_directory)
    /// sends them: a path that would leave the folder is a 404.
    ///
    /// A relative folder is taken from the working directory when a request comes
    /// (Flask takes it from the app's module; Rust has no such place at run time).
    /// The URL is `/` and the folder's name unless [`static_url_path`](App::static_url_path) says otherwise.
    ///
    /// ```
    /// use phial::prelude::*;
    ///
    /// let mut app = App::new("site");
    /// app.static_folder(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
    /// let client = app.test_client();
    /// assert_eq!(client.app().url_for("static", [("filename", "app.js")]).unwrap(), "/assets/app.js");
    /// ```
    pub fn static_folder(&mut self, folder: impl Into<PathBuf>) -> &mut App {
        self.static_folder.set_folder(Some(folder.into()));
        self
    }

    /// Serves no static folder (Flask's `static_folder=None`).
    pub fn no_static_folder(&mut self) -> &mut App {
        self.static_folder.set_folder(None);
        self
    }

    /// The URL the static files are served at (Flask's `static_url_path`), such as
    /// `/assets`; `""` serves them at the root.
    pub fn static_url_path(&mut self, url_path: impl Into<String>) -> &mut App {
        self.static_folder.set_url_path(url_path.into());
        self
    }

    /// The folder templates are read from (Flask's `template_folder`): `templates`
    /// by default, from the working directory; see [`templates`](crate::templates).
    pub fn template_folder(&mut self, folder: impl Into<PathBuf>) -> &mut App {
        self.templates.folder = Some(folder.into());
        self
    }

    /// Adds a template filter (Flask's `@app.template_filter("name")`): any function
    /// minijinja takes as a filter, its first argument the value filtered.
    ///
    /// ```
    /// # let mut app = phial::App::new("site");
    /// app.template_filter("reverse_words", |text: String| text.split(' ').rev().collect::<Vec<_>>().join(" "));
    /// ```
    pub fn template_filter<F, Rv, Args>(&mut self, name: &str, filter: F) -> &mut App
    where
        F: minijinja::functions::Function<Rv, Args>,
        Rv: minijinja::value::FunctionResult,
        Args: for<'a> minijinja::value::FunctionArgs<'a>,
    {
        let (name, filter) = (name.to_string(), minijinja::Value::from_function(filter));
        let forward = move |state: &minijinja::State<'_, '_>, args: minijinja::value::Rest<minijinja::Value>| {
            filter.call(state, &args)
        };
        self.templates.registrations.push(std::sync::Arc::new(move |environment| {
            environment.add_filter(name.clone(), forward.clone());
        }));
        self
    }

    /// Adds a template test (Flask's `@app.template_test("name")`), used as
    /// `{% if value is name %}`.
    pub fn template_test<F, Rv, Args>(&mut self, name: &str, test: F) -> &mut App
    where
        F: minijinja::functions::Function<Rv, Args>,
        Rv: minijinja::value::FunctionResult,
        Args: for<'a> minijinja::value::FunctionArgs<'a>,
    {
        let (name, test) = (name.to_string(), minijinja::Value::from_function(test));
        let forward = move |state: &minijinja::State<'_, '_>, args: minijinja::value::Rest<minijinja::Value>| {
            test.call(state, &args)
        };
        self.templates.registrations.push(std::sync::Arc::new(move |environment| {
            environment.add_test(name.clone(), forward.clone());
        }));
        self
    }

    /// Adds a function every template can call (Flask's `@app.template_global()`).
    pub fn template_global<F, Rv, Args>(&mut self, name: &str, function: F) -> &mut App
    where
        F: minijinja::functions::Function<Rv, Args>,
        Rv: minijinja::value::FunctionResult,
        Args: for<'a> minijinja::value::FunctionArgs<'a>,
    {
        let (name, function) = (name.to_string(), minijinja::Value::from_function(function));
        self.templates.registrations.push(std::sync::Arc::new(move |environment| {
            environment.add_global(name.clone(), function.clone());
        }));
        self
    }

    /// Adds a context processor (Flask's `@app.context_processor`): the map it
    /// returns is in every template's values (a render's own values win).
    ///
    /// ```
    /// # let mut app = phial::App::new("site");
    /// app.context_processor(|| phial::templates::context! { site_name => "Phial" });
    /// ```
    pub fn context_processor(&mut self, processor: impl Fn() -> minijinja::Value + Send + Sync + 'static) -> &mut App {
        self.templates.context_processors.push(std::sync::Arc::new(processor));
        self
    }

    /// Keeps sessions with `interface` instead of Flask's signed cookie
    /// ([`SecureCookieSessionInterface`](crate::sessions::SecureCookieSessionInterface),
    /// the default): Flask's `app.session_interface = ..`.
    pub fn session_interface(&mut self, interface: impl SessionInterface) -> &mut App {
        self.session_interface = Some(Arc::new(interface));
        self
    }

    /// Registers a blueprint (`app.register_blueprint(bp)`).
    pub fn register_blueprint(&mut self, mut blueprint: Blueprint) -> &mut App {
        if let Some(route) = blueprint.static_folder.route() {
            blueprint.scaffold.register([route]);
        }
        if let Some(folder) = blueprint.template_folder.take() {
            self.templates.blueprint_folders.push(folder);
        }
        self.blueprints.push(blueprint);
        self
    }

    /// Adds a startup hook: it runs once when the app is finalised, and an error
    /// stops the app from starting. Extensions use it to read and check their config.
    pub fn on_startup(
        &mut self,
        hook: impl FnOnce(&Config, &mut http::Extensions) -> Result<(), Error> + Send + 'static,
    ) -> &mut App {
        self.startup.push(Box::new(hook));
        self
    }

    /// Finalises the app and returns its handle, the app that serves: every problem
    /// found (bad rules, conflicts, config errors, extensions that refuse to start) is
    /// reported. The `App` is consumed, so setting it up after it started is
    /// impossible, where Flask raises at run time.
    pub fn finalize(mut self) -> Result<AppHandle, Error> {
        if let Some(route) = self.static_folder.route() {
            self.scaffold.register([route]);
        }
        finalize::finalize(finalize::Setup {
            name: self.name,
            config: self.config,
            extensions: self.extensions,
            scaffold: self.scaffold,
            blueprints: self.blueprints,
            startup: self.startup,
            templates: self.templates,
            session_interface: self.session_interface,
        })
    }

    /// A client that drives the app in-process, with no socket (Flask's
    /// `app.test_client()`). It finalises the app; reach the finalised app with
    /// [`TestClient::app`](crate::testing::TestClient::app) (for
    /// `client.app().app_context(..)`, Flask's `with app.app_context():`).
    ///
    /// # Panics
    /// When the app cannot start (the panic message lists why): in a test, that is
    /// the failure to see. Use [`finalize`](App::finalize) to handle the error.
    pub fn test_client(self) -> crate::testing::TestClient {
        match self.finalize() {
            Ok(handle) => crate::testing::TestClient::new(handle),
            Err(err) => panic!("the app cannot start: {err}"),
        }
    }
}

impl Deref for App {
    type Target = Scaffold;
    fn deref(&self) -> &Scaffold {
        &self.scaffold
    }
}

/// Setup methods (routes, hooks, error handlers) come from [`Scaffold`].
impl DerefMut for App {
    fn deref_mut(&mut self) -> &mut Scaffold {
        &mut self.scaffold
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("name", &self.name)
            .field("config", &self.config)
            .field("scaffold", &self.scaffold)
            .field("blueprints", &self.blueprints)
            .finish_non_exhaustive()
    }
}
