//! `MemoryBlocklist`: revocations in the process's memory, bounded.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::{Blocklist, BlocklistError, BlocklistFuture, IdentityCutoff, TokenRef, family_entry};
use crate::Clock;

/// Revoked tokens in memory: the default store, for one process.
///
/// - Revocations are lost when the process stops, and each process has its own:
///   use `SqliteBlocklist` (feature `sqlite`) to survive restarts and
///   `RedisBlocklist` (feature `redis`) to share them between servers.
/// - It holds at most [`capacity`](MemoryBlocklist::capacity) tokens (100 000 by
///   default, a few MB). It never un-revokes: each revocation first drops the
///   entries whose token has expired since (they are kept in expiry order, so this
///   costs only what it drops, not a walk over the store); if the store is still
///   full, [`revoke`](Blocklist::revoke) fails with [`BlocklistError::Full`] and the
///   logout answers 503 (with a log line). Tokens without `exp` are kept until the
///   process stops. A user who mints and revokes tokens fast enough fills it (each
///   revoked token stays until it expires): rate-limit login and logout, shorten
///   `JWT_ACCESS_TOKEN_EXPIRES`, raise the capacity, or use `RedisBlocklist`.
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
    /// "Log out everywhere" cut-offs by identity; empty in most apps, and then
    /// a check never takes its lock.
    cutoffs: Arc<RwLock<HashMap<String, IdentityCutoff>>>,
    /// Used refresh tokens (rotation).
    retired: Arc<std::sync::Mutex<HashMap<String, Retired>>>,
    capacity: usize,
    clock: Clock,
}

/// The revoked `jti`s with the time their token expires, and the same entries
/// ordered by that time, so that dropping the expired ones costs only what they are
/// (a few steps per entry dropped), never a walk over the whole store under the lock.
#[derive(Default)]
struct Entries {
    expiries: HashMap<Arc<str>, Option<u64>>,
    by_expiry: BTreeSet<(u64, Arc<str>)>,
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
        MemoryBlocklist {
            entries: Arc::default(),
            cutoffs: Arc::default(),
            retired: Arc::default(),
            capacity,
            clock: Clock::system(),
        }
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
        // Expired entries go first, so that they never take the room of a new one.
        entries.purge(now);
        if let Some((known, known_at)) = entries.expiries.get_key_value(jti).map(|(k, at)| (k.clone(), *at)) {
            // Revoked again: keep the later expiry, never an earlier one.
            let kept = later(known_at, expires_at);
            if kept != known_at {
                entries.index(&known, known_at, kept);
                entries.expiries.insert(known, kept);
            }
            return Ok(());
        }
        if entries.expiries.len() >= self.capacity {
            return Err(BlocklistError::Full { capacity: self.capacity });
        }
        let jti: Arc<str> = Arc::from(jti);
        entries.index(&jti, None, expires_at);
        entries.expiries.insert(jti, expires_at);
        Ok(())
    }
}

impl Entries {
    /// Drops the entries whose token is refused as expired at `now`: the first ones
    /// in expiry order, as many as have expired.
    fn purge(&mut self, now: u64) {
        while let Some((at, _)) = self.by_expiry.first() {
            if *at > now {
                break;
            }
            if let Some((_, jti)) = self.by_expiry.pop_first() {
                self.expiries.remove(&jti);
            }
        }
    }

    /// Moves `jti` in the expiry order from `from` to `to` (`None`: not in it, as a
    /// token that never expires is never purged).
    fn index(&mut self, jti: &Arc<str>, from: Option<u64>, to: Option<u64>) {
        if let Some(from) = from {
            self.by_expiry.remove(&(from, jti.clone()));
        }
        if let Some(to) = to {
            self.by_expiry.insert((to, jti.clone()));
        }
    }
}

/// A used refresh token: when it was first used, and when it expires.
type Retired = (u64, Option<u64>);

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

    /// Replaces the identity's cut-off, dropping the cut-offs whose tokens have all
    /// expired (a walk over the cut-offs: one per identity that logged out
    /// everywhere within the longest token lifetime, a rare operation).
    fn retire<'a>(&'a self, jti: &'a str, now: u64, expires_at: Option<u64>) -> BlocklistFuture<'a, Option<u64>> {
        Box::pin(std::future::ready(self.retire_now(jti, now, expires_at)))
    }

    fn revoke_identity<'a>(&'a self, cutoff: &'a IdentityCutoff) -> BlocklistFuture<'a, ()> {
        let now = self.clock.unix_seconds();
        let mut cutoffs = self.cutoffs.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        cutoffs.retain(|_, kept| !kept.expired_at(now));
        cutoffs.insert(cutoff.identity.clone(), cutoff.clone());
        Box::pin(std::future::ready(Ok(())))
    }

    fn is_token_revoked<'a>(&'a self, token: TokenRef<'a>) -> BlocklistFuture<'a, bool> {
        let by_jti = {
            let entries = self.read();
            token.jti.is_some_and(|jti| entries.expiries.contains_key(jti))
                || token.family.is_some_and(|family| entries.expiries.contains_key(family_entry(family).as_str()))
        };
        let by_identity = !by_jti && token.identity.is_some_and(|identity| self.cut_off(identity, &token));
        Box::pin(std::future::ready(Ok(by_jti || by_identity)))
    }
}

impl MemoryBlocklist {
    /// First use wins under the lock; expired records are dropped on the way (a
    /// walk over the used refresh tokens, once per refresh).
    fn retire_now(&self, jti: &str, now: u64, expires_at: Option<u64>) -> Result<Option<u64>, BlocklistError> {
        let mut retired = self.retired.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((first_use, _)) = retired.get(jti) {
            return Ok(Some(*first_use));
        }
        retired.retain(|_, (_, until)| until.is_none_or(|until| until > now));
        if retired.len() >= self.capacity {
            return Err(BlocklistError::Full { capacity: self.capacity });
        }
        retired.insert(jti.to_owned(), (now, expires_at));
        Ok(None)
    }

    /// Whether `identity` has a live cut-off that refuses `token`.
    fn cut_off(&self, identity: &str, token: &TokenRef<'_>) -> bool {
        let cutoffs = self.cutoffs.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        if cutoffs.is_empty() {
            return false;
        }
        let now = self.clock.unix_seconds();
        cutoffs.get(identity).is_some_and(|cutoff| !cutoff.expired_at(now) && cutoff.refuses(token))
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
    fn expired_entries_make_room_and_revoking_again_keeps_the_later_expiry() {
        let store = MemoryBlocklist::with_capacity(2).with_clock(Clock::fixed(100.0));
        revoke(&store, "a", Some(150)).unwrap();
        revoke(&store, "b", None).unwrap();
        assert_eq!(revoke(&store, "c", Some(200)), Err(BlocklistError::Full { capacity: 2 }));
        // Revoking a known jti again needs no room, and keeps the later expiry.
        revoke(&store, "a", Some(120)).unwrap();
        assert_eq!(store.read().expiries["a"], Some(150));
        revoke(&store, "a", Some(170)).unwrap();
        assert_eq!(store.read().expiries["a"], Some(170));
        assert_eq!(store.read().by_expiry.iter().map(|(at, jti)| (*at, &**jti)).collect::<Vec<_>>(), [(170, "a")]);

        let later_store = store.clone().with_clock(Clock::fixed(170.0));
        revoke(&later_store, "c", Some(200)).unwrap();
        let entries = store.read();
        assert!(!entries.expiries.contains_key("a"), "expired at 170: dropped to make room");
        assert!(entries.expiries.contains_key("b"), "a token that never expires stays");
        assert_eq!(entries.expiries.len(), 2);
        assert_eq!(entries.by_expiry.len(), 1);
    }

    #[test]
    fn a_purge_touches_only_the_expired_entries() {
        let store = MemoryBlocklist::with_capacity(10_000).with_clock(Clock::fixed(1_000.0));
        for n in 0..5_000u64 {
            revoke(&store, &format!("long-{n}"), Some(1_000_000 + n)).unwrap();
        }
        for n in 0..3u64 {
            revoke(&store, &format!("short-{n}"), Some(1_001)).unwrap();
        }
        let later_store = store.clone().with_clock(Clock::fixed(2_000.0));
        revoke(&later_store, "new", Some(1_000_000)).unwrap();
        let entries = store.read();
        assert_eq!(entries.expiries.len(), 5_001, "the three expired ones dropped, the new one in");
        assert_eq!(entries.by_expiry.len(), entries.expiries.len());
    }
}
