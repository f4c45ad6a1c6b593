//! Ed25519 keys: `EdDSA` (RFC 8037).
//!
//! Signatures are deterministic, so phial's tokens are byte-identical to PyJWT's.
//! Verification is ed25519-dalek's strict one: besides a non-canonical `s`, it
//! refuses small-order public keys and `R` points, which admit signatures that
//! verify for more than one message.

use crate::JwtError;
use crate::algorithm::Algorithm;
use ed25519_dalek::Signer;

/// An Ed25519 public key.
#[derive(Clone)]
pub(crate) struct EdVerifier(pub(crate) ed25519_dalek::VerifyingKey);

impl EdVerifier {
    /// Whether `signature` is the EdDSA signature of `input`.
    pub(crate) fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> bool {
        alg == Algorithm::EdDSA
            && ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|signature| self.0.verify_strict(input, &signature).is_ok())
    }

    /// The 32 bytes of the public key, for its JWK.
    pub(crate) fn bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }
}

/// An Ed25519 private key.
#[derive(Clone)]
pub(crate) struct EdSigner(pub(crate) ed25519_dalek::SigningKey);

impl EdSigner {
    /// The public key that verifies this key's signatures.
    pub(crate) fn verifier(&self) -> EdVerifier {
        EdVerifier(self.0.verifying_key())
    }

    /// The EdDSA signature of `input`; `None` for any other algorithm.
    pub(crate) fn sign(&self, alg: Algorithm, input: &[u8]) -> Option<Result<Vec<u8>, JwtError>> {
        (alg == Algorithm::EdDSA).then(|| Ok(self.0.sign(input).to_bytes().to_vec()))
    }
}
