//! The decorator protocol: how a route attribute takes the attributes written
//! below it, in written order, without knowing any decorator but `#[decorate]`.
//!
//! rustc expands the topmost attribute macro of a function first and hands it the
//! function with every other attribute. The route attribute walks those attributes
//! from the top:
//! - built-in and tool attributes (`doc`, `allow`, `inline`, `cfg`, `rustfmt::`,
//!   `clippy::`, `diagnostic::`, ...) stay where they are;
//! - a further route attribute (Flask's stacked `@app.route`) and `#[decorate(expr)]`
//!   are taken at once;
//! - at any other attribute `X` (an attribute macro from any crate:
//!   `#[jwt_required]`, `#[roles_required("admin")]`, `#[tracing::instrument]`) the
//!   route attribute stops and re-emits `#[X] #[::phial::__route(state)] fn ..`,
//!   `state` being what it has collected (see [`RouteState`]). rustc then expands
//!   `X`; a decorator attribute turns itself into `#[::phial::decorate(expr)]`,
//!   which adds `expr` to the state of the `__route` right below it; and
//!   `__route` resumes the walk where it stopped.
//!
//! When no attribute is left, the routes are generated with the decorators in
//! written order. A decorator attribute that does not find `__route` right below it
//! was written above the route attribute (or with none): `#[decorate]` says so, with
//! a span on it, for third-party decorators too.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, ItemFn};

use super::ROUTE_ATTRIBUTES;
use super::state::{RouteAttr, RouteState};
use crate::decorator::{attribute_name, decorate_expr};

/// The last segment of the hidden attribute that carries a route's state.
pub(crate) const RESUME_ATTRIBUTE: &str = "__route";

/// Attributes rustc or a tool handles: left in place, never a decorator.
const INERT: &[&str] = &[
    "doc",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "inline",
    "cold",
    "must_use",
    "deprecated",
    "track_caller",
    "cfg",
    "cfg_attr",
    "no_mangle",
    "export_name",
    "link_section",
    "target_feature",
];

/// Tool namespaces whose attributes are inert too.
const TOOLS: &[&str] = &["rustfmt", "clippy", "diagnostic", "rustdoc"];

/// Whether rustc or a tool handles `attr`.
pub(crate) fn is_inert(attr: &Attribute) -> bool {
    let path = attr.path();
    if path.segments.len() > 1 {
        return path.segments.first().is_some_and(|first| TOOLS.contains(&first.ident.to_string().as_str()));
    }
    path.get_ident().is_some_and(|ident| INERT.contains(&ident.to_string().as_str()))
}

/// What the walk ends with.
pub(crate) enum Scanned {
    /// Every attribute is taken: generate the routes for this function.
    Done(RouteState, Box<ItemFn>),
    /// Another attribute macro must expand first: these tokens let it, then resume.
    Yield(TokenStream),
}

/// Walks the attributes of `function` with what was collected so far.
pub(crate) fn scan(mut state: RouteState, mut function: ItemFn) -> syn::Result<Scanned> {
    let mut kept = Vec::new();
    let mut attrs = std::mem::take(&mut function.attrs).into_iter();
    while let Some(attr) = attrs.next() {
        if is_inert(&attr) {
            kept.push(attr);
            continue;
        }
        let name = attribute_name(&attr).unwrap_or_default();
        if ROUTE_ATTRIBUTES.contains(&name.as_str()) {
            if !state.decorators.is_empty() {
                return Err(syn::Error::new(
                    attr.path().span(),
                    format!("`#[{name}]` is below a decorator: write all route attributes first, then the decorators"),
                ));
            }
            let args = match &attr.meta {
                syn::Meta::List(list) => list.tokens.clone(),
                _ => TokenStream::new(),
            };
            state.routes.push(RouteAttr { name: Ident::new(&name, attr.path().span()), args });
            state.consumed.push(attr.path().clone());
        } else if name == "decorate" {
            state.decorators.push(decorate_expr(&attr)?.expr);
            state.consumed.push(attr.path().clone());
        } else if name == RESUME_ATTRIBUTE {
            return Err(syn::Error::new(attr.path().span(), "two route attributes are expanding on one function"));
        } else {
            // Let `attr` expand first; `__route` resumes below it.
            function.attrs = kept.into_iter().chain(attrs).collect();
            let state = state.to_tokens();
            return Ok(Scanned::Yield(quote! { #attr #[::phial::__route(#state)] #function }));
        }
    }
    function.attrs = kept;
    Ok(Scanned::Done(state, Box::new(function)))
}
