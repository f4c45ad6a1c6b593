//! The local cache of a [`RedisBlocklist`](super::RedisBlocklist): revocations
//! mirrored in memory and kept current by Redis pub/sub, so that checking a token
//! makes no network call.
//!
//! - Every revocation a phial server writes is also published on a channel; every
//!   server with the cache subscribes and applies it to its mirror.
//! - On (re)connecting, the subscription is made first, then the whole store is
//!   read again (`SCAN` of the revocation and cut-off keys), so nothing published
//!   meanwhile is missed.
//! - While the subscription is down, and until that resync is done, checks fail
//!   closed (503, or let through with `FailMode::Open`): a server never answers
//!   from a mirror that may have missed a logout.
//! - Retiring refresh tokens (rotation) still goes to Redis, which decides the
//!   first use for every server at once.

use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Blocklist, BlocklistError, IdentityCutoff, MemoryBlocklist, TokenRef};

/// What one server holds: the mirror, and whether it is current.
pub(super) struct LocalCache {
    pub(super) mirror: MemoryBlocklist,
    live: AtomicBool,
}

/// A change every server applies: a revoked key, or a cut-off.
pub(super) fn revoked_message(key_name: &str, expires_at: Option<u64>) -> String {
    json!({"jti": key_name, "exp": expires_at}).to_string()
}

pub(super) fn cutoff_message(cutoff: &IdentityCutoff) -> String {
    json!({
        "identity": cutoff.identity,
        "up_to": cutoff.issued_up_to,
        "except": cutoff.except_jti,
        "keep_until": cutoff.keep_until,
    })
    .to_string()
}

impl LocalCache {
    pub(super) fn new() -> LocalCache {
        LocalCache { mirror: MemoryBlocklist::with_capacity(usize::MAX), live: AtomicBool::new(false) }
    }

    /// Whether the mirror may answer.
    pub(super) fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    /// Applies one published change.
    pub(super) async fn apply(&self, message: &str) {
        let Ok(change) = serde_json::from_str::<Value>(message) else {
            tracing::warn!(target: "phial_jwt", message, "a revocation message phial did not write is ignored");
            return;
        };
        let result = if let Some(name) = change.get("jti").and_then(Value::as_str) {
            self.mirror.revoke(name, change.get("exp").and_then(Value::as_u64)).await
        } else if let Some(identity) = change.get("identity").and_then(Value::as_str) {
            let cutoff = IdentityCutoff {
                identity: identity.to_owned(),
                issued_up_to: change.get("up_to").and_then(Value::as_u64).unwrap_or(u64::MAX),
                except_jti: change.get("except").and_then(Value::as_str).map(str::to_owned),
                keep_until: change.get("keep_until").and_then(Value::as_u64),
            };
            self.mirror.revoke_identity(&cutoff).await
        } else {
            Ok(())
        };
        if let Err(err) = result {
            tracing::error!(target: "phial_jwt", %err, "the revocation cache could not apply a change");
        }
    }

    /// The mirror's answer, or "cannot tell" while it may be stale.
    pub(super) async fn check(&self, token: TokenRef<'_>) -> Result<bool, BlocklistError> {
        if !self.is_live() {
            return Err(BlocklistError::unavailable("redis cache", "resynchronising after a lost subscription"));
        }
        self.mirror.is_token_revoked(token).await
    }
}

/// Keeps `cache` current: subscribe, resync, apply messages; on any loss, mark it
/// stale and start again. Ends when the store is dropped.
pub(super) async fn follow(store: std::sync::Weak<super::redis::Shared>) {
    let mut delay = Duration::from_millis(50);
    loop {
        let Some(shared) = store.upgrade() else { return };
        shared.cache.live.store(false, Ordering::Release);
        match shared.subscribe_and_resync().await {
            Ok(mut messages) => {
                shared.cache.live.store(true, Ordering::Release);
                tracing::info!(target: "phial_jwt", "revocation cache synchronised with Redis");
                delay = Duration::from_millis(50);
                let cache = shared.clone();
                drop(shared);
                while let Some(message) = messages.next().await {
                    if let Ok(text) = message.get_payload::<String>() {
                        cache.cache.apply(&text).await;
                    }
                }
                cache.cache.live.store(false, Ordering::Release);
                tracing::warn!(target: "phial_jwt", "revocation cache lost its Redis subscription; failing closed");
            }
            Err(err) => {
                tracing::warn!(target: "phial_jwt", %err, "revocation cache cannot reach Redis; failing closed");
            }
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

/// Seconds since the Unix epoch.
pub(super) fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

/// Reads every revocation and cut-off key under the prefixes into `cache`.
pub(super) async fn resync(
    connection: &mut super::redis_connection::RedisConnection,
    prefix: &str,
    cutoff_prefix: &str,
    cache: &Arc<LocalCache>,
) -> Result<(), redis::RedisError> {
    let now = unix_now();
    for (pattern, is_cutoff) in [(format!("{prefix}*"), false), (format!("{cutoff_prefix}*"), true)] {
        let mut cursor: u64 = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(connection)
                .await?;
            if !keys.is_empty() {
                let mut pipeline = redis::pipe();
                for key in &keys {
                    pipeline.cmd("TTL").arg(key);
                    pipeline.cmd("GET").arg(key);
                }
                let answers: Vec<(i64, Option<String>)> = pipeline.query_async(connection).await?;
                for (key, (ttl, value)) in keys.iter().zip(answers) {
                    if ttl == -2 {
                        continue; // expired between SCAN and TTL
                    }
                    let until = u64::try_from(ttl).ok().map(|ttl| now + ttl);
                    if is_cutoff {
                        let identity = &key[cutoff_prefix.len()..];
                        if let Some(value) = value {
                            cache.apply(&cutoff_from_value(identity, &value, until)).await;
                        }
                    } else if !key.starts_with(cutoff_prefix) {
                        cache.apply(&revoked_message(&key[prefix.len()..], until)).await;
                    }
                }
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
    }
    Ok(())
}

/// The published form of a stored cut-off value (`"<up_to>[ <except>]"`).
fn cutoff_from_value(identity: &str, value: &str, keep_until: Option<u64>) -> String {
    let (up_to, except) = match value.split_once(' ') {
        Some((up_to, except)) => (up_to, Some(except.to_owned())),
        None => (value, None),
    };
    let cutoff = IdentityCutoff {
        identity: identity.to_owned(),
        issued_up_to: up_to.parse().unwrap_or(u64::MAX),
        except_jti: except,
        keep_until,
    };
    cutoff_message(&cutoff)
}
