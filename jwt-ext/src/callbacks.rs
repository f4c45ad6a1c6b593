//! The manager's callbacks (flask-jwt-extended's loader decorators), stored with
//! their types erased.
//!
//! Every callback that answers or looks something up may be plain or async: the
//! response callbacks return anything `IntoResponse` or a future of it, and the two
//! that usually touch storage, `token_in_blocklist_loader` and `user_lookup_loader`,
//! return their value or a future of it (they receive the header and claims as
//! `Arc`s so that an `async move` block can keep them). A plain callback is called
//! without boxing anything.

use phial::Response;
use phial::maybe_async::MaybeReady;
use serde_json::Value;
use std::any::{Any, TypeId};
use std::sync::Arc;

use crate::blocklist::{Blocklist, FailMode};
use crate::key_sets::KeySource;
use crate::keys::{SigningKey, VerifyingKey};
use crate::{JsonObject, JwtError};

pub(crate) type ResponseLoader = Arc<dyn Fn(&JsonObject, &JsonObject) -> MaybeReady<Response> + Send + Sync>;
pub(crate) type MessageLoader = Arc<dyn Fn(&str) -> MaybeReady<Response> + Send + Sync>;
pub(crate) type ObjectLoader = Arc<dyn Fn(&Value) -> Result<JsonObject, JwtError> + Send + Sync>;
pub(crate) type IdentityLoader = Arc<dyn Fn(&dyn Any) -> Option<Value> + Send + Sync>;
pub(crate) type EncodeKeyLoader = Arc<dyn Fn(&Value) -> Result<SigningKey, JwtError> + Send + Sync>;
pub(crate) type DecodeKeyLoader =
    Arc<dyn Fn(&JsonObject, &JsonObject) -> MaybeReady<Result<VerifyingKey, JwtError>> + Send + Sync>;
pub(crate) type VerificationLoader = Arc<dyn Fn(&JsonObject, &JsonObject) -> bool + Send + Sync>;
pub(crate) type BlocklistLoader =
    Arc<dyn Fn(Arc<JsonObject>, Arc<JsonObject>) -> MaybeReady<Result<bool, JwtError>> + Send + Sync>;
/// A loaded user, type-erased; `current_user::<U>()` downcasts it.
pub(crate) type LoadedUser = Arc<dyn Any + Send + Sync>;
pub(crate) type UserLookupLoader =
    Arc<dyn Fn(Arc<JsonObject>, Arc<JsonObject>) -> MaybeReady<Option<LoadedUser>> + Send + Sync>;

/// Every callback a manager can hold; `None` means upstream's default.
#[derive(Clone, Default)]
pub(crate) struct Callbacks {
    pub(crate) expired: Option<ResponseLoader>,
    pub(crate) invalid: Option<MessageLoader>,
    pub(crate) unauthorized: Option<MessageLoader>,
    pub(crate) needs_fresh: Option<ResponseLoader>,
    pub(crate) revoked: Option<ResponseLoader>,
    pub(crate) refresh_reuse: Option<ResponseLoader>,
    pub(crate) user_lookup_error: Option<ResponseLoader>,
    pub(crate) verification_failed: Option<ResponseLoader>,
    pub(crate) additional_claims: Option<ObjectLoader>,
    pub(crate) additional_headers: Option<ObjectLoader>,
    pub(crate) identity: Option<(TypeId, IdentityLoader)>,
    pub(crate) encode_key: Option<EncodeKeyLoader>,
    pub(crate) decode_key: Option<DecodeKeyLoader>,
    /// The key set that replaces the configured keys (`use_key_set`).
    pub(crate) key_set: Option<Arc<dyn KeySource>>,
    pub(crate) token_in_blocklist: Option<BlocklistLoader>,
    /// The store behind `token_in_blocklist` when `use_blocklist` set it; the
    /// revocation helpers write to it.
    pub(crate) blocklist: Option<Arc<dyn Blocklist>>,
    /// How `use_blocklist` checks when the store fails; the check itself is built
    /// at start from `blocklist` and this.
    pub(crate) blocklist_mode: Option<FailMode>,
    pub(crate) token_verification: Option<VerificationLoader>,
    pub(crate) user_lookup: Option<UserLookupLoader>,
}
