//! `RedisBlocklist`: revocations in Redis, shared by every server of an app.

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::sentinel::{SentinelClient, SentinelServerType};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::redis_cache::{LocalCache, cutoff_message, follow, resync, revoked_message};
use super::redis_connection::{RedisConnection, SentinelConnection};
use super::{Blocklist, BlocklistError, BlocklistFuture, IdentityCutoff, TokenRef, family_entry};

/// Revoked tokens in Redis (feature `redis`): what several servers behind a load
/// balancer share, so that a token revoked through one is refused by all.
///
/// - Revoking sets `<prefix><jti>` to `""` with `EX` = the seconds until the token
///   expires (plus one, for rounding): Redis forgets the key when the token would be
///   refused anyway. A token without `exp`, or expiring more than
///   [`LONGEST_TTL_SECS`](RedisBlocklist::LONGEST_TTL_SECS) from now, gets a key
///   without expiry. A check is one
///   `EXISTS` round trip. The default prefix is
///   [`DEFAULT_PREFIX`](RedisBlocklist::DEFAULT_PREFIX).
/// - The TTL is computed from this machine's clock; servers should agree on the
///   time (NTP) as they must for `exp` itself.
/// - It talks through redis-rs's `ConnectionManager`, which reconnects by itself.
///   While Redis is unreachable, checks fail after at most about a second (the
///   connection and response timeouts of [`connect`](RedisBlocklist::connect)): the
///   manager answers 503 when failing closed (the default), or lets tokens through
///   with [`FailMode::Open`](super::FailMode::Open). Once Redis is back, the next
///   request reconnects (the one that finds the old connection dead may still get
///   its error) and checks work again.
/// - Revocations live as long as Redis keeps them: configure Redis persistence
///   (RDB or AOF) if a Redis restart must not un-revoke tokens.
///
/// Clones share the connection.
///
/// ```no_run
/// use phial::prelude::*;
/// use phial_jwt::prelude::*;
/// use phial_jwt::blocklist::RedisBlocklist;
///
/// # async fn setup() -> Result<(), Box<dyn std::error::Error>> {
/// let mut app = App::new("app");
/// app.config.set("JWT_SECRET_KEY", std::env::var("JWT_SECRET_KEY")?);
/// let jwt = JWTManager::new(&mut app);
/// jwt.use_blocklist(RedisBlocklist::connect("redis://127.0.0.1:6379/0").await?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisBlocklist {
    connection: RedisConnection,
    prefix: Arc<str>,
    cutoff_prefix: Arc<str>,
    /// The client `connect` opened (the local cache subscribes with it).
    client: Option<redis::Client>,
    /// With [`with_local_cache`](RedisBlocklist::with_local_cache): the mirror.
    local: Option<Arc<Shared>>,
}

/// What the local cache's follower task shares with the store.
pub(super) struct Shared {
    client: redis::Client,
    connection: RedisConnection,
    prefix: Arc<str>,
    cutoff_prefix: Arc<str>,
    channel: String,
    pub(super) cache: Arc<LocalCache>,
}

impl Shared {
    /// Subscribes first, then reads the whole store: a change published during
    /// the read is applied twice, never missed.
    pub(super) async fn subscribe_and_resync(&self) -> Result<redis::aio::PubSubStream, redis::RedisError> {
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.subscribe(&self.channel).await?;
        let mut connection = self.connection.clone();
        resync(&mut connection, &self.prefix, &self.cutoff_prefix, &self.cache).await?;
        Ok(pubsub.into_on_message())
    }
}

impl RedisBlocklist {
    /// The key prefix unless [`with_prefix`](RedisBlocklist::with_prefix) says
    /// otherwise.
    pub const DEFAULT_PREFIX: &'static str = "phial-jwt:revoked:";

    /// The default prefix of the "log out everywhere" cut-off keys.
    pub const DEFAULT_CUTOFF_PREFIX: &'static str = "phial-jwt:cutoff:";

    /// The longest TTL a revocation key is given: 1 000 years, far inside what Redis
    /// accepts for `EX`. A token that expires later (`exp` of `1e20`, say) is kept
    /// without expiry.
    pub const LONGEST_TTL_SECS: u64 = 1000 * 365 * 24 * 3600;

    /// Connects to the Redis at `url` (`redis://[:password@]host[:port][/db]`; no
    /// TLS in this build) and waits for the first connection, so that a wrong URL
    /// or a Redis that is down stops the app at start. Fails fast while Redis is
    /// down: 1 s to connect, 500 ms per answer, one reconnection retry.
    pub async fn connect(url: &str) -> Result<RedisBlocklist, BlocklistError> {
        let client = redis::Client::open(url).map_err(redis_error)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_millis(500)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let connection = ConnectionManager::new_with_config(client.clone(), config).await.map_err(redis_error)?;
        Ok(RedisBlocklist { client: Some(client), ..RedisBlocklist::from_manager(connection) })
    }

    /// A store over a connection manager configured by the app (other timeouts or
    /// retries, or `new_lazy_with_config` to start while Redis is down).
    pub fn from_manager(connection: ConnectionManager) -> RedisBlocklist {
        RedisBlocklist::over(RedisConnection::Standalone(connection))
    }

    /// A store on the primary that the Sentinels at `sentinels` (`redis://host:port`
    /// URLs) name `primary`; after a failover the next command asks the Sentinels
    /// again and reaches the new primary (checks fail closed until it does).
    pub async fn connect_sentinel(sentinels: &[&str], primary: &str) -> Result<RedisBlocklist, BlocklistError> {
        let client = SentinelClient::build(sentinels.to_vec(), primary.to_owned(), None, SentinelServerType::Master)
            .map_err(redis_error)?;
        let connection = SentinelConnection::new(client);
        connection.primary().await.map_err(redis_error)?;
        Ok(RedisBlocklist::over(RedisConnection::Sentinel(connection)))
    }

    /// A store on the Redis Cluster that any of `nodes` (`redis://host:port` URLs)
    /// belongs to. Every key is used alone or with keys of its own slot, so no
    /// command spans slots; a check's lookups go out concurrently.
    pub async fn connect_cluster(nodes: &[&str]) -> Result<RedisBlocklist, BlocklistError> {
        let client = redis::cluster::ClusterClientBuilder::new(nodes.to_vec())
            .connection_timeout(Duration::from_secs(1))
            .response_timeout(Duration::from_millis(500))
            .build()
            .map_err(redis_error)?;
        let connection = client.get_async_connection().await.map_err(redis_error)?;
        Ok(RedisBlocklist::over(RedisConnection::Cluster(connection)))
    }

    fn over(connection: RedisConnection) -> RedisBlocklist {
        RedisBlocklist {
            connection,
            prefix: Arc::from(RedisBlocklist::DEFAULT_PREFIX),
            cutoff_prefix: Arc::from(RedisBlocklist::DEFAULT_CUTOFF_PREFIX),
            client: None,
            local: None,
        }
    }

    /// Mirrors the store in this process, kept current by Redis pub/sub, so that
    /// checks make no network call (see the `redis_cache` module docs: it resyncs
    /// on reconnect and fails closed while stale). Call it after the prefixes are
    /// set; it waits up to two seconds for the first sync. Needs a store from
    /// [`connect`](RedisBlocklist::connect) and a non-empty prefix.
    pub async fn with_local_cache(mut self) -> Result<RedisBlocklist, BlocklistError> {
        let client = self.client.clone().ok_or_else(|| {
            BlocklistError::Unsupported("the local cache needs a store made by RedisBlocklist::connect".into())
        })?;
        if self.prefix.is_empty() || self.cutoff_prefix.is_empty() {
            return Err(BlocklistError::Unsupported("the local cache needs non-empty key prefixes".into()));
        }
        let shared = Arc::new(Shared {
            client,
            connection: self.connection.clone(),
            channel: format!("{}events", self.cutoff_prefix),
            prefix: self.prefix.clone(),
            cutoff_prefix: self.cutoff_prefix.clone(),
            cache: Arc::new(LocalCache::new()),
        });
        tokio::spawn(follow(Arc::downgrade(&shared)));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        while !shared.cache.is_live() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        self.local = Some(shared);
        Ok(self)
    }

    /// Uses `prefix` for the keys (several apps on one Redis need different ones).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> RedisBlocklist {
        self.prefix = Arc::from(prefix.into());
        self
    }

    /// The key of `jti`.
    pub fn key(&self, jti: &str) -> String {
        format!("{}{jti}", self.prefix)
    }

    /// The key of an identity's "log out everywhere" cut-off: the cut-off prefix
    /// then the identity. Its value is the last refused second, then a space and
    /// the spared `jti` if any.
    pub fn cutoff_key(&self, identity: &str) -> String {
        format!("{}{identity}", self.cutoff_prefix)
    }

    /// Uses `prefix` for the cut-off keys instead of
    /// [`DEFAULT_CUTOFF_PREFIX`](RedisBlocklist::DEFAULT_CUTOFF_PREFIX).
    pub fn with_cutoff_prefix(mut self, prefix: impl Into<String>) -> RedisBlocklist {
        self.cutoff_prefix = Arc::from(prefix.into());
        self
    }
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

impl RedisBlocklist {
    /// A check on a Cluster: each key its own command, all at once.
    async fn check_per_key(&self, token: TokenRef<'_>) -> Result<bool, BlocklistError> {
        let mut keys: Vec<String> = token.jti.map(|jti| self.key(jti)).into_iter().collect();
        keys.extend(token.family.map(|family| self.key(&family_entry(family))));
        let exists = keys.into_iter().map(|key| {
            let mut connection = self.connection.clone();
            async move { redis::cmd("EXISTS").arg(key).query_async::<bool>(&mut connection).await }
        });
        let cutoff = async {
            let Some(identity) = token.identity else { return Ok(None) };
            let mut connection = self.connection.clone();
            redis::cmd("GET").arg(self.cutoff_key(identity)).query_async::<Option<String>>(&mut connection).await
        };
        let (found, cutoff) = futures_util::future::join(futures_util::future::join_all(exists), cutoff).await;
        for answer in found {
            if answer.map_err(redis_error)? {
                return Ok(true);
            }
        }
        let cutoff: Option<String> = cutoff.map_err(redis_error)?;
        Ok(cutoff.is_some_and(|value| cutoff_refuses(&value, &token)))
    }

    /// Runs `command`; with the local cache, in the same round trip publishes
    /// `message()` to every server and applies it here at once.
    fn write_and_publish<'a>(
        &'a self,
        command: redis::Cmd,
        message: impl FnOnce() -> String,
    ) -> BlocklistFuture<'a, ()> {
        let mut connection = self.connection.clone();
        let Some(local) = self.local.clone() else {
            return Box::pin(async move { command.exec_async(&mut connection).await.map_err(redis_error) });
        };
        let message = message();
        let mut pipeline = redis::pipe();
        pipeline.add_command(command).ignore().cmd("PUBLISH").arg(&local.channel).arg(&message).ignore();
        Box::pin(async move {
            pipeline.exec_async(&mut connection).await.map_err(redis_error)?;
            local.cache.apply(&message).await;
            Ok(())
        })
    }
}

/// `"<issued_up_to>"` or `"<issued_up_to> <except_jti>"`.
fn cutoff_value(cutoff: &IdentityCutoff) -> String {
    match &cutoff.except_jti {
        Some(jti) => format!("{} {jti}", cutoff.issued_up_to),
        None => cutoff.issued_up_to.to_string(),
    }
}

/// Whether the stored cut-off `value` refuses `token`; a value phial did not
/// write refuses nothing (and is logged).
fn cutoff_refuses(value: &str, token: &TokenRef<'_>) -> bool {
    let (up_to, except) = match value.split_once(' ') {
        Some((up_to, except)) => (up_to, Some(except.to_owned())),
        None => (value, None),
    };
    match up_to.parse::<u64>() {
        Ok(issued_up_to) => {
            let identity = token.identity.unwrap_or_default().to_owned();
            IdentityCutoff { identity, issued_up_to, except_jti: except, keep_until: None }.refuses(token)
        }
        Err(_) => {
            tracing::warn!(target: "phial_jwt", value, "a Redis cut-off value phial did not write is ignored");
            false
        }
    }
}

impl Blocklist for RedisBlocklist {
    fn revoke<'a>(&'a self, jti: &'a str, expires_at: Option<u64>) -> BlocklistFuture<'a, ()> {
        let mut command = redis::cmd("SET");
        command.arg(self.key(jti)).arg("");
        if let Some(expires_at) = expires_at {
            let now = unix_now();
            if expires_at <= now {
                // Already refused as expired everywhere: nothing to remember.
                return Box::pin(std::future::ready(Ok(())));
            }
            let ttl = expires_at - now + 1;
            // Past what Redis accepts (`EX` times 1000 plus its clock must fit an
            // i64, or SET fails with "invalid expire time"), the key is kept without
            // expiry: such a token outlives any TTL anyway.
            if ttl <= RedisBlocklist::LONGEST_TTL_SECS {
                command.arg("EX").arg(ttl);
            }
        }
        self.write_and_publish(command, || revoked_message(jti, expires_at))
    }

    fn is_revoked<'a>(&'a self, jti: &'a str) -> BlocklistFuture<'a, bool> {
        if self.local.is_some() {
            return self.is_token_revoked(TokenRef { jti: Some(jti), identity: None, issued_at: None, family: None });
        }
        let mut connection = self.connection.clone();
        let mut command = redis::cmd("EXISTS");
        command.arg(self.key(jti));
        Box::pin(async move { command.query_async::<bool>(&mut connection).await.map_err(redis_error) })
    }

    /// `SET <cutoff key> <value> EX <until keep_until>`.
    fn revoke_identity<'a>(&'a self, cutoff: &'a IdentityCutoff) -> BlocklistFuture<'a, ()> {
        let mut command = redis::cmd("SET");
        command.arg(self.cutoff_key(&cutoff.identity)).arg(cutoff_value(cutoff));
        if let Some(keep_until) = cutoff.keep_until {
            let now = unix_now();
            if keep_until <= now {
                return Box::pin(std::future::ready(Ok(())));
            }
            let ttl = keep_until - now + 1;
            if ttl <= RedisBlocklist::LONGEST_TTL_SECS {
                command.arg("EX").arg(ttl);
            }
        }
        self.write_and_publish(command, || cutoff_message(cutoff))
    }

    /// One round trip: `EXISTS <jti key> [<family key>]` and `GET <cutoff key>`
    /// in a pipeline (on a Cluster, the same lookups sent concurrently, one per
    /// key, since the keys live in different slots).
    fn is_token_revoked<'a>(&'a self, token: TokenRef<'a>) -> BlocklistFuture<'a, bool> {
        if let Some(local) = &self.local {
            return Box::pin(local.cache.check(token));
        }
        if self.connection.is_cluster() {
            return Box::pin(self.check_per_key(token));
        }
        let (jti, identity) = match (token.jti, token.identity, token.family) {
            (Some(jti), None, None) => return self.is_revoked(jti),
            (None, None, None) => return Box::pin(std::future::ready(Ok(false))),
            (jti, identity, _) => (jti, identity.unwrap_or_default()),
        };
        let mut connection = self.connection.clone();
        let mut pipeline = redis::pipe();
        let mut exists = redis::cmd("EXISTS");
        exists.arg(jti.map(|jti| self.key(jti)).unwrap_or_default());
        if let Some(family) = token.family {
            exists.arg(self.key(&family_entry(family)));
        }
        pipeline.add_command(exists);
        pipeline.cmd("GET").arg(self.cutoff_key(identity));
        Box::pin(async move {
            let (revoked, cutoff): (u64, Option<String>) =
                pipeline.query_async(&mut connection).await.map_err(redis_error)?;
            let cut_off = token.identity.is_some() && cutoff.is_some_and(|value| cutoff_refuses(&value, &token));
            Ok(revoked > 0 || cut_off)
        })
    }

    /// `SET <used key> <now> NX EX ..`, atomic in Redis; when the key exists, the
    /// same round trip's `GET` reads the first use.
    fn retire<'a>(&'a self, jti: &'a str, now: u64, expires_at: Option<u64>) -> BlocklistFuture<'a, Option<u64>> {
        let mut connection = self.connection.clone();
        let key = self.key(&format!("used:{jti}"));
        let mut set = redis::cmd("SET");
        set.arg(&key).arg(now).arg("NX");
        if let Some(expires_at) = expires_at {
            let ttl = expires_at.saturating_sub(unix_now()).max(1);
            if ttl <= RedisBlocklist::LONGEST_TTL_SECS {
                set.arg("EX").arg(ttl);
            }
        }
        let mut pipeline = redis::pipe();
        pipeline.add_command(set).cmd("GET").arg(&key);
        Box::pin(async move {
            let (first, stored): (Option<String>, Option<String>) =
                pipeline.query_async(&mut connection).await.map_err(redis_error)?;
            if first.is_some() {
                return Ok(None);
            }
            Ok(Some(stored.and_then(|value| value.parse().ok()).unwrap_or(0)))
        })
    }
}

fn redis_error(error: redis::RedisError) -> BlocklistError {
    BlocklistError::unavailable("redis", error)
}

impl fmt::Debug for RedisBlocklist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBlocklist").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}
