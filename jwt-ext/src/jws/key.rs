//! The HMAC key: keyed once, cloned per token.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};
use std::fmt;

use crate::algorithm::Algorithm;

/// A secret, pre-keyed for the three HMAC algorithms. Keying an HMAC hashes the
/// secret; doing it once at start-up and cloning the keyed state per token keeps
/// that work off the request path.
#[derive(Clone)]
pub struct SigningKey {
    hs256: Hmac<Sha256>,
    hs384: Hmac<Sha384>,
    hs512: Hmac<Sha512>,
}

impl SigningKey {
    /// Keys the three HMACs with `secret` (HMAC accepts a secret of any length).
    pub fn new(secret: &[u8]) -> SigningKey {
        SigningKey {
            hs256: <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable_key()),
            hs384: <Hmac<Sha384> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable_key()),
            hs512: <Hmac<Sha512> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable_key()),
        }
    }

    /// The MAC of `input`.
    pub fn sign(&self, algorithm: Algorithm, input: &[u8]) -> Vec<u8> {
        match algorithm {
            Algorithm::HS256 => mac(self.hs256.clone(), input),
            Algorithm::HS384 => mac(self.hs384.clone(), input),
            Algorithm::HS512 => mac(self.hs512.clone(), input),
        }
    }

    /// Whether `signature` is the MAC of `input`, compared in constant time (a
    /// signature of the wrong length is simply wrong).
    pub fn verify(&self, algorithm: Algorithm, input: &[u8], signature: &[u8]) -> bool {
        match algorithm {
            Algorithm::HS256 => check(self.hs256.clone(), input, signature),
            Algorithm::HS384 => check(self.hs384.clone(), input, signature),
            Algorithm::HS512 => check(self.hs512.clone(), input, signature),
        }
    }
}

fn mac<M: Mac>(mut state: M, input: &[u8]) -> Vec<u8> {
    state.update(input);
    state.finalize().into_bytes().to_vec()
}

fn check<M: Mac>(mut state: M, input: &[u8], signature: &[u8]) -> bool {
    state.update(input);
    state.verify_slice(signature).is_ok()
}

/// HMAC's `new_from_slice` only fails for fixed-size keys, which HMAC does not have.
fn unreachable_key<T>() -> T {
    unreachable!("HMAC accepts keys of any length")
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<secret>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_with_the_same_key_and_algorithm() {
        let key = SigningKey::new(b"secret");
        let other = SigningKey::new(b"other");
        for algorithm in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let signature = key.sign(algorithm, b"input");
            assert_eq!(signature.len(), algorithm.min_secret_len());
            assert!(key.verify(algorithm, b"input", &signature));
            assert!(!other.verify(algorithm, b"input", &signature));
            assert!(!key.verify(algorithm, b"inpuT", &signature));
            assert!(!key.verify(algorithm, b"input", &signature[..signature.len() - 1]));
            assert!(!key.verify(algorithm, b"input", &[]));
        }
        let hs256 = key.sign(Algorithm::HS256, b"input");
        assert!(!key.verify(Algorithm::HS512, b"input", &hs256));
    }

    #[test]
    fn debug_hides_the_secret() {
        assert_eq!(format!("{:?}", SigningKey::new(b"hunter2")), "SigningKey(<secret>)");
    }
}
