//! Finalising an app: checking and compiling its routes, running startup hooks, and
//! freezing everything into an `AppCore`.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::StartupHook;
use super::handle::{AppCore, AppHandle, BlueprintCore, RouteEntry};
use crate::blueprint::join_prefix;
use crate::routing::RouteSpec;
use crate::routing::router::Router;
use crate::routing::rule::Rule;
use crate::server::body::BodyBudget;
use crate::server::limits::Limits;
use crate::sessions::{SecureCookieSessionInterface, SessionInterface};
use crate::templates::{TemplateSetup, Templates};
use crate::{Blueprint, Config, Error, Route, Scaffold};

/// An app's setup, taken out of the `App` to be finalised.
pub(super) struct Setup {
    pub(super) name: String,
    pub(super) config: Config,
    pub(super) extensions: http::Extensions,
    pub(super) scaffold: Scaffold,
    pub(super) blueprints: Vec<Blueprint>,
    pub(super) startup: Vec<StartupHook>,
    pub(super) templates: TemplateSetup,
    pub(super) session_interface: Option<Arc<dyn SessionInterface>>,
}

/// The routes being compiled, and the problems found so far.
#[derive(Default)]
struct Compiler {
    router: Router,
    routes: Vec<RouteEntry>,
    endpoints: HashMap<String, (Arc<Rule>, TypeId)>,
    errors: Vec<Error>,
}

pub(super) fn finalize(mut setup: Setup) -> Result<AppHandle, Error> {
    let mut errors = Vec::new();
    for hook in setup.startup {
        if let Err(err) = hook(&setup.config, &mut setup.extensions) {
            errors.push(err);
        }
    }

    let mut compiler = Compiler::default();
    for route in setup.scaffold.routes {
        compiler.add(route, "", None, None);
    }
    let mut blueprints = Vec::with_capacity(setup.blueprints.len());
    let mut blueprint_layers = Vec::with_capacity(setup.blueprints.len());
    let mut names: Vec<String> = Vec::new();
    for (index, blueprint) in setup.blueprints.into_iter().enumerate() {
        if names.contains(&blueprint.name) {
            errors.push(Error::Config {
                key: format!("blueprint {:?}", blueprint.name),
                message: "is registered twice; give each blueprint its own name".to_string(),
            });
        }
        names.push(blueprint.name.clone());
        for route in blueprint.scaffold.routes {
            compiler.add(route, &blueprint.url_prefix, Some(&blueprint.name), Some(index));
        }
        blueprints.push(BlueprintCore {
            name: blueprint.name,
            hooks: blueprint.scaffold.hooks,
            error_handlers: blueprint.scaffold.error_handlers,
            service: OnceLock::new(),
        });
        blueprint_layers.push(blueprint.scaffold.layers);
    }
    errors.append(&mut compiler.errors);

    let limits = Limits::from_config(&setup.config).map_err(|err| errors.push(err)).ok();
    let sessions: Option<Arc<dyn SessionInterface>> = match setup.session_interface.take() {
        Some(interface) => Some(interface),
        None => match SecureCookieSessionInterface::from_config(&setup.config) {
            Ok(interface) => Some(Arc::new(interface)),
            Err(err) => {
                errors.push(err);
                None
            }
        },
    };
    match (errors.len(), limits, sessions) {
        (0, Some(limits), Some(sessions)) => {
            let templates = Templates::new(setup.templates, &setup.config);
            let debug = setup.config.get_bool("DEBUG").ok().flatten().unwrap_or(false);
            setup.scaffold.error_handlers.set_debug(debug);
            let streams_bodies = compiler.routes.iter().any(|route| route.streams_body);
            let handle = AppHandle::new(AppCore {
                name: setup.name,
                config: setup.config,
                extensions: setup.extensions,
                router: compiler.router,
                routes: compiler.routes,
                hooks: setup.scaffold.hooks,
                error_handlers: setup.scaffold.error_handlers,
                blueprints,
                endpoints: compiler.endpoints.into_iter().map(|(name, (rule, _))| (name, rule)).collect(),
                body_budget: BodyBudget::new(limits.max_body_bytes_in_flight),
                templates,
                streams_bodies,
                sessions,
                limits,
                service: OnceLock::new(),
            });
            crate::layer::inner::wrap(&handle, setup.scaffold.layers, blueprint_layers);
            Ok(handle)
        }
        (1, _, _) => Err(errors.remove(0)),
        _ => Err(Error::Many(errors)),
    }
}

impl Compiler {
    fn add(&mut self, route: Route, prefix: &str, blueprint_name: Option<&str>, blueprint: Option<usize>) {
        let (spec, handler) = route.into_parts();
        let source = join_prefix(prefix, &spec.rule);
        let fail = |message: String| Error::Route { rule: source.clone(), message, location: spec.location };
        if !source.starts_with('/') {
            // Only a blueprint's url_prefix can supply the slash (Flask refuses it too).
            return self.errors.push(fail(format!(
                "a URL rule must start with a slash: write \"/{source}\" (a rule without one, or \"\", is only \
                 accepted in a blueprint with a url_prefix, which it is joined to)"
            )));
        }
        let rule = match Rule::parse(&source) {
            Ok(rule) => Arc::new(rule),
            Err(err) => return self.errors.push(fail(err.message)),
        };
        let methods = match &spec.methods {
            Ok(methods) if methods.is_empty() => {
                return self.errors.push(fail("no methods given".to_string()));
            }
            Ok(methods) => methods.clone(),
            Err(message) => return self.errors.push(fail(message.clone())),
        };
        let name = spec.endpoint.as_deref().unwrap_or(&spec.rule);
        let endpoint = match blueprint_name {
            Some(blueprint) => format!("{blueprint}.{name}"),
            None => name.to_string(),
        };
        if let Err(message) = self.claim_endpoint(&endpoint, &rule, &spec) {
            return self.errors.push(fail(message));
        }
        let id = self.routes.len();
        if let Err(conflict) = self.router.insert(rule.clone(), &methods, id, spec.strict_slashes) {
            return self.errors.push(fail(conflict.0));
        }
        self.routes.push(RouteEntry {
            handler,
            endpoint: Arc::from(endpoint),
            rule: Arc::from(source.as_str()),
            blueprint,
            streams_body: spec.streams_body,
        });
    }

    /// An endpoint name belongs to one view, as in Flask; the same view may serve
    /// several rules under its name (the first rule is used by `url_for`).
    fn claim_endpoint(&mut self, endpoint: &str, rule: &Arc<Rule>, spec: &RouteSpec) -> Result<(), String> {
        match self.endpoints.get(endpoint) {
            Some((_, view)) if *view != spec.handler_type && spec.endpoint.is_some() => Err(format!(
                "endpoint {endpoint:?} is already used by another view; give this route its own endpoint name"
            )),
            Some(_) => Ok(()),
            None => {
                self.endpoints.insert(endpoint.to_string(), (rule.clone(), spec.handler_type));
                Ok(())
            }
        }
    }
}
