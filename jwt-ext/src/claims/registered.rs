//! The claims phial reads on every request, kept apart from the rest of the payload.
//!
//! Validating a token and serving `#[jwt_required]` read a fixed handful of claims
//! (the registered `iat`, `nbf`, `exp`, `iss`, `aud`, `sub`, `jti`, and
//! flask-jwt-extended's `type`, `fresh`, `csrf`). The payload check keeps those
//! values here while it reads the token, so a request that never asks for
//! `get_jwt()` is served without building a map of every claim.

use serde_json::Value;

/// The claims kept, in slot order.
const NAMES: [&str; 10] = ["iat", "nbf", "exp", "iss", "aud", "sub", "jti", "type", "fresh", "csrf"];

/// The values of the kept claims a payload has (see the [module docs](self)).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RegisteredClaims {
    values: [Option<Value>; NAMES.len()],
}

impl RegisteredClaims {
    /// The slot of `name`, when it is one of the kept claims.
    pub(crate) fn slot(name: &str) -> Option<usize> {
        // A `match` rather than a search of `NAMES`: it runs for every key of
        // every token, and compiles to a length test and a few byte compares.
        match name {
            "iat" => Some(0),
            "nbf" => Some(1),
            "exp" => Some(2),
            "iss" => Some(3),
            "aud" => Some(4),
            "sub" => Some(5),
            "jti" => Some(6),
            "type" => Some(7),
            "fresh" => Some(8),
            "csrf" => Some(9),
            _ => None,
        }
    }

    /// Whether `name` is one of the kept claims, so that [`get`](Self::get)
    /// answers for it (absent claims included).
    pub(crate) fn keeps(name: &str) -> bool {
        RegisteredClaims::slot(name).is_some()
    }

    /// The value of `name`; `None` when the payload has no such claim or when
    /// `name` is not kept.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.values[RegisteredClaims::slot(name)?].as_ref()
    }

    /// Stores the value read for the claim in `slot`.
    pub(crate) fn set(&mut self, slot: usize, value: Value) {
        self.values[slot] = Some(value);
    }

    /// Gives `name` the value `default` when the payload has none (upstream's
    /// defaults for tokens made elsewhere). `name` must be kept.
    pub(crate) fn set_default(&mut self, name: &str, default: impl FnOnce() -> Value) {
        if let Some(slot) = RegisteredClaims::slot(name) {
            self.values[slot].get_or_insert_with(default);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_kept_names_have_slots() {
        for (index, name) in NAMES.iter().enumerate() {
            assert_eq!(RegisteredClaims::slot(name), Some(index), "{name}");
        }
        for name in ["", "Sub", "sub ", "identity", "user_claims", "roles"] {
            assert!(!RegisteredClaims::keeps(name), "{name:?}");
        }
    }

    #[test]
    fn values_are_kept_by_name_and_defaults_never_overwrite() {
        let mut claims = RegisteredClaims::default();
        assert_eq!(claims.get("sub"), None);
        claims.set(RegisteredClaims::slot("sub").unwrap(), Value::from("alice"));
        claims.set_default("sub", || Value::from("bob"));
        claims.set_default("type", || Value::from("access"));
        assert_eq!(claims.get("sub"), Some(&Value::from("alice")));
        assert_eq!(claims.get("type"), Some(&Value::from("access")));
        assert_eq!(claims.get("roles"), None);
    }
}
