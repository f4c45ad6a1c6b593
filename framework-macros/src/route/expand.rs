//! Code generation: the function unchanged, a braced struct of the same name, and
//! the `IntoRoutes` implementation that builds the routes.
//!
//! For `#[get("/user/<int:id>")] async fn user(id: i64, request: Request)`:
//!
//! ```ignore
//! async fn user(id: i64, request: Request) -> ... { ... }
//!
//! struct user {}
//!
//! impl ::phial::routing::IntoRoutes for user {
//!     fn into_routes(self) -> Vec<::phial::Route> {
//!         vec![{
//!             async fn __phial_handler_0(__request: ::phial::Request) -> ::phial::handler::ViewResult {
//!                 let __arg0 = match path_param::<i64, converters::Int>(&__request, "id") { .. };
//!                 let __arg1 = match <Request as FromRequest>::from_request(&__request) { .. };
//!                 IntoViewResult::into_view_result(user(__arg0, __arg1).await)
//!             }
//!             Route::new("/user/<int:id>", ["GET"], __phial_handler_0).endpoint("user") /* .decorate(..) */
//!         }]
//!     }
//! }
//! ```

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::parse::RouteFn;
use super::validate::{Plan, Source};

/// Generates the code for `function` and its routes.
pub(crate) fn expand(function: &RouteFn, plans: &[Plan]) -> TokenStream {
    let item = &function.item;
    let name = &item.sig.ident;
    let vis = &item.vis;
    let routes = plans.iter().enumerate().map(|(index, plan)| route(function, plan, index));
    let doc = format!(
        "The route{} of `{name}`, for `routes![{name}]`: {}.",
        if plans.len() > 1 { "s" } else { "" },
        plans.iter().map(|p| format!("{} {}", p.methods.join("/"), p.args.rule.value())).collect::<Vec<_>>().join(", ")
    );
    let markers = consumed_markers(&function.consumed);
    quote! {
        #item

        #markers

        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        impl ::phial::routing::IntoRoutes for #name {
            fn into_routes(self) -> ::std::vec::Vec<::phial::Route> {
                ::std::vec![#(#routes),*]
            }
        }
    }
}

/// The attributes a route attribute consumes are never expanded, so the imports
/// that brought them (`use phial_jwt::prelude::*` for `#[jwt_required]`) would look
/// unused. Each is named once more on an empty item, with an argument that makes it
/// expand to nothing: the import is used, nothing is generated.
pub(crate) fn consumed_markers(paths: &[syn::Path]) -> TokenStream {
    let marker = quote::format_ident!("{}", crate::CONSUMED);
    let markers = paths.iter().map(|path| {
        quote! {
            #[#path(#marker)]
            const _: () = ();
        }
    });
    quote! { #(#markers)* }
}

/// One route: a handler that extracts each parameter, calls the function and
/// converts its result, then the `Route` around it.
fn route(function: &RouteFn, plan: &Plan, index: usize) -> TokenStream {
    let item = &function.item;
    let name = &item.sig.ident;
    let handler = format_ident!("__phial_handler_{index}");

    let mut bindings = Vec::new();
    let mut arguments = Vec::new();
    let mut extractors = Vec::new();
    for (position, param) in plan.params.iter().enumerate() {
        let argument = format_ident!("__phial_arg{position}");
        let ty = &param.ty;
        let value = match &param.source {
            Source::Variable { name, converter } => {
                let marker = format_ident!("{converter}");
                quote_spanned! { ty.span() =>
                    ::phial::extract::path_param::<#ty, ::phial::extract::converters::#marker>(&__phial_request, #name)
                }
            }
            Source::Extractor => {
                extractors.push(ty);
                quote_spanned! { ty.span() =>
                    <#ty as ::phial::extract::FromRequest>::from_request(&__phial_request)
                }
            }
        };
        bindings.push(quote! {
            let #argument = match #value {
                ::core::result::Result::Ok(value) => value,
                ::core::result::Result::Err(rejection) => return ::core::result::Result::Err(rejection),
            };
        });
        arguments.push(argument);
    }
    // An async view's future must be `Send` (it may move between worker threads):
    // checked on the future itself, so that rustc names the value held across an
    // `.await` (a `MutexGuard`, an `Rc`) instead of saying "not a handler".
    let call = match item.sig.asyncness {
        Some(asyncness) => {
            let future = quote_spanned! { name.span() => #name(#(#arguments),*) };
            let fix =
                quote_spanned! { asyncness.span() => ::phial::handler::view_future_must_be_send(&__phial_future) };
            let cause = quote_spanned! { name.span() => ::phial::handler::view_future_is_send(__phial_future) };
            quote! {{
                let __phial_future = #future;
                #fix;
                #cause.await
            }}
        }
        None => quote! { #name(#(#arguments),*) },
    };
    // The result is bound first so that "not IntoViewResult" points at the return type.
    let output_span = match &item.sig.output {
        syn::ReturnType::Type(_, ty) => ty.span(),
        syn::ReturnType::Default => item.sig.ident.span(),
    };
    let result = quote_spanned! { output_span => __phial_result };
    let into_response = quote! {
        let #result = #call;
        ::phial::IntoViewResult::into_view_result(#result)
    };

    let rule = &plan.args.rule;
    let methods = &plan.methods;
    let endpoint = match &plan.args.endpoint {
        Some(endpoint) => quote! { #endpoint },
        None => {
            let fn_name = name.to_string();
            quote! { #fn_name }
        }
    };
    let strict_slashes = plan.args.strict_slashes.as_ref().map(|strict| quote! { .strict_slashes(#strict) });
    let decorators = &function.decorators;
    // A view with a `BodyStream` parameter gets its body unread.
    let streams_body = (!extractors.is_empty()).then(|| {
        quote! { .__streams_body(false #(|| <#extractors as ::phial::extract::FromRequest>::STREAMS_BODY)*) }
    });
    quote! {{
        #[allow(non_snake_case, unused_variables)]
        async fn #handler(__phial_request: ::phial::Request) -> ::phial::handler::ViewResult {
            #(#bindings)*
            #into_response
        }
        ::phial::Route::new(#rule, [#(#methods),*], #handler)
            .endpoint(#endpoint)
            .__view::<#name>()
            #strict_slashes
            #streams_body
            #(.decorate(#decorators))*
    }}
}
