//! Token revocation ready to use: a [`Blocklist`] store wired into the manager with
//! one call, and helpers for logout handlers.
//!
//! flask-jwt-extended leaves revocation to the app (a `token_in_blocklist_loader`
//! over the app's own table or Redis keys: upstream's `blocklist_database.py` and
//! `blocklist_redis.py`). phial-jwt ships the stores:
//!
//! | store | feature | for |
//! |---|---|---|
//! | [`MemoryBlocklist`] | always there | one process; revocations die with it |
//! | `SqliteBlocklist` | `sqlite` | one server; revocations survive restarts |
//! | `RedisBlocklist` | `redis` | several servers sharing revocations |
//!
//! ```
//! use phial::prelude::*;
//! use phial_jwt::prelude::*;
//! use phial_jwt::blocklist::{MemoryBlocklist, revoke_current_token};
//!
//! #[delete("/logout")]
//! #[jwt_required]
//! async fn logout() -> Result<impl IntoResponse, JwtError> {
//!     revoke_current_token().await?;
//!     Ok(jsonify!({"msg": "JWT revoked"}))
//! }
//!
//! let mut app = App::new("blocklist");
//! app.config.set("JWT_SECRET_KEY", "super-secret");
//! let jwt = JWTManager::new(&mut app);
//! jwt.use_blocklist(MemoryBlocklist::new());
//! app.register(routes![logout]);
//! # app.finalize().unwrap();
//! ```
//!
//! ## What is stored
//! A token is revoked by its `jti` claim (never by the token string), until the
//! moment it would be refused as expired anyway: its `exp` plus
//! `JWT_DECODE_LEEWAY`. Stores forget it after that, so they hold only tokens that
//! still work. Tokens made by phial-jwt always have a `jti`; a token without one
//! (made elsewhere with the same secret) cannot be revoked: the check lets it
//! through and revoking it answers 422 `Missing claim: jti`. A token without `exp`
//! stays revoked for as long as the store keeps its entries (see each store).
//!
//! ## When the store fails
//! [`use_blocklist`](crate::JWTManager::use_blocklist) fails closed: a check that
//! cannot reach the store answers 503 `{"msg": "Token revocation is unavailable
//! right now; try again later"}` and logs the reason at error level.
//! [`use_blocklist_with`](crate::JWTManager::use_blocklist_with) with
//! [`FailMode::Open`] lets tokens through instead, with a warning in the log for
//! each unchecked request. A revocation that fails always answers 503, whatever the
//! mode: a logout must not claim success while the token still works.
//!
//! ## Log out everywhere
//! [`revoke_all_tokens_for`] refuses every token of an identity issued up to now
//! (a per-identity cut-off compared with `iat`, see [`IdentityCutoff`]);
//! [`revoke_all_other_tokens`] does the same but spares the current token. All
//! three stores keep cut-offs, and check them in the same lookup as the `jti`
//! (one query in SQLite, one round trip in Redis).
//!
//! ## Not covered (as upstream)
//! To revoke the refresh token at logout too, have the client call a logout route with it as well
//! (`#[jwt_required(verify_type = false)]`), or put the refresh token's `jti` in the
//! access token's claims and revoke both.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

mod error;
mod identity;
mod memory;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
mod redis_cache;
#[cfg(feature = "redis")]
mod redis_connection;
mod revoke;
#[cfg(feature = "sqlite")]
mod sqlite;
pub(crate) mod wiring;

pub use error::BlocklistError;
pub use identity::{IdentityCutoff, TokenRef, family_entry};
pub use memory::MemoryBlocklist;
#[cfg(feature = "redis")]
pub use redis::RedisBlocklist;
pub use revoke::{revoke_all_other_tokens, revoke_all_tokens_for, revoke_current_token, revoke_token};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteBlocklist;
pub use wiring::FailMode;

/// What a [`Blocklist`] method returns: a boxed future, so that stores can be kept
/// as `Arc<dyn Blocklist>`.
pub type BlocklistFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BlocklistError>> + Send + 'a>>;

/// A store of revoked token ids (`jti`s), shared by every request of an app.
///
/// Implement it to keep revocations elsewhere (a SQL server, another key-value
/// store); [`JWTManager::use_blocklist`](crate::JWTManager::use_blocklist) wires any
/// implementation in. Methods return boxed futures so that the trait can be used as
/// `dyn Blocklist`:
///
/// ```
/// use phial_jwt::blocklist::{Blocklist, BlocklistError, BlocklistFuture};
/// use std::collections::HashSet;
/// use std::sync::Mutex;
///
/// /// Never forgets (a test double, not for production).
/// #[derive(Default)]
/// struct Forever(Mutex<HashSet<String>>);
///
/// impl Blocklist for Forever {
///     fn revoke<'a>(&'a self, jti: &'a str, _expires_at: Option<u64>) -> BlocklistFuture<'a, ()> {
///         Box::pin(async move {
///             let mut revoked = self.0.lock().map_err(|_| BlocklistError::Unavailable("poisoned".into()))?;
///             revoked.insert(jti.to_string());
///             Ok(())
///         })
///     }
///
///     fn is_revoked<'a>(&'a self, jti: &'a str) -> BlocklistFuture<'a, bool> {
///         Box::pin(async move {
///             let revoked = self.0.lock().map_err(|_| BlocklistError::Unavailable("poisoned".into()))?;
///             Ok(revoked.contains(jti))
///         })
///     }
/// }
/// ```
///
/// Contract: once `revoke(jti, ..)` has succeeded, `is_revoked(jti)` answers `true`
/// at least until `expires_at`; a store may forget the entry after that. An error
/// means "cannot tell" (store down, store full): the manager answers 503 or, when
/// configured to fail open, lets the token through.
pub trait Blocklist: Send + Sync {
    /// Records `jti` as revoked. `expires_at` is the Unix time (whole seconds) from
    /// which the token is refused as expired anyway (its `exp` plus the decode
    /// leeway), `None` for a token that never expires.
    fn revoke<'a>(&'a self, jti: &'a str, expires_at: Option<u64>) -> BlocklistFuture<'a, ()>;

    /// Whether `jti` was revoked.
    fn is_revoked<'a>(&'a self, jti: &'a str) -> BlocklistFuture<'a, bool>;

    /// Records `cutoff` (replacing the identity's earlier one): see
    /// [`IdentityCutoff`]. Stores that cannot keep cut-offs answer
    /// [`BlocklistError::Unsupported`], the default.
    fn revoke_identity<'a>(&'a self, cutoff: &'a IdentityCutoff) -> BlocklistFuture<'a, ()> {
        let _ = cutoff;
        Box::pin(std::future::ready(Err(BlocklistError::Unsupported(
            "this store cannot revoke every token of an identity (implement Blocklist::revoke_identity)".into(),
        ))))
    }

    /// Whether `token` is revoked, by its `jti`, its family ([`family_entry`]) or
    /// its identity's cut-off: the check the manager runs on every protected
    /// request. The default checks the `jti` only; phial's stores answer all three
    /// in one lookup.
    fn is_token_revoked<'a>(&'a self, token: TokenRef<'a>) -> BlocklistFuture<'a, bool> {
        match token.jti {
            Some(jti) => self.is_revoked(jti),
            None => Box::pin(std::future::ready(Ok(false))),
        }
    }

    /// Marks the refresh token `jti` used at `now` (Unix seconds), remembering it
    /// until `expires_at`, and answers when it was first used: `None` when this is
    /// its first use. Atomic: of two concurrent calls for one `jti`, exactly one
    /// gets `None` (refresh-token rotation relies on it). Stores that cannot answer
    /// [`BlocklistError::Unsupported`], the default.
    fn retire<'a>(&'a self, jti: &'a str, now: u64, expires_at: Option<u64>) -> BlocklistFuture<'a, Option<u64>> {
        let _ = (jti, now, expires_at);
        Box::pin(std::future::ready(Err(BlocklistError::Unsupported(
            "this store cannot retire refresh tokens (implement Blocklist::retire)".into(),
        ))))
    }
}

/// A shared store is a store: `use_blocklist(Arc::new(store))`, or an
/// `Arc<dyn Blocklist>` chosen at run time.
impl<B: Blocklist + ?Sized> Blocklist for Arc<B> {
    fn revoke<'a>(&'a self, jti: &'a str, expires_at: Option<u64>) -> BlocklistFuture<'a, ()> {
        (**self).revoke(jti, expires_at)
    }

    fn is_revoked<'a>(&'a self, jti: &'a str) -> BlocklistFuture<'a, bool> {
        (**self).is_revoked(jti)
    }

    fn revoke_identity<'a>(&'a self, cutoff: &'a IdentityCutoff) -> BlocklistFuture<'a, ()> {
        (**self).revoke_identity(cutoff)
    }

    fn is_token_revoked<'a>(&'a self, token: TokenRef<'a>) -> BlocklistFuture<'a, bool> {
        (**self).is_token_revoked(token)
    }

    fn retire<'a>(&'a self, jti: &'a str, now: u64, expires_at: Option<u64>) -> BlocklistFuture<'a, Option<u64>> {
        (**self).retire(jti, now, expires_at)
    }
}
