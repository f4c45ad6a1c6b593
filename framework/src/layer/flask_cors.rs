//! `FlaskCors`: a CORS layer made to leave Flask's automatic `OPTIONS` answer alone.
//!
//! tower-http's `CorsLayer` answers every `OPTIONS` request itself, as a preflight
//! (200, its CORS headers, no `Allow`). flask-cors treats as a preflight only an
//! `OPTIONS` that carries `Origin` and `Access-Control-Request-Method`; any other
//! `OPTIONS` gets Flask's automatic answer (200 with `Allow`). `FlaskCors` sends
//! such a plain `OPTIONS` past the CORS layer, to the app, and everything else
//! through it. This is the one place phial wraps a tower-http layer instead of
//! using it as it is: the difference is Flask's, not a matter of configuration.
//!
//! ```
//! use phial::layer::FlaskCors;
//! use phial::prelude::*;
//! # fn cors_layer() -> tower::layer::util::Identity { tower::layer::util::Identity::new() }
//!
//! let mut app = App::new("api");
//! app.layer(FlaskCors::new(cors_layer())); // a tower_http::cors::CorsLayer, configured
//! ```

use futures_util::future::Either;
use http::Method;
use http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use std::task::{Context, Poll};
use tower::{Layer, Service};

/// Wraps a CORS layer so that only CORS preflights reach its `OPTIONS` handling.
///
/// tower-http's `CorsLayer` answers every `OPTIONS` request as a preflight;
/// flask-cors treats as one only an `OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`, and any other gets Flask's automatic answer
/// (200 with `Allow`). `FlaskCors` sends such a plain `OPTIONS` past the CORS layer,
/// to the app, and everything else through it.
#[derive(Clone, Debug)]
pub struct FlaskCors<L> {
    cors: L,
}

impl<L> FlaskCors<L> {
    /// Wraps `cors` (a `tower_http::cors::CorsLayer`, typically).
    pub fn new(cors: L) -> FlaskCors<L> {
        FlaskCors { cors }
    }
}

impl<L, S> Layer<S> for FlaskCors<L>
where
    L: Layer<S>,
    S: Clone,
{
    type Service = FlaskCorsService<L::Service, S>;

    fn layer(&self, inner: S) -> Self::Service {
        FlaskCorsService { cors: self.cors.layer(inner.clone()), app: inner }
    }
}

/// The service of [`FlaskCors`]: the CORS-wrapped app, and the app itself for
/// plain `OPTIONS` requests.
#[derive(Clone, Debug)]
pub struct FlaskCorsService<C, S> {
    cors: C,
    app: S,
}

/// Whether a request is an `OPTIONS` that is not a CORS preflight.
fn is_plain_options<B>(request: &http::Request<B>) -> bool {
    request.method() == Method::OPTIONS
        && !(request.headers().contains_key(ORIGIN) && request.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD))
}

impl<C, S, B> Service<http::Request<B>> for FlaskCorsService<C, S>
where
    C: Service<http::Request<B>, Response = S::Response, Error = S::Error>,
    S: Service<http::Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Either<C::Future, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        match (self.cors.poll_ready(cx), self.app.poll_ready(cx)) {
            (Poll::Ready(Err(error)), _) | (_, Poll::Ready(Err(error))) => Poll::Ready(Err(error)),
            (Poll::Ready(Ok(())), Poll::Ready(Ok(()))) => Poll::Ready(Ok(())),
            _ => Poll::Pending,
        }
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        if is_plain_options(&request) {
            Either::Right(self.app.call(request))
        } else {
            Either::Left(self.cors.call(request))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, headers: &[(&str, &str)]) -> http::Request<()> {
        let mut request = http::Request::builder().method(method).uri("/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap()
    }

    #[test]
    fn only_an_options_with_origin_and_requested_method_is_a_preflight() {
        let preflight = [("Origin", "http://a"), ("Access-Control-Request-Method", "GET")];
        assert!(!is_plain_options(&request(Method::OPTIONS, &preflight)));
        assert!(is_plain_options(&request(Method::OPTIONS, &[])));
        assert!(is_plain_options(&request(Method::OPTIONS, &[("Origin", "http://a")])));
        assert!(!is_plain_options(&request(Method::GET, &[("Origin", "http://a")])));
    }
}
