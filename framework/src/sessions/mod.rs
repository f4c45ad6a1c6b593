//! Flask's session cookie format, read and written byte for byte as Flask 3.1 does,
//! so that a Flask service and a phial service sharing `SECRET_KEY` share sessions.
//!
//! In a view, [`session()`] (or [`Request::session`](crate::Request::session)) is
//! the request's [`Session`], and [`flash`] / [`get_flashed_messages`] keep
//! messages in it; the app keeps sessions through a [`SessionInterface`], by
//! default [`SecureCookieSessionInterface`]: Flask's signed cookie, in this format.
//!
//! A Flask session cookie is built in layers, each its own file here:
//! - [`tagged_json`]: the session dict as Flask's `TaggedJSONSerializer` writes it,
//!   compact JSON with sorted keys, Python types carried by tags ([`SessionValue`]
//!   lists them);
//! - [`UrlSafeTimedSerializer`]: zlib when that is shorter (a leading `.`), then
//!   base64url;
//! - [`TimestampSigner`]: `.timestamp.signature`, HMAC-SHA1 with a key derived from
//!   the secret key and the salt `cookie-session`;
//! - [`SessionCodec`] puts them together with Flask's settings.
//!
//! ```
//! use phial::sessions::{SessionCodec, SessionMap, SessionValue};
//! use std::time::{Duration, SystemTime};
//!
//! // SECRET_KEY signs; SECRET_KEY_FALLBACKS still verify cookies signed before a rotation.
//! let codec = SessionCodec::new("new secret", ["old secret"])?;
//!
//! let mut session = SessionMap::new();
//! session.insert("user_id".into(), 42.into());
//! // flash("Logged in") stores a (category, message) tuple under `_flashes`.
//! let flash = SessionValue::Tuple(vec!["message".into(), "Logged in".into()]);
//! session.insert("_flashes".into(), SessionValue::List(vec![flash]));
//!
//! let now = SystemTime::now();
//! let cookie = codec.encode(&session, now);
//!
//! // Flask's PERMANENT_SESSION_LIFETIME (31 days) bounds the age of every session cookie.
//! let lifetime = Duration::from_secs(31 * 24 * 60 * 60);
//! assert_eq!(codec.decode(&cookie, lifetime, now)?, session);
//!
//! // Tampered, expired or foreign cookies are errors (Flask reads them as an empty session).
//! let tampered = cookie.replacen('e', "f", 1);
//! assert!(matches!(codec.decode(&tampered, lifetime, now), Err(phial::Error::BadSignature { .. })));
//! let later = now + lifetime + Duration::from_secs(1);
//! assert!(matches!(codec.decode(&cookie, lifetime, later), Err(phial::Error::SignatureExpired { .. })));
//! # Ok::<(), phial::Error>(())
//! ```
//!
//! Where phial differs from Flask (all in values Flask itself never writes, or
//! bytes nobody compares):
//! - compressed cookies are not byte-identical: miniz_oxide and CPython's zlib
//!   compress differently (both sides read each other's), and in the rare session
//!   where the two compressors land on either side of itsdangerous's "two bytes
//!   shorter" rule, one side compresses where the other does not (see
//!   [`UrlSafeTimedSerializer`]);
//! - base64 is read strictly (itsdangerous skips stray characters), and what a
//!   signed payload holds must be what Flask writes: an unreadable tag is an
//!   [`Error::BadPayload`](crate::Error::BadPayload), where Flask raises from
//!   `open_session` (a 500);
//! - Python integers beyond 64 bits read as floats, and `NaN`/`Infinity` (which
//!   Python's JSON writes and reads) or lone surrogate escapes make a payload
//!   unreadable;
//! - a compressed payload may inflate to at most [`MAX_PAYLOAD_LEN`] bytes.

mod codec;
mod flash;
mod http_date;
mod interface;
mod json;
mod secure_cookie;
mod serializer;
mod session;
mod signer;
pub mod tagged_json;
mod value;

#[cfg(test)]
mod properties;

pub use codec::SessionCodec;
pub(crate) use flash::taken as flashed_messages_of;
pub use flash::{flash, flash_category, get_flashed_messages, get_flashed_messages_with_categories};
pub use interface::SessionInterface;
pub use secure_cookie::SecureCookieSessionInterface;
pub use serializer::{MAX_PAYLOAD_LEN, UrlSafeTimedSerializer};
pub(crate) use session::save;
pub use session::{Session, SessionState, session};
pub use signer::{KeyDerivation, TimestampSigner};
pub use value::{SessionMap, SessionValue};
