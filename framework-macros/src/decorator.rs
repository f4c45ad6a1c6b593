//! Decorator attributes: `#[decorate(expr)]` and `#[jwt_required(...)]`.
//!
//! They do nothing on their own: the route attribute above them consumes them.
//! When one is expanded by itself, it is in the wrong place, and says so.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, LitBool, LitStr, Token};

use crate::route::ROUTE_ATTRIBUTES;

/// The names of the decorator attributes a route attribute consumes.
pub(crate) const DECORATOR_ATTRIBUTES: &[&str] = &["decorate", "jwt_required"];

/// The last segment of an attribute's path (`phial::get` -> `get`).
pub(crate) fn attribute_name(attr: &Attribute) -> Option<String> {
    attr.path().segments.last().map(|s| s.ident.to_string())
}

/// A decorator attribute expanded by itself: it was not below a route attribute.
pub(crate) fn misplaced(name: &str, args: TokenStream, item: TokenStream) -> TokenStream {
    let _ = args;
    let route_below = syn::parse2::<syn::ItemFn>(item.clone()).ok().and_then(|f| {
        f.attrs.into_iter().find(|a| attribute_name(a).is_some_and(|n| ROUTE_ATTRIBUTES.contains(&n.as_str())))
    });
    let message = match route_below {
        Some(route) => format!(
            "`#[{name}]` is above the route attribute `#[{}]`: move it below, \
             as in Flask where `@app.route` must be the outermost decorator",
            attribute_name(&route).unwrap_or_default()
        ),
        None => format!(
            "`#[{name}]` must be placed below a route attribute such as `#[get(\"/path\")]`; \
             on its own it would protect nothing"
        ),
    };
    let error = syn::Error::new(Span::call_site(), message).to_compile_error();
    quote! { #error #item }
}

/// A decorator attribute consumed by a route attribute: the expression building
/// the `phial::Decorator` value.
pub(crate) fn decorator_expr(name: &str, attr: &Attribute) -> syn::Result<TokenStream> {
    match name {
        "decorate" => {
            let expr: Expr = attr.parse_args().map_err(|err| {
                syn::Error::new(
                    err.span(),
                    "write `#[decorate(expr)]` with an expression that builds a `phial::Decorator`",
                )
            })?;
            Ok(quote_spanned! { expr.span() => #expr })
        }
        _ => jwt_required_expr(attr),
    }
}

/// One `key = value` option of `#[jwt_required(...)]`.
struct JwtOption {
    key: Ident,
    value: JwtValue,
}

enum JwtValue {
    Bool(LitBool),
    Locations(Vec<LitStr>),
}

impl Parse for JwtOption {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let value = if key == "locations" {
            let content;
            syn::bracketed!(content in input);
            let items = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
            JwtValue::Locations(items.into_iter().collect())
        } else {
            JwtValue::Bool(
                input.parse().map_err(|err| syn::Error::new(err.span(), format!("`{key}` takes `true` or `false`")))?,
            )
        };
        Ok(JwtOption { key, value })
    }
}

const JWT_OPTIONS: &[&str] = &["optional", "fresh", "refresh", "locations", "verify_type", "skip_revocation_check"];
const LOCATIONS: &[&str] = &["headers", "cookies", "query_string", "json"];

/// `#[jwt_required(fresh = true)]` -> `::phial_jwt::JwtRequired::new().fresh(true)`.
fn jwt_required_expr(attr: &Attribute) -> syn::Result<TokenStream> {
    let options: Vec<JwtOption> = match &attr.meta {
        syn::Meta::Path(_) => Vec::new(),
        _ => attr.parse_args_with(Punctuated::<JwtOption, Token![,]>::parse_terminated)?.into_iter().collect(),
    };
    let mut calls = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for option in options {
        let key = option.key.to_string();
        if !JWT_OPTIONS.contains(&key.as_str()) {
            return Err(syn::Error::new(
                option.key.span(),
                format!("unknown `jwt_required` option `{key}`; the options are {}", JWT_OPTIONS.join(", ")),
            ));
        }
        if seen.contains(&key) {
            return Err(syn::Error::new(option.key.span(), format!("`{key}` is given twice")));
        }
        seen.push(key);
        let method = &option.key;
        match option.value {
            JwtValue::Bool(value) => calls.push(quote_spanned! { method.span() => .#method(#value) }),
            JwtValue::Locations(locations) => {
                if locations.is_empty() {
                    return Err(syn::Error::new(method.span(), "`locations` needs at least one location"));
                }
                for location in &locations {
                    if !LOCATIONS.contains(&location.value().as_str()) {
                        return Err(syn::Error::new(
                            location.span(),
                            format!("unknown token location {:?}; use {}", location.value(), LOCATIONS.join(", ")),
                        ));
                    }
                }
                calls.push(quote_spanned! { method.span() => .locations(&[#(#locations),*]) });
            }
        }
    }
    Ok(quote! { ::phial_jwt::JwtRequired::new() #(#calls)* })
}
