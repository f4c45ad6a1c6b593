//! The request pipeline: from an `http::Request` to a `Response`, in Flask's order.
//!
//! 1. check the request's head against the limits (431, 413) and decode its path (400);
//! 2. route it (a route, or 404 / 405 / 308 / automatic OPTIONS);
//! 3. inside the request context: `before_request` hooks, then the view (or the
//!    routing answer), with panics caught and turned into 500s;
//! 4. `after_request` hooks, `teardown_request` hooks;
//! 5. strip the body of a `HEAD` response; log one line.

use bytes::Bytes;
use futures_util::FutureExt;
use http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderValue, LOCATION};
use http::{Method, StatusCode};
use std::any::Any;
use std::future::Future;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::app::AppHandle;
use crate::context::{self, Context};
use crate::error_handlers;
use crate::error_handlers::ErrorHandlers;
use crate::handler::ViewResult;
use crate::hooks::{Hooks, Unhandled, panic_message};
use crate::maybe_async::MaybeReady;
use crate::request::{MatchedRoute, RequestParts};
use crate::response::Body;
use crate::response::json_response;
use crate::routing::router::{Lookup, merge_slashes};
use crate::routing::url_for::encode_path;
use crate::served_line::ServedLine;
use crate::{HttpError, Request, Response, ViewError};
use futures_util::future::Either;
use std::sync::Arc;

/// The app's entry points into the pipeline, kept here with it (see `app/handle.rs`).
impl AppHandle {
    /// Handles one request in-process: routing, hooks, the handler, error handlers.
    /// This is the entry point the server and the test client share.
    pub fn handle(&self, request: http::Request<Bytes>) -> impl Future<Output = Response> + Send + '_ {
        self.handle_layered(request, None)
    }

    /// Like [`handle`](AppHandle::handle), for a request from `remote_addr`.
    pub fn handle_from(
        &self,
        request: http::Request<Bytes>,
        remote_addr: SocketAddr,
    ) -> impl Future<Output = Response> + Send + '_ {
        self.handle_layered(request, Some(remote_addr))
    }

    /// Through the app's tower layers when it has any, straight to the router
    /// otherwise.
    fn handle_layered(
        &self,
        request: http::Request<Bytes>,
        remote_addr: Option<SocketAddr>,
    ) -> impl Future<Output = Response> + Send + '_ {
        match self.core().service.get() {
            None => {
                let (head, body) = request.into_parts();
                Either::Left(dispatch(self, head, body, remote_addr))
            }
            Some(service) => {
                let mut request = request.map(Body::from);
                if let Some(remote_addr) = remote_addr {
                    request.extensions_mut().insert(remote_addr);
                }
                let call = service.call_once(request);
                Either::Right(async move {
                    match call.await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    }
                })
            }
        }
    }

    /// Builds the [`Request`](crate::Request) phial would hand to a view for
    /// `request` (routed, with its URL variables), without running anything: for
    /// unit tests of extractors, decorators and extensions.
    pub fn test_request(&self, request: http::Request<Bytes>) -> crate::Request {
        build_request(self, request, None)
    }
}

/// Handles one request with `app`.
///
/// A plain function that returns the future, not an `async fn`: the head, body
/// and routing work happen here, before the first await, so the future keeps only
/// what the log line needs (an `async fn` would also keep its arguments and every
/// local it had moved away: 992 bytes, copied at every move of the future).
pub(crate) fn dispatch(
    app: &AppHandle,
    head: http::request::Parts,
    body: Bytes,
    remote_addr: Option<SocketAddr>,
) -> impl Future<Output = Response> + Send + use<> {
    let served = ServedLine::start(&head, remote_addr);
    let method = head.method.clone();

    let pipeline = match precheck(app, &head, body.len()) {
        Err(response) => Err(response),
        Ok(decoded_path) => {
            let path = decoded_path.as_deref().unwrap_or_else(|| head.uri.path());
            let routed = route(app, app.core().router.lookup(path, &method), decoded_path, remote_addr);
            let layered = routed
                .route
                .as_ref()
                .and_then(|route| route.blueprint)
                .and_then(|b| app.core().blueprints[b].service.get());
            match layered {
                None => Ok(Either::Left(routed_pipeline(app, head, body, routed))),
                // Boxed: a request waiting for a blueprint's layers is large, and this
                // future is moved on every request.
                Some(service) => {
                    Ok(Either::Right(Box::pin(crate::layer::inner::through_blueprint(service, head, body, routed))))
                }
            }
        }
    };
    async move {
        let response = match pipeline {
            Err(response) => response,
            Ok(pipeline) => pipeline.await,
        };
        let response = if method == Method::HEAD { strip_body(response) } else { response };
        if let Some(served) = served {
            served.log(method, response.status());
        }
        response
    }
}

/// What routing found for a request: carried to the pipeline, through a
/// blueprint's tower layers when it has any (as a request extension).
#[derive(Clone)]
pub(crate) struct Routed {
    decoded_path: Option<String>,
    view_args: Vec<(Arc<str>, String)>,
    route: Option<MatchedRoute>,
    lookup: Lookup,
    pub(crate) remote_addr: Option<SocketAddr>,
}

/// The matched rule (a route, or the rule an automatic `OPTIONS` answers for, as
/// Werkzeug matches it) and the URL variables, which move into the request; the
/// lookup keeps the route id.
#[inline]
fn route(app: &AppHandle, lookup: Lookup, decoded_path: Option<String>, remote_addr: Option<SocketAddr>) -> Routed {
    let (view_args, route, lookup) = match lookup {
        Lookup::Found { route, view_args } => (view_args, Some(route), Lookup::Found { route, view_args: Vec::new() }),
        Lookup::Options { allow, route, view_args } => {
            (view_args, Some(route), Lookup::Options { allow, route, view_args: Vec::new() })
        }
        other => (Vec::new(), None, other),
    };
    Routed { decoded_path, view_args, route: route.map(|route| matched_route(app, route)), lookup, remote_addr }
}

/// The request context, the hooks, the view and the error handlers for a routed
/// request.
#[inline]
pub(crate) fn routed_pipeline(
    app: &AppHandle,
    head: http::request::Parts,
    body: Bytes,
    routed: Routed,
) -> impl Future<Output = Response> + Send + use<> {
    let Routed { decoded_path, view_args, route, lookup, remote_addr } = routed;
    let request =
        Request::new(RequestParts { head, body, decoded_path, view_args, route, app: app.clone(), remote_addr });
    let context = Context::new(app.clone(), Some(request.clone()));
    // Boxed: the pipeline's state is large, and a future is moved several
    // times on its way to the executor; this way only a pointer moves.
    context::scope(context, Box::pin(run(app.clone(), request, lookup)))
}

/// The request a view would see, routed but not dispatched (for tests).
fn build_request(app: &AppHandle, request: http::Request<Bytes>, remote_addr: Option<SocketAddr>) -> Request {
    let (head, body) = request.into_parts();
    // A path that is not UTF-8 once decoded is routed as it came (dispatch answers 400).
    let decoded_path = crate::request::path::decode(head.uri.path()).unwrap_or(None);
    let path = decoded_path.as_deref().unwrap_or_else(|| head.uri.path());
    let Routed { decoded_path, view_args, route, .. } =
        route(app, app.core().router.lookup(path, &head.method), decoded_path, remote_addr);
    Request::new(RequestParts { head, body, decoded_path, view_args, route, app: app.clone(), remote_addr })
}

fn matched_route(app: &AppHandle, route: usize) -> MatchedRoute {
    let entry = &app.core().routes[route];
    MatchedRoute { endpoint: entry.endpoint.clone(), rule: entry.rule.clone(), blueprint: entry.blueprint }
}

/// Limits and path decoding, before any app code runs. These answers bypass hooks
/// and error handlers: the request is not trusted enough to build a `Request`.
///
/// Returns the percent-decoded path when decoding changes it (`None`: the URI's
/// path is already the decoded one, the usual case, and nothing is copied).
fn precheck(app: &AppHandle, head: &http::request::Parts, body_len: usize) -> Result<Option<String>, Response> {
    let limits = &app.core().limits;
    let target_len = head.uri.path_and_query().map_or(1, |pq| pq.as_str().len());
    let head_size: usize =
        target_len + head.headers.iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum::<usize>();
    if head.headers.len() > limits.max_header_count || head_size > limits.max_header_size {
        tracing::warn!(target: "phial::request", headers = head.headers.len(), bytes = head_size, "request head too large");
        return Err(HttpError::new(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE).render());
    }
    if body_len > limits.max_content_length {
        tracing::warn!(target: "phial::request", bytes = body_len, "request body too large");
        return Err(HttpError::new(StatusCode::PAYLOAD_TOO_LARGE).render());
    }
    crate::request::path::decode(head.uri.path()).map_err(|_| {
        tracing::warn!(target: "phial::request", path = head.uri.path(), "path is not UTF-8 once percent-decoded");
        HttpError::with_message(StatusCode::BAD_REQUEST, "The request path is not valid UTF-8 once percent-decoded.")
            .render()
    })
}

/// The value of a [`MaybeReady`]: taken at once when ready; otherwise its boxed
/// future is awaited (so the caller's future keeps a pointer, not the value's room).
macro_rules! resolve {
    ($maybe:expr) => {
        match $maybe {
            MaybeReady::Ready(value) => value,
            MaybeReady::Pending(future) => future.await,
        }
    };
}

/// The view and error handling, inside the request context; the hooks' pipeline
/// when the app or the matched blueprint has hooks.
///
/// This future is boxed for every request, and a box past 1 KiB misses the
/// allocator's fast path: without hooks it keeps only the view's future and an
/// error's answer; the hooks' pipeline, which awaits in loops, is a future of its own,
/// boxed only for apps that have hooks.
async fn run(app: AppHandle, request: Request, lookup: Lookup) -> Response {
    let app = &app;
    let blueprint = request.blueprint_index();
    let blueprint_hooks = blueprint.and_then(|b| app.core().blueprints.get(b)).map(|b| &b.hooks);
    let scopes: [Option<&Hooks>; 2] = [Some(&app.core().hooks), blueprint_hooks];
    if scopes.iter().flatten().any(|hooks| !hooks.is_empty()) {
        return Box::pin(run_with_hooks(app, request, lookup, scopes)).await;
    }
    let mut unhandled = None;
    let mut response = match view(app, &request, lookup, &mut unhandled).await {
        Ok(response) => response,
        Err(error) => {
            let answer = error_handlers::respond(error_scopes(app, blueprint), error);
            resolve!(answer).into_response(&mut unhandled)
        }
    };
    crate::sessions::save(app, &request, &mut response);
    response
}

/// Hooks, view and error handling, in Flask's order (see [`crate::hooks`]).
/// Plain hooks and error handlers answer at once; async ones are awaited through
/// their boxed futures.
async fn run_with_hooks(app: &AppHandle, request: Request, lookup: Lookup, scopes: [Option<&Hooks>; 2]) -> Response {
    let blueprint = request.blueprint_index();

    let mut unhandled: Option<Unhandled> = None;
    let mut outcome = Ok(None);
    for hook in scopes.iter().flatten().flat_map(|h| h.before.iter()) {
        outcome = match resolve!(catch(|| hook(&request))) {
            Ok(outcome) => outcome,
            Err(panic) => Err(panicked(panic, "before_request hook", &mut unhandled)),
        };
        if !matches!(outcome, Ok(None)) {
            break;
        }
    }
    let result = match outcome {
        Ok(Some(short_circuit)) => Ok(short_circuit),
        Ok(None) => view(app, &request, lookup, &mut unhandled).await,
        Err(error) => Err(error),
    };
    let mut response = match result {
        Ok(response) => response,
        Err(error) => {
            resolve!(error_handlers::respond(error_scopes(app, blueprint), error)).into_response(&mut unhandled)
        }
    };

    // after_request: the blueprint's, then the app's, each in reverse order.
    for hook in scopes.iter().rev().flatten().flat_map(|h| h.after.iter().rev()) {
        let result = match resolve!(catch(|| hook(&request, response))) {
            Ok(result) => result,
            Err(panic) => Err(panicked(panic, "after_request hook", &mut unhandled)),
        };
        response = match result {
            Ok(response) => response,
            Err(error) => {
                resolve!(error_handlers::respond(error_scopes(app, blueprint), error)).into_response(&mut unhandled)
            }
        };
    }
    crate::sessions::save(app, &request, &mut response);
    for hook in scopes.iter().rev().flatten().flat_map(|h| h.teardown.iter().rev()) {
        if let Err(panic) = resolve!(catch(|| hook(&request, unhandled.as_ref()))) {
            tracing::error!(target: "phial::error", panic = %panic_message(&*panic), "teardown_request hook panicked");
        }
    }
    response
}

/// The error handlers that may answer for the matched blueprint: its own, then the app's.
fn error_scopes(app: &AppHandle, blueprint: Option<usize>) -> [Option<&ErrorHandlers>; 2] {
    [blueprint.and_then(|b| app.blueprint_error_handlers(b)), Some(app.error_handlers())]
}

/// Calls a callback, catching a panic in it or in what it answers; a value ready
/// at once is taken without polling.
fn catch<T: Send + 'static>(call: impl FnOnce() -> MaybeReady<T>) -> MaybeReady<Result<T, Box<dyn Any + Send>>> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(MaybeReady::Ready(value)) => MaybeReady::Ready(Ok(value)),
        Ok(MaybeReady::Pending(pending)) => MaybeReady::pending(AssertUnwindSafe(pending).catch_unwind()),
        Err(panic) => MaybeReady::Ready(Err(panic)),
    }
}

/// The view's answer, or the routing answer.
async fn view(app: &AppHandle, request: &Request, lookup: Lookup, unhandled: &mut Option<Unhandled>) -> ViewResult {
    match lookup {
        Lookup::Found { route, .. } => {
            let handler = &app.core().routes[route].handler;
            match AssertUnwindSafe(handler(request.clone())).catch_unwind().await {
                Ok(result) => result,
                Err(panic) => Err(panicked(panic, "handler", unhandled)),
            }
        }
        Lookup::NotFound => Err(HttpError::new(StatusCode::NOT_FOUND).into()),
        Lookup::MethodNotAllowed(allow) => {
            let allow = HeaderValue::from_str(&allow.header_value()).unwrap_or(HeaderValue::from_static(""));
            Err(HttpError::new(StatusCode::METHOD_NOT_ALLOWED).header(ALLOW, allow).into())
        }
        Lookup::Options { allow, .. } => {
            let mut response = Response::default();
            if let Ok(value) = HeaderValue::from_str(&allow.header_value()) {
                response.headers_mut().insert(ALLOW, value);
            }
            response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            Ok(response)
        }
        Lookup::RedirectAddSlash => redirect(request, &format!("{}/", request.uri().path())),
        // Merged in the decoded path, which the router matched: `/%2Fa` is `//a`
        // there (as in Werkzeug, which sees PATH_INFO decoded) and goes to `/a`.
        Lookup::RedirectMergeSlashes => redirect(request, &encode_path(&merge_slashes(request.path()))),
    }
}

/// A 308 to `path` (percent-encoded), keeping the query string; absolute when
/// the `Host` header is a valid authority, as Werkzeug does (with the scheme, host
/// and prefix a trusted proxy gave, through [`ProxyFix`](crate::layer::ProxyFix)). Never to the URL
/// asked for (a client would loop): that is a 404.
fn redirect(request: &Request, path: &str) -> ViewResult {
    if path == request.uri().path() {
        return Err(HttpError::new(StatusCode::NOT_FOUND).into());
    }
    let host =
        request.headers().get(HOST).and_then(|h| h.to_str().ok()).filter(|h| h.parse::<http::uri::Authority>().is_ok());
    let root = request.script_root();
    let mut location = match host {
        Some(host) => format!("{}://{host}{root}{path}", request.scheme()),
        None => format!("{root}{path}"),
    };
    if let Some(query) = request.uri().query() {
        location.push('?');
        location.push_str(query);
    }
    let mut response = json_response(
        StatusCode::PERMANENT_REDIRECT,
        &serde_json::json!({ "msg": format!("Redirecting to {location}") }),
    );
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            response.headers_mut().insert(LOCATION, value);
            Ok(response)
        }
        Err(_) => Err(HttpError::new(StatusCode::NOT_FOUND).into()),
    }
}

/// Logs a panic and records it for teardown hooks; the 500 to answer with (through
/// the 500 error handler, if the app has one).
fn panicked(panic: Box<dyn Any + Send>, place: &str, unhandled: &mut Option<Unhandled>) -> ViewError {
    let message = panic_message(&*panic);
    tracing::error!(target: "phial::error", panic = %message, "{place} panicked; answering 500");
    *unhandled = Some(Unhandled::new(message));
    HttpError::new(StatusCode::INTERNAL_SERVER_ERROR).into()
}

/// A `HEAD` response keeps its headers (and the length the body would have had),
/// not its body.
fn strip_body(mut response: Response) -> Response {
    if let Some(len) = response.body().len().filter(|&len| len > 0) {
        if !response.headers().contains_key(CONTENT_LENGTH) {
            response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(len));
        }
    }
    *response.body_mut() = Default::default();
    response
}
