//! `ProxyFix`: Werkzeug's middleware for an app behind a reverse proxy or a load
//! balancer, as a tower layer.
//!
//! Behind a proxy, the client's address, the scheme (`https`), the host and the
//! path prefix the client used reach the app only in `X-Forwarded-*` headers, which
//! any client can also send. `ProxyFix` trusts a given number of values in each
//! (one per proxy in front of the app that sets it) and makes
//! [`Request::remote_addr`](crate::Request::remote_addr),
//! [`scheme`](crate::Request::scheme), [`host`](crate::Request::host),
//! [`script_root`](crate::Request::script_root), [`url`](crate::Request::url),
//! `url_for(.., _external)` and the trailing-slash redirect use them. Without the
//! layer, forwarded headers change nothing.
//!
//! ```
//! use phial::layer::ProxyFix;
//! use phial::prelude::*;
//!
//! let mut app = App::new("behind-nginx");
//! // One proxy sets X-Forwarded-For and X-Forwarded-Proto (Werkzeug's defaults);
//! // it also sets the host.
//! app.layer(ProxyFix::new().x_host(1));
//! ```

use http::header::HOST;
use http::{HeaderMap, HeaderValue};
use std::net::{IpAddr, SocketAddr};
use std::task::{Context, Poll};
use tower::{Layer, Service};

/// The scheme a trusted proxy says the client used (`X-Forwarded-Proto`).
#[derive(Clone, Debug)]
pub(crate) struct ForwardedScheme(pub(crate) String);

/// The path prefix a trusted proxy mounts the app under (`X-Forwarded-Prefix`,
/// WSGI's `SCRIPT_NAME`).
#[derive(Clone, Debug)]
pub(crate) struct ScriptRoot(pub(crate) String);

/// How many values of each `X-Forwarded-*` header to trust, counted from the right
/// (the proxy nearest the app adds the last one). Werkzeug's `ProxyFix(app,
/// x_for=1, x_proto=1, x_host=0, x_port=0, x_prefix=0)`; 0 ignores the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProxyFix {
    x_for: usize,
    x_proto: usize,
    x_host: usize,
    x_port: usize,
    x_prefix: usize,
}

impl Default for ProxyFix {
    fn default() -> ProxyFix {
        ProxyFix { x_for: 1, x_proto: 1, x_host: 0, x_port: 0, x_prefix: 0 }
    }
}

impl ProxyFix {
    /// Werkzeug's defaults: trust one `X-Forwarded-For` and one `X-Forwarded-Proto`.
    pub fn new() -> ProxyFix {
        ProxyFix::default()
    }

    /// Values of `X-Forwarded-For` to trust: the client's address.
    pub fn x_for(mut self, trusted: usize) -> ProxyFix {
        self.x_for = trusted;
        self
    }

    /// Values of `X-Forwarded-Proto` to trust: the scheme.
    pub fn x_proto(mut self, trusted: usize) -> ProxyFix {
        self.x_proto = trusted;
        self
    }

    /// Values of `X-Forwarded-Host` to trust: the `Host`.
    pub fn x_host(mut self, trusted: usize) -> ProxyFix {
        self.x_host = trusted;
        self
    }

    /// Values of `X-Forwarded-Port` to trust: the port in the `Host`.
    pub fn x_port(mut self, trusted: usize) -> ProxyFix {
        self.x_port = trusted;
        self
    }

    /// Values of `X-Forwarded-Prefix` to trust: the path the app is mounted under.
    pub fn x_prefix(mut self, trusted: usize) -> ProxyFix {
        self.x_prefix = trusted;
        self
    }

    /// Rewrites the request as Werkzeug's `ProxyFix` rewrites the WSGI environ.
    fn apply<B>(&self, request: &mut http::Request<B>) {
        let forwarded = |trusted: usize, name: &str| trusted_value(trusted, request.headers(), name);
        let client = forwarded(self.x_for, "x-forwarded-for");
        let scheme = forwarded(self.x_proto, "x-forwarded-proto");
        let host = forwarded(self.x_host, "x-forwarded-host");
        let port = forwarded(self.x_port, "x-forwarded-port");
        let prefix = forwarded(self.x_prefix, "x-forwarded-prefix");

        if let Some(client) = client {
            match parse_client(&client) {
                Some(addr) => {
                    request.extensions_mut().insert(addr);
                }
                None => {
                    tracing::debug!(target: "phial::request", %client, "X-Forwarded-For is not an address; ignored")
                }
            }
        }
        if let Some(scheme) = scheme {
            request.extensions_mut().insert(ForwardedScheme(scheme));
        }
        if let Some(host) = host {
            set_host(request.headers_mut(), &host);
        }
        if let Some(port) = port {
            let current = request.headers().get(HOST).and_then(|value| value.to_str().ok()).map(str::to_string);
            if let Some(current) = current {
                set_host(request.headers_mut(), &format!("{}:{port}", without_port(&current)));
            }
        }
        if let Some(prefix) = prefix {
            request.extensions_mut().insert(ScriptRoot(prefix.trim_end_matches('/').to_string()));
        }
    }
}

/// The value `trusted` places from the right of the comma-separated header `name`,
/// when it has that many (Werkzeug's `_get_real_value`).
fn trusted_value(trusted: usize, headers: &HeaderMap, name: &str) -> Option<String> {
    if trusted == 0 {
        return None;
    }
    let joined: Vec<&str> = headers.get_all(name).iter().filter_map(|value| value.to_str().ok()).collect();
    let values: Vec<&str> =
        joined.iter().flat_map(|value| value.split(',')).map(str::trim).filter(|value| !value.is_empty()).collect();
    let value = values.len().checked_sub(trusted).map(|index| values[index])?;
    Some(value.to_string())
}

/// A client address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:80`.
fn parse_client(value: &str) -> Option<SocketAddr> {
    value
        .parse::<SocketAddr>()
        .ok()
        .or_else(|| value.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().ok().map(|ip| (ip, 0).into()))
}

/// `host` without its `:port` (an IPv6 literal's colons kept).
fn without_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, _)) if !host.ends_with(']') => name,
        _ => host,
    }
}

fn set_host(headers: &mut HeaderMap, host: &str) {
    match HeaderValue::from_str(host) {
        Ok(value) => {
            headers.insert(HOST, value);
        }
        Err(_) => tracing::debug!(target: "phial::request", %host, "forwarded host is not a header value; ignored"),
    }
}

impl<S> Layer<S> for ProxyFix {
    type Service = ProxyFixService<S>;

    fn layer(&self, inner: S) -> ProxyFixService<S> {
        ProxyFixService { inner, fix: *self }
    }
}

/// The service [`ProxyFix`] wraps around the app.
#[derive(Clone, Debug)]
pub struct ProxyFixService<S> {
    inner: S,
    fix: ProxyFix,
}

impl<S, B> Service<http::Request<B>> for ProxyFixService<S>
where
    S: Service<http::Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> S::Future {
        self.fix.apply(&mut request);
        self.inner.call(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_counted_from_the_right_and_a_short_list_trusts_nothing() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("1.1.1.1, 2.2.2.2"));
        headers.append("x-forwarded-for", HeaderValue::from_static("3.3.3.3"));
        assert_eq!(trusted_value(1, &headers, "x-forwarded-for").as_deref(), Some("3.3.3.3"));
        assert_eq!(trusted_value(3, &headers, "x-forwarded-for").as_deref(), Some("1.1.1.1"));
        assert_eq!(trusted_value(4, &headers, "x-forwarded-for"), None);
        assert_eq!(trusted_value(0, &headers, "x-forwarded-for"), None);
    }

    #[test]
    fn client_addresses_and_hosts_read_as_proxies_write_them() {
        assert_eq!(parse_client("203.0.113.7"), Some("203.0.113.7:0".parse().unwrap()));
        assert_eq!(parse_client("203.0.113.7:4711"), Some("203.0.113.7:4711".parse().unwrap()));
        assert_eq!(parse_client("[2001:db8::1]"), Some("[2001:db8::1]:0".parse().unwrap()));
        assert_eq!(parse_client("unknown"), None);
        assert_eq!(without_port("example.com:8080"), "example.com");
        assert_eq!(without_port("[::1]"), "[::1]");
        assert_eq!(without_port("[::1]:80"), "[::1]");
    }
}
