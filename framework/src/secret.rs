//! Secrets that never print: which config keys hold one, and a type that keeps its
//! bytes out of `Debug`, `Display` and logs.
//!
//! ```
//! use phial::{Config, Secret};
//!
//! let mut config = Config::new();
//! config.set("SECRET_KEY", "do-not-log-me").set("DEBUG", true);
//! let printed = format!("{config:?} {config}");
//! assert!(!printed.contains("do-not-log-me") && printed.contains("DEBUG"));
//!
//! let key = Secret::new("do-not-log-me");
//! assert_eq!(format!("{key:?}"), "Secret([redacted])");
//! assert_eq!(key.expose(), b"do-not-log-me");
//! ```

use std::fmt;

/// Config keys that always hold a secret; beside them, any key whose name contains
/// `SECRET` or `PASSWORD` (`*_KEY` alone is not enough: `JWT_JSON_KEY` names a
/// field, not a secret).
const SECRET_KEYS: [&str; 4] = ["SECRET_KEY", "SECRET_KEY_FALLBACKS", "JWT_SECRET_KEY", "JWT_PRIVATE_KEY"];

/// What a secret's value is printed as.
pub(crate) const REDACTED: &str = "[redacted]";

/// Whether the config key `key` holds a secret, whose value phial never prints:
/// `SECRET_KEY`, `SECRET_KEY_FALLBACKS`, `JWT_SECRET_KEY`, `JWT_PRIVATE_KEY`, and
/// any key whose name contains `SECRET` or `PASSWORD` (in any case).
pub fn is_secret_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    SECRET_KEYS.contains(&upper.as_str()) || upper.contains("SECRET") || upper.contains("PASSWORD")
}

/// A secret's bytes (a signing key, a password): cloneable and comparable, but
/// printed as `[redacted]` by `Debug` and `Display`. [`Secret::expose`] gives the
/// bytes to the code that signs or verifies with them.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps the secret's bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Secret {
        Secret(bytes.into())
    }

    /// The bytes themselves, for the code that uses them (never for a log line).
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// How many bytes it has (safe to print: a key's length says how strong it is).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listed_keys_and_any_secret_or_password_key_hold_secrets() {
        for key in
            ["SECRET_KEY", "SECRET_KEY_FALLBACKS", "JWT_SECRET_KEY", "JWT_PRIVATE_KEY", "DB_PASSWORD", "api_secret"]
        {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["JWT_JSON_KEY", "JWT_PUBLIC_KEY", "DEBUG", "JWT_ALGORITHM", "SESSION_COOKIE_NAME"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn a_secret_never_prints_its_bytes() {
        let secret = Secret::new("hunter2");
        assert_eq!(
            format!("{secret} {secret:?} {:?}", Some(&secret)),
            "[redacted] Secret([redacted]) Some(Secret([redacted]))"
        );
    }
}
