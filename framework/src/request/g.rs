//! `g`: a per-request store, like Flask's `flask.g`.

use std::sync::{Mutex, MutexGuard};

/// Values stored for the length of one request, keyed by type (Flask's `g`).
///
/// Hooks, decorators and handlers of the same request share it: a decorator stores
/// what it verified, the handler and the `after_request` hooks read it. Values are
/// read by clone, so store cheap values or `Arc`s.
///
/// ```
/// # use phial::request::G;
/// #[derive(Clone, Debug, PartialEq)]
/// struct CurrentUser(String);
///
/// let g = G::default();
/// g.insert(CurrentUser("ann".into()));
/// assert_eq!(g.get::<CurrentUser>(), Some(CurrentUser("ann".into())));
/// assert!(g.contains::<CurrentUser>());
/// ```
#[derive(Debug, Default)]
pub struct G {
    values: Mutex<http::Extensions>,
}

impl G {
    fn lock(&self) -> MutexGuard<'_, http::Extensions> {
        // A panic while holding the lock cannot leave an Extensions map half-written.
        self.values.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores `value`, returning the previous value of that type.
    pub fn insert<T: Clone + Send + Sync + 'static>(&self, value: T) -> Option<T> {
        self.lock().insert(value)
    }

    /// A clone of the stored value of type `T`.
    pub fn get<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        self.lock().get::<T>().cloned()
    }

    /// Whether a value of type `T` is stored.
    pub fn contains<T: Send + Sync + 'static>(&self) -> bool {
        self.lock().get::<T>().is_some()
    }

    /// Removes and returns the value of type `T` (`g.pop`).
    pub fn remove<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        self.lock().remove::<T>()
    }

    /// The stored value of type `T`, inserting `make()` first if absent (`g.setdefault`).
    pub fn get_or_insert_with<T: Clone + Send + Sync + 'static>(&self, make: impl FnOnce() -> T) -> T {
        let mut values = self.lock();
        if let Some(value) = values.get::<T>() {
            return value.clone();
        }
        let value = make();
        values.insert(value.clone());
        value
    }
}
