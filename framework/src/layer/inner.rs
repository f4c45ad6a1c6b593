//! The services tower layers wrap: the whole app (its body limits, routing and
//! pipeline), and a blueprint's routed requests (its pipeline). Both hold the app
//! weakly: the app holds them.

use bytes::Bytes;
use futures_util::FutureExt;
use http::StatusCode;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Weak;

use super::client_address::{add_client, take_client};
use super::{AppService, BoxedLayer, Innermost, apply};
use crate::app::{AppCore, AppHandle};
use crate::dispatch::{Routed, dispatch, routed_pipeline};
use crate::response::Body;
use crate::server::body;
use crate::{HttpError, Response};

type ResponseFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// Wraps the app and its blueprints in their layers, once the app exists.
pub(crate) fn wrap(app: &AppHandle, layers: Vec<BoxedLayer>, blueprint_layers: Vec<Vec<BoxedLayer>>) {
    if !layers.is_empty() {
        let inner = AppService::innermost(WholeApp(app.downgrade()));
        let _ = app.core().service.set(apply(layers, inner));
    }
    for (blueprint, layers) in app.core().blueprints.iter().zip(blueprint_layers) {
        if !layers.is_empty() {
            let inner = AppService::innermost(RoutedRequests(app.downgrade()));
            let _ = blueprint.service.set(apply(layers, inner));
        }
    }
}

/// A request sent through a blueprint's layers, with what routing found.
pub(crate) fn through_blueprint(
    service: &AppService,
    head: http::request::Parts,
    body: Bytes,
    routed: Routed,
) -> impl Future<Output = Response> + Send + use<> {
    let mut request = http::Request::from_parts(head, Body::from(body));
    // The blueprint's layers see the client's address as the app's do (the app's
    // innermost service took it out of the extensions).
    if let Some(client) = routed.remote_addr {
        add_client(request.extensions_mut(), client);
    }
    request.extensions_mut().insert(routed);
    let call = service.call_once(request);
    async move {
        match call.await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}

fn app_is_gone() -> Response {
    tracing::error!(target: "phial::server", "a request arrived for an app that no longer exists");
    HttpError::new(StatusCode::SERVICE_UNAVAILABLE).render()
}

/// The whole app: the body read within its limits, then routing and the pipeline.
struct WholeApp(Weak<AppCore>);

impl Innermost for WholeApp {
    fn call(&self, request: http::Request<Body>) -> ResponseFuture {
        let Some(app) = AppHandle::upgrade(&self.0) else {
            return Box::pin(std::future::ready(Ok(app_is_gone())));
        };
        let (mut head, body) = request.into_parts();
        // The server puts the client's address there (an extension travels with the
        // request even through a layer that answers on another task, like tower's
        // `Buffer`); the test client does when it is given one.
        let remote = take_client(&mut head.extensions);
        if http_body::Body::is_end_stream(&body) {
            // No body (most requests): routed now, and only the pipeline's future boxed.
            return Box::pin(dispatch(&app, head, Bytes::new(), remote).map(Ok));
        }
        Box::pin(async move {
            let (bytes, _drawn) = match body::read_or_leave(&app, &mut head, body).await {
                Ok(read) => read,
                Err(response) => return Ok(response),
            };
            Ok(dispatch(&app, head, bytes, remote).await)
        })
    }
}

/// A blueprint's routed requests: the pipeline, with what routing found.
struct RoutedRequests(Weak<AppCore>);

impl Innermost for RoutedRequests {
    fn call(&self, request: http::Request<Body>) -> ResponseFuture {
        let Some(app) = AppHandle::upgrade(&self.0) else {
            return Box::pin(std::future::ready(Ok(app_is_gone())));
        };
        Box::pin(async move {
            let (mut head, body) = request.into_parts();
            let Some(mut routed) = head.extensions.remove::<Routed>() else {
                tracing::error!(target: "phial::error", "a blueprint layer dropped the request's routing; answering 500");
                return Ok(HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).render());
            };
            // As the blueprint's layers left it (a `ProxyFix` among them may change it).
            routed.remote_addr = take_client(&mut head.extensions).or(routed.remote_addr);
            let bytes = match body.to_bytes().await {
                Ok(bytes) => bytes,
                Err(error) => {
                    tracing::warn!(target: "phial::request", %error, "a blueprint layer's body failed");
                    return Ok(HttpError::new(StatusCode::BAD_REQUEST).render());
                }
            };
            Ok(routed_pipeline(&app, head, bytes, routed).await)
        })
    }
}
