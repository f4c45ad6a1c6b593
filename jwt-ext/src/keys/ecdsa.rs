//! EC keys: `ES256` on P-256, `ES384` on P-384, `ES512` on P-521, each with the
//! hash of its name.
//!
//! A JWS ECDSA signature is `r || s`, each as long as the curve's field (RFC 7518
//! section 3.4): any other length (a DER signature, a truncated one) is refused,
//! and so are `r` or `s` equal to zero or at least the group order (the "psychic
//! signature" forgeries), before any curve arithmetic. A high `s` is accepted, as
//! PyJWT (OpenSSL) accepts it. Signing is deterministic (RFC 6979); PyJWT's
//! signatures are random, and both verify everywhere.

use crate::JwtError;
use crate::algorithm::{Algorithm, KeyType};
use p256::ecdsa::signature::{Signer, Verifier};

/// An EC public key on one of the three curves.
#[derive(Clone)]
pub(crate) enum EcVerifier {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
}

impl EcVerifier {
    pub(crate) fn key_type(&self) -> KeyType {
        match self {
            EcVerifier::P256(_) => KeyType::P256,
            EcVerifier::P384(_) => KeyType::P384,
            EcVerifier::P521(_) => KeyType::P521,
        }
    }

    /// Whether `signature` is `alg`'s signature of `input`; an algorithm of
    /// another curve never verifies.
    pub(crate) fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> bool {
        match (self, alg) {
            (EcVerifier::P256(key), Algorithm::ES256) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(input, &signature).is_ok()),
            (EcVerifier::P384(key), Algorithm::ES384) => p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(input, &signature).is_ok()),
            (EcVerifier::P521(key), Algorithm::ES512) => p521::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(input, &signature).is_ok()),
            _ => false,
        }
    }

    /// The public point, uncompressed (`04 || x || y`), for its JWK.
    pub(crate) fn uncompressed_point(&self) -> Vec<u8> {
        match self {
            EcVerifier::P256(key) => key.to_sec1_point(false).as_bytes().to_vec(),
            EcVerifier::P384(key) => key.to_sec1_point(false).as_bytes().to_vec(),
            EcVerifier::P521(key) => key.to_sec1_point(false).as_bytes().to_vec(),
        }
    }
}

/// An EC private key on one of the three curves.
#[derive(Clone)]
pub(crate) enum EcSigner {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(p521::ecdsa::SigningKey),
}

impl EcSigner {
    /// The public key that verifies this key's signatures.
    pub(crate) fn verifier(&self) -> EcVerifier {
        match self {
            EcSigner::P256(key) => EcVerifier::P256(*key.verifying_key()),
            EcSigner::P384(key) => EcVerifier::P384(*key.verifying_key()),
            EcSigner::P521(key) => EcVerifier::P521(*key.verifying_key()),
        }
    }

    /// `alg`'s signature of `input`; `None` when `alg` is not this curve's.
    pub(crate) fn sign(&self, alg: Algorithm, input: &[u8]) -> Option<Result<Vec<u8>, JwtError>> {
        let signed = match (self, alg) {
            (EcSigner::P256(key), Algorithm::ES256) => {
                Signer::<p256::ecdsa::Signature>::try_sign(key, input).map(|sig| sig.to_vec())
            }
            (EcSigner::P384(key), Algorithm::ES384) => {
                Signer::<p384::ecdsa::Signature>::try_sign(key, input).map(|sig| sig.to_vec())
            }
            (EcSigner::P521(key), Algorithm::ES512) => {
                Signer::<p521::ecdsa::Signature>::try_sign(key, input).map(|sig| sig.to_vec())
            }
            _ => return None,
        };
        Some(signed.map_err(|err| JwtError::Setup(format!("the EC key could not sign the token: {err}"))))
    }
}
