//! The token format: JWS compact serialisation (RFC 7515) of a JSON header and
//! claims, signed with HMAC.
//!
//! `header.claims.signature`, each segment base64url without padding. Decoding is
//! strict where PyJWT is lenient, and refuses in PyJWT's order so that the first
//! failure gives upstream's message:
//!
//! 1. a token longer than `JWT_MAX_TOKEN_LENGTH`: `Token is too large` (phial);
//! 2. split at the last `.`, then the first: `Not enough segments`;
//! 3. header base64 (`Invalid header padding`), header JSON (`Invalid header string: ...`);
//! 4. claims base64 (`Invalid payload padding`), signature base64 (`Invalid crypto padding`);
//! 5. claims JSON (`Invalid payload string: ...`);
//! 6. header checks: `kid` a string, no `crit` (phial);
//! 7. at verification: `alg` present (`Algorithm not specified`) and allowed
//!    (`The specified alg value is not allowed`), then the MAC
//!    (`Signature verification failed`).

mod decode;
mod encode;
mod json;
mod key;

pub use decode::{UnverifiedToken, decode_unverified, verify};
pub use encode::encode;
pub use json::{MAX_DEPTH, OrderedClaims};
pub use key::SigningKey;
