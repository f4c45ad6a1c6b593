//! Flask's session cookie value: `SecureCookieSessionInterface`'s signing
//! serializer, with its salt, key derivation and tagged JSON.

use super::serializer::UrlSafeTimedSerializer;
use super::{KeyDerivation, SessionMap, SessionValue, TimestampSigner, tagged_json};
use crate::Error;
use std::time::{Duration, SystemTime};

/// Reads and writes the value of Flask's session cookie, so that a Flask service
/// and a phial service with the same `SECRET_KEY` read each other's sessions.
///
/// The same as Flask's `app.session_interface.get_signing_serializer(app)`: an
/// itsdangerous `URLSafeTimedSerializer` with salt `cookie-session`, HMAC key
/// derivation, HMAC-SHA1 and Flask's tagged JSON. `SECRET_KEY` signs;
/// `SECRET_KEY_FALLBACKS` (Flask 3.1's key rotation) only verify. Time is a
/// parameter, so tests (and the vectors) can fix it.
#[derive(Clone, Debug)]
pub struct SessionCodec {
    serializer: UrlSafeTimedSerializer,
}

impl SessionCodec {
    /// Flask's salt for session cookies (`SecureCookieSessionInterface.salt`).
    pub const SALT: &'static str = "cookie-session";

    /// A codec that signs with `secret_key` and also accepts cookies signed with
    /// any of `fallbacks` (Flask's `SECRET_KEY` and `SECRET_KEY_FALLBACKS`). Keys
    /// are bytes; a Python `str` key is its UTF-8. An empty `secret_key` is an
    /// [`Error::Config`] naming `SECRET_KEY`: Flask has no session without one.
    pub fn new<K: AsRef<[u8]>>(
        secret_key: impl AsRef<[u8]>,
        fallbacks: impl IntoIterator<Item = K>,
    ) -> Result<SessionCodec, Error> {
        // itsdangerous's order, as Flask builds it: the fallbacks, then the key that signs.
        let keys =
            fallbacks.into_iter().map(|key| key.as_ref().to_vec()).chain(std::iter::once(secret_key.as_ref().to_vec()));
        let signer = TimestampSigner::new(keys, Self::SALT, KeyDerivation::Hmac)?;
        Ok(SessionCodec { serializer: UrlSafeTimedSerializer::new(signer) })
    }

    /// The cookie value for `session`, signed at `now` (Flask's
    /// `get_signing_serializer(app).dumps(dict(session))`).
    pub fn encode(&self, session: &SessionMap, now: SystemTime) -> String {
        self.serializer.dumps(&tagged_json::session_to_vec(session), now)
    }

    /// The session in a cookie value, checked as Flask's `open_session` checks it:
    /// signed by one of the keys ([`Error::BadSignature`]), signed at most
    /// `max_age` before `now` and not after it ([`Error::SignatureExpired`]; Flask
    /// passes `PERMANENT_SESSION_LIFETIME`, in whole seconds, for every session),
    /// and a readable JSON object ([`Error::BadPayload`]). Flask treats all three
    /// as an empty session.
    pub fn decode(&self, cookie: &str, max_age: Duration, now: SystemTime) -> Result<SessionMap, Error> {
        let json = self.serializer.loads(cookie, Some(max_age.as_secs()), now)?;
        match tagged_json::from_slice(&json)? {
            SessionValue::Dict(session) => Ok(session),
            other => {
                Err(Error::BadPayload { message: format!("the session is {}, not a JSON object", describe(&other)) })
            }
        }
    }
}

/// What a value that should have been a dict is, for the message.
fn describe(value: &SessionValue) -> &'static str {
    match value {
        SessionValue::List(_) => "a list",
        SessionValue::Tuple(_) => "a tuple",
        SessionValue::String(_) | SessionValue::Markup(_) => "a string",
        SessionValue::Null => "null",
        _ => "a single value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const LIFETIME: Duration = Duration::from_secs(31 * 24 * 3600);

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn codec(key: &str, fallbacks: &[&str]) -> SessionCodec {
        SessionCodec::new(key, fallbacks).unwrap()
    }

    fn session<const N: usize>(entries: [(&str, SessionValue); N]) -> SessionMap {
        entries.into_iter().map(|(key, value)| (key.to_owned(), value)).collect()
    }

    #[test]
    fn a_session_is_written_as_flask_writes_it() {
        // What Flask 3.1 sets for session["a"] = "b" with SECRET_KEY "secret" at 1700000000.
        let cookie = codec("secret", &[]).encode(&session([("a", "b".into())]), at(1_700_000_000));
        assert_eq!(cookie, "eyJhIjoiYiJ9.ZVPxAA.PhTJqJD4o4C_KAaxhzqAxkKHI5s");
    }

    #[test]
    fn a_session_reads_back_through_a_rotated_key() {
        let value = session([("user_id", 7.into()), ("_permanent", true.into())]);
        let old = codec("old", &[]).encode(&value, at(1_000));
        let rotated = codec("new", &["older", "old"]);
        assert_eq!(rotated.decode(&old, LIFETIME, at(2_000)).unwrap(), value);
        assert_eq!(rotated.encode(&value, at(1_000)), codec("new", &[]).encode(&value, at(1_000)));
        assert!(matches!(codec("new", &[]).decode(&old, LIFETIME, at(2_000)), Err(Error::BadSignature { .. })));
    }

    #[test]
    fn max_age_counts_whole_seconds_as_flask_does() {
        let codec = codec("secret", &[]);
        let cookie = codec.encode(&session([("a", 1.into())]), at(1_000));
        let max_age = Duration::from_millis(60_900);
        assert!(codec.decode(&cookie, max_age, at(1_060)).is_ok());
        assert!(matches!(
            codec.decode(&cookie, max_age, at(1_061)),
            Err(Error::SignatureExpired { age: 61, max_age: 60 })
        ));
    }

    #[test]
    fn a_signed_value_that_is_not_a_dict_is_a_bad_payload() {
        let signer = TimestampSigner::new(["secret"], SessionCodec::SALT, KeyDerivation::Hmac).unwrap();
        let serializer = UrlSafeTimedSerializer::new(signer);
        for (json, what) in [("[1]", "a list"), (r#"{" t":[1]}"#, "a tuple"), ("1", "a single value")] {
            let cookie = serializer.dumps(json.as_bytes(), at(1_000));
            let error = codec("secret", &[]).decode(&cookie, LIFETIME, at(1_000)).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "the signature is good but the payload cannot be read: the session is {what}, not a JSON \
                     object; the writer signed something that is not Flask's format"
                )
            );
        }
    }

    #[test]
    fn no_secret_key_is_a_config_error() {
        let error = SessionCodec::new("", ["fallback"]).unwrap_err();
        assert!(matches!(error, Error::Config { ref key, .. } if key == "SECRET_KEY"), "{error}");
    }
}
