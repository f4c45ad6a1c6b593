//! A token's payload once it has been checked: its JSON text, its registered
//! claims, and the map of every claim, built on first use.

use super::claims_scan::scan_payload;
use super::strict_json::{Part, parse_object};
use crate::claims::RegisteredClaims;
use crate::{JsonObject, JwtError};
use std::sync::OnceLock;

/// A payload that passed every JSON rule (see `claims_scan`).
///
/// Until the token is verified, the buffer also holds the decoded signature,
/// right after the payload: one allocation for both.
#[derive(Clone, Debug)]
pub(crate) struct Payload {
    /// The decoded payload (`..len`), then the decoded signature, if still kept.
    bytes: Vec<u8>,
    len: usize,
    registered: RegisteredClaims,
    claims: OnceLock<JsonObject>,
}

impl Payload {
    /// Checks the payload in `bytes[..len]` (the signature follows it) and keeps
    /// its registered claims.
    pub(crate) fn read(bytes: Vec<u8>, len: usize) -> Result<Payload, JwtError> {
        let registered = scan_payload(&bytes[..len])?;
        Ok(Payload { bytes, len, registered, claims: OnceLock::new() })
    }

    /// The registered claims.
    pub(crate) fn registered(&self) -> &RegisteredClaims {
        &self.registered
    }

    /// The registered claims, for upstream's defaults to be added.
    pub(crate) fn registered_mut(&mut self) -> &mut RegisteredClaims {
        &mut self.registered
    }

    /// The decoded signature (empty once dropped).
    pub(crate) fn signature(&self) -> &[u8] {
        &self.bytes[self.len..]
    }

    /// The same payload without the signature bytes.
    pub(crate) fn without_signature(mut self) -> Payload {
        self.bytes.truncate(self.len);
        self
    }

    /// Every claim, built on the first call.
    pub(crate) fn claims(&self) -> &JsonObject {
        self.claims.get_or_init(|| self.build_claims())
    }

    /// Every claim, as a map of the caller's own: a copy of the one built by
    /// [`claims`](Payload::claims) if it was, else built without keeping it.
    pub(crate) fn to_claims(&self) -> JsonObject {
        self.claims.get().cloned().unwrap_or_else(|| self.build_claims())
    }

    /// Every claim, built unless it was already.
    pub(crate) fn into_claims(mut self) -> JsonObject {
        self.claims.take().unwrap_or_else(|| self.build_claims())
    }

    fn build_claims(&self) -> JsonObject {
        // `read` accepted these bytes, and `parse_object` reads JSON with the same
        // parser and rules, so this cannot fail (the tests hold the two to it).
        let parsed = parse_object(&self.bytes[..self.len], Part::Payload);
        debug_assert!(parsed.is_ok(), "a checked payload failed to parse: {parsed:?}");
        parsed.unwrap_or_default()
    }
}
