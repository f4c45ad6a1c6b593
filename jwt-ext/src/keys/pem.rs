//! Reading key text: PEM blocks by their label, and OpenSSH public key lines.
//!
//! The label says the format; within PKCS#8 (`PRIVATE KEY`) and SPKI (`PUBLIC
//! KEY`) the algorithm identifier inside says the type, so each type's parser is
//! tried in turn and refuses the others' identifiers. Every failure names what was
//! expected, never the key's bytes.

use super::{Signer, Verifier};
use crate::JwtError;

/// A private key: its signer and the matching public key.
pub(super) fn private_key(text: &[u8]) -> Result<(Signer, Verifier), JwtError> {
    let text = as_text(text)?;
    match label(text) {
        Some("RSA PRIVATE KEY") => rsa_private(text, Format::Pkcs1),
        Some("EC PRIVATE KEY") => ec_private(text, Format::Sec1),
        Some("PRIVATE KEY") => {
            rsa_private(text, Format::Pkcs8).or_else(|_| ec_private(text, Format::Pkcs8)).or_else(|_| ed_private(text))
        }
        Some(other) => Err(refused_label(other)),
        None => Err(setup(
            "is not a PEM private key (expected -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)",
        )),
    }
}

/// A public key, or the public half of a private key.
pub(super) fn public_key(text: &[u8]) -> Result<Verifier, JwtError> {
    let text = as_text(text)?;
    match label(text) {
        Some("PUBLIC KEY") => rsa_public(text, Format::Spki)
            .or_else(|_| ec_public(text))
            .or_else(|_| ed_public(text))
            .map_err(|_| unknown_key("public")),
        Some("RSA PUBLIC KEY") => rsa_public(text, Format::Pkcs1),
        Some("RSA PRIVATE KEY" | "EC PRIVATE KEY" | "PRIVATE KEY") => {
            private_key(text.as_bytes()).map(|(_, public)| public)
        }
        Some(other) => Err(refused_label(other)),
        None => super::openssh::public_key(text.trim()),
    }
}

#[derive(Clone, Copy)]
enum Format {
    Pkcs1,
    Pkcs8,
    Sec1,
    Spki,
}

fn as_text(bytes: &[u8]) -> Result<&str, JwtError> {
    std::str::from_utf8(bytes).map_err(|_| setup("is not text: a key must be PEM or an OpenSSH public key line"))
}

/// The label of the first `-----BEGIN <label>-----` line.
fn label(text: &str) -> Option<&str> {
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let len = text[start..].find("-----")?;
    Some(&text[start..start + len])
}

fn setup(message: &str) -> JwtError {
    JwtError::Setup(format!("the key {message}"))
}

fn refused_label(label: &str) -> JwtError {
    let why = match label {
        "ENCRYPTED PRIVATE KEY" => "is encrypted; give it unencrypted (PyJWT takes no passphrase either)",
        "CERTIFICATE" => "is a certificate; give its public key (`openssl x509 -pubkey -noout`)",
        "OPENSSH PRIVATE KEY" => "is in OpenSSH's private format; convert it to PKCS#8 (`ssh-keygen -p -m PKCS8`)",
        _ => "has a PEM label phial does not read (expected PRIVATE KEY, PUBLIC KEY, RSA ..., or EC PRIVATE KEY)",
    };
    setup(why)
}

fn unknown_key(kind: &str) -> JwtError {
    JwtError::Setup(format!(
        "the key is not a {kind} key phial can use: expected {} (phial-jwt's features `rsa`, `ecdsa`, `eddsa`)",
        enabled_types()
    ))
}

fn enabled_types() -> &'static str {
    let rsa = cfg!(feature = "rsa");
    let ec = cfg!(feature = "ecdsa");
    let ed = cfg!(feature = "eddsa");
    match (rsa, ec, ed) {
        (true, true, true) => "RSA, EC (P-256, P-384, P-521) or Ed25519",
        (false, false, false) => "nothing: no asymmetric feature is enabled",
        _ => "a type whose feature is enabled",
    }
}

#[cfg(feature = "rsa")]
fn rsa_private(text: &str, format: Format) -> Result<(Signer, Verifier), JwtError> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let key = match format {
        Format::Pkcs1 => rsa::PrivateKey::from_pkcs1_pem(text).map_err(|err| err.to_string()),
        _ => rsa::PrivateKey::from_pkcs8_pem(text).map_err(|err| err.to_string()),
    }
    .map_err(|err| JwtError::Setup(format!("the RSA private key cannot be read: {err}")))?;
    let (signer, verifier) = super::rsa::RsaSigner::new(key);
    Ok((Signer::Rsa(signer), Verifier::Rsa(verifier)))
}

#[cfg(not(feature = "rsa"))]
fn rsa_private(_: &str, format: Format) -> Result<(Signer, Verifier), JwtError> {
    Err(match format {
        Format::Pkcs1 => setup("is an RSA key, and phial-jwt was built without its `rsa` feature"),
        _ => unknown_key("private"),
    })
}

#[cfg(feature = "rsa")]
fn rsa_public(text: &str, format: Format) -> Result<Verifier, JwtError> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::pkcs8::DecodePublicKey;
    let key = match format {
        Format::Pkcs1 => rsa::PublicKey::from_pkcs1_pem(text).map_err(|err| err.to_string()),
        _ => rsa::PublicKey::from_public_key_pem(text).map_err(|err| err.to_string()),
    }
    .map_err(|err| JwtError::Setup(format!("the RSA public key cannot be read: {err}")))?;
    Ok(Verifier::Rsa(super::rsa::RsaVerifier::new(key)))
}

#[cfg(not(feature = "rsa"))]
fn rsa_public(_: &str, format: Format) -> Result<Verifier, JwtError> {
    Err(match format {
        Format::Pkcs1 => setup("is an RSA key, and phial-jwt was built without its `rsa` feature"),
        _ => unknown_key("public"),
    })
}

#[cfg(feature = "ecdsa")]
fn ec_private(text: &str, format: Format) -> Result<(Signer, Verifier), JwtError> {
    use super::ecdsa::EcSigner;
    use p256::pkcs8::DecodePrivateKey;
    let signer = match format {
        Format::Sec1 => p256::SecretKey::from_sec1_pem(text)
            .map(|key| EcSigner::P256(key.into()))
            .or_else(|_| p384::SecretKey::from_sec1_pem(text).map(|key| EcSigner::P384(key.into())))
            .or_else(|_| p521::SecretKey::from_sec1_pem(text).map(|key| EcSigner::P521(key.into())))
            .map_err(|_| setup("is not an EC private key on P-256, P-384 or P-521"))?,
        _ => p256::ecdsa::SigningKey::from_pkcs8_pem(text)
            .map(EcSigner::P256)
            .or_else(|_| p384::ecdsa::SigningKey::from_pkcs8_pem(text).map(EcSigner::P384))
            .or_else(|_| p521::ecdsa::SigningKey::from_pkcs8_pem(text).map(EcSigner::P521))
            .map_err(|_| unknown_key("private"))?,
    };
    let verifier = signer.verifier();
    Ok((Signer::Ec(signer), Verifier::Ec(verifier)))
}

#[cfg(not(feature = "ecdsa"))]
fn ec_private(_: &str, format: Format) -> Result<(Signer, Verifier), JwtError> {
    Err(match format {
        Format::Sec1 => setup("is an EC key, and phial-jwt was built without its `ecdsa` feature"),
        _ => unknown_key("private"),
    })
}

#[cfg(feature = "ecdsa")]
fn ec_public(text: &str) -> Result<Verifier, JwtError> {
    use super::ecdsa::EcVerifier;
    use p256::pkcs8::DecodePublicKey;
    p256::ecdsa::VerifyingKey::from_public_key_pem(text)
        .map(EcVerifier::P256)
        .or_else(|_| p384::ecdsa::VerifyingKey::from_public_key_pem(text).map(EcVerifier::P384))
        .or_else(|_| p521::ecdsa::VerifyingKey::from_public_key_pem(text).map(EcVerifier::P521))
        .map(Verifier::Ec)
        .map_err(|_| unknown_key("public"))
}

#[cfg(not(feature = "ecdsa"))]
fn ec_public(_: &str) -> Result<Verifier, JwtError> {
    Err(unknown_key("public"))
}

#[cfg(feature = "eddsa")]
fn ed_private(text: &str) -> Result<(Signer, Verifier), JwtError> {
    use ed25519_dalek::pkcs8::DecodePrivateKey;
    let signer =
        super::eddsa::EdSigner(ed25519_dalek::SigningKey::from_pkcs8_pem(text).map_err(|_| unknown_key("private"))?);
    let verifier = signer.verifier();
    Ok((Signer::Ed25519(signer), Verifier::Ed25519(verifier)))
}

#[cfg(not(feature = "eddsa"))]
fn ed_private(_: &str) -> Result<(Signer, Verifier), JwtError> {
    Err(unknown_key("private"))
}

#[cfg(feature = "eddsa")]
fn ed_public(text: &str) -> Result<Verifier, JwtError> {
    use ed25519_dalek::pkcs8::DecodePublicKey;
    ed25519_dalek::VerifyingKey::from_public_key_pem(text)
        .map(|key| Verifier::Ed25519(super::eddsa::EdVerifier(key)))
        .map_err(|_| unknown_key("public"))
}

#[cfg(not(feature = "eddsa"))]
fn ed_public(_: &str) -> Result<Verifier, JwtError> {
    Err(unknown_key("public"))
}
