//! The signing algorithms phial-jwt supports: HMAC with SHA-2 (`HS256`, `HS384`,
//! `HS512`), and nothing else.
//!
//! There is deliberately no `none` variant: an unsigned token cannot be created or
//! accepted, whatever the configuration says. Parsing an algorithm name tells apart
//! the names PyJWT knows but phial does not support yet (the asymmetric families)
//! from names nobody knows, so that a start-up error can say which it is.

use std::fmt;
use std::str::FromStr;

/// An HMAC signing algorithm (RFC 7518 section 3.2).
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
}

impl Algorithm {
    /// Every supported algorithm, in the order of their hash sizes.
    pub const ALL: [Algorithm; 3] = [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];

    /// The JWA name, as written in a token's `alg` header (`"HS256"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
        }
    }

    /// The length in bytes of the MAC, which is also the smallest secret length
    /// that gives the algorithm its full strength (RFC 7518 section 3.2).
    pub const fn output_len(self) -> usize {
        match self {
            Algorithm::HS256 => 32,
            Algorithm::HS384 => 48,
            Algorithm::HS512 => 64,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The algorithm names PyJWT 2.10 implements with the `cryptography` package: they
/// need key pairs, which phial-jwt v1 does not handle.
const ASYMMETRIC_NAMES: [&str; 12] =
    ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES256K", "ES384", "ES512", "ES521", "EdDSA"];

impl FromStr for Algorithm {
    type Err = AlgorithmParseError;

    /// Parses a JWA name. Names are case-sensitive, as in PyJWT: `hs256` is unknown.
    fn from_str(name: &str) -> Result<Algorithm, AlgorithmParseError> {
        match name {
            "HS256" => Ok(Algorithm::HS256),
            "HS384" => Ok(Algorithm::HS384),
            "HS512" => Ok(Algorithm::HS512),
            _ if name.eq_ignore_ascii_case("none") => Err(AlgorithmParseError::Unsigned),
            _ if ASYMMETRIC_NAMES.contains(&name) => Err(AlgorithmParseError::Asymmetric(name.to_owned())),
            _ => Err(AlgorithmParseError::Unknown(name.to_owned())),
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
    /// An asymmetric algorithm PyJWT knows (RS*, PS*, ES*, EdDSA); not supported yet.
    Asymmetric(String),
    /// A name that is not a JWS algorithm PyJWT knows.
    Unknown(String),
}

impl fmt::Display for AlgorithmParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlgorithmParseError::Unsigned => {
                f.write_str("the \"none\" algorithm (unsigned tokens) is never supported; use HS256, HS384 or HS512")
            }
            AlgorithmParseError::Asymmetric(name) => write!(
                f,
                "\"{name}\" needs an asymmetric key pair, and asymmetric keys are not supported yet; use HS256, HS384 or HS512"
            ),
            AlgorithmParseError::Unknown(name) => {
                write!(f, "unknown algorithm \"{name}\"; use HS256, HS384 or HS512")
            }
        }
    }
}

impl std::error::Error for AlgorithmParseError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_hmac_names_parse_and_print_back() {
        for alg in Algorithm::ALL {
            assert_eq!(alg.as_str().parse::<Algorithm>(), Ok(alg));
            assert_eq!(alg.to_string(), alg.as_str());
        }
        assert_eq!(Algorithm::HS256.as_str(), "HS256");
        assert_eq!(Algorithm::HS384.as_str(), "HS384");
        assert_eq!(Algorithm::HS512.as_str(), "HS512");
    }

    #[test]
    fn names_are_case_sensitive_like_pyjwt() {
        assert_eq!("hs256".parse::<Algorithm>(), Err(AlgorithmParseError::Unknown("hs256".into())));
        assert_eq!("Hs512".parse::<Algorithm>(), Err(AlgorithmParseError::Unknown("Hs512".into())));
    }

    #[test]
    fn none_in_any_case_is_refused_as_unsigned() {
        for name in ["none", "None", "NONE", "nOnE"] {
            assert_eq!(name.parse::<Algorithm>(), Err(AlgorithmParseError::Unsigned), "{name}");
        }
        assert!(AlgorithmParseError::Unsigned.to_string().contains("never supported"));
    }

    #[test]
    fn every_asymmetric_name_pyjwt_knows_says_not_supported_yet() {
        for name in ASYMMETRIC_NAMES {
            let err = name.parse::<Algorithm>().unwrap_err();
            assert_eq!(err, AlgorithmParseError::Asymmetric(name.to_owned()));
            let text = err.to_string();
            assert!(text.contains(name), "{text}");
            assert!(text.contains("asymmetric keys are not supported yet"), "{text}");
        }
    }

    #[test]
    fn other_names_are_unknown() {
        for name in ["", "HS1024", "RS1", "ES257", "eddsa", "HS256 "] {
            assert_eq!(name.parse::<Algorithm>(), Err(AlgorithmParseError::Unknown(name.to_owned())), "{name:?}");
        }
        assert_eq!(
            AlgorithmParseError::Unknown("foo".into()).to_string(),
            "unknown algorithm \"foo\"; use HS256, HS384 or HS512"
        );
    }

    #[test]
    fn output_lengths_are_the_hash_sizes() {
        assert_eq!(Algorithm::HS256.output_len(), 32);
        assert_eq!(Algorithm::HS384.output_len(), 48);
        assert_eq!(Algorithm::HS512.output_len(), 64);
    }
}
