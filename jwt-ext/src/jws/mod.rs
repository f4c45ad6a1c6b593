//! The token layer: compact JWS with HMAC, as PyJWT 2.10 writes and reads it,
//! with phial's stricter decoding rules. Pure functions, no web framework.
//!
//! - [`SigningKey`]: the secret, keyed once for HS256/HS384/HS512.
//! - [`encode`]: header and claims to a token, byte-identical to PyJWT's
//!   `jwt.encode`; [`OrderedClaims`] keeps the claim order flask-jwt-extended uses.
//! - [`decode_unverified`] then [`verify`]: a token to its header and claims, with
//!   upstream's message for each failure. Claim checks (`exp`, `aud`, ...) are
//!   [`claims::validate`](crate::claims::validate), run after [`verify`].
//!
//! ```
//! use phial_jwt::algorithm::Algorithm;
//! use phial_jwt::jws::{self, OrderedClaims, SigningKey};
//! use phial_jwt::JsonObject;
//!
//! let key = SigningKey::new("super-secret")?;
//! let mut claims = OrderedClaims::new();
//! claims.insert("sub", "alice");
//! let token = jws::encode(&JsonObject::new(), Algorithm::HS256, &claims, &key)?;
//!
//! let unverified = jws::decode_unverified(&token, jws::DEFAULT_MAX_TOKEN_LENGTH)?;
//! jws::verify(&unverified, &[Algorithm::HS256], &key)?;
//! assert_eq!(unverified.claims()["sub"], "alice");
//!
//! // The header's alg is only compared with the allow-list.
//! let err = jws::verify(&unverified, &[Algorithm::HS512], &key).unwrap_err();
//! assert_eq!(err.to_string(), "The specified alg value is not allowed");
//! # Ok::<(), phial_jwt::JwtError>(())
//! ```

mod claims_scan;
mod compact_payload;
mod decode;
mod encode;
mod ordered_claims;
mod payload;
mod seen_keys;
mod segments;
mod strict_json;

/// Not API: the payload readers side by side, for the differential fuzz target.
#[doc(hidden)]
pub mod fuzzing;

pub use crate::keys::{SigningKey, VerifyingKey};
pub use decode::{DEFAULT_MAX_TOKEN_LENGTH, UnverifiedToken, decode_unverified, unverified_header, verify};
pub use encode::encode;
pub use ordered_claims::OrderedClaims;

pub(crate) use segments::encode_into as encode_segment;

pub(crate) use payload::Payload;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
