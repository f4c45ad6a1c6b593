//! `SqliteBlocklist`: revocations in a SQLite file, for one server that restarts.

use rusqlite::{Connection, params};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::{Blocklist, BlocklistError, BlocklistFuture, IdentityCutoff, TokenRef, family_entry};
use crate::Clock;

/// The table, created when the store opens.
const CREATE: &str = "CREATE TABLE IF NOT EXISTS phial_jwt_blocklist (
    jti TEXT PRIMARY KEY NOT NULL,
    expires_at INTEGER
)";
/// Revoked again: the later expiry wins, and NULL (never) is the latest.
const REVOKE: &str = "INSERT INTO phial_jwt_blocklist (jti, expires_at) VALUES (?1, ?2)
    ON CONFLICT (jti) DO UPDATE SET expires_at = CASE
        WHEN expires_at IS NULL OR excluded.expires_at IS NULL THEN NULL
        ELSE max(expires_at, excluded.expires_at) END";
const CHECK: &str = "SELECT EXISTS (SELECT 1 FROM phial_jwt_blocklist WHERE jti = ?1)";
/// The "log out everywhere" cut-offs, one row per identity.
const CREATE_CUTOFFS: &str = "CREATE TABLE IF NOT EXISTS phial_jwt_identity_cutoffs (
    identity TEXT PRIMARY KEY NOT NULL,
    issued_up_to INTEGER NOT NULL,
    except_jti TEXT,
    keep_until INTEGER
)";
const CUT_OFF: &str = "INSERT INTO phial_jwt_identity_cutoffs (identity, issued_up_to, except_jti, keep_until)
    VALUES (?1, ?2, ?3, ?4)
    ON CONFLICT (identity) DO UPDATE SET issued_up_to = excluded.issued_up_to,
        except_jti = excluded.except_jti, keep_until = excluded.keep_until";
/// One query for the three ways a token is revoked: its `jti` (?1), its family's
/// entry (?5), or its identity's (?2) live cut-off at or after its `iat` (?3;
/// none: refused) that does not spare its `jti`. ?4 is now.
const CHECK_TOKEN: &str = "SELECT EXISTS (SELECT 1 FROM phial_jwt_blocklist WHERE jti = ?1 OR jti = ?5)
    OR EXISTS (SELECT 1 FROM phial_jwt_identity_cutoffs WHERE identity = ?2
        AND (?3 IS NULL OR ?3 <= issued_up_to)
        AND NOT (except_jti IS NOT NULL AND ?1 IS NOT NULL AND except_jti = ?1)
        AND (keep_until IS NULL OR keep_until > ?4))";
/// Used refresh tokens (rotation): the first use wins the `INSERT`.
const CREATE_RETIRED: &str = "CREATE TABLE IF NOT EXISTS phial_jwt_retired (
    jti TEXT PRIMARY KEY NOT NULL,
    first_use INTEGER NOT NULL,
    expires_at INTEGER
)";
const RETIRE: &str =
    "INSERT INTO phial_jwt_retired (jti, first_use, expires_at) VALUES (?1, ?2, ?3) ON CONFLICT (jti) DO NOTHING";
const FIRST_USE: &str = "SELECT first_use FROM phial_jwt_retired WHERE jti = ?1";
const PURGE_RETIRED: &str = "DELETE FROM phial_jwt_retired WHERE expires_at IS NOT NULL AND expires_at <= ?1";
const PURGE_CUTOFFS: &str = "DELETE FROM phial_jwt_identity_cutoffs WHERE keep_until IS NOT NULL AND keep_until <= ?1";
const PURGE: &str = "DELETE FROM phial_jwt_blocklist WHERE expires_at IS NOT NULL AND expires_at <= ?1";
/// Expired rows are purged at most this often (seconds), on a revocation.
const PURGE_EVERY: u64 = 60;

/// Revoked tokens in a SQLite database file (feature `sqlite`): one server's
/// revocations that survive restarts.
///
/// - [`open`](SqliteBlocklist::open) creates the table `phial_jwt_blocklist (jti
///   TEXT PRIMARY KEY, expires_at INTEGER)` if needed and deletes the rows whose
///   token has expired; revocations purge again at most once a minute. Tokens
///   without `exp` stay until their row is deleted by hand.
/// - Each call runs on tokio's blocking thread pool (`spawn_blocking`) over one
///   connection, so it needs a tokio runtime (phial's).
/// - SQLite is a file on one machine: servers behind a load balancer need
///   `RedisBlocklist` (feature `redis`) instead.
///
/// Clones share the connection.
///
/// ```no_run
/// use phial::prelude::*;
/// use phial_jwt::prelude::*;
/// use phial_jwt::blocklist::SqliteBlocklist;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut app = App::new("app");
/// app.config.set("JWT_SECRET_KEY", "super-secret");
/// let jwt = JWTManager::new(&mut app);
/// jwt.use_blocklist(SqliteBlocklist::open("revoked.sqlite3")?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SqliteBlocklist {
    connection: Arc<Mutex<Connection>>,
    path: Arc<PathBuf>,
    clock: Clock,
    last_purge: Arc<AtomicU64>,
}

impl SqliteBlocklist {
    /// Opens (or creates) the database at `path` on the system clock: creates the
    /// table and purges expired rows. Blocking: call it while setting the app up.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteBlocklist, BlocklistError> {
        SqliteBlocklist::open_with_clock(path, Clock::system())
    }

    /// [`open`](SqliteBlocklist::open) with `clock` telling which rows have expired
    /// (give it the manager's clock when a test freezes time).
    pub fn open_with_clock(path: impl AsRef<Path>, clock: Clock) -> Result<SqliteBlocklist, BlocklistError> {
        let path = path.as_ref().to_path_buf();
        let connection = Connection::open(&path).map_err(sqlite_error)?;
        // Another process on the same file waits for the lock instead of failing.
        connection.busy_timeout(Duration::from_secs(5)).map_err(sqlite_error)?;
        connection.execute(CREATE, []).map_err(sqlite_error)?;
        connection.execute(CREATE_CUTOFFS, []).map_err(sqlite_error)?;
        connection.execute(CREATE_RETIRED, []).map_err(sqlite_error)?;
        let now = clock.unix_seconds();
        connection.execute(PURGE, params![seconds(now)]).map_err(sqlite_error)?;
        connection.execute(PURGE_CUTOFFS, params![seconds(now)]).map_err(sqlite_error)?;
        connection.execute(PURGE_RETIRED, params![seconds(now)]).map_err(sqlite_error)?;
        Ok(SqliteBlocklist {
            connection: Arc::new(Mutex::new(connection)),
            path: Arc::new(path),
            clock,
            last_purge: Arc::new(AtomicU64::new(now)),
        })
    }

    /// Deletes the rows whose token has expired; returns how many.
    pub async fn purge_expired(&self) -> Result<usize, BlocklistError> {
        let now = self.clock.unix_seconds();
        self.last_purge.store(now, Ordering::Relaxed);
        self.blocking(move |connection| connection.execute(PURGE, params![seconds(now)])).await
    }

    /// Runs `query` on the connection, off the async threads.
    async fn blocking<T, F>(&self, query: F) -> Result<T, BlocklistError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let connection = self.connection.clone();
        let answer = tokio::task::spawn_blocking(move || query(&lock(&connection)))
            .await
            .map_err(|err| BlocklistError::unavailable("sqlite", format!("the query task failed: {err}")))?;
        answer.map_err(sqlite_error)
    }
}

impl Blocklist for SqliteBlocklist {
    fn revoke<'a>(&'a self, jti: &'a str, expires_at: Option<u64>) -> BlocklistFuture<'a, ()> {
        let jti = jti.to_string();
        let now = self.clock.unix_seconds();
        let last = self.last_purge.load(Ordering::Relaxed);
        let purge = now.saturating_sub(last) >= PURGE_EVERY
            && self.last_purge.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok();
        Box::pin(self.blocking(move |connection| {
            connection.execute(REVOKE, params![jti, expires_at.map(seconds)])?;
            if purge {
                connection.execute(PURGE, params![seconds(now)])?;
            }
            Ok(())
        }))
    }

    fn is_revoked<'a>(&'a self, jti: &'a str) -> BlocklistFuture<'a, bool> {
        let jti = jti.to_string();
        Box::pin(self.blocking(move |connection| connection.query_row(CHECK, params![jti], |row| row.get(0))))
    }

    fn revoke_identity<'a>(&'a self, cutoff: &'a IdentityCutoff) -> BlocklistFuture<'a, ()> {
        let cutoff = cutoff.clone();
        let now = self.clock.unix_seconds();
        Box::pin(self.blocking(move |connection| {
            connection.execute(PURGE_CUTOFFS, params![seconds(now)])?;
            connection.execute(
                CUT_OFF,
                params![
                    cutoff.identity,
                    seconds(cutoff.issued_up_to),
                    cutoff.except_jti,
                    cutoff.keep_until.map(seconds)
                ],
            )?;
            Ok(())
        }))
    }

    fn is_token_revoked<'a>(&'a self, token: TokenRef<'a>) -> BlocklistFuture<'a, bool> {
        let jti = token.jti.map(str::to_owned);
        let identity = token.identity.map(str::to_owned);
        let issued_at = token.issued_at.map(seconds);
        let family = token.family.map(family_entry);
        let now = seconds(self.clock.unix_seconds());
        Box::pin(self.blocking(move |connection| {
            connection.query_row(CHECK_TOKEN, params![jti, identity, issued_at, now, family], |row| row.get(0))
        }))
    }

    /// The `INSERT` decides the first use (SQLite serialises writers); a second
    /// use reads the first one's time.
    fn retire<'a>(&'a self, jti: &'a str, now: u64, expires_at: Option<u64>) -> BlocklistFuture<'a, Option<u64>> {
        let jti = jti.to_owned();
        Box::pin(self.blocking(move |connection| {
            connection.execute(PURGE_RETIRED, params![seconds(now)])?;
            if connection.execute(RETIRE, params![jti, seconds(now), expires_at.map(seconds)])? == 1 {
                return Ok(None);
            }
            let first_use: i64 = connection.query_row(FIRST_USE, params![jti], |row| row.get(0))?;
            Ok(Some(u64::try_from(first_use).unwrap_or(0)))
        }))
    }
}

/// The connection, even after a panic while it was held (SQLite keeps its own
/// state consistent: a statement either ran or did not).
fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// SQLite integers are signed 64-bit: later times are "as late as can be".
fn seconds(unix: u64) -> i64 {
    i64::try_from(unix).unwrap_or(i64::MAX)
}

fn sqlite_error(error: rusqlite::Error) -> BlocklistError {
    BlocklistError::unavailable("sqlite", error)
}

impl fmt::Debug for SqliteBlocklist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteBlocklist").field("path", &self.path).finish_non_exhaustive()
    }
}
