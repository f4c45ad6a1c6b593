//! The keys the config names, parsed once when the app starts.
//!
//! HMAC algorithms sign and verify with `JWT_SECRET_KEY` (else Flask's
//! `SECRET_KEY`); the asymmetric ones sign with `JWT_PRIVATE_KEY` and verify with
//! `JWT_PUBLIC_KEY`, as upstream. phial adds start-up checks upstream leaves to
//! the first request: a key that does not parse, that is of the wrong type for
//! `JWT_ALGORITHM` or for an entry of `JWT_DECODE_ALGORITHMS`, an RSA key under
//! `JWT_RSA_MIN_KEY_BITS`, or a public key that is not the private key's other half
//! stops the app with an error naming the key. When `JWT_PUBLIC_KEY` is absent,
//! the private key's public half verifies.

use super::{Settings, invalid};
use crate::JwtError;
use crate::algorithm::Algorithm;
use crate::keys::{SigningKey, VerifyingKey};
use phial::Secret;

/// The signing and verifying keys the config gives (`None` where a key loader
/// or nothing replaces them).
#[derive(Clone, Debug, Default)]
pub(crate) struct ConfiguredKeys {
    pub(crate) signing: Option<SigningKey>,
    pub(crate) verifying: Option<VerifyingKey>,
}

impl ConfiguredKeys {
    /// Parses the keys `settings` name. `has_decode_loader` skips the check of
    /// `JWT_DECODE_ALGORITHMS` against the configured key: the loader's keys may be
    /// of any type.
    pub(crate) fn from_settings(settings: &Settings, has_decode_loader: bool) -> Result<ConfiguredKeys, phial::Error> {
        let keys = if settings.algorithm.is_hmac() { hmac(settings)? } else { asymmetric(settings)? };
        if let (Some(key), false) = (&keys.verifying, has_decode_loader) {
            let source = if settings.algorithm.is_hmac() { "JWT_SECRET_KEY" } else { "the key from JWT_PUBLIC_KEY" };
            check_decode_algorithms(&settings.decode_algorithms, key, source)?;
        }
        Ok(keys)
    }
}

fn hmac(settings: &Settings) -> Result<ConfiguredKeys, phial::Error> {
    let Some(secret) = &settings.secret else {
        return Ok(ConfiguredKeys::default());
    };
    let key = SigningKey::new(secret.expose()).map_err(|err| cannot_use("JWT_SECRET_KEY", &err))?;
    Ok(ConfiguredKeys { verifying: Some(key.verifying_key().clone()), signing: Some(key) })
}

fn asymmetric(settings: &Settings) -> Result<ConfiguredKeys, phial::Error> {
    let algorithm = settings.algorithm;
    let bits = settings.rsa_min_key_bits;
    let signing = match &settings.private_key {
        Some(pem) => {
            let key = SigningKey::from_pem_with_min_rsa_bits(pem.expose(), bits)
                .map_err(|e| cannot_use("JWT_PRIVATE_KEY", &e))?;
            check_fits("JWT_PRIVATE_KEY", key.verifying_key(), algorithm)?;
            Some(key)
        }
        None => None,
    };
    let verifying = match (&settings.public_key, &signing) {
        (Some(text), _) => {
            let key =
                VerifyingKey::from_pem_with_min_rsa_bits(text, bits).map_err(|e| cannot_use("JWT_PUBLIC_KEY", &e))?;
            check_fits("JWT_PUBLIC_KEY", &key, algorithm)?;
            if let Some(signing) = &signing {
                check_pair(signing, &key, algorithm)?;
            }
            Some(key)
        }
        (None, Some(signing)) => Some(signing.verifying_key().clone()),
        (None, None) => None,
    };
    Ok(ConfiguredKeys { signing, verifying })
}

fn cannot_use(config_key: &str, err: &JwtError) -> phial::Error {
    invalid(config_key, format!("cannot be used: {err}"))
}

fn check_fits(config_key: &str, key: &VerifyingKey, algorithm: Algorithm) -> Result<(), phial::Error> {
    if key.fits(algorithm) {
        return Ok(());
    }
    Err(invalid(
        config_key,
        format!(
            "is {}, and JWT_ALGORITHM \"{algorithm}\" needs {}",
            key.key_type().describe(),
            algorithm.key_type().describe()
        ),
    ))
}

/// Signs a probe with the private key and verifies it with the public one, so a
/// mismatched pair fails here rather than on every token.
fn check_pair(signing: &SigningKey, public: &VerifyingKey, algorithm: Algorithm) -> Result<(), phial::Error> {
    const PROBE: &[u8] = b"phial key pair check";
    let signature = signing.sign(algorithm, PROBE).map_err(|err| cannot_use("JWT_PRIVATE_KEY", &err))?;
    if public.verify(algorithm, PROBE, &signature) {
        Ok(())
    } else {
        Err(invalid(
            "JWT_PUBLIC_KEY",
            "is not the public half of JWT_PRIVATE_KEY: the tokens this app signs would not verify",
        ))
    }
}

fn check_decode_algorithms(allowed: &[Algorithm], key: &VerifyingKey, source: &str) -> Result<(), phial::Error> {
    match allowed.iter().find(|alg| !key.fits(**alg)) {
        None => Ok(()),
        Some(alg) => Err(invalid(
            "JWT_DECODE_ALGORITHMS",
            format!(
                "lists \"{alg}\", which needs {}, and {source} is {}",
                alg.key_type().describe(),
                key.key_type().describe()
            ),
        )),
    }
}

/// The HMAC secret must exist unless key loaders replace it, and a secret shorter
/// than the hash is a warning (an error with `JWT_REQUIRE_STRONG_SECRET`).
pub(super) fn check_secret(
    secret: Option<&Secret>,
    algorithm: Algorithm,
    has_key_loaders: bool,
    require_strong_secret: bool,
) -> Result<(), phial::Error> {
    let needed = algorithm.hmac_output_len().unwrap_or(0);
    match secret {
        None if !has_key_loaders => Err(invalid(
            "JWT_SECRET_KEY",
            format!("must be set (or SECRET_KEY) when using symmetric algorithm \"{}\"", algorithm.as_str()),
        )),
        Some(secret) if secret.len() < needed => {
            let message = format!(
                "is {} bytes long; {} needs at least {needed} bytes to be as strong as its hash",
                secret.len(),
                algorithm.as_str(),
            );
            if require_strong_secret {
                return Err(invalid("JWT_SECRET_KEY", message));
            }
            tracing::warn!(target: "phial_jwt", "JWT_SECRET_KEY {message}");
            Ok(())
        }
        _ => Ok(()),
    }
}
