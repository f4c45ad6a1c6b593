//! The clock tokens are made and checked with: the system's, or one a test controls.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the manager reads the time (seconds since the Unix epoch, as a float).
///
/// ```
/// use phial_jwt::Clock;
///
/// let frozen = Clock::fixed(1_700_000_000.0);
/// assert_eq!(frozen.now(), 1_700_000_000.0);
/// assert!(Clock::system().now() > 1_700_000_000.0);
/// ```
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> f64 + Send + Sync>);

impl Clock {
    /// The system clock (the default).
    pub fn system() -> Clock {
        Clock(Arc::new(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())))
    }

    /// A clock stopped at `unix_seconds`.
    pub fn fixed(unix_seconds: f64) -> Clock {
        Clock(Arc::new(move || unix_seconds))
    }

    /// A clock reading `now`, for tests that move time.
    pub fn from_fn(now: impl Fn() -> f64 + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(now))
    }

    /// The current time, in seconds since the Unix epoch.
    pub fn now(&self) -> f64 {
        (self.0)()
    }

    /// The current time in whole seconds since the Unix epoch (0 before it): the
    /// unit the blocklist stores keep expiries in.
    pub(crate) fn unix_seconds(&self) -> u64 {
        let now = self.now().floor();
        if now > 0.0 { now as u64 } else { 0 }
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clock(now = {})", self.now())
    }
}
