//! What a route attribute has collected while it scans the attributes below it,
//! written out as the arguments of `#[::phial::__route(..)]` when it must let
//! another attribute macro expand first, and read back when it resumes.
//!
//! The form is `([<route>, ..], [{<decorator expr>}, ..], [<consumed path>, ..])`,
//! where a route is the attribute's name (`get`, `route`, ...) with its arguments
//! as written: `get("/users/<int:id>", endpoint = "user")`. Tokens keep their
//! spans through the round trip, so errors still point at what the user wrote.

use proc_macro2::{Delimiter, Group, Ident, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Path, Token, bracketed};

/// One route attribute: its name (with the attribute's span) and its arguments.
#[derive(Clone)]
pub(crate) struct RouteAttr {
    pub(crate) name: Ident,
    pub(crate) args: TokenStream,
}

/// The routes, decorators and consumed attribute paths collected so far.
#[derive(Clone, Default)]
pub(crate) struct RouteState {
    pub(crate) routes: Vec<RouteAttr>,
    /// Each decorator's expression, in written order.
    pub(crate) decorators: Vec<TokenStream>,
    /// Attributes consumed without being expanded, named again so that their imports
    /// count as used (see `expand::consumed_markers`).
    pub(crate) consumed: Vec<Path>,
}

impl RouteState {
    /// The tokens of `#[::phial::__route(..)]`'s arguments.
    pub(crate) fn to_tokens(&self) -> TokenStream {
        let routes = self.routes.iter().map(|route| {
            let name = &route.name;
            let args = Group::new(Delimiter::Parenthesis, route.args.clone());
            quote! { #name #args }
        });
        let decorators = self.decorators.iter().map(|expr| Group::new(Delimiter::Brace, expr.clone()));
        let consumed = &self.consumed;
        quote! { [#(#routes),*], [#(#decorators),*], [#(#consumed),*] }
    }
}

impl Parse for RouteAttr {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        let content;
        syn::parenthesized!(content in input);
        Ok(RouteAttr { name, args: content.parse()? })
    }
}

impl Parse for RouteState {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let routes;
        bracketed!(routes in input);
        let routes = Punctuated::<RouteAttr, Token![,]>::parse_terminated(&routes)?;
        input.parse::<Token![,]>()?;
        let decorators;
        bracketed!(decorators in input);
        let decorators = Punctuated::<Group, Token![,]>::parse_terminated(&decorators)?;
        input.parse::<Token![,]>()?;
        let consumed;
        bracketed!(consumed in input);
        let consumed = Punctuated::<Path, Token![,]>::parse_terminated(&consumed)?;
        Ok(RouteState {
            routes: routes.into_iter().collect(),
            decorators: decorators.into_iter().map(|group| group.stream()).collect(),
            consumed: consumed.into_iter().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    #[test]
    fn the_state_reads_back_what_it_wrote() {
        let state = RouteState {
            routes: vec![
                RouteAttr { name: Ident::new("get", Span::call_site()), args: quote! { "/a", endpoint = "a" } },
                RouteAttr { name: Ident::new("route", Span::call_site()), args: quote! { "/b", methods = ["PUT"] } },
            ],
            decorators: vec![quote! { Noop }, quote! { ::phial_jwt::JwtRequired::new().fresh(true) }],
            consumed: vec![syn::parse_quote!(phial::post)],
        };
        let read: RouteState = syn::parse2(state.to_tokens()).unwrap();
        assert_eq!(read.to_tokens().to_string(), state.to_tokens().to_string());
        assert_eq!(read.routes.len(), 2);
        assert_eq!(read.decorators[1].to_string(), ":: phial_jwt :: JwtRequired :: new () . fresh (true)");
    }
}
