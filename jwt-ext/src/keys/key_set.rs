//! [`KeySet`]: several keys at once, each named by a `kid`, one of them signing.
//!
//! This is how keys rotate without logging anyone out: add the new key as the
//! signing one, keep the old one as a verifying key until the last token it
//! signed has expired, then drop it. A token names its key in its `kid` header
//! (phial writes it there when the set signs); a token without `kid` is verified
//! with the signing key's public half, or with the only key of a one-key set.
//!
//! A set is also what a JWKS document (RFC 7517 section 5) holds, both ways:
//! [`KeySet::jwks`] publishes the public keys, [`KeySet::from_jwks`] reads an
//! identity provider's.

use super::{NO_MATCHING_KEY, SigningKey, VerifyingKey};
use crate::algorithm::Algorithm;
use crate::{JsonObject, JwtError};
use serde_json::{Value, json};

/// Keys by `kid`: the signing key and the keys that verify. Built at start-up
/// (or by a remote key set on each fetch) and then only read.
#[derive(Clone, Debug, Default)]
pub struct KeySet {
    entries: Vec<Entry>,
    signing: Option<(String, Algorithm, SigningKey)>,
}

#[derive(Clone, Debug)]
struct Entry {
    kid: String,
    key: VerifyingKey,
    alg: Option<Algorithm>,
}

impl KeySet {
    /// An empty set.
    pub fn new() -> KeySet {
        KeySet::default()
    }

    /// Makes `key` the one that signs new tokens, with `alg`, under `kid`; it
    /// verifies its tokens too. Replaces the previous signing key, which keeps
    /// verifying if it was also added with [`with_verifying_key`](Self::with_verifying_key).
    pub fn with_signing_key(
        mut self,
        kid: impl Into<String>,
        alg: Algorithm,
        key: SigningKey,
    ) -> Result<KeySet, JwtError> {
        let kid = kid.into();
        if !key.verifying_key().fits(alg) {
            return Err(JwtError::Setup(format!(
                "the signing key \"{kid}\" is {}, and {alg} needs {}",
                key.key_type().describe(),
                alg.key_type().describe()
            )));
        }
        self.insert(Entry { kid: kid.clone(), key: key.verifying_key().clone(), alg: Some(alg) })?;
        self.signing = Some((kid, alg, key));
        Ok(self)
    }

    /// Adds a key that verifies tokens whose `kid` is `kid` (a retired signing
    /// key, or another service's public key). A `kid` already in the set is an error.
    pub fn with_verifying_key(mut self, kid: impl Into<String>, key: VerifyingKey) -> Result<KeySet, JwtError> {
        self.insert(Entry { kid: kid.into(), key, alg: None })?;
        Ok(self)
    }

    fn insert(&mut self, entry: Entry) -> Result<(), JwtError> {
        if self.entries.iter().any(|existing| existing.kid == entry.kid) {
            return Err(JwtError::Setup(format!("the key set already has a key with kid \"{}\"", entry.kid)));
        }
        self.entries.push(entry);
        Ok(())
    }

    /// Reads a JWKS document (`{"keys": [...]}`), as identity providers publish
    /// them. Keys that are not for signatures (`"use": "enc"`), have no `kid`, or
    /// cannot be used (an `oct` secret, an unknown curve, a short RSA modulus) are
    /// skipped with a warning in the log; a document with no usable key is an error.
    /// A key's `alg` member, when present, is the only algorithm it verifies.
    pub fn from_jwks(document: &Value) -> Result<KeySet, JwtError> {
        let keys = document
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| JwtError::Setup("the JWKS document has no \"keys\" array".into()))?;
        let mut set = KeySet::new();
        for jwk in keys {
            match read_entry(jwk) {
                Ok(entry) => {
                    if let Err(err) = set.insert(entry) {
                        tracing::warn!(target: "phial_jwt", "JWKS key skipped: {err}");
                    }
                }
                Err(why) => tracing::warn!(target: "phial_jwt", "JWKS key skipped: {why}"),
            }
        }
        if set.entries.is_empty() {
            return Err(JwtError::Setup("the JWKS document has no usable signature key".into()));
        }
        Ok(set)
    }

    /// The public keys as a JWKS document: each with `kid`, `use: "sig"`, its
    /// `alg` when the set knows it, and its public parameters. HMAC secrets are
    /// never listed, and no private parameter ever is.
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .entries
            .iter()
            .filter_map(|entry| {
                let mut jwk = entry.key.to_jwk()?;
                jwk.insert("kid".into(), json!(entry.kid));
                jwk.insert("use".into(), json!("sig"));
                if let Some(alg) = entry.alg {
                    jwk.insert("alg".into(), json!(alg.as_str()));
                }
                Some(Value::Object(jwk))
            })
            .collect();
        json!({ "keys": keys })
    }

    /// The key that verifies a token whose header has `kid` (see the module docs
    /// for tokens without one), restricted to its JWK's `alg` when it had one.
    pub fn verifying_key(&self, kid: Option<&str>) -> Result<VerifyingKey, JwtError> {
        let entry = match kid {
            Some(kid) => self.entries.iter().find(|entry| entry.kid == kid),
            None => match &self.signing {
                Some((kid, _, _)) => self.entries.iter().find(|entry| &entry.kid == kid),
                None if self.entries.len() == 1 => self.entries.first(),
                None => None,
            },
        };
        let entry = entry.ok_or_else(|| JwtError::decode(NO_MATCHING_KEY))?;
        Ok(match entry.alg {
            Some(alg) => entry.key.clone().only_for(alg),
            None => entry.key.clone(),
        })
    }

    /// The signing key, its `kid` and algorithm, if the set has one.
    pub fn signing_key(&self) -> Option<(&str, Algorithm, &SigningKey)> {
        self.signing.as_ref().map(|(kid, alg, key)| (kid.as_str(), *alg, key))
    }

    /// The `kid`s in the set, in the order they were added.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|entry| entry.kid.as_str())
    }
}

fn read_entry(jwk: &Value) -> Result<Entry, String> {
    let jwk: &JsonObject = jwk.as_object().ok_or("not a JSON object")?;
    if jwk.get("use").and_then(Value::as_str).is_some_and(|usage| usage != "sig") {
        return Err("its \"use\" is not \"sig\"".into());
    }
    let kid = jwk.get("kid").and_then(Value::as_str).ok_or("it has no \"kid\"")?;
    let key = VerifyingKey::from_jwk(jwk).map_err(|err| format!("kid \"{kid}\": {err}"))?;
    let alg = match jwk.get("alg").and_then(Value::as_str) {
        None => None,
        Some(name) => {
            let alg: Algorithm = name.parse().map_err(|err| format!("kid \"{kid}\": {err}"))?;
            if !key.fits(alg) {
                return Err(format!("kid \"{kid}\": its alg {alg} does not fit {}", key.key_type().describe()));
            }
            Some(alg)
        }
    };
    Ok(Entry { kid: kid.to_owned(), key, alg })
}
