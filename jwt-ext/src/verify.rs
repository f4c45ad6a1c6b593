//! `verify_jwt_in_request`: finding, decoding and checking the token of the current
//! request, in flask-jwt-extended's exact order (see its `verify_jwt_in_request`):
//!
//! 1. `OPTIONS` requests pass without a check;
//! 2. each location in order: a token found is decoded (a decode error stops the
//!    search), "no token here" moves to the next location, any other error stops;
//! 3. no token anywhere: `optional` routes go on anonymously, others get the
//!    (combined) "Missing ..." message;
//! 4. the token's type, freshness, revocation, custom verification, and user lookup;
//! 5. only then is the verified token stored in `g` for `get_jwt()` and friends.

use phial::http::Method;
use phial::{Decorator, Request, ViewError};
use serde_json::Value;
use std::sync::Arc;

use crate::callbacks::LoadedUser;
use crate::decode::{DecodedToken, decode, decode_awaiting_key};
use crate::decorator::JwtRequired;
use crate::locations::{self, Location};
use crate::{JWTManager, JwtError};

/// What `verify_jwt_in_request` leaves in the request's `g`.
#[derive(Clone, Debug)]
pub(crate) struct Verified {
    pub(crate) token: Option<DecodedToken>,
    pub(crate) location: Option<Location>,
    pub(crate) user: Option<LoadedUserHandle>,
}

/// A loaded user, `Debug` for the `Verified` record.
#[derive(Clone)]
pub(crate) struct LoadedUserHandle(pub(crate) LoadedUser);

impl std::fmt::Debug for LoadedUserHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoadedUser")
    }
}

/// Verifies the current request's token with `options` (Python's
/// `verify_jwt_in_request(...)`), for custom decorators. Returns the header and
/// claims, or `None` for an `OPTIONS` request or an optional route without token.
pub async fn verify_jwt_in_request(options: &JwtRequired) -> Result<Option<DecodedToken>, JwtError> {
    let request = phial::request().map_err(|err| JwtError::Setup(err.to_string()))?;
    verify_request(&request, options).await
}

/// Decodes `token`, waiting for an async `decode_key_loader` if there is one;
/// when a remote key set knows no key for it (or was never fetched), fetches the
/// set once (rate-limited by the set) and tries again.
async fn decode_with_refetch(
    runtime: &crate::manager::Runtime,
    token: &str,
    csrf: Option<&str>,
) -> Result<DecodedToken, JwtError> {
    match decode_awaiting_key(runtime, token, csrf).await {
        Err(err) if is_key_miss(&err) => {
            let refetch = runtime.callbacks.key_set.as_ref().and_then(|source| source.refetch_after_miss());
            let Some(refetch) = refetch else { return Err(err) };
            if refetch.await { decode_awaiting_key(runtime, token, csrf).await } else { Err(err) }
        }
        other => other,
    }
}

fn is_key_miss(err: &JwtError) -> bool {
    match err {
        JwtError::Decode(message) => message == crate::keys::NO_MATCHING_KEY,
        JwtError::KeysUnavailable(_) => true,
        _ => false,
    }
}

/// The steps of the [module docs](self) for `request`.
pub(crate) async fn verify_request(request: &Request, options: &JwtRequired) -> Result<Option<DecodedToken>, JwtError> {
    if request.method() == Method::OPTIONS {
        return Ok(None);
    }
    let manager = JWTManager::of(request)?;
    let runtime = manager.runtime()?;
    let settings = &runtime.settings;
    let locations = match options.location_list()? {
        Some(locations) => locations,
        None => settings.token_location.as_slice(),
    };

    let mut missing = Missing::default();
    let mut found = None;
    for &location in locations {
        match locations::extract(location, request, settings, options.is_refresh()) {
            Ok(token) => {
                // Only a key loader or a key set may need to wait; the usual
                // configured key decodes synchronously, and this future stays
                // small (the waiting one is boxed).
                let csrf = token.csrf.as_deref();
                let callbacks = &runtime.callbacks;
                let decoded = if callbacks.decode_key.is_some() || callbacks.key_set.is_some() {
                    Box::pin(decode_with_refetch(runtime, &token.token, csrf)).await?
                } else {
                    decode(runtime, &token.token, csrf, false)?
                };
                found = Some((location, decoded));
                break;
            }
            Err(JwtError::NoAuthorization(message)) => missing.push(location, message),
            Err(other) => return Err(other),
        }
    }
    let Some((location, token)) = found else {
        if options.is_optional() {
            request.g().insert(Arc::new(Verified { token: None, location: None, user: None }));
            return Ok(None);
        }
        return Err(JwtError::NoAuthorization(missing.message()));
    };

    if options.verifies_type() {
        let is_refresh = token.claim("type").and_then(Value::as_str) == Some("refresh");
        if options.is_refresh() && !is_refresh {
            return Err(JwtError::WrongToken("Only refresh tokens are allowed".into()));
        }
        if !options.is_refresh() && is_refresh {
            return Err(JwtError::WrongToken("Only non-refresh tokens are allowed".into()));
        }
    }
    if options.needs_fresh() && !is_fresh(token.claim("fresh"), runtime.clock.now()) {
        return Err(JwtError::FreshTokenRequired {
            header: (*token.header).clone(),
            claims: (**token.claims()).clone(),
        });
    }
    let callbacks = &runtime.callbacks;
    if !options.skips_revocation_check() {
        if let Some(blocklist) = &callbacks.token_in_blocklist {
            if blocklist(token.header.clone(), token.claims().clone()).await? {
                return Err(JwtError::Revoked { header: (*token.header).clone(), claims: (**token.claims()).clone() });
            }
        }
    }
    if options.is_refresh()
        && settings.refresh_rotation
        && token.claim("type").and_then(Value::as_str) == Some("refresh")
    {
        crate::rotation::retire_or_detect_reuse(runtime, &token).await?;
    }
    if let Some(verification) = &callbacks.token_verification {
        if !verification(&token.header, token.claims()) {
            return Err(JwtError::UserClaimsVerification {
                header: (*token.header).clone(),
                claims: (**token.claims()).clone(),
            });
        }
    }
    let user = match &callbacks.user_lookup {
        Some(lookup) => match lookup(token.header.clone(), token.claims().clone()).await {
            Some(user) => Some(LoadedUserHandle(user)),
            None => {
                return Err(JwtError::UserLookup {
                    header: (*token.header).clone(),
                    claims: (**token.claims()).clone(),
                });
            }
        },
        None => None,
    };
    request.g().insert(Arc::new(Verified { token: Some(token.clone()), location: Some(location), user }));
    Ok(Some(token))
}

/// A token is fresh when its `fresh` claim is `true`, or a time not yet passed.
fn is_fresh(fresh: Option<&Value>, now: f64) -> bool {
    match fresh {
        Some(Value::Bool(fresh)) => *fresh,
        Some(Value::Number(until)) => until.as_f64().is_some_and(|until| until >= now),
        _ => false,
    }
}

/// The locations searched without finding a token, with their messages, in order.
/// The first is kept without an allocation of its own: most apps look in one
/// location, and every request without a token comes this way.
#[derive(Default)]
struct Missing {
    first: Option<(Location, String)>,
    rest: Vec<(Location, String)>,
}

impl Missing {
    fn push(&mut self, location: Location, message: String) {
        match self.first {
            None => self.first = Some((location, message)),
            Some(_) => self.rest.push((location, message)),
        }
    }

    /// Upstream's message for all of them (see [`missing_message`]).
    fn message(self) -> String {
        match self.first {
            Some((_, message)) if self.rest.is_empty() => message,
            first => missing_message(first.into_iter().chain(self.rest).collect()),
        }
    }
}

/// `Missing JWT in headers, cookies or json (m1; m2; m3)`, or the one message when
/// only one location was searched.
fn missing_message(mut missing: Vec<(Location, String)>) -> String {
    if missing.len() == 1 {
        return missing.pop().map(|(_, message)| message).unwrap_or_default();
    }
    match missing.as_slice() {
        [] => "Missing JWT".to_string(),
        [rest @ .., (last, _)] => {
            let names: Vec<&str> = rest.iter().map(|(location, _)| location.as_str()).collect();
            let messages: Vec<&str> = missing.iter().map(|(_, message)| message.as_str()).collect();
            format!("Missing JWT in {} or {} ({})", names.join(", "), last.as_str(), messages.join("; "))
        }
    }
}

/// Refuses a request with its `JwtError`, which the app's error handlers answer
/// (the manager registered the one that calls its loaders).
impl Decorator for JwtRequired {
    async fn before(&self, request: &Request) -> Result<(), ViewError> {
        match verify_request(request, self).await {
            Ok(_) => Ok(()),
            Err(error) => {
                tracing::debug!(target: "phial_jwt", path = %request.path(), status = error.status(), %error, "request refused");
                Err(error.into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn combined_missing_messages_read_like_upstream() {
        let all = [
            (Location::Headers, "Missing Authorization Header".to_string()),
            (Location::Cookies, "Missing cookie \"access_token_cookie\"".to_string()),
            (Location::Json, "Invalid content-type. Must be application/json.".to_string()),
            (Location::QueryString, "Missing 'jwt' query paramater".to_string()),
        ];
        assert_eq!(
            missing_message(all.to_vec()),
            "Missing JWT in headers, cookies, json or query_string (Missing Authorization Header; Missing cookie \
             \"access_token_cookie\"; Invalid content-type. Must be application/json.; Missing 'jwt' query paramater)"
        );
        assert_eq!(
            missing_message(all[..2].to_vec()),
            "Missing JWT in headers or cookies (Missing Authorization Header; Missing cookie \"access_token_cookie\")"
        );
        assert_eq!(missing_message(all[..1].to_vec()), "Missing Authorization Header");
    }

    #[test]
    fn missing_locations_keep_their_order() {
        let mut one = Missing::default();
        one.push(Location::Headers, "Missing Authorization Header".into());
        assert_eq!(one.message(), "Missing Authorization Header");
        let mut two = Missing::default();
        two.push(Location::Headers, "Missing Authorization Header".into());
        two.push(Location::Cookies, "Missing cookie \"access_token_cookie\"".into());
        assert_eq!(
            two.message(),
            "Missing JWT in headers or cookies (Missing Authorization Header; Missing cookie \"access_token_cookie\")"
        );
        assert_eq!(Missing::default().message(), "Missing JWT");
    }

    #[test]
    fn freshness_is_a_flag_or_a_time() {
        assert!(is_fresh(Some(&json!(true)), 100.0));
        assert!(!is_fresh(Some(&json!(false)), 100.0));
        assert!(is_fresh(Some(&json!(100.5)), 100.0));
        assert!(is_fresh(Some(&json!(100)), 100.0));
        assert!(!is_fresh(Some(&json!(99.9)), 100.0));
        assert!(!is_fresh(Some(&json!("yes")), 100.0));
        assert!(!is_fresh(None, 100.0));
    }
}
