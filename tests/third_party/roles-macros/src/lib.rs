//! `#[roles_required("admin", ...)]`: a decorator attribute for phial routes, from a
//! crate other than phial, as anyone can write one.
//!
//! It checks its arguments here, at compile time, with a span on the mistake, and
//! expands to `#[::phial::decorate(::phial_roles::RolesRequired::new(..), attribute =
//! "roles_required")]`: phial's route attribute then applies it in written order
//! among the other decorators, and refuses it, naming `#[roles_required]`, when it
//! is written above the route attribute.

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{LitStr, Token};

/// Lets a request through only when its JWT's `roles` claim holds every role named
/// (verifying the JWT first if `#[jwt_required]` has not). Write it below a route
/// attribute: `#[roles_required("admin")]`.
#[proc_macro_attribute]
pub fn roles_required(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let roles = match syn::parse::Parser::parse(Punctuated::<LitStr, Token![,]>::parse_terminated, args) {
        Ok(roles) => roles,
        Err(error) => {
            let error = error.to_compile_error();
            return quote! { #error #item }.into();
        }
    };
    let problem = if roles.is_empty() {
        Some(syn::Error::new(
            Span::call_site(),
            "`#[roles_required]` needs at least one role: `#[roles_required(\"admin\")]`",
        ))
    } else {
        roles
            .iter()
            .find(|role| role.value().trim().is_empty())
            .map(|role| syn::Error::new(role.span(), "a role cannot be empty"))
    };
    if let Some(problem) = problem {
        let error = problem.to_compile_error();
        return quote! { #error #item }.into();
    }
    let roles = roles.iter();
    quote! {
        #[::phial::decorate(::phial_roles::RolesRequired::new(&[#(#roles),*]), attribute = "roles_required")]
        #item
    }
    .into()
}
