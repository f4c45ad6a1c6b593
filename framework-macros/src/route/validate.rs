//! Checking a route attribute against its function: the rule parses, every rule
//! variable is a parameter, the methods are HTTP methods, the function can be a
//! handler. What needs types (does this parameter's type fit its converter, is it
//! an extractor) is left to trait bounds in the generated code, with spans on the
//! parameter's type.

use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, Pat, Type};

use super::parse::RouteArgs;
use crate::rule::{Converter, Rule};

/// The methods route attributes accept (case-insensitive, as in Flask).
const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

/// How the generated handler obtains each parameter of the function.
pub(crate) enum Source {
    /// The rule variable of the same name, through the converter's marker type.
    Variable { name: String, converter: &'static str },
    /// An extractor (`FromRequest`).
    Extractor,
}

/// One parameter of the function, and where its value comes from.
pub(crate) struct Param {
    pub(crate) ty: Type,
    pub(crate) source: Source,
}

/// A checked route: its arguments and the plan for the function's parameters.
pub(crate) struct Plan {
    pub(crate) args: RouteArgs,
    pub(crate) methods: Vec<String>,
    pub(crate) params: Vec<Param>,
}

/// The marker type of `phial::extract::converters` for a converter.
fn converter_marker(converter: &Converter) -> &'static str {
    match converter {
        Converter::String { .. } => "String",
        Converter::Int { .. } => "Int",
        Converter::Float { .. } => "Float",
        Converter::Path => "Path",
        Converter::Uuid => "Uuid",
        Converter::Any(_) => "Any",
    }
}

fn param_ident(pat: &Pat) -> Option<&Ident> {
    match pat {
        Pat::Ident(ident) if ident.subpat.is_none() => Some(&ident.ident),
        _ => None,
    }
}

/// Validates one route attribute against `function`.
pub(crate) fn check(args: &RouteArgs, function: &ItemFn) -> syn::Result<Plan> {
    let signature = &function.sig;
    if let Some(receiver) = signature.receiver() {
        return Err(syn::Error::new(receiver.span(), "route handlers are free functions: remove `self`"));
    }
    if !signature.generics.params.is_empty() {
        return Err(syn::Error::new(
            signature.generics.span(),
            "route handlers cannot be generic: phial must know every type",
        ));
    }
    if let Some(variadic) = &signature.variadic {
        return Err(syn::Error::new(variadic.span(), "route handlers cannot be variadic"));
    }

    // Inside a blueprint with a `url_prefix`, Flask accepts `""` (the prefix itself)
    // and rules without a leading slash (joined as prefix + "/" + rule). Whether this
    // route goes to such a blueprint is only known when it is registered, which
    // refuses the rule on the app itself, as Flask does; here the rest is checked.
    let source = args.rule.value();
    let checked = if source.starts_with('/') { source } else { format!("/{source}") };
    let rule = Rule::parse(&checked)
        .map_err(|err| syn::Error::new(args.rule.span(), format!("invalid URL rule: {}", err.message)))?;

    let mut methods: Vec<String> = Vec::new();
    for (method, span) in &args.methods {
        let upper = method.to_ascii_uppercase();
        if !METHODS.contains(&upper.as_str()) {
            return Err(syn::Error::new(
                *span,
                format!("unknown HTTP method {method:?}; use one of {}", METHODS.join(", ")),
            ));
        }
        if methods.contains(&upper) {
            return Err(syn::Error::new(*span, format!("method {upper} is listed twice")));
        }
        methods.push(upper);
    }
    if methods.is_empty() {
        return Err(syn::Error::new(args.span, "`methods` is empty: list at least one method"));
    }

    let variables: Vec<(&str, &Converter)> = rule.variables().collect();
    let mut params = Vec::new();
    let mut used: Vec<&str> = Vec::new();
    for input in &signature.inputs {
        let FnArg::Typed(typed) = input else { continue };
        let ident = param_ident(&typed.pat).map(Ident::to_string);
        let source = match variables.iter().find(|(name, _)| Some(*name) == ident.as_deref()) {
            Some((name, converter)) => {
                used.push(name);
                Source::Variable { name: name.to_string(), converter: converter_marker(converter) }
            }
            None => Source::Extractor,
        };
        params.push(Param { ty: (*typed.ty).clone(), source });
    }
    if let Some((missing, converter)) = variables.iter().find(|(name, _)| !used.contains(name)) {
        let hint = match converter {
            Converter::Int { .. } => "i64",
            Converter::Float { .. } => "f64",
            Converter::Uuid => "uuid::Uuid",
            _ => "String",
        };
        return Err(syn::Error::new(
            args.rule.span(),
            format!(
                "the rule's variable `{missing}` is not a parameter of `{}`: add `{missing}: {hint}` to its parameters",
                signature.ident
            ),
        ));
    }
    Ok(Plan { args: args.clone(), methods, params })
}
