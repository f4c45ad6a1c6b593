//! Reading a token: parse it without trusting it, then verify its signature.
//!
//! The checks run in the order flask-jwt-extended meets them (an unverified
//! `jwt.decode`, `jwt.get_unverified_header`, then the verified decode), so the
//! first problem of a bad token gets upstream's message:
//!
//! 1. length over the cap: `Token is too large` (phial's; before any decoding);
//! 2. fewer than three segments: `Not enough segments`;
//! 3. header base64url: `Invalid header padding`;
//! 4. header JSON: `Invalid header string: ...` (also phial's duplicate keys, deep
//!    nesting and non-empty `crit`);
//! 5. payload base64url: `Invalid payload padding`;
//! 6. signature base64url: `Invalid crypto padding`;
//! 7. payload JSON: `Invalid payload string: ...`;
//! 8. a `kid` that is not a string: `Key ID header parameter must be a string`;
//!
//! and, in [`verify`]: no `alg`, an `alg` outside the allow-list, a bad signature.

use super::payload::Payload;
use super::segments::{self, Segments};
use super::strict_json::{Part, parse_object};
use crate::algorithm::Algorithm;
use crate::claims::RegisteredClaims;
use crate::keys::VerifyingKey;
use crate::{JsonObject, JwtError};
use serde_json::Value;
use std::sync::{Arc, LazyLock};

/// flask-jwt-extended has no length cap; phial's `JWT_MAX_TOKEN_LENGTH` defaults to
/// this many bytes, far above any token upstream creates.
pub const DEFAULT_MAX_TOKEN_LENGTH: usize = 8192;

/// A token whose segments parsed, and whose signature is not checked yet.
///
/// Nothing in it is trustworthy until [`verify`] has succeeded; it exists so that
/// the manager can choose a key from the unverified header and claims, as
/// upstream's `decode_key_loader` does. It keeps the signing input as a slice of the
/// token and the decoded signature, so verifying re-encodes nothing.
///
/// The payload was checked in full when the token was read; the map of its claims
/// is built the first time [`claims`](UnverifiedToken::claims) asks for it.
#[derive(Clone, Debug)]
pub struct UnverifiedToken<'a> {
    signing_input: &'a str,
    header: Arc<JsonObject>,
    payload: Payload,
}

impl<'a> UnverifiedToken<'a> {
    /// The JOSE header.
    pub fn header(&self) -> &JsonObject {
        &self.header
    }

    /// The claims (the payload).
    pub fn claims(&self) -> &JsonObject {
        self.payload.claims()
    }

    /// `BASE64URL(header) "." BASE64URL(payload)`, as it appears in the token.
    pub fn signing_input(&self) -> &'a str {
        self.signing_input
    }

    /// The decoded signature bytes (any length; only [`verify`] judges them).
    pub fn signature(&self) -> &[u8] {
        self.payload.signature()
    }

    /// The header and the claims, for the caller to keep once verified.
    pub fn into_parts(self) -> (JsonObject, JsonObject) {
        (Arc::unwrap_or_clone(self.header), self.payload.into_claims())
    }

    /// The registered claims, read without building the map of every claim.
    pub(crate) fn registered(&self) -> &RegisteredClaims {
        self.payload.registered()
    }

    /// The header, shared between tokens when it is a default one, and the
    /// payload (its signature dropped), for a verified token to keep.
    pub(crate) fn into_verified_parts(self) -> (Arc<JsonObject>, Payload) {
        (self.header, self.payload.without_signature())
    }
}

/// Two tokens are equal when their signing input, signature and header are: the
/// claims are then the same too, built or not.
impl PartialEq for UnverifiedToken<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.signing_input == other.signing_input
            && self.signature() == other.signature()
            && self.header == other.header
    }
}

/// Parses `token` without verifying it (see the module docs for the order of the
/// checks and their messages). Tokens longer than `max_len` bytes are refused
/// before anything is decoded.
///
/// Besides `max_len`, the work is bounded: one buffer is allocated for all three
/// segments, each segment is decoded once and each JSON document checked in one
/// pass (the claims map, if asked for, takes one more).
pub fn decode_unverified(token: &str, max_len: usize) -> Result<UnverifiedToken<'_>, JwtError> {
    let Loaded { segments, header, buffer, payload_len } = load(token, max_len)?;
    let payload = Payload::read(buffer, payload_len)?;
    check_kid(&header)?;
    Ok(UnverifiedToken { signing_input: segments.signing_input, header, payload })
}

/// The header of `token`, unverified: PyJWT's `get_unverified_header`, behind
/// upstream's `get_unverified_jwt_headers`. The payload must be base64url but is
/// not parsed; the signature is not checked.
pub fn unverified_header(token: &str, max_len: usize) -> Result<JsonObject, JwtError> {
    let loaded = load(token, max_len)?;
    check_kid(&loaded.header)?;
    Ok(Arc::unwrap_or_clone(loaded.header))
}

/// Checks the header's `alg` against `allowed`, then the signature with `key`;
/// returns the algorithm that verified.
///
/// `alg` is only looked up in `allowed` (exact, case-sensitive names): it never
/// selects a key or a verifier. Errors, with upstream's messages:
/// - no `alg`: `Algorithm not specified`;
/// - `alg` not a string, or not in `allowed` (`none` in any case, `HS512` when only
///   `HS256` is allowed, ...), or an algorithm `key` cannot verify because its key
///   type is another (`HS256` against an RSA public key: algorithm confusion):
///   `The specified alg value is not allowed`;
/// - a wrong signature, including one of the wrong length or an empty one:
///   `Signature verification failed`.
///
/// `key` is a [`VerifyingKey`], or a [`SigningKey`](crate::keys::SigningKey)
/// verifying its own tokens.
pub fn verify<K>(token: &UnverifiedToken<'_>, allowed: &[Algorithm], key: &K) -> Result<Algorithm, JwtError>
where
    K: AsRef<VerifyingKey> + ?Sized,
{
    let key = key.as_ref();
    let alg = token.header.get("alg").ok_or_else(|| JwtError::decode("Algorithm not specified"))?;
    let alg = alg
        .as_str()
        .and_then(|name| allowed.iter().copied().find(|allowed| allowed.as_str() == name))
        .filter(|alg| key.fits(*alg))
        .ok_or_else(|| JwtError::decode("The specified alg value is not allowed"))?;
    if key.verify(alg, token.signing_input.as_bytes(), token.signature()) {
        Ok(alg)
    } else {
        Err(JwtError::decode("Signature verification failed"))
    }
}

/// A token past PyJWT's `_load`: header parsed, payload and signature decoded
/// (payload first in `buffer`, then the signature), payload JSON not parsed yet.
struct Loaded<'a> {
    segments: Segments<'a>,
    header: Arc<JsonObject>,
    buffer: Vec<u8>,
    payload_len: usize,
}

fn load(token: &str, max_len: usize) -> Result<Loaded<'_>, JwtError> {
    if token.len() > max_len {
        return Err(JwtError::decode("Token is too large"));
    }
    let segments = Segments::split(token)?;
    // Big enough for any one segment, and for payload and signature together.
    let mut buffer = Vec::with_capacity(segments::decoded_len_bound(token.len()) + 6);

    let header = match default_header(segments.header) {
        Some(header) => header,
        None => {
            segments::decode_into(segments.header, &mut buffer)
                .map_err(|_| JwtError::decode("Invalid header padding"))?;
            let header = parse_object(&buffer, Part::Header)?;
            check_crit(&header)?;
            buffer.clear();
            Arc::new(header)
        }
    };

    segments::decode_into(segments.payload, &mut buffer).map_err(|_| JwtError::decode("Invalid payload padding"))?;
    let payload_len = buffer.len();
    segments::decode_into(segments.signature, &mut buffer).map_err(|_| JwtError::decode("Invalid crypto padding"))?;
    Ok(Loaded { segments, header, buffer, payload_len })
}

/// The header of a token made without additional headers, when `segment` is
/// exactly its encoding (`{"alg":"HS256","typ":"JWT"}` and the other algorithms'):
/// almost every token. Base64url and the JSON spelling are canonical, so this is
/// the object that decoding and parsing the segment would give, and it passes the
/// header checks; sharing one copy skips decoding, parsing and allocating it on
/// the hot path.
fn default_header(segment: &str) -> Option<Arc<JsonObject>> {
    static HEADERS: LazyLock<[Arc<JsonObject>; Algorithm::ALL.len()]> = LazyLock::new(|| {
        Algorithm::ALL.map(|alg| {
            let mut header = JsonObject::new();
            header.insert("alg".to_owned(), Value::from(alg.as_str()));
            header.insert("typ".to_owned(), Value::from("JWT"));
            Arc::new(header)
        })
    });
    let index = Algorithm::ALL.iter().position(|&alg| super::encode::default_header(alg) == segment)?;
    Some(HEADERS[index].clone())
}

/// RFC 7515 section 4.1.11: a receiver must refuse extensions it does not
/// understand, and phial understands none. An empty list asks for nothing.
fn check_crit(header: &JsonObject) -> Result<(), JwtError> {
    match header.get("crit") {
        None => Ok(()),
        Some(Value::Array(names)) if names.is_empty() => Ok(()),
        Some(_) => {
            Err(JwtError::decode("Invalid header string: the crit header lists extensions, and none are supported"))
        }
    }
}

/// PyJWS._validate_kid.
fn check_kid(header: &JsonObject) -> Result<(), JwtError> {
    match header.get("kid") {
        Some(kid) if !kid.is_string() => Err(JwtError::decode("Key ID header parameter must be a string")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_headers_shortcut_gives_what_parsing_gives() {
        for alg in Algorithm::ALL {
            let segment = super::super::encode::default_header(alg);
            let mut json = Vec::new();
            segments::decode_into(segment, &mut json).unwrap();
            let parsed = parse_object(&json, Part::Header).unwrap();
            assert_eq!(default_header(segment).as_deref(), Some(&parsed), "{alg:?}");
        }
        // Any other spelling goes through the parser.
        for segment in ["eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9", ""] {
            assert_eq!(default_header(segment), None, "{segment}");
        }
    }
}
