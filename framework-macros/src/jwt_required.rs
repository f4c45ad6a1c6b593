//! `#[jwt_required]` and `#[jwt_required(optional = true, ...)]`: flask-jwt-extended's
//! `@jwt_required()`, built on the open decorator protocol as any third-party
//! decorator would be. Its options are checked here, at compile time, with a span
//! on the mistake; it then expands to
//! `#[::phial::decorate(::phial_jwt::JwtRequired::new()..., attribute = "jwt_required")]`,
//! which `#[decorate]` adds to the route below it (or refuses when it is above one).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token};

/// Expands `#[jwt_required(args)]` on `item`.
pub(crate) fn attribute(args: TokenStream, item: TokenStream) -> TokenStream {
    match options(args) {
        Ok(expr) => quote! { #[::phial::decorate(#expr, attribute = "jwt_required")] #item },
        Err(error) => {
            let error = error.to_compile_error();
            quote! { #error #item }
        }
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

/// `fresh = true` -> `::phial_jwt::JwtRequired::new().fresh(true)`.
fn options(args: TokenStream) -> syn::Result<TokenStream> {
    let options: Vec<JwtOption> =
        syn::parse::Parser::parse2(Punctuated::<JwtOption, Token![,]>::parse_terminated, args)?.into_iter().collect();
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
