//! The route attributes: `#[route]`, `#[get]`, `#[post]`, `#[put]`, `#[patch]`,
//! `#[delete]`, and the hidden `#[__route]` they resume as. Parsing, the walk over
//! the attributes below (the decorator protocol), validation and code generation
//! live in their own files.

pub(crate) mod expand;
pub(crate) mod parse;
pub(crate) mod scan;
pub(crate) mod state;
pub(crate) mod validate;

use proc_macro2::{Ident, Span, TokenStream};

use parse::RouteFn;
use scan::Scanned;
use state::{RouteAttr, RouteState};

/// The names of the route attributes, as written.
pub(crate) const ROUTE_ATTRIBUTES: &[&str] = &["route", "get", "post", "put", "patch", "delete"];

/// Expands one route attribute (`name` is `route`, `get`, `post`, ...).
pub(crate) fn attribute(name: &str, args: TokenStream, item: TokenStream) -> TokenStream {
    let state = RouteState {
        routes: vec![RouteAttr { name: Ident::new(name, Span::call_site()), args }],
        ..Default::default()
    };
    continue_with(state, item)
}

/// Resumes a route attribute after another attribute macro expanded (`__route`).
pub(crate) fn resume(state: TokenStream, item: TokenStream) -> TokenStream {
    match syn::parse2::<RouteState>(state) {
        Ok(state) => continue_with(state, item),
        Err(error) => error.to_compile_error(),
    }
}

fn continue_with(state: RouteState, item: TokenStream) -> TokenStream {
    let result = parse::parse_fn(item.clone()).and_then(|function| match scan::scan(state, function)? {
        Scanned::Yield(tokens) => Ok(tokens),
        Scanned::Done(state, function) => generate(state, *function),
    });
    match result {
        Ok(tokens) => tokens,
        // Keep the function so that its own errors and uses still make sense.
        Err(error) => {
            let error = error.to_compile_error();
            let item = strip_attribute_macros(item);
            quote::quote! { #error #item }
        }
    }
}

/// Checks every route against the function and generates the code.
fn generate(state: RouteState, item: syn::ItemFn) -> syn::Result<TokenStream> {
    let routes = state
        .routes
        .iter()
        .map(|route| {
            let name = route.name.to_string();
            let method = (name != "route").then(|| name.to_ascii_uppercase());
            parse::parse_args(method.as_deref(), route.args.clone(), route.name.span())
        })
        .collect::<syn::Result<Vec<_>>>()?;
    let plans = routes.iter().map(|args| validate::check(args, &item)).collect::<syn::Result<Vec<_>>>()?;
    let function = RouteFn { item, decorators: state.decorators, consumed: state.consumed };
    Ok(expand::expand(&function, &plans))
}

/// The item without its attribute macros, so that a failed expansion reports one
/// error and not a cascade (a decorator left behind would complain that no route
/// is below it). phial's own removed attributes are still named, as in a successful
/// expansion, so that their imports do not look unused.
fn strip_attribute_macros(item: TokenStream) -> TokenStream {
    match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(mut function) => {
            let (kept, removed): (Vec<_>, Vec<_>) =
                std::mem::take(&mut function.attrs).into_iter().partition(scan::is_inert);
            function.attrs = kept;
            let paths: Vec<syn::Path> =
                removed.iter().filter(|attr| parse::is_phial_attribute(attr)).map(|attr| attr.path().clone()).collect();
            let markers = expand::consumed_markers(&paths);
            quote::quote! { #markers #function }
        }
        Err(_) => item,
    }
}
