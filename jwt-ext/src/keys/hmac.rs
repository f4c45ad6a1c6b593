//! [`HmacKey`]: the HMAC secret, keyed once, for all three algorithms.

use super::asymmetric_text::{is_pem, is_ssh_key};
use crate::JwtError;
use crate::algorithm::Algorithm;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};
use std::fmt;

/// An HMAC secret, ready to sign and verify with HS256, HS384 and HS512.
///
/// The secret is absorbed once into three keyed MAC states (HMAC's inner and outer
/// pads already hashed); each signature clones the state it needs, so no token ever
/// re-keys. The key has no algorithm of its own: the caller says which one to use,
/// from its configuration, never from a token's header.
///
/// `Debug` does not print the secret.
#[derive(Clone)]
pub(crate) struct HmacKey {
    hs256: Hmac<Sha256>,
    hs384: Hmac<Sha384>,
    hs512: Hmac<Sha512>,
}

/// PyJWT's refusal, word for word (`HMACAlgorithm.prepare_key`).
const ASYMMETRIC_SECRET: &str =
    "The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret.";

impl HmacKey {
    /// Keys the three MACs with `secret`.
    ///
    /// Like PyJWT, a secret that is a PEM block (`-----BEGIN PUBLIC KEY-----` and
    /// kin) or an OpenSSH public key is refused with a [`JwtError::Setup`]: public
    /// key bytes used as an HMAC secret are the classic algorithm-confusion attack.
    /// Short secrets are accepted here; warning about them is the manager's job.
    pub(crate) fn new(secret: &[u8]) -> Result<HmacKey, JwtError> {
        if is_pem(secret) || is_ssh_key(secret) {
            return Err(JwtError::Setup(ASYMMETRIC_SECRET.to_owned()));
        }
        // HMAC takes keys of any length; the error arm only exists for the trait's sake.
        let key_error = |_| JwtError::Setup("the HMAC secret cannot be used as a key".to_owned());
        Ok(HmacKey {
            hs256: <Hmac<Sha256> as KeyInit>::new_from_slice(secret).map_err(key_error)?,
            hs384: <Hmac<Sha384> as KeyInit>::new_from_slice(secret).map_err(key_error)?,
            hs512: <Hmac<Sha512> as KeyInit>::new_from_slice(secret).map_err(key_error)?,
        })
    }

    /// The MAC of `signing_input` (`BASE64URL(header) "." BASE64URL(payload)`);
    /// `None` when `alg` is not an HMAC algorithm.
    pub(crate) fn sign(&self, alg: Algorithm, signing_input: &[u8]) -> Option<Vec<u8>> {
        match alg {
            Algorithm::HS256 => Some(tag(&self.hs256, signing_input).to_vec()),
            Algorithm::HS384 => Some(tag(&self.hs384, signing_input).to_vec()),
            Algorithm::HS512 => Some(tag(&self.hs512, signing_input).to_vec()),
            _ => None,
        }
    }

    /// Signs `token`, which holds the signing input, and appends `"."` and the
    /// base64url MAC to it: no buffer in between, no second copy of the token.
    /// Returns `false`, leaving `token` as it was, when `alg` is not HMAC.
    pub(crate) fn append_signature(&self, alg: Algorithm, token: &mut String) -> bool {
        match alg {
            Algorithm::HS256 => append(tag(&self.hs256, token.as_bytes()), token),
            Algorithm::HS384 => append(tag(&self.hs384, token.as_bytes()), token),
            Algorithm::HS512 => append(tag(&self.hs512, token.as_bytes()), token),
            _ => return false,
        }
        true
    }

    /// Whether `signature` is the MAC of `signing_input`, compared in constant time
    /// (`Mac::verify_slice`). A signature of the wrong length is simply wrong, and
    /// so is any signature under an algorithm that is not HMAC.
    pub(crate) fn verify(&self, alg: Algorithm, signing_input: &[u8], signature: &[u8]) -> bool {
        match alg {
            Algorithm::HS256 => self.hs256.clone().chain_update(signing_input).verify_slice(signature).is_ok(),
            Algorithm::HS384 => self.hs384.clone().chain_update(signing_input).verify_slice(signature).is_ok(),
            Algorithm::HS512 => self.hs512.clone().chain_update(signing_input).verify_slice(signature).is_ok(),
            _ => false,
        }
    }
}

/// The raw MAC bytes. Only the signing side looks at them; verification compares
/// inside the MAC in constant time.
fn tag<M: Mac + Clone>(keyed: &M, input: &[u8]) -> hmac::digest::Output<M> {
    keyed.clone().chain_update(input).finalize().into_bytes()
}

fn append(tag: impl AsRef<[u8]>, token: &mut String) {
    token.push('.');
    crate::jws::encode_segment(tag.as_ref(), token);
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKey").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &[u8] = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30";

    #[test]
    fn rfc_4231_test_case_2_for_each_hash() {
        // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
        let key = HmacKey::new(b"Jefe").unwrap();
        let data = b"what do ya want for nothing?";
        let hex = |bytes: Option<Vec<u8>>| bytes.unwrap().iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(key.sign(Algorithm::HS256, data)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(key.sign(Algorithm::HS384, data)),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"
        );
        assert_eq!(
            hex(key.sign(Algorithm::HS512, data)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }

    #[test]
    fn a_signature_verifies_with_the_same_key_and_algorithm_only() {
        let key = HmacKey::new(b"super-secret").unwrap();
        let other = HmacKey::new(b"super-secret!").unwrap();
        for alg in Algorithm::HMAC {
            let signature = key.sign(alg, INPUT).unwrap();
            assert_eq!(Some(signature.len()), alg.hmac_output_len());
            assert!(key.verify(alg, INPUT, &signature));
            assert!(!other.verify(alg, INPUT, &signature));
            assert!(!key.verify(alg, b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e31", &signature));
            for wrong in Algorithm::ALL.into_iter().filter(|a| *a != alg) {
                assert!(!key.verify(wrong, INPUT, &signature), "{alg} signature accepted as {wrong}");
            }
        }
    }

    #[test]
    fn truncated_extended_and_empty_signatures_are_wrong() {
        let key = HmacKey::new(b"super-secret").unwrap();
        let signature = key.sign(Algorithm::HS256, INPUT).unwrap();
        assert!(!key.verify(Algorithm::HS256, INPUT, &signature[..31]));
        assert!(!key.verify(Algorithm::HS256, INPUT, &signature[..16]));
        assert!(!key.verify(Algorithm::HS256, INPUT, &[]));
        let mut longer = signature.clone();
        longer.push(0);
        assert!(!key.verify(Algorithm::HS256, INPUT, &longer));
        // An HS512 tag whose first half is the HS256 tag is not an HS256 tag either.
        let mut padded = signature;
        padded.extend_from_slice(&[0; 32]);
        assert!(!key.verify(Algorithm::HS256, INPUT, &padded));
    }

    #[test]
    fn append_signature_signs_the_token_so_far() {
        let key = HmacKey::new(&[7u8; 64]).unwrap();
        for alg in Algorithm::HMAC {
            let mut token = String::from_utf8(INPUT.to_vec()).unwrap();
            assert!(key.append_signature(alg, &mut token));
            let mut expected = String::from_utf8(INPUT.to_vec()).unwrap();
            expected.push('.');
            crate::jws::encode_segment(&key.sign(alg, INPUT).unwrap(), &mut expected);
            assert_eq!(token, expected);
        }
    }

    #[test]
    fn asymmetric_algorithms_neither_sign_nor_verify() {
        let key = HmacKey::new(b"super-secret").unwrap();
        let mac = key.sign(Algorithm::HS256, INPUT).unwrap();
        for alg in Algorithm::ALL.into_iter().filter(|alg| !alg.is_hmac()) {
            assert_eq!(key.sign(alg, INPUT), None, "{alg}");
            let mut token = String::from("abc");
            assert!(!key.append_signature(alg, &mut token));
            assert_eq!(token, "abc");
            assert!(!key.verify(alg, INPUT, &mac), "{alg}");
        }
    }

    #[test]
    fn debug_does_not_show_the_secret() {
        let key = HmacKey::new(b"super-secret").unwrap();
        let text = format!("{key:?}");
        assert_eq!(text, "HmacKey { .. }");
    }

    #[test]
    fn empty_and_binary_secrets_are_accepted() {
        assert!(HmacKey::new(b"").is_ok());
        assert!(HmacKey::new(&[0u8, 255, 10, 13]).is_ok());
        assert!(HmacKey::new(b"-----BEGIN nothing, just a dashing secret").is_ok());
    }

    #[test]
    fn pem_keys_and_certificates_are_refused_like_pyjwt() {
        let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
        let crlf =
            "-----BEGIN RSA PRIVATE KEY-----\r\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX\r\n-----END RSA PRIVATE KEY-----";
        let cert = "junk before\n-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----";
        for secret in [pem, crlf, cert] {
            assert_eq!(
                HmacKey::new(secret.as_bytes()).unwrap_err(),
                JwtError::Setup(ASYMMETRIC_SECRET.to_owned()),
                "{secret}"
            );
        }
        // Without a body line, or with mismatched labels, PyJWT's pattern does not match.
        for secret in [
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nabc\n-----END PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY----- abc -----END PUBLIC KEY-----",
        ] {
            assert!(HmacKey::new(secret.as_bytes()).is_ok(), "{secret}");
        }
    }

    #[test]
    fn openssh_public_keys_are_refused_like_pyjwt() {
        for secret in
            ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI user@host", "ssh-rsa AAAAB3Nza", "ecdsa-sha2-nistp256 AAAA"]
        {
            assert_eq!(HmacKey::new(secret.as_bytes()).unwrap_err(), JwtError::Setup(ASYMMETRIC_SECRET.to_owned()));
        }
        assert!(HmacKey::new(b" ssh-rsa AAAAB3Nza").is_ok());
    }
}
