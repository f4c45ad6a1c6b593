//! RSA keys: `RS256`/`RS384`/`RS512` (RSASSA-PKCS1-v1_5) and `PS256`/`PS384`/`PS512`
//! (RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash, which is
//! what PyJWT signs with and insists on when it verifies).
//!
//! The six signers (or verifiers) are built once when the key is loaded, so a
//! token never copies the key. PKCS#1 v1.5 signatures are deterministic (the same
//! bytes as PyJWT's); PSS ones are salted at random.

use crate::JwtError;
use crate::algorithm::Algorithm;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey, PublicKey, pkcs1v15, pss};
use sha2::{Sha256, Sha384, Sha512};

/// An RSA public key with a verifier for each of the six algorithms.
#[derive(Clone)]
pub(crate) struct RsaVerifier {
    public: PublicKey,
    rs256: pkcs1v15::VerifyingKey<Sha256>,
    rs384: pkcs1v15::VerifyingKey<Sha384>,
    rs512: pkcs1v15::VerifyingKey<Sha512>,
    ps256: pss::VerifyingKey<Sha256>,
    ps384: pss::VerifyingKey<Sha384>,
    ps512: pss::VerifyingKey<Sha512>,
}

impl RsaVerifier {
    pub(crate) fn new(public: PublicKey) -> RsaVerifier {
        RsaVerifier {
            rs256: pkcs1v15::VerifyingKey::new(public.clone()),
            rs384: pkcs1v15::VerifyingKey::new(public.clone()),
            rs512: pkcs1v15::VerifyingKey::new(public.clone()),
            ps256: pss::VerifyingKey::new(public.clone()),
            ps384: pss::VerifyingKey::new(public.clone()),
            ps512: pss::VerifyingKey::new(public.clone()),
            public,
        }
    }

    /// The public key, for its JWK.
    pub(crate) fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The modulus length in bits.
    pub(crate) fn bits(&self) -> usize {
        self.public.n().bit_width_vartime() as usize
    }

    /// Whether `signature` is `alg`'s signature of `input`. A signature whose
    /// length is not the modulus length is refused before any arithmetic.
    pub(crate) fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> bool {
        if signature.len() != self.public.size() {
            return false;
        }
        match alg {
            Algorithm::RS256 => pkcs1(signature).is_some_and(|sig| self.rs256.verify(input, &sig).is_ok()),
            Algorithm::RS384 => pkcs1(signature).is_some_and(|sig| self.rs384.verify(input, &sig).is_ok()),
            Algorithm::RS512 => pkcs1(signature).is_some_and(|sig| self.rs512.verify(input, &sig).is_ok()),
            Algorithm::PS256 => pss(signature).is_some_and(|sig| self.ps256.verify(input, &sig).is_ok()),
            Algorithm::PS384 => pss(signature).is_some_and(|sig| self.ps384.verify(input, &sig).is_ok()),
            Algorithm::PS512 => pss(signature).is_some_and(|sig| self.ps512.verify(input, &sig).is_ok()),
            _ => false,
        }
    }
}

fn pkcs1(bytes: &[u8]) -> Option<pkcs1v15::Signature> {
    pkcs1v15::Signature::try_from(bytes).ok()
}

fn pss(bytes: &[u8]) -> Option<pss::Signature> {
    pss::Signature::try_from(bytes).ok()
}

/// An RSA private key with a signer for each of the six algorithms.
#[derive(Clone)]
pub(crate) struct RsaSigner {
    rs256: pkcs1v15::SigningKey<Sha256>,
    rs384: pkcs1v15::SigningKey<Sha384>,
    rs512: pkcs1v15::SigningKey<Sha512>,
    ps256: pss::SigningKey<Sha256>,
    ps384: pss::SigningKey<Sha384>,
    ps512: pss::SigningKey<Sha512>,
}

impl RsaSigner {
    /// The signers, and the verifier of the matching public key.
    pub(crate) fn new(private: PrivateKey) -> (RsaSigner, RsaVerifier) {
        let verifier = RsaVerifier::new(private.to_public_key());
        let signer = RsaSigner {
            rs256: pkcs1v15::SigningKey::new(private.clone()),
            rs384: pkcs1v15::SigningKey::new(private.clone()),
            rs512: pkcs1v15::SigningKey::new(private.clone()),
            ps256: pss::SigningKey::new(private.clone()),
            ps384: pss::SigningKey::new(private.clone()),
            ps512: pss::SigningKey::new(private),
        };
        (signer, verifier)
    }

    /// `alg`'s signature of `input`; `None` when `alg` is not an RSA algorithm.
    pub(crate) fn sign(&self, alg: Algorithm, input: &[u8]) -> Option<Result<Vec<u8>, JwtError>> {
        let signed = match alg {
            Algorithm::RS256 => self.rs256.try_sign(input).map(|sig| sig.to_vec()),
            Algorithm::RS384 => self.rs384.try_sign(input).map(|sig| sig.to_vec()),
            Algorithm::RS512 => self.rs512.try_sign(input).map(|sig| sig.to_vec()),
            Algorithm::PS256 => self.ps256.try_sign(input).map(|sig| sig.to_vec()),
            Algorithm::PS384 => self.ps384.try_sign(input).map(|sig| sig.to_vec()),
            Algorithm::PS512 => self.ps512.try_sign(input).map(|sig| sig.to_vec()),
            _ => return None,
        };
        Some(signed.map_err(|err| JwtError::Setup(format!("the RSA key could not sign the token: {err}"))))
    }
}
