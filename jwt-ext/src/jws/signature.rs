//! [`SigningKey`]: the HMAC secret, keyed once, for all three algorithms.

use super::segments;
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
pub struct SigningKey {
    hs256: Hmac<Sha256>,
    hs384: Hmac<Sha384>,
    hs512: Hmac<Sha512>,
}

/// PyJWT's refusal, word for word (`HMACAlgorithm.prepare_key`).
const ASYMMETRIC_SECRET: &str =
    "The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret.";

impl SigningKey {
    /// Keys the three MACs with `secret`.
    ///
    /// Like PyJWT, a secret that is a PEM block (`-----BEGIN PUBLIC KEY-----` and
    /// kin) or an OpenSSH public key is refused with a [`JwtError::Setup`]: public
    /// key bytes used as an HMAC secret are the classic algorithm-confusion attack.
    /// Short secrets are accepted here; warning about them is the manager's job.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<SigningKey, JwtError> {
        let secret = secret.as_ref();
        if is_pem(secret) || is_ssh_key(secret) {
            return Err(JwtError::Setup(ASYMMETRIC_SECRET.to_owned()));
        }
        // HMAC takes keys of any length; the error arm only exists for the trait's sake.
        let key_error = |_| JwtError::Setup("the HMAC secret cannot be used as a key".to_owned());
        Ok(SigningKey {
            hs256: <Hmac<Sha256> as KeyInit>::new_from_slice(secret).map_err(key_error)?,
            hs384: <Hmac<Sha384> as KeyInit>::new_from_slice(secret).map_err(key_error)?,
            hs512: <Hmac<Sha512> as KeyInit>::new_from_slice(secret).map_err(key_error)?,
        })
    }

    /// The MAC of `signing_input` (`BASE64URL(header) "." BASE64URL(payload)`).
    pub fn sign(&self, alg: Algorithm, signing_input: &[u8]) -> Vec<u8> {
        match alg {
            Algorithm::HS256 => tag(&self.hs256, signing_input).to_vec(),
            Algorithm::HS384 => tag(&self.hs384, signing_input).to_vec(),
            Algorithm::HS512 => tag(&self.hs512, signing_input).to_vec(),
        }
    }

    /// Signs `token`, which holds the signing input, and appends `"."` and the
    /// base64url MAC to it: no buffer in between, no second copy of the token.
    pub(super) fn append_signature(&self, alg: Algorithm, token: &mut String) {
        match alg {
            Algorithm::HS256 => append(tag(&self.hs256, token.as_bytes()), token),
            Algorithm::HS384 => append(tag(&self.hs384, token.as_bytes()), token),
            Algorithm::HS512 => append(tag(&self.hs512, token.as_bytes()), token),
        }
    }

    /// Whether `signature` is the MAC of `signing_input`, compared in constant time
    /// (`Mac::verify_slice`). A signature of the wrong length is simply wrong.
    pub fn verify(&self, alg: Algorithm, signing_input: &[u8], signature: &[u8]) -> bool {
        match alg {
            Algorithm::HS256 => self.hs256.clone().chain_update(signing_input).verify_slice(signature).is_ok(),
            Algorithm::HS384 => self.hs384.clone().chain_update(signing_input).verify_slice(signature).is_ok(),
            Algorithm::HS512 => self.hs512.clone().chain_update(signing_input).verify_slice(signature).is_ok(),
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
    segments::encode_into(tag.as_ref(), token);
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").finish_non_exhaustive()
    }
}

/// The PEM labels PyJWT 2.10 recognises (`jwt.utils._PEMS`).
const PEM_LABELS: [&[u8]; 16] = [
    b"CERTIFICATE",
    b"TRUSTED CERTIFICATE",
    b"PRIVATE KEY",
    b"PUBLIC KEY",
    b"ENCRYPTED PRIVATE KEY",
    b"OPENSSH PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"RSA PRIVATE KEY",
    b"RSA PUBLIC KEY",
    b"EC PRIVATE KEY",
    b"DH PARAMETERS",
    b"NEW CERTIFICATE REQUEST",
    b"CERTIFICATE REQUEST",
    b"SSH2 PUBLIC KEY",
    b"SSH2 ENCRYPTED PRIVATE KEY",
    b"X509 CRL",
];

/// PyJWT's `is_pem_format`: somewhere in the secret, a `----[- ]BEGIN <label>[- ]----`
/// line, at least one more line, and the matching `----[- ]END <label>[- ]----`.
fn is_pem(secret: &[u8]) -> bool {
    (0..secret.len()).any(|start| {
        let Some(after_dashes) = boundary(secret, start, b"BEGIN ") else {
            return false;
        };
        PEM_LABELS.iter().any(|label| {
            let Some(rest) = secret[after_dashes..].strip_prefix(*label) else {
                return false;
            };
            let Some(rest) = closing_dashes(rest) else {
                return false;
            };
            let rest = rest.strip_prefix(b"\r").unwrap_or(rest);
            let Some(body) = rest.strip_prefix(b"\n") else {
                return false;
            };
            // `.+?\r?\n`: at least one byte of body before the newline of the END line.
            (1..body.len()).any(|newline| {
                body[newline] == b'\n'
                    && boundary(body, newline + 1, b"END ")
                        .and_then(|at| body[at..].strip_prefix(*label))
                        .is_some_and(|end| closing_dashes(end).is_some())
            })
        })
    })
}

/// At `start`: `----`, a `-` or space, then `word`; returns the index after `word`.
fn boundary(bytes: &[u8], start: usize, word: &[u8]) -> Option<usize> {
    let rest = bytes.get(start..)?.strip_prefix(b"----")?;
    let (first, rest) = rest.split_first()?;
    if *first != b'-' && *first != b' ' {
        return None;
    }
    rest.strip_prefix(word)?;
    Some(start + 5 + word.len())
}

/// `[- ]----` at the start of `rest`; returns what follows.
fn closing_dashes(rest: &[u8]) -> Option<&[u8]> {
    let (first, rest) = rest.split_first()?;
    if *first != b'-' && *first != b' ' {
        return None;
    }
    rest.strip_prefix(b"----")
}

/// PyJWT's `is_ssh_key`: the secret starts with an OpenSSH public key type.
fn is_ssh_key(secret: &[u8]) -> bool {
    const SSH_KEY_TYPES: [&[u8]; 6] = [
        b"ssh-ed25519",
        b"ssh-rsa",
        b"ssh-dss",
        b"ecdsa-sha2-nistp256",
        b"ecdsa-sha2-nistp384",
        b"ecdsa-sha2-nistp521",
    ];
    SSH_KEY_TYPES.iter().any(|prefix| secret.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &[u8] = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30";

    #[test]
    fn rfc_4231_test_case_2_for_each_hash() {
        // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
        let key = SigningKey::new("Jefe").unwrap();
        let data = b"what do ya want for nothing?";
        let hex = |bytes: Vec<u8>| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
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
        let key = SigningKey::new("super-secret").unwrap();
        let other = SigningKey::new("super-secret!").unwrap();
        for alg in Algorithm::ALL {
            let signature = key.sign(alg, INPUT);
            assert_eq!(signature.len(), alg.output_len());
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
        let key = SigningKey::new("super-secret").unwrap();
        let signature = key.sign(Algorithm::HS256, INPUT);
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
        let key = SigningKey::new([7u8; 64]).unwrap();
        for alg in Algorithm::ALL {
            let mut token = String::from_utf8(INPUT.to_vec()).unwrap();
            key.append_signature(alg, &mut token);
            let mut expected = String::from_utf8(INPUT.to_vec()).unwrap();
            expected.push('.');
            segments::encode_into(&key.sign(alg, INPUT), &mut expected);
            assert_eq!(token, expected);
        }
    }

    #[test]
    fn debug_does_not_show_the_secret() {
        let key = SigningKey::new("super-secret").unwrap();
        let text = format!("{key:?}");
        assert_eq!(text, "SigningKey { .. }");
    }

    #[test]
    fn empty_and_binary_secrets_are_accepted() {
        assert!(SigningKey::new("").is_ok());
        assert!(SigningKey::new([0u8, 255, 10, 13]).is_ok());
        assert!(SigningKey::new("-----BEGIN nothing, just a dashing secret").is_ok());
    }

    #[test]
    fn pem_keys_and_certificates_are_refused_like_pyjwt() {
        let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
        let crlf =
            "-----BEGIN RSA PRIVATE KEY-----\r\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX\r\n-----END RSA PRIVATE KEY-----";
        let cert = "junk before\n-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----";
        for secret in [pem, crlf, cert] {
            assert_eq!(SigningKey::new(secret).unwrap_err(), JwtError::Setup(ASYMMETRIC_SECRET.to_owned()), "{secret}");
        }
        // Without a body line, or with mismatched labels, PyJWT's pattern does not match.
        for secret in [
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nabc\n-----END PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY----- abc -----END PUBLIC KEY-----",
        ] {
            assert!(SigningKey::new(secret).is_ok(), "{secret}");
        }
    }

    #[test]
    fn openssh_public_keys_are_refused_like_pyjwt() {
        for secret in
            ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI user@host", "ssh-rsa AAAAB3Nza", "ecdsa-sha2-nistp256 AAAA"]
        {
            assert_eq!(SigningKey::new(secret).unwrap_err(), JwtError::Setup(ASYMMETRIC_SECRET.to_owned()));
        }
        assert!(SigningKey::new(" ssh-rsa AAAAB3Nza").is_ok());
    }
}
