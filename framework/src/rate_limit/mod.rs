//! Rate limits (on the `governor` crate): so many requests per key in a period, the
//! rest answered `429 Too Many Requests` with a `Retry-After`.
//!
//! - [`PerAddress`], a tower layer: per client address, before routing (put it on
//!   the blueprint that holds `/login` and `/logout`, say). Behind a proxy, add
//!   [`ProxyFix`](crate::layer::ProxyFix) outside it, or every client shares the
//!   proxy's address.
//! - [`KeyedLimit`]: the same limit by any key, for a decorator that knows more than
//!   a layer does (phial-jwt's limit per verified identity is one).
//!
//! ```
//! use phial::prelude::*;
//! use phial::rate_limit::PerAddress;
//!
//! let mut auth = Blueprint::new("auth", "/auth");
//! auth.route("/login", ["POST"], || async { jsonify!({"msg": "ok"}) });
//! auth.layer(PerAddress::per_minute(5)); // a sixth login a minute from one address: 429
//! let mut app = App::new("limited");
//! app.register_blueprint(auth);
//! ```
//!
//! Keys not seen for a while are forgotten by a background task, never on a
//! request; the limits are per process (each server behind a load balancer counts
//! its own).

mod per_address;

pub use per_address::{PerAddress, PerAddressService};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::header::RETRY_AFTER;
use http::{HeaderValue, StatusCode};
use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::{Arc, Once, Weak};
use std::time::Duration;

use crate::HttpError;

/// How often keys that have not been seen lately are dropped.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// A limit of `burst` requests per key, refilled over `period` (a token bucket: at
/// most `burst` at once, then one every `period / burst`).
pub struct KeyedLimit<K: Hash + Eq + Clone + Send + Sync + 'static> {
    limiter: Arc<DefaultKeyedRateLimiter<K>>,
    forgetting: Arc<Once>,
}

impl<K: Hash + Eq + Clone + Send + Sync + 'static> Clone for KeyedLimit<K> {
    fn clone(&self) -> Self {
        KeyedLimit { limiter: self.limiter.clone(), forgetting: self.forgetting.clone() }
    }
}

impl<K: Hash + Eq + Clone + Send + Sync + 'static> std::fmt::Debug for KeyedLimit<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyedLimit").field("keys", &self.limiter.len()).finish_non_exhaustive()
    }
}

impl<K: Hash + Eq + Clone + Send + Sync + 'static> KeyedLimit<K> {
    /// `requests` per `period` for each key (`requests` at least 1; a zero
    /// `period` is taken as one nanosecond).
    pub fn new(requests: u32, period: Duration) -> KeyedLimit<K> {
        let burst = NonZeroU32::new(requests.max(1)).unwrap_or(NonZeroU32::MIN);
        let replenish = (period / burst.get()).max(Duration::from_nanos(1));
        let quota = Quota::with_period(replenish).unwrap_or(Quota::per_second(burst)).allow_burst(burst);
        KeyedLimit { limiter: Arc::new(RateLimiter::keyed(quota)), forgetting: Arc::new(Once::new()) }
    }

    /// Counts one request for `key`: `Ok`, or a 429 whose `Retry-After` says when
    /// the next one is allowed.
    pub fn check(&self, key: &K) -> Result<(), HttpError> {
        self.forget_in_the_background();
        match self.limiter.check_key(key) {
            Ok(()) => Ok(()),
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                tracing::warn!(target: "phial::rate_limit", retry_after = seconds, "rate limit reached; 429");
                let error = HttpError::new(StatusCode::TOO_MANY_REQUESTS);
                Err(match HeaderValue::from_str(&seconds.max(1).to_string()) {
                    Ok(value) => error.header(RETRY_AFTER, value),
                    Err(_) => error,
                })
            }
        }
    }

    /// How many keys are counted now.
    pub fn keys(&self) -> usize {
        self.limiter.len()
    }

    /// Starts, once, a task that drops keys whose bucket is full again (they would
    /// be allowed anyway), so that the map does not grow with every address ever
    /// seen. It ends with the limit. Outside a tokio runtime nothing is started.
    fn forget_in_the_background(&self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let limiter: Weak<DefaultKeyedRateLimiter<K>> = Arc::downgrade(&self.limiter);
        self.forgetting.call_once(|| {
            runtime.spawn(async move {
                loop {
                    tokio::time::sleep(FORGET_EVERY).await;
                    let Some(limiter) = limiter.upgrade() else { return };
                    limiter.retain_recent();
                    limiter.shrink_to_fit();
                }
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_key_has_its_own_allowance_and_the_rest_is_a_429_with_retry_after() {
        let limit = KeyedLimit::new(2, Duration::from_secs(60));
        assert!(limit.check(&"a").is_ok() && limit.check(&"a").is_ok());
        let refused = limit.check(&"a").unwrap_err();
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let response = refused.render();
        let retry: u64 = response.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((1..=30).contains(&retry), "one request every 30 s: {retry}");
        assert!(limit.check(&"b").is_ok(), "another key is not limited");
        assert_eq!(limit.keys(), 2);
    }
}
