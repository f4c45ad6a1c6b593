//! The signing algorithms phial-jwt supports: every one PyJWT 2.10 implements but
//! secp256k1 (`ES256K`): HMAC (`HS256`, `HS384`, `HS512`), RSA PKCS#1 v1.5
//! (`RS256`..`RS512`), RSA-PSS (`PS256`..`PS512`), ECDSA (`ES256`, `ES384`,
//! `ES512`) and EdDSA (Ed25519).
//!
//! There is deliberately no `none` variant: an unsigned token cannot be created or
//! accepted, whatever the configuration says.
//!
//! Each algorithm belongs to one [`KeyType`]: a key of another type can never
//! sign or verify it, which is what defeats algorithm confusion (an `HS256` token
//! "signed" with an RSA public key's bytes as the HMAC secret).

use std::fmt;
use std::str::FromStr;

/// A JWS signing algorithm (RFC 7518 section 3, RFC 8037 for EdDSA).
///
/// The header's `alg` is only ever *compared* against a configured list of these;
/// it never chooses a key or a verifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
// The variants are spelt as the JWA names they stand for (`HS256`), like PyJWT's keys.
#[allow(clippy::upper_case_acronyms)]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256, MGF1 with SHA-256, a 32-byte salt (as PyJWT).
    PS256,
    /// RSASSA-PSS with SHA-384, MGF1 with SHA-384, a 48-byte salt.
    PS384,
    /// RSASSA-PSS with SHA-512, MGF1 with SHA-512, a 64-byte salt.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// EdDSA with Ed25519 (RFC 8037).
    EdDSA,
}

/// The kind of key an algorithm needs. A key has exactly one type, and serves
/// only the algorithms of that type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// A shared secret: `HS256`, `HS384`, `HS512`.
    Hmac,
    /// An RSA key pair: `RS*` and `PS*`.
    Rsa,
    /// An EC key pair on P-256: `ES256`.
    P256,
    /// An EC key pair on P-384: `ES384`.
    P384,
    /// An EC key pair on P-521: `ES512`.
    P521,
    /// An Ed25519 key pair: `EdDSA`.
    Ed25519,
}

impl KeyType {
    /// How the key type is named in messages (`"an RSA key"`).
    pub const fn describe(self) -> &'static str {
        match self {
            KeyType::Hmac => "an HMAC secret",
            KeyType::Rsa => "an RSA key",
            KeyType::P256 => "a P-256 EC key",
            KeyType::P384 => "a P-384 EC key",
            KeyType::P521 => "a P-521 EC key",
            KeyType::Ed25519 => "an Ed25519 key",
        }
    }
}

impl Algorithm {
    /// Every supported algorithm.
    pub const ALL: [Algorithm; 13] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::EdDSA,
    ];

    /// The three HMAC algorithms, in the order of their hash sizes.
    pub const HMAC: [Algorithm; 3] = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

    /// The JWA name, as written in a token's `alg` header (`"HS256"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::EdDSA => "EdDSA",
        }
    }

    /// The type of key that signs and verifies with this algorithm.
    pub const fn key_type(self) -> KeyType {
        match self {
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => KeyType::Hmac,
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => KeyType::Rsa,
            Algorithm::ES256 => KeyType::P256,
            Algorithm::ES384 => KeyType::P384,
            Algorithm::ES512 => KeyType::P521,
            Algorithm::EdDSA => KeyType::Ed25519,
        }
    }

    /// Whether the algorithm is HMAC, the only one whose key is a shared secret.
    pub const fn is_hmac(self) -> bool {
        matches!(self.key_type(), KeyType::Hmac)
    }

    /// For HMAC, the length in bytes of the MAC, which is also the smallest secret
    /// length that gives the algorithm its full strength (RFC 7518 section 3.2);
    /// `None` for the asymmetric algorithms.
    pub const fn hmac_output_len(self) -> Option<usize> {
        match self {
            Algorithm::HS256 => Some(32),
            Algorithm::HS384 => Some(48),
            Algorithm::HS512 => Some(64),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Names PyJWT knows that phial does not implement: `ES256K` (secp256k1, which
/// no RustCrypto curve here covers with JWS's rules) and `ES521`, PyJWT's
/// deprecated alias of `ES512`.
const UNSUPPORTED_NAMES: [&str; 2] = ["ES256K", "ES521"];

impl FromStr for Algorithm {
    type Err = AlgorithmParseError;

    /// Parses a JWA name. Names are case-sensitive, as in PyJWT: `hs256` is unknown.
    fn from_str(name: &str) -> Result<Algorithm, AlgorithmParseError> {
        if let Some(alg) = Algorithm::ALL.into_iter().find(|alg| alg.as_str() == name) {
            return Ok(alg);
        }
        if name.eq_ignore_ascii_case("none") {
            Err(AlgorithmParseError::Unsigned)
        } else if UNSUPPORTED_NAMES.contains(&name) {
            Err(AlgorithmParseError::Unsupported(name.to_owned()))
        } else {
            Err(AlgorithmParseError::Unknown(name.to_owned()))
        }
    }
}

/// Why an algorithm name was refused.
///
/// The text names the algorithm but not the config key; the caller (the manager's
/// config check) puts the key in front.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlgorithmParseError {
    /// `none`, in any case: unsigned tokens are never supported.
    Unsigned,
    /// A name PyJWT knows that phial does not implement (`ES256K`, `ES521`).
    Unsupported(String),
    /// A name that is not a JWS algorithm PyJWT knows.
    Unknown(String),
}

const SUPPORTED_LIST: &str =
    "HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA";

impl fmt::Display for AlgorithmParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlgorithmParseError::Unsigned => {
                write!(f, "the \"none\" algorithm (unsigned tokens) is never supported; use {SUPPORTED_LIST}")
            }
            AlgorithmParseError::Unsupported(name) => {
                write!(f, "\"{name}\" is not supported by phial; use {SUPPORTED_LIST}")
            }
            AlgorithmParseError::Unknown(name) => write!(f, "unknown algorithm \"{name}\"; use {SUPPORTED_LIST}"),
        }
    }
}

impl std::error::Error for AlgorithmParseError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_and_prints_back() {
        for alg in Algorithm::ALL {
            assert_eq!(alg.as_str().parse::<Algorithm>(), Ok(alg));
            assert_eq!(alg.to_string(), alg.as_str());
        }
        assert_eq!("EdDSA".parse::<Algorithm>(), Ok(Algorithm::EdDSA));
    }

    #[test]
    fn names_are_case_sensitive_like_pyjwt() {
        for name in ["hs256", "Hs512", "rs256", "eddsa", "EDDSA", "es256"] {
            assert_eq!(name.parse::<Algorithm>(), Err(AlgorithmParseError::Unknown(name.into())), "{name}");
        }
    }

    #[test]
    fn none_in_any_case_is_refused_as_unsigned() {
        for name in ["none", "None", "NONE", "nOnE"] {
            assert_eq!(name.parse::<Algorithm>(), Err(AlgorithmParseError::Unsigned), "{name}");
        }
        assert!(AlgorithmParseError::Unsigned.to_string().contains("never supported"));
    }

    #[test]
    fn pyjwt_names_phial_lacks_say_so() {
        for name in UNSUPPORTED_NAMES {
            let err = name.parse::<Algorithm>().unwrap_err();
            assert_eq!(err, AlgorithmParseError::Unsupported(name.to_owned()));
            assert!(err.to_string().starts_with(&format!("\"{name}\" is not supported by phial; use HS256")));
        }
    }

    #[test]
    fn other_names_are_unknown() {
        for name in ["", "HS1024", "RS1", "ES257", "HS256 ", "PS128"] {
            assert_eq!(name.parse::<Algorithm>(), Err(AlgorithmParseError::Unknown(name.to_owned())), "{name:?}");
        }
        assert_eq!(
            AlgorithmParseError::Unknown("foo".into()).to_string(),
            format!("unknown algorithm \"foo\"; use {SUPPORTED_LIST}")
        );
    }

    #[test]
    fn each_algorithm_has_one_key_type() {
        let types: Vec<KeyType> = Algorithm::ALL.iter().map(|alg| alg.key_type()).collect();
        use KeyType::*;
        assert_eq!(types, [Hmac, Hmac, Hmac, Rsa, Rsa, Rsa, Rsa, Rsa, Rsa, P256, P384, P521, Ed25519]);
        assert!(Algorithm::HMAC.iter().all(|alg| alg.is_hmac()));
        assert_eq!(Algorithm::ALL.iter().filter(|alg| alg.is_hmac()).count(), 3);
    }

    #[test]
    fn hmac_output_lengths_are_the_hash_sizes() {
        assert_eq!(Algorithm::HS256.hmac_output_len(), Some(32));
        assert_eq!(Algorithm::HS384.hmac_output_len(), Some(48));
        assert_eq!(Algorithm::HS512.hmac_output_len(), Some(64));
        assert_eq!(Algorithm::RS256.hmac_output_len(), None);
    }
}
