//! "Log out everywhere": a per-identity cut-off beside the per-`jti` entries.
//!
//! Revoking every token of a user (a password change, a stolen laptop) cannot list
//! their tokens; instead the store keeps, per identity, the second up to which
//! tokens are refused: a token of that identity whose `iat` is at or before the
//! cut-off is revoked (whole seconds, as upstream writes `iat`), and a login in a
//! later second works. One token may be spared ("log out everywhere else").

/// A token as a [`Blocklist`](super::Blocklist) checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenRef<'a> {
    /// Its `jti` claim.
    pub jti: Option<&'a str>,
    /// Its identity claim (`JWT_IDENTITY_CLAIM`, `sub` by default), as a string:
    /// a JSON string as is, any other JSON value as its JSON text.
    pub identity: Option<&'a str>,
    /// Its `iat` claim, in whole seconds.
    pub issued_at: Option<u64>,
    /// Its refresh-token family (the `fam` claim, with `JWT_REFRESH_TOKEN_ROTATION`).
    pub family: Option<&'a str>,
}

/// The blocklist entry that revokes a whole refresh-token family: stores keep it
/// beside the `jti`s, under this name.
pub fn family_entry(family: &str) -> String {
    format!("family:{family}")
}

/// Every token of `identity` issued up to `issued_up_to` is revoked, but the one
/// whose `jti` is `except_jti`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityCutoff {
    /// The identity, as in [`TokenRef::identity`].
    pub identity: String,
    /// The last second (Unix time) of the tokens refused: an `iat` at or before it.
    pub issued_up_to: u64,
    /// The one token spared, by `jti` (the session that asked), if any.
    pub except_jti: Option<String>,
    /// When the store may forget the cut-off, because every token it refuses has
    /// expired by then (`None`: tokens may never expire, keep it).
    pub keep_until: Option<u64>,
}

impl IdentityCutoff {
    /// Whether this cut-off refuses `token` (of the same identity). A token without
    /// `iat` cannot be placed in time, so it is refused.
    pub fn refuses(&self, token: &TokenRef<'_>) -> bool {
        let issued_before = token.issued_at.is_none_or(|iat| iat <= self.issued_up_to);
        let spared = self.except_jti.is_some() && self.except_jti.as_deref() == token.jti;
        issued_before && !spared
    }

    /// Whether the store may drop the cut-off at `now`.
    pub fn expired_at(&self, now: u64) -> bool {
        self.keep_until.is_some_and(|until| until <= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cutoff(except: Option<&str>) -> IdentityCutoff {
        IdentityCutoff {
            identity: "alice".into(),
            issued_up_to: 1_000,
            except_jti: except.map(str::to_owned),
            keep_until: Some(2_000),
        }
    }

    fn token(jti: &'static str, iat: Option<u64>) -> TokenRef<'static> {
        TokenRef { jti: Some(jti), identity: Some("alice"), issued_at: iat, family: None }
    }

    #[test]
    fn tokens_issued_at_or_before_the_cutoff_second_are_refused() {
        let everywhere = cutoff(None);
        assert!(everywhere.refuses(&token("a", Some(999))));
        assert!(everywhere.refuses(&token("a", Some(1_000))));
        assert!(!everywhere.refuses(&token("a", Some(1_001))), "a login in a later second works");
        assert!(everywhere.refuses(&token("a", None)), "no iat: cannot be placed in time");
    }

    #[test]
    fn the_spared_token_survives_its_siblings() {
        let elsewhere = cutoff(Some("current"));
        assert!(!elsewhere.refuses(&token("current", Some(900))));
        assert!(elsewhere.refuses(&token("other", Some(900))));
        let no_jti = TokenRef { jti: None, identity: Some("alice"), issued_at: Some(900), family: None };
        assert!(elsewhere.refuses(&no_jti));
    }

    #[test]
    fn a_cutoff_is_kept_until_its_tokens_expire() {
        assert!(!cutoff(None).expired_at(1_999));
        assert!(cutoff(None).expired_at(2_000));
        assert!(!IdentityCutoff { keep_until: None, ..cutoff(None) }.expired_at(u64::MAX));
    }
}
