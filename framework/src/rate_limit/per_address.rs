//! [`PerAddress`]: a rate limit per client address, as a tower layer.

use futures_util::future::Either;
use std::future::Ready;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::task::{Context, Poll};
use std::time::Duration;
use tower::{Layer, Service};

use super::KeyedLimit;
use crate::{IntoResponse, Response};

/// At most so many requests per client address in a period; the rest get
/// `429 Too Many Requests` (phial's JSON body, `Retry-After`) without reaching the
/// app. The address is the connection's, or the one [`ProxyFix`](crate::layer::ProxyFix)
/// trusted; requests without one (the test client's) share one allowance.
#[derive(Clone, Debug)]
pub struct PerAddress {
    limit: KeyedLimit<IpAddr>,
}

impl PerAddress {
    /// `requests` per `period` per address.
    pub fn new(requests: u32, period: Duration) -> PerAddress {
        PerAddress { limit: KeyedLimit::new(requests, period) }
    }

    /// `requests` per minute per address (Flask-Limiter's `"5 per minute"`).
    pub fn per_minute(requests: u32) -> PerAddress {
        PerAddress::new(requests, Duration::from_secs(60))
    }

    /// `requests` per second per address.
    pub fn per_second(requests: u32) -> PerAddress {
        PerAddress::new(requests, Duration::from_secs(1))
    }
}

impl<S> Layer<S> for PerAddress {
    type Service = PerAddressService<S>;

    fn layer(&self, inner: S) -> PerAddressService<S> {
        PerAddressService { inner, limit: self.limit.clone() }
    }
}

/// The service [`PerAddress`] wraps around the app (or a blueprint).
#[derive(Clone, Debug)]
pub struct PerAddressService<S> {
    inner: S,
    limit: KeyedLimit<IpAddr>,
}

impl<S, B> Service<http::Request<B>> for PerAddressService<S>
where
    S: Service<http::Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Either<S::Future, Ready<Result<Response, S::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let address =
            request.extensions().get::<SocketAddr>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), SocketAddr::ip);
        match self.limit.check(&address) {
            Ok(()) => Either::Left(self.inner.call(request)),
            Err(refused) => Either::Right(std::future::ready(Ok(refused.into_response()))),
        }
    }
}
