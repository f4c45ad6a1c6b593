//! The line each request logs once answered, as Werkzeug's development server
//! logs one: target `phial::request`, message `served`, with the client's address,
//! the method, the path, the status and the time taken in microseconds.
//!
//! ```text
//! 2026-12-01T02:48:35.123456Z  INFO phial::request: served client=127.0.0.1 method=GET path=/protected status=200 elapsed_us=57
//! ```
//!
//! Nothing is measured or kept when nobody listens at `info` for that target (with
//! `RUST_LOG=warn`, a request pays one cached check).

use http::request::Parts;
use http::{Method, StatusCode, Uri};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

/// What the line needs from the request, taken when it arrives.
pub(crate) struct ServedLine {
    started: Instant,
    /// A clone shares the request's buffer: the path is not copied.
    uri: Uri,
    client: Option<SocketAddr>,
    /// Whether phial's own logger is the one listening (see `logging/request_line.rs`).
    #[cfg(feature = "logging")]
    direct: bool,
}

impl ServedLine {
    /// Starts the clock for a request, if its line will be written.
    pub(crate) fn start(head: &Parts, client: Option<SocketAddr>) -> Option<ServedLine> {
        #[cfg(feature = "logging")]
        let direct = crate::logging::request_line::listener()? == crate::logging::request_line::Listener::Direct;
        #[cfg(not(feature = "logging"))]
        if !tracing::enabled!(target: "phial::request", tracing::Level::INFO) {
            return None;
        }
        Some(ServedLine {
            started: Instant::now(),
            uri: head.uri.clone(),
            client,
            #[cfg(feature = "logging")]
            direct,
        })
    }

    /// Logs the line for the request's answer: straight to phial's own logger when
    /// it is the one listening, as a tracing event otherwise.
    pub(crate) fn log(self, method: Method, status: StatusCode) {
        let elapsed_us = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        #[cfg(feature = "logging")]
        if self.direct && self.write_directly(&method, status, elapsed_us) {
            return;
        }
        tracing::info!(
            target: "phial::request",
            client = %Client(self.client),
            method = %method,
            path = %self.uri.path(),
            status = status.as_u16(),
            elapsed_us,
            "served"
        );
    }

    /// The line through [`crate::logging`]'s direct path (an IPv4 client or none;
    /// an IPv6 one goes through the event).
    #[cfg(feature = "logging")]
    fn write_directly(&self, method: &Method, status: StatusCode, elapsed_us: u64) -> bool {
        let write = |client: &str| {
            let line = crate::logging::request_line::RequestLine {
                client,
                method: method.as_str(),
                path: self.uri.path(),
                status: status.as_str(),
                elapsed_us,
            };
            line.write()
        };
        match self.client.map(|addr| addr.ip()) {
            Some(IpAddr::V4(ip)) => LAST_CLIENT.with_borrow_mut(|(last, text)| {
                if *last != Some(ip) {
                    text.clear();
                    text.push_str(ipv4_text(ip, &mut [0; 15]));
                    *last = Some(ip);
                }
                write(text)
            }),
            Some(IpAddr::V6(_)) => false,
            None => write("-"),
        }
    }
}

#[cfg(feature = "logging")]
thread_local! {
    /// The last IPv4 client whose line this thread wrote, and its text: one client
    /// often sends many requests in a row (a keep-alive connection, a reverse proxy
    /// in front of the app).
    static LAST_CLIENT: std::cell::RefCell<(Option<Ipv4Addr>, String)> =
        const { std::cell::RefCell::new((None, String::new())) };
}

/// The client's address in the line (`-` when unknown), written without an
/// intermediate string.
struct Client(Option<SocketAddr>);

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.map(|addr| addr.ip()) {
            Some(IpAddr::V4(ip)) => f.write_str(ipv4_text(ip, &mut [0; 15])),
            Some(ip) => write!(f, "{ip}"),
            None => f.write_str("-"),
        }
    }
}

/// `ip` in dotted decimal, written into `text`: the usual client address in one
/// piece (`Ipv4Addr`'s `Display` takes `core::fmt` through each of its four
/// numbers, about a thousand instructions a line).
fn ipv4_text(ip: Ipv4Addr, text: &mut [u8; 15]) -> &str {
    let mut len = 0;
    let mut push = |byte: u8| {
        text[len] = byte;
        len += 1;
    };
    for (index, octet) in ip.octets().into_iter().enumerate() {
        if index > 0 {
            push(b'.');
        }
        if octet >= 100 {
            push(b'0' + octet / 100);
        }
        if octet >= 10 {
            push(b'0' + octet / 10 % 10);
        }
        push(b'0' + octet % 10);
    }
    // Digits and dots only.
    std::str::from_utf8(&text[..len]).unwrap_or("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_written_as_std_writes_it() {
        for ip in [
            [0, 0, 0, 0],
            [127, 0, 0, 1],
            [10, 20, 30, 40],
            [192, 168, 100, 255],
            [255, 255, 255, 255],
            [1, 99, 100, 9],
        ] {
            let ip = Ipv4Addr::from(ip);
            assert_eq!(Client(Some((ip, 80).into())).to_string(), ip.to_string());
        }
        let v6: SocketAddr = "[2001:db8::7]:443".parse().unwrap();
        assert_eq!(Client(Some(v6)).to_string(), "2001:db8::7");
        assert_eq!(Client(None).to_string(), "-");
    }
}
