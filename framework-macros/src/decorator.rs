//! `#[decorate(expr)]`: the decorator attribute every other one turns into.
//!
//! Below a route attribute, the route takes it directly. Written by a decorator
//! attribute macro (phial-jwt's `#[jwt_required]`, or a third party's
//! `#[roles_required("admin")]`) as `#[::phial::decorate(expr, attribute = "name")]`,
//! it finds the `#[::phial::__route(..)]` the route attribute left right below and
//! adds `expr` to it, in written order. Finding no route below, it was written
//! above the route attribute, or on a function without one: a compile error that
//! names the attribute and says where it belongs. A third-party decorator gets that
//! check by expanding to `#[::phial::decorate(..)]`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ItemFn, LitStr, Token};

use crate::route::ROUTE_ATTRIBUTES;
use crate::route::scan::{RESUME_ATTRIBUTE, is_inert};
use crate::route::state::RouteState;

/// The last segment of an attribute's path (`phial::get` -> `get`).
pub(crate) fn attribute_name(attr: &Attribute) -> Option<String> {
    attr.path().segments.last().map(|s| s.ident.to_string())
}

/// `#[decorate(expr)]` or `#[decorate(expr, attribute = "name")]`.
pub(crate) struct DecorateArgs {
    /// The expression that builds the `phial::Decorator`, spanned as written.
    pub(crate) expr: TokenStream,
    /// The attribute the user wrote, for messages (`decorate` unless a macro says).
    pub(crate) attribute: String,
}

impl Parse for DecorateArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let expr: Expr = input.parse().map_err(|err| {
            syn::Error::new(err.span(), "write `#[decorate(expr)]` with an expression that builds a `phial::Decorator`")
        })?;
        let mut attribute = "decorate".to_string();
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            if key != "attribute" {
                return Err(syn::Error::new(key.span(), "the only option of `#[decorate]` is `attribute = \"name\"`"));
            }
            input.parse::<Token![=]>()?;
            attribute = input.parse::<LitStr>()?.value();
            input.parse::<Option<Token![,]>>()?;
        }
        let expr = quote_spanned! { expr.span() => #expr };
        Ok(DecorateArgs { expr, attribute })
    }
}

/// The arguments of a `#[decorate(..)]` attribute the route takes directly.
pub(crate) fn decorate_expr(attr: &Attribute) -> syn::Result<DecorateArgs> {
    attr.parse_args()
}

/// Expands `#[decorate(args)]` on `item`: adds it to the route right below, or
/// refuses it.
pub(crate) fn attach(args: TokenStream, item: TokenStream) -> TokenStream {
    let args: DecorateArgs = match syn::parse2(args) {
        Ok(args) => args,
        Err(error) => {
            let error = error.to_compile_error();
            return quote! { #error #item };
        }
    };
    let Ok(mut function) = syn::parse2::<ItemFn>(item.clone()) else {
        let error = syn::Error::new(Span::call_site(), format!("`#[{}]` goes on a route's function", args.attribute))
            .to_compile_error();
        return quote! { #error #item };
    };
    let below = function.attrs.iter().position(|attr| !is_inert(attr));
    let resume = below.filter(|&i| attribute_name(&function.attrs[i]).as_deref() == Some(RESUME_ATTRIBUTE));
    match resume {
        Some(i) => match add_to(&function.attrs[i], args.expr) {
            Ok(attr) => {
                function.attrs[i] = attr;
                quote! { #function }
            }
            Err(error) => {
                let error = error.to_compile_error();
                quote! { #error #function }
            }
        },
        None => misplaced(&args.attribute, &function, item),
    }
}

/// `resume` with `expr` added to its decorators.
fn add_to(resume: &Attribute, expr: TokenStream) -> syn::Result<Attribute> {
    let mut state: RouteState = resume.parse_args()?;
    state.decorators.push(expr);
    let path = resume.path();
    let state = state.to_tokens();
    Ok(syn::parse_quote! { #[#path(#state)] })
}

/// A decorator attribute that found no route right below it.
fn misplaced(name: &str, function: &ItemFn, item: TokenStream) -> TokenStream {
    let route_below = function.attrs.iter().find_map(|attr| {
        attribute_name(attr).filter(|n| ROUTE_ATTRIBUTES.contains(&n.as_str()) || n == RESUME_ATTRIBUTE)
    });
    let message = match route_below {
        Some(route) => format!(
            "`#[{name}]` is above the route attribute{}: move it below, as in Flask where `@app.route` must be the \
             outermost decorator",
            if route == RESUME_ATTRIBUTE { String::new() } else { format!(" `#[{route}]`") }
        ),
        None => format!(
            "`#[{name}]` must be placed below a route attribute such as `#[get(\"/path\")]`; on its own it would \
             protect nothing"
        ),
    };
    let error = syn::Error::new(Span::call_site(), message).to_compile_error();
    quote! { #error #item }
}
