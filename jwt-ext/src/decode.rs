//! Decoding a token fully: format, algorithm, signature, registered claims, the
//! identity claim, defaults, and the CSRF double-submit value — in
//! flask-jwt-extended's order, so that the first failure is upstream's.

use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};
use subtle::ConstantTimeEq;

use crate::claims::{self, Failure, RegisteredClaims, Validation};
use crate::decode_key::{self, KeyChoice};
use crate::jws::{self, Payload, UnverifiedToken};
use crate::keys::VerifyingKey;
use crate::manager::Runtime;
use crate::{JWTManager, JsonObject, JwtError};

/// The claims that upstream gives a default when a token made elsewhere lacks
/// them; the values are in [`add_defaults`].
const DEFAULTED: [&str; 3] = ["type", "fresh", "jti"];

fn add_defaults(registered: &mut RegisteredClaims) {
    registered.set_default("type", || Value::from("access"));
    registered.set_default("fresh", || Value::Bool(false));
    registered.set_default("jti", || Value::Null);
}

/// A token whose signature and claims were checked.
///
/// Cloning it is cheap (two reference counts), and clones share the claims map,
/// which is built the first time [`claims`](DecodedToken::claims) asks for it:
/// checking a token and reading its registered claims need no map.
#[derive(Clone)]
pub struct DecodedToken {
    /// The header (`alg`, `typ`, and any additional headers).
    pub header: Arc<JsonObject>,
    payload: Arc<VerifiedPayload>,
}

/// The payload of a verified token, upstream's defaults included.
struct VerifiedPayload {
    payload: Payload,
    claims: OnceLock<Arc<JsonObject>>,
}

impl DecodedToken {
    /// Wraps a verified payload, adding upstream's defaults (`type`, `fresh`,
    /// `jti`) where the token has none.
    pub(crate) fn new(header: Arc<JsonObject>, mut payload: Payload) -> DecodedToken {
        add_defaults(payload.registered_mut());
        DecodedToken { header, payload: Arc::new(VerifiedPayload { payload, claims: OnceLock::new() }) }
    }

    /// The claims, with upstream's defaults filled in (`type`, `fresh`, `jti`):
    /// what `get_jwt()` returns.
    pub fn claims(&self) -> &Arc<JsonObject> {
        let verified = &*self.payload;
        verified.claims.get_or_init(|| {
            let mut claims = verified.payload.to_claims();
            for name in DEFAULTED {
                if let (false, Some(value)) = (claims.contains_key(name), verified.payload.registered().get(name)) {
                    claims.insert(name.to_owned(), value.clone());
                }
            }
            Arc::new(claims)
        })
    }

    /// One claim (defaults included). The registered ones (`sub`, `exp`, `jti`,
    /// `type`, `fresh`, `csrf`, ...) are read without building
    /// [`claims`](DecodedToken::claims).
    pub fn claim(&self, name: &str) -> Option<&Value> {
        if RegisteredClaims::keeps(name) {
            self.payload.payload.registered().get(name)
        } else {
            self.claims().get(name)
        }
    }
}

impl fmt::Debug for DecodedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodedToken").field("header", &self.header).field("claims", self.claims()).finish()
    }
}

impl PartialEq for DecodedToken {
    fn eq(&self, other: &Self) -> bool {
        self.header == other.header && self.claims() == other.claims()
    }
}

/// Decodes and validates `token` with `runtime`'s settings. An async
/// `decode_key_loader` cannot be waited for here (see [`decode_awaiting_key`]).
pub(crate) fn decode(
    runtime: &Runtime,
    token: &str,
    csrf_value: Option<&str>,
    allow_expired: bool,
) -> Result<DecodedToken, JwtError> {
    let unverified = jws::decode_unverified(token, runtime.settings.max_token_length)?;
    let key = match decode_key::choose(runtime, &unverified)? {
        KeyChoice::Ready(key) => key,
        KeyChoice::Pending(_) => {
            return Err(JwtError::Setup(
                "the decode_key_loader is async, and decode_token cannot wait for it: verify tokens with \
                 #[jwt_required] or verify_jwt_in_request, or make the loader plain"
                    .into(),
            ));
        }
    };
    check(runtime, unverified, &key, csrf_value, allow_expired)
}

/// [`decode`] for a request, which may wait for an async `decode_key_loader`.
pub(crate) async fn decode_awaiting_key(
    runtime: &Runtime,
    token: &str,
    csrf_value: Option<&str>,
) -> Result<DecodedToken, JwtError> {
    let unverified = jws::decode_unverified(token, runtime.settings.max_token_length)?;
    let key = match decode_key::choose(runtime, &unverified)? {
        KeyChoice::Ready(key) => key,
        KeyChoice::Pending(pending) => Cow::Owned(pending.await?),
    };
    check(runtime, unverified, &key, csrf_value, false)
}

/// Everything after the key: the signature, then the claims in upstream's order.
fn check(
    runtime: &Runtime,
    unverified: UnverifiedToken<'_>,
    key: &VerifyingKey,
    csrf_value: Option<&str>,
    allow_expired: bool,
) -> Result<DecodedToken, JwtError> {
    let settings = &runtime.settings;
    jws::verify(&unverified, &settings.decode_algorithms, key)?;

    let now = runtime.clock.now().floor() as i64;
    // `allow_expired` is rare (decode_token's option): only then is the prebuilt
    // validation copied to turn the expiry check off.
    let unexpired = || Validation { verify_exp: false, ..runtime.validation.clone() };
    let checked = if allow_expired {
        claims::check(unverified.registered(), now, &unexpired())
    } else {
        claims::check(unverified.registered(), now, &runtime.validation)
    };
    // An expired token is reported last, as upstream reports it: upstream decodes it
    // a second time without the expiry check (to hand its claims to the expired
    // callback), and that decode's later checks (issuer, audience, subject, then the
    // identity claim and CSRF below) win over "expired".
    let expired = match checked {
        Ok(()) => false,
        Err(Failure::Expired) => {
            if let Err(Failure::Invalid(other)) = claims::check(unverified.registered(), now, &unexpired()) {
                return Err(other);
            }
            true
        }
        Err(Failure::Invalid(other)) => return Err(other),
    };

    let identity_claim = &settings.identity_claim;
    let has_identity = if RegisteredClaims::keeps(identity_claim) {
        unverified.registered().get(identity_claim).is_some()
    } else {
        unverified.claims().contains_key(identity_claim)
    };
    if !has_identity {
        return Err(JwtError::decode(format!("Missing claim: {identity_claim}")));
    }

    if let Some(csrf_value) = csrf_value {
        let expected = match unverified.registered().get("csrf") {
            Some(Value::String(expected)) => expected,
            Some(_) => return Err(JwtError::decode("Invalid claim: csrf must be a string")),
            None => return Err(JwtError::decode("Missing claim: csrf")),
        };
        if !bool::from(expected.as_bytes().ct_eq(csrf_value.as_bytes())) {
            return Err(JwtError::Csrf("CSRF double submit tokens do not match".into()));
        }
    }
    if expired {
        let (header, claims) = unverified.into_parts();
        return Err(JwtError::Expired { header, claims });
    }
    let (header, payload) = unverified.into_verified_parts();
    Ok(DecodedToken::new(header, payload))
}

/// Decodes a token in the current app (Python's `decode_token`): format,
/// signature, claims, and — when `csrf_value` is given — the CSRF value. Does not
/// check the token's type, freshness or revocation. Returns the claims.
pub fn decode_token(token: &str, csrf_value: Option<&str>, allow_expired: bool) -> Result<JsonObject, JwtError> {
    let manager = JWTManager::current()?;
    let decoded = decode(manager.runtime()?, token, csrf_value, allow_expired)?;
    Ok(decoded.claims().as_ref().clone())
}

/// The `jti` of a (fully verified) token (Python's `get_jti`).
pub fn get_jti(token: &str) -> Result<Option<String>, JwtError> {
    Ok(decode_token(token, None, false)?.get("jti").and_then(Value::as_str).map(str::to_string))
}

/// The `csrf` claim of a (fully verified) token (Python's `get_csrf_token`).
pub fn get_csrf_token(token: &str) -> Result<String, JwtError> {
    match decode_token(token, None, false)?.get("csrf") {
        Some(Value::String(csrf)) => Ok(csrf.clone()),
        _ => Err(JwtError::decode("Missing claim: csrf")),
    }
}

/// The header of a token, without checking its signature (Python's
/// `get_unverified_jwt_headers`); malformed tokens are still refused.
pub fn get_unverified_jwt_headers(token: &str) -> Result<JsonObject, JwtError> {
    let max_len = JWTManager::current().ok().and_then(|m| m.settings().ok().map(|s| s.max_token_length));
    let unverified = jws::decode_unverified(token, max_len.unwrap_or(8192))?;
    Ok(unverified.into_parts().0)
}

impl JWTManager {
    /// Decodes a token without an app context (see [`decode_token`]).
    pub fn decode_token(
        &self,
        token: &str,
        csrf_value: Option<&str>,
        allow_expired: bool,
    ) -> Result<DecodedToken, JwtError> {
        decode(self.runtime()?, token, csrf_value, allow_expired)
    }
}
