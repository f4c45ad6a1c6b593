//! itsdangerous's `TimestampSigner` with HMAC-SHA1: `value.timestamp.signature`.

use crate::Error;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::{Digest, Sha1};
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// How the signing key is made from a secret key and the salt (itsdangerous's
/// `key_derivation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyDerivation {
    /// `HMAC-SHA1(secret_key, salt)`: what Flask's session cookie uses
    /// (`SecureCookieSessionInterface.key_derivation = "hmac"`).
    Hmac,
    /// `SHA1(salt + b"signer" + secret_key)`: itsdangerous's default
    /// (`"django-concat"`), for tokens an app signs itself with
    /// `URLSafeTimedSerializer(secret_key, salt=...)`.
    DjangoConcat,
}

/// itsdangerous's `TimestampSigner` (HMAC-SHA1, separator `.`), its keys derived
/// once, when it is made.
///
/// A signed value is `value.timestamp.signature`: the signing time in whole
/// seconds, big-endian without leading zero bytes, and an HMAC-SHA1 over
/// `value.timestamp` with a key derived from the secret key and the salt ([`KeyDerivation`]),
/// both in base64url without padding. Several secret keys give key rotation: the
/// newest signs, every one verifies (the newest first).
///
/// ```
/// use phial::sessions::{KeyDerivation, TimestampSigner};
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let signer = TimestampSigner::new(["old key", "new key"], "cookie-session", KeyDerivation::Hmac)?;
/// let signed_at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let signed = signer.sign("payload", signed_at);
/// assert!(signed.starts_with("payload.ZVPxAA."));
/// let (value, timestamp) = signer.unsign(&signed, Some(60), signed_at + Duration::from_secs(30))?;
/// assert_eq!((value, timestamp), ("payload", 1_700_000_000));
/// # Ok::<(), phial::Error>(())
/// ```
#[derive(Clone)]
pub struct TimestampSigner {
    /// One keyed HMAC state per secret key, the newest first.
    keys: Vec<Hmac<Sha1>>,
}

impl TimestampSigner {
    /// A signer for `secret_keys`, oldest to newest as itsdangerous takes them: the
    /// last signs, all verify. Fails when there is no key or the newest is empty
    /// (Flask refuses to sign sessions without a `SECRET_KEY`).
    pub fn new<K: AsRef<[u8]>>(
        secret_keys: impl IntoIterator<Item = K>,
        salt: impl AsRef<[u8]>,
        derivation: KeyDerivation,
    ) -> Result<TimestampSigner, Error> {
        let salt = salt.as_ref();
        let secret_keys: Vec<K> = secret_keys.into_iter().collect();
        if secret_keys.last().is_none_or(|newest| newest.as_ref().is_empty()) {
            return Err(Error::Config {
                key: "SECRET_KEY".to_owned(),
                message: "is not set: signing needs a secret key; set SECRET_KEY to a long random value \
                          (python3 -c 'import secrets; print(secrets.token_hex())') shared by every server \
                          that reads the signed values"
                    .to_owned(),
            });
        }
        let keys = secret_keys
            .iter()
            .rev()
            .map(|secret| {
                let derived = derive(secret.as_ref(), salt, derivation)?;
                <Hmac<Sha1> as KeyInit>::new_from_slice(&derived).map_err(|err| Error::Config {
                    key: "SECRET_KEY".to_owned(),
                    message: format!("cannot key HMAC-SHA1: {err}"),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(TimestampSigner { keys })
    }

    /// `value.timestamp.signature`, signed with the newest key at `now`.
    pub fn sign(&self, value: &str, now: SystemTime) -> String {
        let mut signed = String::with_capacity(value.len() + 40);
        signed.push_str(value);
        signed.push('.');
        let timestamp = unix_seconds(now).to_be_bytes();
        let first = timestamp.iter().position(|&byte| byte != 0).unwrap_or(timestamp.len());
        URL_SAFE_NO_PAD.encode_string(&timestamp[first..], &mut signed);
        let mut mac = self.keys[0].clone();
        mac.update(signed.as_bytes());
        signed.push('.');
        URL_SAFE_NO_PAD.encode_string(mac.finalize().into_bytes(), &mut signed);
        signed
    }

    /// Checks `signed` (itsdangerous's `unsign(.., max_age, return_timestamp=True)`):
    /// the value and its timestamp in seconds since the Unix epoch, or
    /// [`Error::BadSignature`] when no key signed it, or
    /// [`Error::SignatureExpired`] when it is older than `max_age` seconds at `now`
    /// or dated after `now`.
    pub fn unsign<'a>(&self, signed: &'a str, max_age: Option<u64>, now: SystemTime) -> Result<(&'a str, u64), Error> {
        let bad = |message: &str| Error::BadSignature { message: message.to_owned() };
        let (signed_part, signature) = signed.rsplit_once('.').ok_or_else(|| bad("no '.' separator found"))?;
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| bad("the signature is not base64url"))?;
        let verifies = |mac: &Hmac<Sha1>| {
            let mut mac = mac.clone();
            mac.update(signed_part.as_bytes());
            mac.verify_slice(&signature).is_ok()
        };
        if !self.keys.iter().any(verifies) {
            return Err(bad("the signature does not match"));
        }
        let (value, timestamp) = signed_part.rsplit_once('.').ok_or_else(|| bad("timestamp missing"))?;
        let timestamp = URL_SAFE_NO_PAD
            .decode(timestamp)
            .ok()
            .filter(|bytes| bytes.len() <= 8)
            .map(|bytes| bytes.iter().fold(0u64, |number, &byte| (number << 8) | u64::from(byte)))
            .ok_or_else(|| bad("malformed timestamp"))?;
        if let Some(max_age) = max_age {
            let age = i128::from(unix_seconds(now)) - i128::from(timestamp);
            if age > i128::from(max_age) || age < 0 {
                let age = i64::try_from(age).unwrap_or(if age < 0 { i64::MIN } else { i64::MAX });
                return Err(Error::SignatureExpired { age, max_age });
            }
        }
        Ok((value, timestamp))
    }
}

/// Keys stay out of logs.
impl fmt::Debug for TimestampSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimestampSigner").field("keys", &self.keys.len()).finish_non_exhaustive()
    }
}

/// itsdangerous's `Signer.derive_key`.
fn derive(secret: &[u8], salt: &[u8], derivation: KeyDerivation) -> Result<Vec<u8>, Error> {
    Ok(match derivation {
        KeyDerivation::Hmac => {
            let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(secret).map_err(|err| Error::Config {
                key: "SECRET_KEY".to_owned(),
                message: format!("cannot key HMAC-SHA1: {err}"),
            })?;
            mac.update(salt);
            mac.finalize().into_bytes().to_vec()
        }
        KeyDerivation::DjangoConcat => {
            Sha1::new().chain_update(salt).chain_update(b"signer").chain_update(secret).finalize().to_vec()
        }
    })
}

/// `int(time.time())`: whole seconds since the Unix epoch (0 before it).
fn unix_seconds(now: SystemTime) -> u64 {
    now.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn signer(keys: &[&str]) -> TimestampSigner {
        TimestampSigner::new(keys, "cookie-session", KeyDerivation::Hmac).unwrap()
    }

    #[test]
    fn signatures_are_itsdangerous_bytes_for_both_key_derivations() {
        // Expected strings are what itsdangerous 2.2's TimestampSigner writes with the time frozen.
        let flask = signer(&["secret"]);
        assert_eq!(flask.sign("value", at(1_700_000_000)), "value.ZVPxAA.n6zZ0hDFNMo45kKshAR_2Ch-k40");
        let default = TimestampSigner::new(["secret"], "itsdangerous.Signer", KeyDerivation::DjangoConcat).unwrap();
        assert_eq!(default.sign("value", at(1_700_000_000)), "value.ZVPxAA._xuRd4giNYkrNtBKEhLvirQ0MgI");
    }

    #[test]
    fn the_timestamp_drops_leading_zero_bytes() {
        let signer = signer(&["secret"]);
        assert!(signer.sign("v", at(0)).starts_with("v.."));
        assert!(signer.sign("v", at(1)).starts_with("v.AQ."));
        assert!(signer.sign("v", at(256)).starts_with("v.AQA."));
        assert_eq!(signer.unsign(&signer.sign("v", at(0)), None, at(0)).unwrap(), ("v", 0));
    }

    #[test]
    fn the_newest_key_signs_and_every_key_verifies() {
        let rotated = signer(&["old", "new"]);
        let signed = rotated.sign("v", at(100));
        assert_eq!(signed, signer(&["new"]).sign("v", at(100)));
        let by_old = signer(&["old"]).sign("v", at(100));
        assert_eq!(rotated.unsign(&by_old, None, at(100)).unwrap(), ("v", 100));
        assert!(matches!(signer(&["new"]).unsign(&by_old, None, at(100)), Err(Error::BadSignature { .. })));
    }

    #[test]
    fn the_age_may_reach_max_age_but_not_pass_it_nor_be_negative() {
        let signer = signer(&["secret"]);
        let signed = signer.sign("v", at(1_000));
        assert!(signer.unsign(&signed, Some(60), at(1_060)).is_ok());
        assert!(matches!(
            signer.unsign(&signed, Some(60), at(1_061)),
            Err(Error::SignatureExpired { age: 61, max_age: 60 })
        ));
        assert!(matches!(signer.unsign(&signed, Some(60), at(999)), Err(Error::SignatureExpired { age: -1, .. })));
        assert!(signer.unsign(&signed, None, at(1_000_000)).is_ok());
    }

    #[test]
    fn damaged_values_are_bad_signatures_with_a_reason() {
        let signer = signer(&["secret"]);
        let signed = signer.sign("value", at(1_000));
        let cases = [
            ("novalue".to_owned(), "no '.' separator found"),
            (signed.replacen("value", "valuf", 1), "the signature does not match"),
            (signed[..signed.len() - 1].to_owned(), "the signature"),
            (format!("{signed}="), "the signature is not base64url"),
            (format!("{signed}A"), "the signature"),
            (signer.sign("", at(1_000)).replacen('.', "", 1), "the signature does not match"),
        ];
        for (text, reason) in cases {
            match signer.unsign(&text, Some(60), at(1_000)) {
                Err(Error::BadSignature { message }) => assert!(message.starts_with(reason), "{text}: {message}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_signed_value_without_a_good_timestamp_is_refused() {
        let mac = |text: &str| {
            let mut mac = signer(&["secret"]).keys[0].clone();
            mac.update(text.as_bytes());
            format!("{text}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
        };
        let signer = signer(&["secret"]);
        let error = |text: &str| signer.unsign(&mac(text), None, at(0)).unwrap_err().to_string();
        assert!(error("no-timestamp").contains("timestamp missing"));
        assert!(error("v.AAAAAAAAAAAA").contains("malformed timestamp"), "nine bytes");
        assert!(error("v.*").contains("malformed timestamp"));
        assert_eq!(signer.unsign(&mac("v.__________8"), None, at(0)).unwrap(), ("v", u64::MAX));
        assert!(matches!(signer.unsign(&mac("v.__________8"), Some(10), at(0)), Err(Error::SignatureExpired { .. })));
    }

    #[test]
    fn a_missing_secret_key_is_a_config_error_naming_it() {
        let none: [&str; 0] = [];
        for error in [
            TimestampSigner::new(none, "s", KeyDerivation::Hmac).unwrap_err(),
            TimestampSigner::new(["old", ""], "s", KeyDerivation::Hmac).unwrap_err(),
        ] {
            assert!(error.to_string().starts_with("config key SECRET_KEY is not set"), "{error}");
        }
    }

    #[test]
    fn debug_output_shows_no_key() {
        assert_eq!(format!("{:?}", signer(&["hunter2"])), "TimestampSigner { keys: 1, .. }");
    }
}
