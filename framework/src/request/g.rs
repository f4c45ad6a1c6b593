//! `g`: a per-request store, like Flask's `flask.g`.

use std::any::{Any, TypeId};
use std::fmt;
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
#[derive(Default)]
pub struct G {
    // A few values at most (one per extension or decorator), so a list searched
    // in order: cheaper to fill, read and drop than a hash map, on every request.
    values: Mutex<Vec<Entry>>,
}

/// One stored value and its type.
struct Entry {
    type_id: TypeId,
    value: Box<dyn Any + Send + Sync>,
}

impl G {
    fn lock(&self) -> MutexGuard<'_, Vec<Entry>> {
        // A panic while holding the lock cannot leave the list half-written.
        self.values.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores `value`, returning the previous value of that type.
    pub fn insert<T: Clone + Send + Sync + 'static>(&self, value: T) -> Option<T> {
        let mut values = self.lock();
        match values.iter_mut().find(|entry| entry.type_id == TypeId::of::<T>()) {
            Some(entry) => {
                let previous = std::mem::replace(&mut entry.value, Box::new(value));
                previous.downcast::<T>().ok().map(|previous| *previous)
            }
            None => {
                values.push(Entry { type_id: TypeId::of::<T>(), value: Box::new(value) });
                None
            }
        }
    }

    /// A clone of the stored value of type `T`.
    pub fn get<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        find::<T>(&self.lock()).cloned()
    }

    /// Whether a value of type `T` is stored.
    pub fn contains<T: Send + Sync + 'static>(&self) -> bool {
        find::<T>(&self.lock()).is_some()
    }

    /// Removes and returns the value of type `T` (`g.pop`).
    pub fn remove<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        let mut values = self.lock();
        let index = values.iter().position(|entry| entry.type_id == TypeId::of::<T>())?;
        values.swap_remove(index).value.downcast::<T>().ok().map(|value| *value)
    }

    /// The stored value of type `T`, inserting `make()` first if absent (`g.setdefault`).
    pub fn get_or_insert_with<T: Clone + Send + Sync + 'static>(&self, make: impl FnOnce() -> T) -> T {
        let mut values = self.lock();
        if let Some(value) = find::<T>(&values) {
            return value.clone();
        }
        let value = make();
        values.push(Entry { type_id: TypeId::of::<T>(), value: Box::new(value.clone()) });
        value
    }

    /// Sets `g.<name>` (Flask's `g.user = "ada"`): a value by name, as JSON, for
    /// templates (`{{ g.user }}`) and for [`value`](G::value).
    ///
    /// ```
    /// # use phial::request::G;
    /// let g = G::default();
    /// g.set("user", "ada");
    /// assert_eq!(g.value("user"), Some(serde_json::json!("ada")));
    /// ```
    pub fn set(&self, name: &str, value: impl serde::Serialize) {
        let value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        let mut named = self.get::<Named>().unwrap_or_default();
        match named.0.iter_mut().find(|(key, _)| key == name) {
            Some(entry) => entry.1 = value,
            None => named.0.push((name.to_string(), value)),
        }
        self.insert(named);
    }

    /// `g.<name>` as [`set`](G::set) stored it.
    pub fn value(&self, name: &str) -> Option<serde_json::Value> {
        let values = self.lock();
        find::<Named>(&values)?.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
    }

    /// Every value set by name, in the order they were first set.
    pub(crate) fn named_values(&self) -> Vec<(String, serde_json::Value)> {
        self.get::<Named>().map(|named| named.0).unwrap_or_default()
    }
}

/// The values of `g` set by name.
#[derive(Clone, Default)]
struct Named(Vec<(String, serde_json::Value)>);

/// The stored value of type `T` in `values`.
fn find<T: 'static>(values: &[Entry]) -> Option<&T> {
    values.iter().find(|entry| entry.type_id == TypeId::of::<T>()).and_then(|entry| entry.value.downcast_ref::<T>())
}

impl fmt::Debug for G {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("G").field("values", &self.lock().len()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct User(&'static str);

    #[derive(Clone, Debug, PartialEq)]
    struct Count(u32);

    #[test]
    fn values_are_kept_by_type_and_replaced_by_type() {
        let g = G::default();
        assert_eq!(g.insert(User("ann")), None);
        assert_eq!(g.insert(Count(1)), None);
        assert_eq!(g.insert(User("bob")), Some(User("ann")));
        assert_eq!(g.get::<User>(), Some(User("bob")));
        assert_eq!(g.get::<Count>(), Some(Count(1)));
        assert_eq!(g.get::<String>(), None);
    }

    #[test]
    fn remove_and_setdefault() {
        let g = G::default();
        assert_eq!(g.get_or_insert_with(|| Count(7)), Count(7));
        assert_eq!(g.get_or_insert_with(|| Count(8)), Count(7));
        g.insert(User("ann"));
        assert_eq!(g.remove::<Count>(), Some(Count(7)));
        assert_eq!(g.remove::<Count>(), None);
        assert!(!g.contains::<Count>());
        assert_eq!(g.get::<User>(), Some(User("ann")));
        assert_eq!(format!("{g:?}"), "G { values: 1 }");
    }
}
