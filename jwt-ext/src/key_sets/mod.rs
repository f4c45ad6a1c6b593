//! Key sets in the manager: `jwt.use_key_set(..)` for keys the app holds (rotation),
//! and, with the `remote-jwks` feature, `jwt.use_remote_key_set(..)` for an
//! identity provider's published set; plus the JWKS the app publishes.
//!
//! Either way the manager asks a key source for the current set on each token:
//! a pointer copy, no lock held across anything, no network on the request path.
//! Only a token whose `kid` is unknown may wait for a remote set to be fetched
//! again, at most once per interval (see `remote`).

#[cfg(feature = "remote-jwks")]
mod fetch_client;
mod publish;
#[cfg(feature = "remote-jwks")]
pub mod remote;

use crate::keys::KeySet;
use crate::{JWTManager, JwtError};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use publish::jwks_endpoint;

/// A refetch of a remote set after a miss; `true` when the set changed.
pub(crate) type Refetch = Pin<Box<dyn Future<Output = bool> + Send>>;

/// Where the manager finds its key set.
pub(crate) trait KeySource: Send + Sync {
    /// The set to use now.
    fn current(&self) -> Arc<KeySet>;

    /// For a remote set: fetch it again because a token named an unknown `kid`,
    /// unless that was done less than the minimum interval ago (`None`).
    fn refetch_after_miss(&self) -> Option<Refetch> {
        None
    }

    /// Why no token can be verified now (a remote set never fetched), if so.
    fn unavailable(&self) -> Option<JwtError> {
        None
    }
}

/// A set the app built: it never changes while the app runs.
struct FixedKeys(Arc<KeySet>);

impl KeySource for FixedKeys {
    fn current(&self) -> Arc<KeySet> {
        self.0.clone()
    }
}

impl JWTManager {
    /// Signs and verifies with `set` instead of the configured keys (flask-jwt-
    /// extended has no equivalent; see [`KeySet`] for rotation). New tokens are
    /// signed by the set's signing key, with its `kid` in the header and its
    /// algorithm (which must be in `JWT_DECODE_ALGORITHMS` or be `JWT_ALGORITHM`
    /// for the tokens to verify); tokens are verified with the key their `kid`
    /// names.
    pub fn use_key_set(&self, set: KeySet) -> &JWTManager {
        let source: Arc<dyn KeySource> = Arc::new(FixedKeys(Arc::new(set)));
        self.register("use_key_set", |s| s.callbacks.key_set = Some(source))
    }
}
