//! tower middleware: `app.layer(..)` and `blueprint.layer(..)` take any
//! [`tower::Layer`] over phial's service, so that tower-http's `CorsLayer`,
//! `CompressionLayer`, `TimeoutLayer`, `TraceLayer`, `SetRequestIdLayer` and the
//! like work as they do in axum.
//!
//! - The app as a tower service is an [`AppService`]: it takes an
//!   `http::Request<phial::Body>` and answers a `phial::Response`, never failing.
//! - App layers run before routing, around everything (the body's size and time
//!   limits included); blueprint layers run after routing, around the requests
//!   routed to that blueprint (its automatic `OPTIONS`/`HEAD` answers included) and
//!   its hooks. Each `layer` call wraps what is there already: the last one added is
//!   the outermost, as with axum's `Router::layer`.
//! - A layer may change the body type (compression) or fail (`tower`'s `Timeout`,
//!   `LoadShed`): its body becomes a `phial::Body`, and its error a JSON response,
//!   503 for an overload or an elapsed timeout, 500 (logged) for anything else.
//! - An app with no layers pays nothing: requests go straight to the router.
//! - Each connection keeps its own instance of the app's layers and, for each of
//!   its requests in turn, makes it ready and calls it, as tower services expect,
//!   instead of cloning them per request; a blueprint's layers are cloned per
//!   request, as in axum (see `call.rs`).
//!
//! ```
//! use phial::prelude::*;
//! use std::time::Duration;
//! use tower::timeout::TimeoutLayer;
//!
//! let mut app = App::new("layers");
//! app.route("/", ["GET"], || async { "hello" });
//! app.layer(TimeoutLayer::new(Duration::from_secs(10))); // a slower answer is a JSON 503
//! ```
//!
//! [`FlaskCors`] adapts a CORS layer to Flask's automatic `OPTIONS`; [`ProxyFix`] is
//! Werkzeug's middleware for an app behind a reverse proxy.

mod call;
pub(crate) mod client_address;
mod flask_cors;
pub(crate) mod inner;
mod proxy_fix;

pub(crate) use call::ConnectionLayers;
pub use flask_cors::FlaskCors;
pub(crate) use proxy_fix::{ForwardedScheme, ScriptRoot};
pub use proxy_fix::{ProxyFix, ProxyFixService};

use bytes::Bytes;
use http::StatusCode;
use pin_project_lite::pin_project;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service};

use crate::handler::BoxFuture;
use crate::response::{Body, BoxError};
use crate::{HttpError, Response};

/// The app (or a blueprint's part of it) as a tower service: what layers wrap. It
/// takes an `http::Request<phial::Body>`, answers a `phial::Response` and never
/// fails. Cloning it is cheap (the app itself is shared; a layer is cloned as tower
/// services are).
#[derive(Clone)]
pub struct AppService(Stage);

#[derive(Clone)]
enum Stage {
    /// The app itself (or a blueprint's pipeline): shared, stateless.
    Innermost(Arc<dyn Innermost>),
    /// A layer around it.
    Layer(BoxCloneSyncService<http::Request<Body>, Response, Infallible>),
}

/// The service at the core of the layers: called through `&self`, so that it is
/// shared instead of cloned for every request.
pub(crate) trait Innermost: Send + Sync + 'static {
    fn call(&self, request: http::Request<Body>) -> BoxFuture<Result<Response, Infallible>>;
}

impl AppService {
    pub(crate) fn innermost(service: impl Innermost) -> AppService {
        AppService(Stage::Innermost(Arc::new(service)))
    }
}

impl Service<http::Request<Body>> for AppService {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        match &mut self.0 {
            Stage::Innermost(_) => Poll::Ready(Ok(())),
            Stage::Layer(service) => service.poll_ready(cx),
        }
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        match &mut self.0 {
            Stage::Innermost(service) => service.call(request),
            Stage::Layer(service) => service.call(request),
        }
    }
}

impl std::fmt::Debug for AppService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Stage::Innermost(_) => "AppService(app)",
            Stage::Layer(_) => "AppService(layer)",
        })
    }
}

/// A layer waiting to be applied when the app is finalised.
pub(crate) type BoxedLayer = Box<dyn FnOnce(AppService) -> AppService + Send>;

/// Takes any layer whose service answers some `http_body::Body` of bytes and may
/// fail with anything an error converts from.
pub(crate) fn boxed<L, B>(layer: L) -> BoxedLayer
where
    L: Layer<AppService> + Send + 'static,
    L::Service: Service<http::Request<Body>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
    <L::Service as Service<http::Request<Body>>>::Future: Send + 'static,
    <L::Service as Service<http::Request<Body>>>::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    Box::new(move |inner| {
        AppService(Stage::Layer(BoxCloneSyncService::new(Answering { service: layer.layer(inner), unready: None })))
    })
}

/// Wraps `inner` in `layers`, the first added innermost.
pub(crate) fn apply(layers: Vec<BoxedLayer>, inner: AppService) -> AppService {
    layers.into_iter().fold(inner, |service, layer| layer(service))
}

/// A layer's service, made to answer a `phial::Response` and never fail.
struct Answering<S> {
    service: S,
    /// Why the service said it cannot take a request: answered by the next `call`.
    unready: Option<BoxError>,
}

impl<S: Clone> Clone for Answering<S> {
    fn clone(&self) -> Self {
        Answering { service: self.service.clone(), unready: None }
    }
}

impl<S, B> Service<http::Request<Body>> for Answering<S>
where
    S: Service<http::Request<Body>, Response = http::Response<B>>,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        match self.service.poll_ready(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(())) => Poll::Ready(Ok(())),
            // A service that cannot take a request (overloaded, closed): the next
            // `call` answers with its error instead of calling it.
            Poll::Ready(Err(error)) => {
                self.unready = Some(error.into());
                Poll::Ready(Ok(()))
            }
        }
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        match self.unready.take() {
            Some(error) => Answer::Refused { response: Some(refusal(error)) },
            None => Answer::Pending { future: self.service.call(request) },
        }
    }
}

/// A layer's response as a `phial::Response`: as it is when its body is already a
/// `phial::Body` (most layers keep the app's body), its body converted otherwise.
fn into_phial_response<B>(response: http::Response<B>) -> Response
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let mut slot = Some(response);
    if let Some(response) =
        (&mut slot as &mut dyn std::any::Any).downcast_mut::<Option<Response>>().and_then(Option::take)
    {
        return response;
    }
    match slot {
        Some(response) => response.map(Body::new),
        // Taken only when it was a `phial::Response`, returned above.
        None => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).render(),
    }
}

pin_project! {
    /// The future of [`Answering`]: the layer's answer as a `phial::Response` (a
    /// named future, so that the boxed service around it allocates only once).
    #[project = AnswerProjection]
    pub(crate) enum Answer<F> {
        Pending { #[pin] future: F },
        Refused { response: Option<Response> },
    }
}

impl<F, B, E> Future for Answer<F>
where
    F: Future<Output = Result<http::Response<B>, E>>,
    E: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            AnswerProjection::Pending { future } => future.poll(cx).map(|answer| {
                Ok(match answer {
                    Ok(response) => into_phial_response(response),
                    Err(error) => refusal(error.into()),
                })
            }),
            AnswerProjection::Refused { response } => Poll::Ready(Ok(response
                .take()
                .unwrap_or_else(|| HttpError::new(StatusCode::SERVICE_UNAVAILABLE).render()))),
        }
    }
}

/// The JSON response for a layer's error.
fn refusal(error: BoxError) -> Response {
    let overloaded = error.is::<tower::timeout::error::Elapsed>() || error.is::<tower::load_shed::error::Overloaded>();
    if overloaded {
        tracing::warn!(target: "phial::error", %error, "a layer refused the request; answering 503");
        HttpError::new(StatusCode::SERVICE_UNAVAILABLE).render()
    } else {
        tracing::error!(target: "phial::error", %error, "a layer failed; answering 500");
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).render()
    }
}
