//! The server's limits, read from the app's config when it starts.

use std::time::Duration;

use crate::{Config, Error};

/// Config keys of the limits and their defaults.
pub(crate) const DEFAULTS: &[(&str, u64)] = &[
    ("MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
    ("MAX_BODY_BYTES_IN_FLIGHT", 64 * 1024 * 1024),
    ("MAX_HEADER_SIZE", 16 * 1024),
    ("MAX_HEADER_COUNT", 64),
    ("HEADER_READ_TIMEOUT", 30),
    ("BODY_READ_TIMEOUT", 30),
    ("MAX_CONNECTIONS", 10_000),
    ("SHUTDOWN_TIMEOUT", 30),
    ("HTTP2_MAX_CONCURRENT_STREAMS", 100),
    ("HTTP2_IDLE_TIMEOUT", 60),
    ("RESPONSE_WRITE_TIMEOUT", 30),
    ("MAX_FORM_MEMORY_SIZE", 500_000),
    ("MAX_FORM_PARTS", 1_000),
];

/// How many header fields hyper parses before it answers 431 itself (with an
/// empty body). hyper keeps these slots on the stack; asking for more costs two
/// heap buffers on every request.
const HYPER_DEFAULT_HEADER_CAPACITY: usize = 100;

/// How much a client may send, and how slowly.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Limits {
    /// Largest request body, in bytes (`MAX_CONTENT_LENGTH`); larger is a 413.
    pub(crate) max_content_length: usize,
    /// Request-body bytes held by the whole server at once
    /// (`MAX_BODY_BYTES_IN_FLIGHT`); past it, bodies wait, then get 503.
    pub(crate) max_body_bytes_in_flight: usize,
    /// Largest request head (target + headers), in bytes (`MAX_HEADER_SIZE`); larger is a 431.
    pub(crate) max_header_size: usize,
    /// Most header fields (`MAX_HEADER_COUNT`); more is a 431 with a JSON body, up
    /// to [`Limits::hyper_header_capacity`]; beyond that hyper answers a bodiless 431.
    pub(crate) max_header_count: usize,
    /// Time to receive a request's head (`HEADER_READ_TIMEOUT`, seconds), also the
    /// longest an HTTP/1.1 keep-alive connection may sit idle; slower clients are
    /// dropped.
    pub(crate) header_read_timeout: Duration,
    /// Time to receive a request's body (`BODY_READ_TIMEOUT`, seconds); slower is a 408.
    pub(crate) body_read_timeout: Duration,
    /// Most connections served at once (`MAX_CONNECTIONS`); more wait to be accepted.
    pub(crate) max_connections: usize,
    /// Time in-flight requests get to finish on shutdown (`SHUTDOWN_TIMEOUT`, seconds).
    pub(crate) shutdown_timeout: Duration,
    /// Requests one HTTP/2 connection may have open at once
    /// (`HTTP2_MAX_CONCURRENT_STREAMS`, sent in its SETTINGS); a client opens more
    /// only as earlier ones end. Their bodies draw from `MAX_BODY_BYTES_IN_FLIGHT`
    /// like any other, so many streams wait for it rather than fill memory.
    pub(crate) http2_max_concurrent_streams: u32,
    /// How long an HTTP/2 connection may have no request in flight
    /// (`HTTP2_IDLE_TIMEOUT`, seconds) before it is sent GOAWAY, and, if it is
    /// still open and idle as long again, closed; pings do not count.
    pub(crate) http2_idle_timeout: Duration,
    /// How long a response may make no progress (`RESPONSE_WRITE_TIMEOUT`,
    /// seconds): a socket write that waits this long closes the connection, and an
    /// HTTP/2 stream whose client grants no flow-control window this long is reset.
    pub(crate) response_write_timeout: Duration,
    /// Largest text field of a multipart form, in bytes (`MAX_FORM_MEMORY_SIZE`,
    /// Flask 3.1's default 500 000; `None`, set as `null`, for no limit); larger is a 413.
    pub(crate) max_form_memory_size: Option<usize>,
    /// Most parts of a multipart form (`MAX_FORM_PARTS`, Flask's default 1000;
    /// `None` for no limit); more is a 413.
    pub(crate) max_form_parts: Option<usize>,
}

impl Limits {
    pub(crate) fn from_config(config: &Config) -> Result<Limits, Error> {
        let size =
            |key: &str| -> Result<usize, Error> { Ok(config.get_usize(key)?.unwrap_or_else(|| default(key) as usize)) };
        // Flask's `None` (JSON `null`) is no limit; an absent key is the default.
        let optional_size = |key: &str| -> Result<Option<usize>, Error> {
            match config.get(key) {
                Some(serde_json::Value::Null) => Ok(None),
                Some(_) => config.get_usize(key),
                None => Ok(Some(default(key) as usize)),
            }
        };
        let seconds = |key: &str| -> Result<Duration, Error> {
            Ok(config.get_duration(key)?.unwrap_or_else(|| Duration::from_secs(default(key))))
        };
        let limits = Limits {
            max_content_length: size("MAX_CONTENT_LENGTH")?,
            max_body_bytes_in_flight: size("MAX_BODY_BYTES_IN_FLIGHT")?,
            max_header_size: size("MAX_HEADER_SIZE")?,
            max_header_count: size("MAX_HEADER_COUNT")?,
            header_read_timeout: seconds("HEADER_READ_TIMEOUT")?,
            body_read_timeout: seconds("BODY_READ_TIMEOUT")?,
            max_connections: size("MAX_CONNECTIONS")?,
            shutdown_timeout: seconds("SHUTDOWN_TIMEOUT")?,
            http2_max_concurrent_streams: u32::try_from(size("HTTP2_MAX_CONCURRENT_STREAMS")?).unwrap_or(u32::MAX),
            http2_idle_timeout: seconds("HTTP2_IDLE_TIMEOUT")?,
            response_write_timeout: seconds("RESPONSE_WRITE_TIMEOUT")?,
            max_form_memory_size: optional_size("MAX_FORM_MEMORY_SIZE")?,
            max_form_parts: optional_size("MAX_FORM_PARTS")?,
        };
        if limits.max_connections == 0 {
            return Err(Error::Config { key: "MAX_CONNECTIONS".into(), message: "must be at least 1".into() });
        }
        if limits.http2_max_concurrent_streams == 0 {
            return Err(Error::Config {
                key: "HTTP2_MAX_CONCURRENT_STREAMS".into(),
                message: "must be at least 1".into(),
            });
        }
        for (key, timeout) in [
            ("HTTP2_IDLE_TIMEOUT", limits.http2_idle_timeout),
            ("RESPONSE_WRITE_TIMEOUT", limits.response_write_timeout),
        ] {
            if timeout.is_zero() {
                return Err(Error::Config { key: key.into(), message: "must be more than 0 seconds".into() });
            }
        }
        if limits.max_body_bytes_in_flight < limits.max_content_length {
            return Err(Error::Config {
                key: "MAX_BODY_BYTES_IN_FLIGHT".into(),
                message: format!(
                    "must be at least MAX_CONTENT_LENGTH ({} bytes), or the largest allowed body could never be read",
                    limits.max_content_length
                ),
            });
        }
        Ok(limits)
    }

    /// The header capacity to configure in hyper, or `None` to keep its
    /// stack-allocated 100. While `MAX_HEADER_COUNT` is below 100, phial's own JSON
    /// 431 covers the counts between; an app that raises it to 100 or more gets
    /// twice its count from hyper (and pays the heap buffers).
    pub(crate) fn hyper_header_capacity(&self) -> Option<usize> {
        (self.max_header_count >= HYPER_DEFAULT_HEADER_CAPACITY).then_some(self.max_header_count * 2)
    }
}

fn default(key: &str) -> u64 {
    DEFAULTS.iter().find(|(k, _)| *k == key).map_or(0, |(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits_with_header_count(count: u64) -> Limits {
        let mut config = Config::new();
        config.set("MAX_HEADER_COUNT", count);
        Limits::from_config(&config).unwrap()
    }

    #[test]
    fn hyper_keeps_its_stack_slots_below_a_hundred_headers() {
        assert_eq!(Limits::from_config(&Config::new()).unwrap().max_header_count, 64);
        assert_eq!(limits_with_header_count(64).hyper_header_capacity(), None);
        assert_eq!(limits_with_header_count(99).hyper_header_capacity(), None);
    }

    #[test]
    fn the_body_budget_must_hold_the_largest_body() {
        let mut config = Config::new();
        config.set("MAX_CONTENT_LENGTH", 1000).set("MAX_BODY_BYTES_IN_FLIGHT", 999);
        let error = Limits::from_config(&config).unwrap_err().to_string();
        assert!(error.contains("MAX_BODY_BYTES_IN_FLIGHT") && error.contains("1000 bytes"), "{error}");
        config.set("MAX_BODY_BYTES_IN_FLIGHT", 1000);
        assert_eq!(Limits::from_config(&config).unwrap().max_body_bytes_in_flight, 1000);
    }

    #[test]
    fn form_limits_default_to_flasks_and_null_lifts_them() {
        let limits = Limits::from_config(&Config::new()).unwrap();
        assert_eq!((limits.max_form_memory_size, limits.max_form_parts), (Some(500_000), Some(1000)));
        let mut config = Config::new();
        config.set("MAX_FORM_MEMORY_SIZE", serde_json::Value::Null).set("MAX_FORM_PARTS", 5);
        let limits = Limits::from_config(&config).unwrap();
        assert_eq!((limits.max_form_memory_size, limits.max_form_parts), (None, Some(5)));
        config.set("MAX_FORM_PARTS", "many");
        assert!(Limits::from_config(&config).unwrap_err().to_string().contains("MAX_FORM_PARTS"));
    }

    #[test]
    fn http2_limits_have_defaults_and_refuse_zero() {
        let limits = Limits::from_config(&Config::new()).unwrap();
        assert_eq!(limits.http2_max_concurrent_streams, 100);
        assert_eq!(limits.http2_idle_timeout, Duration::from_secs(60));
        assert_eq!(limits.response_write_timeout, Duration::from_secs(30));
        let mut config = Config::new();
        config.set("HTTP2_IDLE_TIMEOUT", 0.25).set("RESPONSE_WRITE_TIMEOUT", 0.5);
        let limits = Limits::from_config(&config).unwrap();
        assert_eq!(limits.http2_idle_timeout, Duration::from_millis(250));
        assert_eq!(limits.response_write_timeout, Duration::from_millis(500));
        for key in ["HTTP2_MAX_CONCURRENT_STREAMS", "HTTP2_IDLE_TIMEOUT", "RESPONSE_WRITE_TIMEOUT"] {
            let mut config = Config::new();
            config.set(key, 0);
            assert!(Limits::from_config(&config).unwrap_err().to_string().contains(key), "{key}");
        }
    }

    #[test]
    fn a_raised_count_asks_hyper_for_twice_as_many() {
        assert_eq!(limits_with_header_count(100).hyper_header_capacity(), Some(200));
        assert_eq!(limits_with_header_count(150).hyper_header_capacity(), Some(300));
    }
}
