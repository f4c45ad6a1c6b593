//! `MemoryBlocklist`: revocations in the process's memory, bounded.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::{Blocklist, BlocklistError, BlocklistFuture};
use crate::Clock;

/// Revoked tokens in memory: the default store, for one process.
///
/// - Revocations are lost when the process stops, and each process has its own:
///   use `SqliteBlocklist` (feature `sqlite`) to survive restarts and
///   `RedisBlocklist` (feature `redis`) to share them between servers.
/// - It holds at most [`capacity`](MemoryBlocklist::capacity) tokens (100 000 by
///   default, a few MB). It never un-revokes: at capacity it first drops the
///   entries whose token has expired since; if none has, [`revoke`](Blocklist::revoke)
///   fails with [`BlocklistError::Full`] and the logout answers 503 (with a log
///   line). Tokens without `exp` are kept until the process stops.
/// - Checks take a read lock on a hash map, never held across an `.await`.
///
/// Clones share the same entries.
///
/// ```
/// use phial_jwt::blocklist::{Blocklist, MemoryBlocklist};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryBlocklist::with_capacity(2);
/// store.revoke("jti-1", Some(u64::MAX)).await.unwrap();
/// assert!(store.is_revoked("jti-1").await.unwrap());
/// assert!(!store.is_revoked("jti-2").await.unwrap());
/// # });
/// ```
#[derive(Clone)]
pub struct MemoryBlocklist {
    entries: Arc<RwLock<Entries>>,
    capacity: usize,
    clock: Clock,
}

/// The revoked `jti`s with the time their token expires, and the earliest of those
/// times, so that a purge runs only when it can free something.
#[derive(Default)]
struct Entries {
    expiries: HashMap<String, Option<u64>>,
    earliest: Option<u64>,
}

impl MemoryBlocklist {
    /// The default capacity: 100 000 revoked tokens.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// An empty store of [`DEFAULT_CAPACITY`](MemoryBlocklist::DEFAULT_CAPACITY)
    /// tokens, on the system clock.
    pub fn new() -> MemoryBlocklist {
        MemoryBlocklist::with_capacity(MemoryBlocklist::DEFAULT_CAPACITY)
    }

    /// An empty store of at most `capacity` tokens (0 refuses every revocation).
    pub fn with_capacity(capacity: usize) -> MemoryBlocklist {
        MemoryBlocklist { entries: Arc::default(), capacity, clock: Clock::system() }
    }

    /// Uses `clock` to tell which entries have expired (give it the manager's clock
    /// when a test freezes time).
    pub fn with_clock(mut self, clock: Clock) -> MemoryBlocklist {
        self.clock = clock;
        self
    }

    /// How many tokens the store holds at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many tokens the store holds now (expired ones included, until a purge).
    pub fn len(&self) -> usize {
        self.read().expiries.len()
    }

    /// Whether the store holds no token.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> RwLockReadGuard<'_, Entries> {
        self.entries.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Entries> {
        self.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn insert(&self, jti: &str, expires_at: Option<u64>) -> Result<(), BlocklistError> {
        let now = self.clock.unix_seconds();
        let mut entries = self.write();
        if let Some(known) = entries.expiries.get_mut(jti) {
            // Revoked again: keep the later expiry, never an earlier one.
            *known = later(*known, expires_at);
            return Ok(());
        }
        if entries.expiries.len() >= self.capacity {
            entries.purge(now);
            if entries.expiries.len() >= self.capacity {
                return Err(BlocklistError::Full { capacity: self.capacity });
            }
        }
        entries.expiries.insert(jti.to_string(), expires_at);
        if let Some(at) = expires_at {
            entries.earliest = Some(entries.earliest.map_or(at, |earliest| earliest.min(at)));
        }
        Ok(())
    }
}

impl Entries {
    /// Drops the entries whose token is refused as expired at `now`.
    fn purge(&mut self, now: u64) {
        if self.earliest.is_none_or(|earliest| earliest > now) {
            return;
        }
        self.expiries.retain(|_, expires_at| expires_at.is_none_or(|at| at > now));
        self.earliest = self.expiries.values().filter_map(|at| *at).min();
    }
}

/// The later of two expiries, `None` (never) being the latest.
fn later(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    Some(a?.max(b?))
}

impl Default for MemoryBlocklist {
    fn default() -> MemoryBlocklist {
        MemoryBlocklist::new()
    }
}

impl Blocklist for MemoryBlocklist {
    fn revoke<'a>(&'a self, jti: &'a str, expires_at: Option<u64>) -> BlocklistFuture<'a, ()> {
        Box::pin(std::future::ready(self.insert(jti, expires_at)))
    }

    fn is_revoked<'a>(&'a self, jti: &'a str) -> BlocklistFuture<'a, bool> {
        Box::pin(std::future::ready(Ok(self.read().expiries.contains_key(jti))))
    }
}

impl fmt::Debug for MemoryBlocklist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryBlocklist")
            .field("len", &self.len())
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revoke(store: &MemoryBlocklist, jti: &str, expires_at: Option<u64>) -> Result<(), BlocklistError> {
        store.insert(jti, expires_at)
    }

    #[test]
    fn later_expiry_wins_and_never_means_never() {
        assert_eq!(later(Some(1), Some(2)), Some(2));
        assert_eq!(later(None, Some(2)), None);
        assert_eq!(later(Some(1), None), None);
    }

    #[test]
    fn purge_runs_only_when_something_expired() {
        let store = MemoryBlocklist::with_capacity(2).with_clock(Clock::fixed(100.0));
        revoke(&store, "a", Some(150)).unwrap();
        revoke(&store, "b", None).unwrap();
        assert_eq!(revoke(&store, "c", Some(200)), Err(BlocklistError::Full { capacity: 2 }));
        // Revoking a known jti again needs no room, and keeps the later expiry.
        revoke(&store, "a", Some(120)).unwrap();
        assert_eq!(store.read().expiries["a"], Some(150));
        assert_eq!(store.read().earliest, Some(150));

        let later_store = store.clone().with_clock(Clock::fixed(150.0));
        revoke(&later_store, "c", Some(200)).unwrap();
        let entries = store.read();
        assert!(!entries.expiries.contains_key("a"));
        assert_eq!(entries.earliest, Some(200));
        assert_eq!(entries.expiries.len(), 2);
    }
}
