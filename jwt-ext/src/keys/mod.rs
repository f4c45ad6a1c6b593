//! Keys: what signs tokens ([`SigningKey`]) and what verifies them ([`VerifyingKey`]).
//!
//! A key is parsed once, when the app starts or when the app builds it, and never
//! per request. Each key has one [`KeyType`], and it signs or verifies only the
//! algorithms of that type: an RSA public key can never serve as an HMAC secret,
//! whatever a token's header says (the algorithm-confusion attack).
//!
//! - HMAC: [`SigningKey::new`] (or [`VerifyingKey::hmac`]) from the shared secret.
//! - RSA, EC (P-256, P-384, P-521), Ed25519: [`SigningKey::from_pem`] from a
//!   private key, [`VerifyingKey::from_pem`] from a public key (or a private one),
//!   in the formats PyJWT reads with `cryptography`: PEM as PKCS#1, PKCS#8, SPKI or
//!   SEC1, and OpenSSH public keys (`ssh-rsa AAAA...`).
//!
//! ```
//! use phial_jwt::algorithm::{Algorithm, KeyType};
//! use phial_jwt::keys::SigningKey;
//!
//! # let pem = include_str!("../../tests/keys/ed25519_private.pem");
//! let key = SigningKey::from_pem(pem)?;
//! assert_eq!(key.key_type(), KeyType::Ed25519);
//! let signature = key.sign(Algorithm::EdDSA, b"header.payload")?;
//! assert!(key.verifying_key().verify(Algorithm::EdDSA, b"header.payload", &signature));
//! // The key type binds the algorithm: an Ed25519 key neither signs nor verifies HS256.
//! assert!(key.sign(Algorithm::HS256, b"header.payload").is_err());
//! # Ok::<(), phial_jwt::JwtError>(())
//! ```

mod asymmetric_text;
#[cfg(feature = "ecdsa")]
mod ecdsa;
#[cfg(feature = "eddsa")]
mod eddsa;
mod hmac;
mod jwk;
mod key_set;
mod loaded;
mod openssh;
mod pem;
#[cfg(feature = "rsa")]
mod rsa;

pub use key_set::KeySet;
pub use loaded::{DecodeKeyOutput, LoadedKey};

use crate::JwtError;
use crate::algorithm::{Algorithm, KeyType};
use std::fmt;
use std::sync::Arc;

/// The smallest RSA modulus a key may have unless the app lowers it (config key
/// `JWT_RSA_MIN_KEY_BITS`, or [`SigningKey::from_pem_with_min_rsa_bits`]).
pub const DEFAULT_RSA_MIN_BITS: usize = 2048;

/// What verifies signatures: an HMAC secret or a public key.
///
/// Cheap to clone (the parsed key is shared). `Debug` shows the key type only.
#[derive(Clone)]
pub struct VerifyingKey {
    inner: Arc<Verifier>,
    /// The one algorithm this key verifies, when a JWK's `alg` said so.
    only: Option<Algorithm>,
}

// Each key lives once, behind an `Arc`: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Verifier {
    Hmac(hmac::HmacKey),
    #[cfg(feature = "rsa")]
    Rsa(rsa::RsaVerifier),
    #[cfg(feature = "ecdsa")]
    Ec(ecdsa::EcVerifier),
    #[cfg(feature = "eddsa")]
    Ed25519(eddsa::EdVerifier),
}

impl VerifyingKey {
    fn wrap(verifier: Verifier) -> VerifyingKey {
        VerifyingKey { inner: Arc::new(verifier), only: None }
    }

    /// An HMAC secret. Like PyJWT, PEM text or an OpenSSH public key is refused as
    /// a secret (`JwtError::Setup` with PyJWT's message).
    pub fn hmac(secret: impl AsRef<[u8]>) -> Result<VerifyingKey, JwtError> {
        Ok(VerifyingKey::wrap(Verifier::Hmac(hmac::HmacKey::new(secret.as_ref())?)))
    }

    /// A public key from PEM (SPKI `PUBLIC KEY`, PKCS#1 `RSA PUBLIC KEY`), from an
    /// OpenSSH public key line, or the public half of a private key PEM (as PyJWT
    /// accepts one to verify). RSA keys under [`DEFAULT_RSA_MIN_BITS`] are refused.
    pub fn from_pem(text: impl AsRef<[u8]>) -> Result<VerifyingKey, JwtError> {
        VerifyingKey::from_pem_with_min_rsa_bits(text, DEFAULT_RSA_MIN_BITS)
    }

    /// [`from_pem`](VerifyingKey::from_pem) with another floor for RSA moduli (the
    /// `rsa` crate refuses any under 1024 bits whatever this says).
    pub fn from_pem_with_min_rsa_bits(text: impl AsRef<[u8]>, min_rsa_bits: usize) -> Result<VerifyingKey, JwtError> {
        let key = VerifyingKey::wrap(pem::public_key(text.as_ref())?);
        key.check_rsa_size(min_rsa_bits)?;
        Ok(key)
    }

    /// The type of the key, which decides the algorithms it verifies.
    pub fn key_type(&self) -> KeyType {
        match &*self.inner {
            Verifier::Hmac(_) => KeyType::Hmac,
            #[cfg(feature = "rsa")]
            Verifier::Rsa(_) => KeyType::Rsa,
            #[cfg(feature = "ecdsa")]
            Verifier::Ec(key) => key.key_type(),
            #[cfg(feature = "eddsa")]
            Verifier::Ed25519(_) => KeyType::Ed25519,
        }
    }

    /// Whether this key can verify `alg`'s signatures: `alg` is of the key's type
    /// (and is the key's one algorithm, if it has one).
    pub fn fits(&self, alg: Algorithm) -> bool {
        alg.key_type() == self.key_type() && self.only.is_none_or(|only| only == alg)
    }

    /// The same key, verifying `alg` only (a JWK's `alg` member).
    pub fn only_for(mut self, alg: Algorithm) -> VerifyingKey {
        self.only = Some(alg);
        self
    }

    /// Whether `signature` is `alg`'s signature of `signing_input` under this key.
    /// An algorithm of another key type is simply `false`; HMAC compares in
    /// constant time.
    pub fn verify(&self, alg: Algorithm, signing_input: &[u8], signature: &[u8]) -> bool {
        if self.only.is_some_and(|only| only != alg) {
            return false;
        }
        match &*self.inner {
            Verifier::Hmac(key) => key.verify(alg, signing_input, signature),
            #[cfg(feature = "rsa")]
            Verifier::Rsa(key) => key.verify(alg, signing_input, signature),
            #[cfg(feature = "ecdsa")]
            Verifier::Ec(key) => key.verify(alg, signing_input, signature),
            #[cfg(feature = "eddsa")]
            Verifier::Ed25519(key) => key.verify(alg, signing_input, signature),
        }
    }

    /// The modulus length of an RSA key.
    pub fn rsa_bits(&self) -> Option<usize> {
        match &*self.inner {
            #[cfg(feature = "rsa")]
            Verifier::Rsa(key) => Some(key.bits()),
            _ => None,
        }
    }

    fn check_rsa_size(&self, min_bits: usize) -> Result<(), JwtError> {
        match self.rsa_bits() {
            Some(bits) if bits < min_bits => Err(JwtError::Setup(format!(
                "the RSA key is {bits} bits long, under the {min_bits}-bit minimum (JWT_RSA_MIN_KEY_BITS)"
            ))),
            _ => Ok(()),
        }
    }
}

impl AsRef<VerifyingKey> for VerifyingKey {
    fn as_ref(&self) -> &VerifyingKey {
        self
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey").field("key_type", &self.key_type()).finish_non_exhaustive()
    }
}

/// What signs tokens: an HMAC secret or a private key. It also verifies (its
/// [`verifying_key`](SigningKey::verifying_key)).
///
/// Cheap to clone (the parsed key is shared). `Debug` never shows the key.
#[derive(Clone)]
pub struct SigningKey {
    signer: Arc<Signer>,
    public: VerifyingKey,
}

#[allow(clippy::large_enum_variant)]
enum Signer {
    /// The HMAC secret is the verifying key itself.
    Hmac,
    #[cfg(feature = "rsa")]
    Rsa(rsa::RsaSigner),
    #[cfg(feature = "ecdsa")]
    Ec(ecdsa::EcSigner),
    #[cfg(feature = "eddsa")]
    Ed25519(eddsa::EdSigner),
}

impl SigningKey {
    /// An HMAC secret, keyed once for HS256, HS384 and HS512. PEM text or an
    /// OpenSSH public key is refused, with PyJWT's message.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<SigningKey, JwtError> {
        Ok(SigningKey { signer: Arc::new(Signer::Hmac), public: VerifyingKey::hmac(secret)? })
    }

    /// A private key from PEM: PKCS#8 (`PRIVATE KEY`) for any type, PKCS#1
    /// (`RSA PRIVATE KEY`), or SEC1 (`EC PRIVATE KEY`). Encrypted keys are refused;
    /// RSA keys under [`DEFAULT_RSA_MIN_BITS`] too.
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<SigningKey, JwtError> {
        SigningKey::from_pem_with_min_rsa_bits(pem, DEFAULT_RSA_MIN_BITS)
    }

    /// [`from_pem`](SigningKey::from_pem) with another floor for RSA moduli.
    pub fn from_pem_with_min_rsa_bits(pem: impl AsRef<[u8]>, min_rsa_bits: usize) -> Result<SigningKey, JwtError> {
        let (signer, public) = pem::private_key(pem.as_ref())?;
        let key = SigningKey { signer: Arc::new(signer), public: VerifyingKey::wrap(public) };
        key.public.check_rsa_size(min_rsa_bits)?;
        Ok(key)
    }

    /// The key that verifies this key's signatures (for HMAC, the same secret).
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }

    /// The type of the key, which decides the algorithms it signs.
    pub fn key_type(&self) -> KeyType {
        self.public.key_type()
    }

    /// `alg`'s signature of `signing_input`. An algorithm of another key type is
    /// a [`JwtError::Setup`] naming both.
    pub fn sign(&self, alg: Algorithm, signing_input: &[u8]) -> Result<Vec<u8>, JwtError> {
        let signed = match (&*self.signer, &*self.public.inner) {
            (Signer::Hmac, Verifier::Hmac(secret)) => secret.sign(alg, signing_input).map(Ok),
            #[cfg(feature = "rsa")]
            (Signer::Rsa(key), _) => key.sign(alg, signing_input),
            #[cfg(feature = "ecdsa")]
            (Signer::Ec(key), _) => key.sign(alg, signing_input),
            #[cfg(feature = "eddsa")]
            (Signer::Ed25519(key), _) => key.sign(alg, signing_input),
            #[allow(unreachable_patterns)]
            _ => None,
        };
        signed.unwrap_or_else(|| Err(self.mismatch(alg)))
    }

    /// Signs `token`, which holds the signing input, and appends `"."` and the
    /// base64url signature. HMAC writes its tag straight into the token.
    // Without the asymmetric features HMAC is the only key, and the `if let` always matches.
    #[allow(irrefutable_let_patterns)]
    pub(crate) fn append_signature(&self, alg: Algorithm, token: &mut String) -> Result<(), JwtError> {
        if let (Signer::Hmac, Verifier::Hmac(secret)) = (&*self.signer, &*self.public.inner) {
            return if secret.append_signature(alg, token) { Ok(()) } else { Err(self.mismatch(alg)) };
        }
        let signature = self.sign(alg, token.as_bytes())?;
        token.push('.');
        crate::jws::encode_segment(&signature, token);
        Ok(())
    }

    fn mismatch(&self, alg: Algorithm) -> JwtError {
        JwtError::Setup(format!(
            "{alg} needs {}, and the signing key is {}",
            alg.key_type().describe(),
            self.key_type().describe()
        ))
    }
}

impl AsRef<VerifyingKey> for SigningKey {
    fn as_ref(&self) -> &VerifyingKey {
        &self.public
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").field("key_type", &self.key_type()).finish_non_exhaustive()
    }
}

/// The 422 message when no key fits a token (an unknown `kid`). It never echoes
/// the token's `kid`.
pub const NO_MATCHING_KEY: &str = "No key matches the token's kid";

/// Upstream's RuntimeError when the key an algorithm needs is not configured.
pub(crate) fn missing_key(asymmetric_key: &str, algorithm: Algorithm) -> JwtError {
    if algorithm.is_hmac() {
        JwtError::Setup("no JWT_SECRET_KEY to sign or verify tokens with".into())
    } else {
        JwtError::Setup(format!(
            "{asymmetric_key} must be set to use asymmetric cryptography algorithm \"{algorithm}\""
        ))
    }
}

#[cfg(test)]
mod tests;
