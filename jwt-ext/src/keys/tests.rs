//! Keys: parsing each format, the key type binding the algorithms, and errors
//! that name what was expected.
use super::*;

const ED25519_PRIVATE: &str = include_str!("../../tests/keys/ed25519_private.pem");
const ED25519_PUBLIC: &str = include_str!("../../tests/keys/ed25519_public.pem");

#[test]
fn an_ed25519_pair_signs_and_verifies_eddsa_only() {
    let private = SigningKey::from_pem(ED25519_PRIVATE).unwrap();
    let public = VerifyingKey::from_pem(ED25519_PUBLIC).unwrap();
    let signature = private.sign(Algorithm::EdDSA, b"input").unwrap();
    assert!(public.verify(Algorithm::EdDSA, b"input", &signature));
    assert!(!public.verify(Algorithm::EdDSA, b"other", &signature));
    for alg in Algorithm::ALL.into_iter().filter(|alg| *alg != Algorithm::EdDSA) {
        assert!(!public.fits(alg));
        assert_eq!(
            private.sign(alg, b"input").unwrap_err().to_string(),
            format!("{alg} needs {}, and the signing key is an Ed25519 key", alg.key_type().describe())
        );
    }
}
