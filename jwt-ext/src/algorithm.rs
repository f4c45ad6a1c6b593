//! The signing algorithms phial supports: HMAC with SHA-2 (HS256, HS384, HS512).
//!
//! There is no `none`, and no asymmetric algorithm yet (configuring one is a start-up
//! error). The header of a token never chooses how it is verified: its `alg` is only
//! looked up in the configured list.

use std::fmt;
use std::str::FromStr;

use crate::JwtError;

/// An HMAC-SHA2 algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC with SHA-256 (the default).
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
}

/// The asymmetric names PyJWT knows, refused with a clear message.
const ASYMMETRIC: &[&str] = &[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES256K", "ES384", "ES512", "ES521", "EdDSA",
];

impl Algorithm {
    /// The name in the `alg` header.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
        }
    }

    /// The hash output size in bytes: a secret shorter than this is weaker than the
    /// algorithm.
    pub fn min_secret_len(self) -> usize {
        match self {
            Algorithm::HS256 => 32,
            Algorithm::HS384 => 48,
            Algorithm::HS512 => 64,
        }
    }

    /// The algorithm named `name` in a token header, if it is one of these three.
    pub fn from_header(name: &str) -> Option<Algorithm> {
        match name {
            "HS256" => Some(Algorithm::HS256),
            "HS384" => Some(Algorithm::HS384),
            "HS512" => Some(Algorithm::HS512),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = JwtError;

    /// Parses a configured algorithm name.
    fn from_str(name: &str) -> Result<Algorithm, JwtError> {
        if let Some(algorithm) = Algorithm::from_header(name) {
            return Ok(algorithm);
        }
        if ASYMMETRIC.contains(&name) {
            return Err(JwtError::Setup(format!(
                "\"{name}\" is an asymmetric algorithm: asymmetric keys are not supported yet; use HS256, HS384 or HS512"
            )));
        }
        Err(JwtError::Setup(format!(
            "\"{name}\" is not a known algorithm; use HS256, HS384 or HS512"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_none_does_not_exist() {
        for algorithm in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            assert_eq!(algorithm.as_str().parse::<Algorithm>().unwrap(), algorithm);
        }
        for name in ["none", "None", "NONE", "hs256", ""] {
            assert!(name.parse::<Algorithm>().is_err(), "{name}");
            assert_eq!(Algorithm::from_header(name), None);
        }
        assert!(
            "RS256"
                .parse::<Algorithm>()
                .unwrap_err()
                .to_string()
                .contains("asymmetric")
        );
    }
}
