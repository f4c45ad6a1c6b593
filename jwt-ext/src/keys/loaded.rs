//! What key loaders may return: a key, an `Option` or a `Result` of one, and
//! for `decode_key_loader`, a future of any of these.

use super::{NO_MATCHING_KEY, SigningKey, VerifyingKey};
use crate::JwtError;
use phial::maybe_async::{Eventual, Immediate, MaybeReady};
use std::future::Future;

/// What a key loader may return: the key, an `Option` of it (`None`: no key
/// fits the token, a 422), or a `Result`.
pub trait LoadedKey<K> {
    /// The key, or why there is none.
    fn into_key(self) -> Result<K, JwtError>;
}

impl LoadedKey<SigningKey> for SigningKey {
    fn into_key(self) -> Result<SigningKey, JwtError> {
        Ok(self)
    }
}

impl LoadedKey<VerifyingKey> for VerifyingKey {
    fn into_key(self) -> Result<VerifyingKey, JwtError> {
        Ok(self)
    }
}

impl<K> LoadedKey<K> for Result<K, JwtError> {
    fn into_key(self) -> Result<K, JwtError> {
        self
    }
}

impl<K> LoadedKey<K> for Option<K> {
    fn into_key(self) -> Result<K, JwtError> {
        self.ok_or_else(|| JwtError::decode(NO_MATCHING_KEY))
    }
}

/// What a `decode_key_loader` may return: anything [`LoadedKey`], or a future of
/// it. `M` tells the two apart (it is inferred; never name it).
pub trait DecodeKeyOutput<M>: Send + 'static {
    /// The key, now or later.
    fn into_pending_key(self) -> MaybeReady<Result<VerifyingKey, JwtError>>;
}

impl<K: LoadedKey<VerifyingKey> + Send + 'static> DecodeKeyOutput<Immediate> for K {
    fn into_pending_key(self) -> MaybeReady<Result<VerifyingKey, JwtError>> {
        MaybeReady::ready(self.into_key())
    }
}

impl<F> DecodeKeyOutput<Eventual> for F
where
    F: Future + Send + 'static,
    F::Output: LoadedKey<VerifyingKey> + Send + 'static,
{
    fn into_pending_key(self) -> MaybeReady<Result<VerifyingKey, JwtError>> {
        MaybeReady::pending(async move { self.await.into_key() })
    }
}
