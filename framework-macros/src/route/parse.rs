//! Parsing a route attribute's arguments and the function below it, with the
//! route and decorator attributes stacked under it.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, ItemFn, LitBool, LitStr, Token};

use super::ROUTE_ATTRIBUTES;
use crate::decorator::attribute_name;

/// What one route attribute says.
#[derive(Clone)]
pub(crate) struct RouteArgs {
    pub(crate) rule: LitStr,
    /// Methods with the span that named them (the attribute's own for `#[get]` etc.).
    pub(crate) methods: Vec<(String, Span)>,
    pub(crate) endpoint: Option<LitStr>,
    pub(crate) strict_slashes: Option<LitBool>,
    pub(crate) span: Span,
}

/// The function, with the decorators and routes its attributes gave.
pub(crate) struct RouteFn {
    /// The function with phial's attributes removed.
    pub(crate) item: ItemFn,
    /// The decorators' expressions, in written order.
    pub(crate) decorators: Vec<TokenStream>,
    /// The paths of the attributes consumed here, as written (see `expand::consumed_markers`).
    pub(crate) consumed: Vec<syn::Path>,
}

/// `key = value` after the rule.
enum Arg {
    Methods(Ident, Vec<LitStr>),
    Endpoint(LitStr),
    StrictSlashes(LitBool),
}

impl Parse for Arg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        match key.to_string().as_str() {
            "methods" => {
                let content;
                syn::bracketed!(content in input);
                let methods = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
                Ok(Arg::Methods(key, methods.into_iter().collect()))
            }
            "endpoint" => Ok(Arg::Endpoint(input.parse()?)),
            "strict_slashes" => Ok(Arg::StrictSlashes(input.parse()?)),
            other => Err(syn::Error::new(
                key.span(),
                format!("unknown route argument `{other}`; the arguments are methods, endpoint and strict_slashes"),
            )),
        }
    }
}

/// Parses `("/rule", key = value, ...)`; `method` is the method of `#[get]` and
/// friends, `None` for `#[route]`; `span` is where the attribute is written.
pub(crate) fn parse_args(method: Option<&str>, tokens: TokenStream, span: Span) -> syn::Result<RouteArgs> {
    let attribute = method.map_or("route".to_string(), str::to_ascii_lowercase);
    let parser = |input: ParseStream<'_>| -> syn::Result<RouteArgs> {
        if input.is_empty() {
            return Err(syn::Error::new(
                span,
                format!("`#[{attribute}]` needs a URL rule: write `#[{attribute}(\"/path\")]`"),
            ));
        }
        let rule: LitStr = input.parse().map_err(|err| {
            syn::Error::new(err.span(), "the first argument must be the URL rule, a string such as \"/users/<int:id>\"")
        })?;
        let mut args = RouteArgs {
            rule,
            methods: method.map(|m| vec![(m.to_string(), span)]).unwrap_or_default(),
            endpoint: None,
            strict_slashes: None,
            span,
        };
        let mut methods_given = false;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            match input.parse::<Arg>()? {
                Arg::Methods(key, _) if method.is_some() => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "`#[{attribute}]` already sets the method; use `#[route(\"...\", methods = [...])]` for several"
                        ),
                    ));
                }
                Arg::Methods(key, _) if methods_given => {
                    return Err(syn::Error::new(key.span(), "`methods` is given twice"));
                }
                Arg::Methods(_, list) => {
                    methods_given = true;
                    args.methods = list.iter().map(|m| (m.value(), m.span())).collect();
                }
                Arg::Endpoint(endpoint) => args.endpoint = Some(endpoint),
                Arg::StrictSlashes(strict) => args.strict_slashes = Some(strict),
            }
        }
        if args.methods.is_empty() && !methods_given {
            // Flask's default.
            args.methods.push(("GET".to_string(), span));
        }
        Ok(args)
    };
    parser.parse2(tokens)
}

/// Whether `attr` is a route attribute or `#[decorate]`: attributes phial takes
/// without expanding them.
pub(crate) fn is_phial_attribute(attr: &Attribute) -> bool {
    attribute_name(attr).is_some_and(|name| ROUTE_ATTRIBUTES.contains(&name.as_str()) || name == "decorate")
}

/// Parses the item a route attribute is on.
pub(crate) fn parse_fn(item: TokenStream) -> syn::Result<ItemFn> {
    syn::parse2(item.clone()).map_err(|_| {
        let span = item.into_iter().next().map_or(Span::call_site(), |t| t.span());
        syn::Error::new(span, "route attributes go on functions (`async fn` or `fn`)")
    })
}
