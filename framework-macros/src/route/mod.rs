//! The route attributes: `#[route]`, `#[get]`, `#[post]`, `#[put]`, `#[patch]`,
//! `#[delete]`. Parsing, validation and code generation live in their own files.

pub(crate) mod expand;
pub(crate) mod parse;
pub(crate) mod validate;

use proc_macro2::TokenStream;

/// The names of the route attributes, as written.
pub(crate) const ROUTE_ATTRIBUTES: &[&str] = &["route", "get", "post", "put", "patch", "delete"];

/// Expands one route attribute (`method` is `None` for `#[route]`).
pub(crate) fn attribute(method: Option<&str>, args: TokenStream, item: TokenStream) -> TokenStream {
    let result = parse::parse_args(method, args, proc_macro2::Span::call_site()).and_then(|first| {
        let function = parse::parse_fn(item.clone())?;
        let mut routes = vec![first];
        routes.extend(function.stacked.iter().cloned());
        let plans = routes.iter().map(|args| validate::check(args, &function.item)).collect::<syn::Result<Vec<_>>>()?;
        Ok(expand::expand(&function, &plans))
    });
    match result {
        Ok(tokens) => tokens,
        // Keep the function so that its own errors and uses still make sense.
        Err(error) => {
            let error = error.to_compile_error();
            let item = strip_phial_attributes(item);
            quote::quote! { #error #item }
        }
    }
}

/// The item without the route and decorator attributes, so that a failed
/// expansion reports one error and not a cascade (the removed attributes are still
/// named, as in a successful expansion, so their imports do not look unused).
fn strip_phial_attributes(item: TokenStream) -> TokenStream {
    match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(mut function) => {
            let (removed, kept) = std::mem::take(&mut function.attrs).into_iter().partition(parse::is_phial_attribute);
            function.attrs = kept;
            let paths: Vec<syn::Path> = removed.iter().map(|attr: &syn::Attribute| attr.path().clone()).collect();
            let markers = expand::consumed_markers(&paths);
            quote::quote! { #markers #function }
        }
        Err(_) => item,
    }
}
