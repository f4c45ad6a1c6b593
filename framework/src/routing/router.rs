//! The router: Flask's matching rules on top of matchit's radix trees.
//!
//! Each rule becomes a matchit pattern in which variables are renamed by position
//! (`/user/<int:id>` becomes `/user/{p0}`), so that rules differing only in their
//! converters (`/u/<int:id>` and `/u/<name>`) share one pattern. Each pattern holds
//! its *candidates*, tried in Flask's precedence: narrow converters (int, float,
//! uuid, any) before `string`, registration order last. Rules ending in a
//! `<path:...>` variable live in a second tree (matchit does not allow a catch-all
//! beside a parameter) that is tried after the first. Static segments beat
//! variables inside each tree, as matchit guarantees.
//!
//! Known difference from Werkzeug: when a static rule matches the path but not the
//! method, phial answers 405 instead of trying a variable rule of the same shape.

use http::Method;
use std::collections::HashMap;
use std::sync::Arc;

use super::methods::Allow;
use super::rule::{Converter, Part, Rule};

/// Index of a route in the app's route table.
pub(crate) type RouteId = usize;

/// The URL variables of a match, by name, still as text.
pub(crate) type ViewArgs = Vec<(Arc<str>, String)>;

/// The result of looking up a request's path and method.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Lookup {
    /// A route answers: its id and the variables, by name, still as text.
    Found { route: RouteId, view_args: ViewArgs },
    /// The path only matches with a trailing `/` added (Flask's 308).
    RedirectAddSlash,
    /// The path matches once repeated slashes are merged (Flask's 308).
    RedirectMergeSlashes,
    /// The path matches, the method does not: 405 with this `Allow`.
    MethodNotAllowed(Allow),
    /// An `OPTIONS` request on a rule with automatic OPTIONS: 200 with this `Allow`.
    /// The first such rule is the request's rule (as in Werkzeug, which matches it):
    /// its blueprint's hooks and layers apply.
    Options { allow: Allow, route: RouteId, view_args: ViewArgs },
    /// No rule matches the path.
    NotFound,
}

struct Candidate {
    rule: Arc<Rule>,
    names: Vec<Arc<str>>,
    converters: Vec<Converter>,
    weights: Vec<u8>,
    methods: Vec<(Method, RouteId)>,
    automatic_options: bool,
    strict_slashes: bool,
}

impl Candidate {
    fn accepts(&self, values: &[&str]) -> bool {
        self.converters.iter().zip(values).all(|(converter, value)| converter.accepts(value))
    }

    /// The route answering `method`, with automatic HEAD for GET.
    fn route_for(&self, method: &Method) -> Option<RouteId> {
        let find = |m: &Method| self.methods.iter().find(|(have, _)| have == m).map(|(_, id)| *id);
        find(method).or_else(|| if *method == Method::HEAD { find(&Method::GET) } else { None })
    }

    fn add_allowed(&self, allow: &mut Allow) {
        for (method, _) in &self.methods {
            allow.add(method);
            if *method == Method::GET {
                allow.add(&Method::HEAD);
            }
        }
        if self.automatic_options {
            allow.add(&Method::OPTIONS);
        }
    }
}

#[derive(Default)]
struct Tree {
    matcher: matchit::Router<usize>,
    groups: Vec<Vec<Candidate>>,
    by_pattern: HashMap<String, usize>,
}

/// A rule registration the router refused.
#[derive(Debug, PartialEq)]
pub(crate) struct Conflict(pub(crate) String);

/// The two trees: rules without and with a trailing `<path:...>` variable.
#[derive(Default)]
pub(crate) struct Router {
    exact: Tree,
    catch_all: Tree,
}

impl Router {
    /// Registers `rule` for `methods`, answered by `route`.
    pub(crate) fn insert(
        &mut self,
        rule: Arc<Rule>,
        methods: &[Method],
        route: RouteId,
        strict_slashes: bool,
    ) -> Result<(), Conflict> {
        let pattern = matchit_pattern(&rule);
        let tree = if pattern.contains("{*") { &mut self.catch_all } else { &mut self.exact };
        tree.insert(&pattern, &rule, methods, route, strict_slashes)?;
        if !strict_slashes {
            let other = match pattern.strip_suffix('/') {
                Some(without) if !without.is_empty() => without.to_string(),
                Some(_) => return Ok(()),
                None if pattern.ends_with('}') && pattern.contains("{*") => return Ok(()),
                None => format!("{pattern}/"),
            };
            tree.insert(&other, &rule, methods, route, strict_slashes)?;
        }
        Ok(())
    }

    /// Finds what answers `method` on `path` (a percent-decoded path).
    pub(crate) fn lookup(&self, path: &str, method: &Method) -> Lookup {
        let mut allow = Allow::default();
        let mut automatic_options = None;
        for tree in [&self.exact, &self.catch_all] {
            if let Some(found) = tree.find(path, method, &mut allow, &mut automatic_options) {
                return found;
            }
        }
        if !allow.is_empty() {
            return match automatic_options {
                Some((route, view_args)) if *method == Method::OPTIONS => Lookup::Options { allow, route, view_args },
                _ => Lookup::MethodNotAllowed(allow),
            };
        }
        if !path.ends_with('/') && self.answers_with_redirect(&format!("{path}/"), method) {
            return Lookup::RedirectAddSlash;
        }
        if path.contains("//") && self.answers(&merge_slashes(path), method) {
            return Lookup::RedirectMergeSlashes;
        }
        Lookup::NotFound
    }

    /// Whether some rule answers `method` on `path`.
    fn answers(&self, path: &str, method: &Method) -> bool {
        matches!(self.lookup(path, method), Lookup::Found { .. } | Lookup::Options { .. } | Lookup::RedirectAddSlash)
    }

    /// Whether a strict-slashes rule answers `method` on `path` (which ends in `/`).
    fn answers_with_redirect(&self, path: &str, method: &Method) -> bool {
        [&self.exact, &self.catch_all].iter().any(|tree| {
            tree.candidates(path).is_some_and(|(candidates, values)| {
                candidates.iter().filter(|c| c.accepts(&values)).any(|candidate| {
                    candidate.strict_slashes
                        && (candidate.route_for(method).is_some()
                            || (*method == Method::OPTIONS && candidate.automatic_options))
                })
            })
        })
    }
}

impl Tree {
    fn insert(
        &mut self,
        pattern: &str,
        rule: &Arc<Rule>,
        methods: &[Method],
        route: RouteId,
        strict_slashes: bool,
    ) -> Result<(), Conflict> {
        let group = match self.by_pattern.get(pattern) {
            Some(&group) => group,
            None => {
                let group = self.groups.len();
                self.matcher
                    .insert(pattern, group)
                    .map_err(|err| Conflict(explain(err, &self.by_pattern, &self.groups)))?;
                self.groups.push(Vec::new());
                self.by_pattern.insert(pattern.to_string(), group);
                group
            }
        };
        let candidates = &mut self.groups[group];
        let converters: Vec<Converter> = rule.variables().map(|(_, c)| c.clone()).collect();
        if let Some(same) = candidates.iter_mut().find(|c| c.converters == converters) {
            if let Some((method, _)) = same.methods.iter().find(|(m, _)| methods.contains(m)) {
                return Err(Conflict(format!(
                    "rule {:?} already has a view for {method}; use another rule or method, \
                     or give the existing view both methods",
                    same.rule.source
                )));
            }
            same.methods.extend(methods.iter().map(|m| (m.clone(), route)));
            same.automatic_options &= !methods.contains(&Method::OPTIONS);
            return Ok(());
        }
        let weights: Vec<u8> = converters.iter().map(Converter::weight).collect();
        let candidate = Candidate {
            rule: rule.clone(),
            names: rule.variables().map(|(name, _)| Arc::from(name)).collect(),
            converters,
            methods: methods.iter().map(|m| (m.clone(), route)).collect(),
            automatic_options: !methods.contains(&Method::OPTIONS),
            strict_slashes,
            weights,
        };
        // Stable: equal weights keep registration order.
        let at = candidates.partition_point(|c| c.weights <= candidate.weights);
        candidates.insert(at, candidate);
        Ok(())
    }

    /// The candidates of the pattern matching `path`, with the variables' values.
    fn candidates<'t, 'p>(&'t self, path: &'p str) -> Option<(&'t [Candidate], Vec<&'p str>)> {
        let matched = self.matcher.at(path).ok()?;
        Some((&self.groups[*matched.value], matched.params.iter().map(|(_, value)| value).collect()))
    }

    /// The route answering `method` on `path`; otherwise collects the methods the
    /// path allows, and the first rule with an automatic `OPTIONS` answer.
    fn find(
        &self,
        path: &str,
        method: &Method,
        allow: &mut Allow,
        automatic_options: &mut Option<(RouteId, ViewArgs)>,
    ) -> Option<Lookup> {
        let (candidates, values) = self.candidates(path)?;
        let view_args =
            |candidate: &Candidate| candidate.names.iter().cloned().zip(values.iter().map(|v| v.to_string())).collect();
        for candidate in candidates.iter().filter(|c| c.accepts(&values)) {
            if let Some(route) = candidate.route_for(method) {
                return Some(Lookup::Found { route, view_args: view_args(candidate) });
            }
            if candidate.automatic_options && automatic_options.is_none() {
                if let Some((_, route)) = candidate.methods.first() {
                    *automatic_options = Some((*route, view_args(candidate)));
                }
            }
            candidate.add_allowed(allow);
        }
        None
    }
}

/// `/user/<int:id>/edit` -> `/user/{p0}/edit`; `/f/<path:p>` -> `/f/{*p0}`.
pub(crate) fn matchit_pattern(rule: &Rule) -> String {
    let mut pattern = String::with_capacity(rule.source.len());
    let mut index = 0;
    for part in &rule.parts {
        match part {
            Part::Static(text) => pattern.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Part::Variable { converter, .. } => {
                let star = if *converter == Converter::Path { "*" } else { "" };
                pattern.push_str(&format!("{{{star}p{index}}}"));
                index += 1;
            }
        }
    }
    pattern
}

fn explain(err: matchit::InsertError, by_pattern: &HashMap<String, usize>, groups: &[Vec<Candidate>]) -> String {
    match err {
        matchit::InsertError::Conflict { with } => {
            let other =
                by_pattern.get(&with).and_then(|&g| groups[g].first()).map_or(with.clone(), |c| c.rule.source.clone());
            format!("it overlaps rule {other:?} in a way the router cannot tell apart; change one of them")
        }
        other => format!("the router refused it: {other}"),
    }
}

/// Collapses runs of `/` into one (Werkzeug's `merge_slashes`).
pub(crate) fn merge_slashes(path: &str) -> String {
    let mut merged = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && merged.ends_with('/') {
            continue;
        }
        merged.push(c);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router(rules: &[(&str, &[Method])]) -> Router {
        let mut router = Router::default();
        for (id, (rule, methods)) in rules.iter().enumerate() {
            router.insert(Arc::new(Rule::parse(rule).unwrap()), methods, id, true).unwrap();
        }
        router
    }

    fn found(router: &Router, path: &str) -> Option<(RouteId, Vec<(String, String)>)> {
        match router.lookup(path, &Method::GET) {
            Lookup::Found { route, view_args } => {
                Some((route, view_args.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
            }
            _ => None,
        }
    }

    const GET: &[Method] = &[Method::GET];

    #[test]
    fn patterns_name_variables_by_position() {
        let rule = Rule::parse("/u/<int:id>/<path:rest>").unwrap();
        assert_eq!(matchit_pattern(&rule), "/u/{p0}/{*p1}");
        assert_eq!(matchit_pattern(&Rule::parse("/a{b}").unwrap()), "/a{{b}}");
    }

    #[test]
    fn converters_decide_between_rules_of_the_same_shape() {
        let r = router(&[("/u/<name>", GET), ("/u/<int:id>", GET)]);
        assert_eq!(found(&r, "/u/42"), Some((1, vec![("id".into(), "42".into())])));
        assert_eq!(found(&r, "/u/ann"), Some((0, vec![("name".into(), "ann".into())])));
    }

    #[test]
    fn static_segments_beat_variables() {
        let r = router(&[("/items/<int:id>", GET), ("/items/new", GET)]);
        assert_eq!(found(&r, "/items/new").map(|f| f.0), Some(1));
        assert_eq!(found(&r, "/items/7").map(|f| f.0), Some(0));
        assert_eq!(r.lookup("/items/x", &Method::GET), Lookup::NotFound);
    }

    #[test]
    fn path_rules_come_after_segment_rules() {
        let r = router(&[("/f/<path:p>", GET), ("/f/<name>", GET)]);
        assert_eq!(found(&r, "/f/a").map(|f| f.0), Some(1));
        assert_eq!(found(&r, "/f/a/b"), Some((0, vec![("p".into(), "a/b".into())])));
    }

    #[test]
    fn methods_405_head_and_options() {
        let r = router(&[("/login", &[Method::POST]), ("/page", GET)]);
        let Lookup::MethodNotAllowed(allow) = r.lookup("/login", &Method::GET) else { panic!() };
        assert_eq!(allow.header_value(), "OPTIONS, POST");
        assert_eq!(found(&r, "/page").map(|f| f.0), Some(1));
        assert!(matches!(r.lookup("/page", &Method::HEAD), Lookup::Found { route: 1, .. }));
        assert!(matches!(r.lookup("/login", &Method::HEAD), Lookup::MethodNotAllowed(_)));
        let Lookup::Options { allow, .. } = r.lookup("/page", &Method::OPTIONS) else { panic!() };
        assert_eq!(allow.header_value(), "GET, HEAD, OPTIONS");
    }

    #[test]
    fn an_explicit_options_view_replaces_the_automatic_one() {
        let r = router(&[("/x", &[Method::GET, Method::OPTIONS])]);
        assert!(matches!(r.lookup("/x", &Method::OPTIONS), Lookup::Found { route: 0, .. }));
    }

    #[test]
    fn same_rule_different_methods_is_allowed_overlap_is_not() {
        let mut r = router(&[("/x", GET)]);
        let rule = Arc::new(Rule::parse("/x").unwrap());
        r.insert(rule.clone(), &[Method::POST], 1, true).unwrap();
        assert!(matches!(r.lookup("/x", &Method::POST), Lookup::Found { route: 1, .. }));
        let err = r.insert(rule, &[Method::GET], 2, true).unwrap_err();
        assert!(err.0.contains("already has a view for GET"), "{}", err.0);
    }

    #[test]
    fn trailing_slash_rules() {
        let r = router(&[("/slash/", GET), ("/noslash", GET)]);
        assert_eq!(r.lookup("/slash", &Method::GET), Lookup::RedirectAddSlash);
        assert_eq!(r.lookup("/slash", &Method::POST), Lookup::NotFound);
        assert_eq!(r.lookup("/noslash/", &Method::GET), Lookup::NotFound);
        assert_eq!(r.lookup("/slash//", &Method::GET), Lookup::RedirectMergeSlashes);
    }

    #[test]
    fn strict_slashes_false_matches_both_forms() {
        let mut r = Router::default();
        r.insert(Arc::new(Rule::parse("/both/").unwrap()), GET, 0, false).unwrap();
        r.insert(Arc::new(Rule::parse("/other").unwrap()), GET, 1, false).unwrap();
        for path in ["/both/", "/both", "/other", "/other/"] {
            assert!(matches!(r.lookup(path, &Method::GET), Lookup::Found { .. }), "{path}");
        }
    }

    #[test]
    fn merged_slashes_redirect() {
        let r = router(&[("/a/b", GET)]);
        assert_eq!(r.lookup("/a//b", &Method::GET), Lookup::RedirectMergeSlashes);
        assert_eq!(merge_slashes("//a///b/"), "/a/b/");
    }
}
