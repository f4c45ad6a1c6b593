//! Which key verifies a token: the `decode_key_loader`'s (plain or async), the
//! key set's (by `kid`), or the configured one (`JWT_SECRET_KEY` / `JWT_PUBLIC_KEY`).

use phial::maybe_async::MaybeReady;
use serde_json::Value;
use std::borrow::Cow;

use crate::JwtError;
use crate::jws::UnverifiedToken;
use crate::keys::{VerifyingKey, missing_key};
use crate::manager::Runtime;

/// The key for a token: at hand, or still to come from an async loader.
pub(crate) enum KeyChoice<'a> {
    Ready(Cow<'a, VerifyingKey>),
    Pending(MaybeReady<Result<VerifyingKey, JwtError>>),
}

/// Picks the key for `unverified`. The configured key is borrowed: the usual
/// path copies nothing.
pub(crate) fn choose<'a>(runtime: &'a Runtime, unverified: &UnverifiedToken<'_>) -> Result<KeyChoice<'a>, JwtError> {
    if let Some(loader) = &runtime.callbacks.decode_key {
        return Ok(match loader(unverified.header(), unverified.claims()) {
            MaybeReady::Ready(key) => KeyChoice::Ready(Cow::Owned(key?)),
            pending => KeyChoice::Pending(pending),
        });
    }
    if let Some(source) = &runtime.callbacks.key_set {
        if let Some(unavailable) = source.unavailable() {
            return Err(unavailable);
        }
        let kid = unverified.header().get("kid").and_then(Value::as_str);
        return Ok(KeyChoice::Ready(Cow::Owned(source.current().verifying_key(kid)?)));
    }
    let key =
        runtime.keys.verifying.as_ref().ok_or_else(|| missing_key("JWT_PUBLIC_KEY", runtime.settings.algorithm))?;
    Ok(KeyChoice::Ready(Cow::Borrowed(key)))
}
