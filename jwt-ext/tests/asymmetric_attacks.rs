//! The attack classes against asymmetric JWS, one test each, with the exact answer
//! phial gives. Most run at the app level: an app with `JWT_ALGORITHM=RS256` (or
//! ES256, ...), its keys from `tests/keys/`, a `#[jwt_required]` route, and a
//! forged token sent as a bearer token. Where an app adds nothing (a key that
//! cannot even be built), they run at `jws::verify` or at key loading.
//!
//! `docs/asymmetric-keys.md` ("Attacks") lists the same classes and rules.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{NOW, access_claims, get_with, msg};
use hmac::{Hmac, KeyInit, Mac};
use phial::prelude::*;
use phial_jwt::algorithm::{Algorithm, AlgorithmParseError};
use phial_jwt::jws;
use phial_jwt::keys::{SigningKey, VerifyingKey};
use phial_jwt::prelude::*;
use phial_jwt::{Clock, JsonObject};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashMap;
use std::path::Path;

const NOT_ALLOWED: &str = "The specified alg value is not allowed";
const BAD_SIGNATURE: &str = "Signature verification failed";
const NO_KEY: &str = "No key matches the token's kid";

/// The group orders n of the three NIST curves, big-endian, each as long as the
/// curve's field (P-521's field is 66 bytes). Checked against Wycheproof's
/// `ec_prime_order_curves_test.json`.
const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const P384_N: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";
const P521_N: &str = "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409";
/// The order L of Ed25519's base point, big-endian: 2^252 + 27742317777372353535851937790883648493.
const ED25519_L: &str = "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed";

// ---------------------------------------------------------------------------
// Keys, tokens and apps

fn key_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keys").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn private(name: &str) -> SigningKey {
    SigningKey::from_pem(key_file(&format!("{name}_private.pem"))).unwrap()
}

fn public(name: &str) -> VerifyingKey {
    VerifyingKey::from_pem(key_file(&format!("{name}_public.pem"))).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(segment: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(segment).unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// `BASE64URL(header) "." BASE64URL(claims)`, from JSON values.
fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()))
}

/// A token with exactly this header, these claims and this signature.
fn raw_token(header: &Value, claims: &Value, signature: &[u8]) -> String {
    format!("{}.{}", signing_input(header, claims), b64(signature))
}

/// A token with this header, signed with `key` under `alg` (whatever the header says).
fn signed_token(header: &Value, claims: &Value, key: &SigningKey, alg: Algorithm) -> String {
    let input = signing_input(header, claims);
    let signature = key.sign(alg, input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&signature))
}

/// A genuine token: `{"alg": alg, "typ": "JWT"}`, valid access claims at `NOW`.
fn genuine(key: &SigningKey, alg: Algorithm) -> String {
    signed_token(&json!({"alg": alg.as_str(), "typ": "JWT"}), &access_claims(), key, alg)
}

/// `token` with its signature replaced by `signature`.
fn with_signature(token: &str, signature: &[u8]) -> String {
    let (input, _) = token.rsplit_once('.').unwrap();
    format!("{input}.{}", b64(signature))
}

fn signature_of(token: &str) -> Vec<u8> {
    unb64(token.rsplit_once('.').unwrap().1)
}

/// HMAC-SHA256 of `input`, computed here rather than by phial (which refuses to
/// key HMAC with PEM text at all).
fn hmac_sha256(secret: &[u8], input: &str) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap();
    mac.update(input.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// An HS256 token whose HMAC secret is `secret`: what an attacker who knows the
/// public key can make.
fn hs256_token(secret: &[u8]) -> String {
    let input = signing_input(&json!({"alg": "HS256", "typ": "JWT"}), &access_claims());
    let tag = hmac_sha256(secret, &input);
    format!("{input}.{}", b64(&tag))
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> &'static str {
    "ok"
}

/// An app with `JWT_ALGORITHM = alg`, the given config and key files, a manager on
/// `NOW`, `setup` run on the manager before the app starts, and `/protected`.
fn app_with(alg: &str, config: &[(&str, Value)], setup: impl FnOnce(&JWTManager)) -> TestClient {
    let mut app = App::new("asymmetric-attacks");
    app.config.set("JWT_ALGORITHM", json!(alg));
    for (key, value) in config {
        app.config.set(*key, value.clone());
    }
    let jwt = JWTManager::new(&mut app);
    jwt.set_clock(Clock::fixed(NOW as f64));
    setup(&jwt);
    app.register(routes![protected]);
    app.test_client()
}

/// An app that signs with `<keys>_private.pem` and verifies with `<keys>_public.pem`.
fn app(alg: &str, keys: &str) -> TestClient {
    app_with(
        alg,
        &[
            ("JWT_PRIVATE_KEY", json!(key_file(&format!("{keys}_private.pem")))),
            ("JWT_PUBLIC_KEY", json!(key_file(&format!("{keys}_public.pem")))),
        ],
        |_| {},
    )
}

/// `jws::verify` of `token` with `allowed` and `key`: the algorithm or the message.
fn verify(token: &str, allowed: &[Algorithm], key: &VerifyingKey) -> Result<Algorithm, String> {
    let unverified = jws::decode_unverified(token, jws::DEFAULT_MAX_TOKEN_LENGTH).map_err(|e| e.to_string())?;
    jws::verify(&unverified, allowed, key).map_err(|e| e.to_string())
}

// Big-endian and little-endian arithmetic on equal-length byte strings.

fn be_sub(a: &[u8], b: &[u8]) -> Vec<u8> {
    assert_eq!(a.len(), b.len());
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let mut d = a[i] as i16 - b[i] as i16 - borrow;
        borrow = if d < 0 { 1 } else { 0 };
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    assert_eq!(borrow, 0, "a < b");
    out
}

fn be_add_one(a: &[u8]) -> Vec<u8> {
    let mut out = a.to_vec();
    for byte in out.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            return out;
        }
    }
    panic!("overflow")
}

fn le_add(a: &[u8], b: &[u8]) -> Vec<u8> {
    assert_eq!(a.len(), b.len());
    let mut out = vec![0u8; a.len()];
    let mut carry = 0u16;
    for i in 0..a.len() {
        let sum = a[i] as u16 + b[i] as u16 + carry;
        out[i] = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0, "overflow");
    out
}

/// The ES algorithms with their key files, group orders and field lengths.
fn curves() -> [(Algorithm, &'static str, Vec<u8>, usize); 3] {
    [
        (Algorithm::ES256, "p256", hex(P256_N), 32),
        (Algorithm::ES384, "p384", hex(P384_N), 48),
        (Algorithm::ES512, "p521", hex(P521_N), 66),
    ]
}

// ---------------------------------------------------------------------------
// 1. Algorithm confusion

/// Algorithm confusion (CVE-2016-10555): an attacker "signs" an HS256 token with
/// the app's public key as the HMAC secret, as PEM (SPKI or PKCS#1, with or
/// without the final newline), as the OpenSSH line, or as the key's JWK JSON.
/// The app verifies with an RSA key, and an RSA key fits no HMAC algorithm: the
/// token's `alg` is refused before any MAC is computed, 422 "The specified alg
/// value is not allowed". The header's `alg` never chooses the verifier.
#[tokio::test]
async fn hs256_keyed_with_the_public_key_is_not_allowed() {
    let client = app("RS256", "rsa2048");
    // Control: the app's own RS256 tokens pass.
    assert_eq!(get_with(&client, "/protected", &genuine(&private("rsa2048"), Algorithm::RS256)).await.0, 200);

    let pem = key_file("rsa2048_public.pem");
    let jwk = serde_json::to_string(&public("rsa2048").to_jwk().unwrap()).unwrap();
    let secrets = [
        pem.clone(),
        pem.trim_end().to_owned(),
        key_file("rsa2048_public_pkcs1.pem"),
        key_file("rsa2048.pub"),
        key_file("rsa2048.pub").trim_end().to_owned(),
        jwk,
    ];
    for secret in secrets {
        let forged = hs256_token(secret.as_bytes());
        assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg(NOT_ALLOWED)), "{secret}");
        // At the token layer too, even with HS256 in the allow-list.
        let allowed = [Algorithm::HS256, Algorithm::RS256];
        assert_eq!(verify(&forged, &allowed, &public("rsa2048")), Err(NOT_ALLOWED.to_owned()));
    }
}

/// Algorithm confusion through a `decode_key_loader`: the loader hands back the
/// RSA public key while `JWT_DECODE_ALGORITHMS` lists HS256 and RS256. The
/// start-up check of the decode algorithms against the configured key is skipped
/// for a loader (its keys may be of any type), so the per-token rule is what
/// holds: HS256 does not fit an RSA key, 422 "The specified alg value is not
/// allowed"; RS256 tokens still pass.
#[tokio::test]
async fn hs256_through_a_key_loader_returning_the_rsa_key_is_not_allowed() {
    let rsa = public("rsa2048");
    let client = app_with(
        "RS256",
        &[
            ("JWT_DECODE_ALGORITHMS", json!(["HS256", "RS256"])),
            ("JWT_PRIVATE_KEY", json!(key_file("rsa2048_private.pem"))),
        ],
        move |jwt| {
            jwt.decode_key_loader(move |_header: &JsonObject, _claims: &JsonObject| rsa.clone());
        },
    );
    assert_eq!(get_with(&client, "/protected", &genuine(&private("rsa2048"), Algorithm::RS256)).await.0, 200);
    let jwk = serde_json::to_string(&public("rsa2048").to_jwk().unwrap()).unwrap();
    for secret in [key_file("rsa2048_public.pem"), jwk] {
        let forged = hs256_token(secret.as_bytes());
        assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg(NOT_ALLOWED)), "{secret}");
    }
}

/// Key-type confusion at the source: PEM text or an OpenSSH public key is never
/// accepted as an HMAC secret, with PyJWT's message (`HMACAlgorithm.prepare_key`).
/// So no phial app can be configured to key HMAC with its public key.
#[test]
fn pem_or_openssh_text_is_refused_as_an_hmac_secret() {
    const PYJWT: &str =
        "The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret.";
    for file in [
        "rsa2048_public.pem",
        "rsa2048_public_pkcs1.pem",
        "rsa2048_private.pem",
        "p256_public.pem",
        "rsa2048.pub",
        "ed25519.pub",
    ] {
        let text = key_file(file);
        assert_eq!(SigningKey::new(&text).unwrap_err().to_string(), PYJWT, "{file}");
        assert_eq!(VerifyingKey::hmac(&text).unwrap_err().to_string(), PYJWT, "{file}");
    }
}

// ---------------------------------------------------------------------------
// 2. alg: none

/// `alg: none`, in any spelling (`none`, `None`, `NONE`, `nOnE`), with an empty
/// signature or with a valid RS256 signature copied from a genuine token: phial
/// has no `none` algorithm, so the name matches nothing in the allow-list, 422
/// "The specified alg value is not allowed". `none` cannot even be configured.
#[tokio::test]
async fn alg_none_in_any_case_is_not_allowed() {
    let client = app("RS256", "rsa2048");
    let copied = signature_of(&genuine(&private("rsa2048"), Algorithm::RS256));
    for name in ["none", "None", "NONE", "nOnE"] {
        for signature in [&[][..], &copied[..]] {
            let forged = raw_token(&json!({"alg": name, "typ": "JWT"}), &access_claims(), signature);
            assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg(NOT_ALLOWED)), "{name}");
        }
        assert_eq!(name.parse::<Algorithm>(), Err(AlgorithmParseError::Unsigned));
    }
}

// ---------------------------------------------------------------------------
// 3. ECDSA psychic signatures

/// ECDSA "psychic signatures" (CVE-2022-21449) on ES256, ES384 and ES512: r and s
/// must lie in [1, n-1]. All zeros, r = 0, s = 0, r = n, s = n, r = n + 1,
/// s = n + 1 and r = s = 0xff..ff (above n) are each refused, 422 "Signature
/// verification failed". The r and s of a genuine signature are kept where the
/// other is forged, so only the range check can refuse them.
#[tokio::test]
async fn ecdsa_psychic_signatures_are_refused() {
    for (alg, keys, n, len) in curves() {
        let client = app(alg.as_str(), keys);
        let token = genuine(&private(keys), alg);
        assert_eq!(get_with(&client, "/protected", &token).await.0, 200, "{alg}");
        let signature = signature_of(&token);
        assert_eq!(signature.len(), 2 * len, "{alg}");
        let (r, s) = signature.split_at(len);
        let (zero, n_plus_one, ones) = (vec![0u8; len], be_add_one(&n), vec![0xffu8; len]);
        let forgeries: [(&str, Vec<u8>); 8] = [
            ("r = s = 0", [&zero[..], &zero[..]].concat()),
            ("r = 0", [&zero[..], s].concat()),
            ("s = 0", [r, &zero[..]].concat()),
            ("r = n", [&n[..], s].concat()),
            ("s = n", [r, &n[..]].concat()),
            ("r = n + 1", [&n_plus_one[..], s].concat()),
            ("s = n + 1", [r, &n_plus_one[..]].concat()),
            ("r = s = 2^k - 1", [&ones[..], &ones[..]].concat()),
        ];
        for (what, forged) in forgeries {
            let forged = with_signature(&token, &forged);
            assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg(BAD_SIGNATURE)), "{alg} {what}");
        }
    }
}

// ---------------------------------------------------------------------------
// 4. ECDSA signature encodings

/// A DER INTEGER of the unsigned big-endian `value`.
fn der_integer(value: &[u8]) -> Vec<u8> {
    let start = value.iter().position(|&b| b != 0).unwrap_or(value.len() - 1);
    let mut body = value[start..].to_vec();
    if body[0] >= 0x80 {
        body.insert(0, 0);
    }
    [vec![0x02, body.len() as u8], body].concat()
}

/// The DER `SEQUENCE { r INTEGER, s INTEGER }` that OpenSSL and X.509 use.
fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    let body = [der_integer(r), der_integer(s)].concat();
    let len = if body.len() < 0x80 { vec![body.len() as u8] } else { vec![0x81, body.len() as u8] };
    [vec![0x30], len, body].concat()
}

/// JWS ECDSA signatures are `r || s` of fixed length (RFC 7518 section 3.4). The
/// DER encoding of a genuine signature, and the genuine signature one byte short,
/// one byte long (a zero appended or prepended) or empty, are each refused, 422
/// "Signature verification failed".
#[tokio::test]
async fn ecdsa_signatures_of_another_encoding_or_length_are_refused() {
    for (alg, keys, _, len) in curves() {
        let client = app(alg.as_str(), keys);
        let token = genuine(&private(keys), alg);
        let signature = signature_of(&token);
        let (r, s) = signature.split_at(len);
        let forgeries: [(&str, Vec<u8>); 5] = [
            ("DER", der_signature(r, s)),
            ("one byte short", signature[..signature.len() - 1].to_vec()),
            ("one byte long", [&signature[..], &[0u8][..]].concat()),
            ("a zero prepended", [&[0u8][..], &signature[..]].concat()),
            ("empty", Vec::new()),
        ];
        for (what, forged) in forgeries {
            let forged = with_signature(&token, &forged);
            assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg(BAD_SIGNATURE)), "{alg} {what}");
        }
    }
}

// ---------------------------------------------------------------------------
// 5. High S

/// ECDSA malleability: (r, n - s) is as valid as (r, s). phial ACCEPTS the high-S
/// twin of a genuine ES256/ES384/ES512 signature, as PyJWT does (OpenSSL through
/// `cryptography` has no low-S rule; low-S is a Bitcoin rule, not JWS's). A
/// signature is not an identifier: revocation is keyed on `jti`, never on the
/// token string, so a second valid spelling of a token gains nothing.
#[tokio::test]
async fn ecdsa_high_s_twin_is_accepted_as_pyjwt_accepts_it() {
    for (alg, keys, n, len) in curves() {
        let client = app(alg.as_str(), keys);
        let token = genuine(&private(keys), alg);
        let signature = signature_of(&token);
        let (r, s) = signature.split_at(len);
        let twin = with_signature(&token, &[r, &be_sub(&n, s)].concat());
        assert_ne!(twin, token);
        assert_eq!(get_with(&client, "/protected", &twin).await.0, 200, "{alg}");
    }
}

// ---------------------------------------------------------------------------
// 6. RSA signature length and scheme

/// An RSA signature is exactly as long as the modulus (RFC 8017 section 8.2.2):
/// a genuine RS256 or PS256 signature truncated by one byte, with a zero byte
/// prepended (the same integer), or empty is refused, 422 "Signature
/// verification failed", before any arithmetic.
#[tokio::test]
async fn rsa_signatures_of_the_wrong_length_are_refused() {
    for alg in [Algorithm::RS256, Algorithm::PS256] {
        let client = app(alg.as_str(), "rsa2048");
        let token = genuine(&private("rsa2048"), alg);
        assert_eq!(get_with(&client, "/protected", &token).await.0, 200, "{alg}");
        let signature = signature_of(&token);
        assert_eq!(signature.len(), 256);
        let forgeries: [(&str, Vec<u8>); 4] = [
            ("truncated", signature[..255].to_vec()),
            ("zero prepended", [&[0u8][..], &signature[..]].concat()),
            ("zero appended", [&signature[..], &[0u8][..]].concat()),
            ("empty", Vec::new()),
        ];
        for (what, forged) in forgeries {
            let forged = with_signature(&token, &forged);
            assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg(BAD_SIGNATURE)), "{alg} {what}");
        }
    }
}

/// RS256 and PS256 share the key but not the scheme, and the header's `alg`
/// decides which one is checked. With both allowed: a PS256 token relabelled
/// RS256, and a PSS signature made over a header that says RS256, are refused,
/// 422 "Signature verification failed" (and the same the other way round).
/// With only RS256 allowed, a PS256 token is "not allowed".
#[tokio::test]
async fn an_rsa_signature_of_the_other_scheme_is_refused() {
    let key = private("rsa2048");
    let client = app_with(
        "RS256",
        &[
            ("JWT_DECODE_ALGORITHMS", json!(["RS256", "PS256"])),
            ("JWT_PRIVATE_KEY", json!(key_file("rsa2048_private.pem"))),
        ],
        |_| {},
    );
    for (label, signer) in [(Algorithm::RS256, Algorithm::PS256), (Algorithm::PS256, Algorithm::RS256)] {
        let honest = genuine(&key, signer);
        assert_eq!(get_with(&client, "/protected", &honest).await.0, 200, "{signer}");
        // The genuine token of the other scheme, its header relabelled.
        let relabelled =
            raw_token(&json!({"alg": label.as_str(), "typ": "JWT"}), &access_claims(), &signature_of(&honest));
        assert_eq!(get_with(&client, "/protected", &relabelled).await, (422, msg(BAD_SIGNATURE)), "{label}");
        // The other scheme's signature over this very header.
        let header = json!({"alg": label.as_str(), "typ": "JWT"});
        let crossed = signed_token(&header, &access_claims(), &key, signer);
        assert_eq!(get_with(&client, "/protected", &crossed).await, (422, msg(BAD_SIGNATURE)), "{label}");
    }
    let rs256_only = app("RS256", "rsa2048");
    let ps256 = genuine(&key, Algorithm::PS256);
    assert_eq!(get_with(&rs256_only, "/protected", &ps256).await, (422, msg(NOT_ALLOWED)));
}

// ---------------------------------------------------------------------------
// 7. Keys named by the token

/// `jwk`, `jku`, `x5u` and `x5c` headers (RFC 7515 section 4.1.2 to 4.1.6) never
/// choose a key: the app verifies with its configured key only. An attacker signs
/// with their own key pair (rsa3072) and embeds its public JWK, a `jku`/`x5u` URL
/// of their own, an `x5c` chain and a `kid`: 422 "Signature verification failed".
/// The same headers on a token the app's key signed change nothing (200): they are
/// ignored, as PyJWT ignores them.
#[tokio::test]
async fn jwk_jku_x5u_x5c_headers_never_choose_the_key() {
    let client = app("RS256", "rsa2048");
    let attacker = private("rsa3072");
    let mut attacker_jwk = attacker.verifying_key().to_jwk().unwrap();
    attacker_jwk.insert("kid".into(), json!("attacker"));
    let spki = key_file("rsa3072_public.pem");
    let spki_base64: String = spki.lines().filter(|line| !line.starts_with("-----")).collect();
    let extra = [
        ("jwk", Value::Object(attacker_jwk)),
        ("jku", json!("https://attacker.example/.well-known/jwks.json")),
        ("x5u", json!("https://attacker.example/cert.pem")),
        ("x5c", json!([spki_base64])),
        ("kid", json!("attacker")),
    ];
    let mut all = json!({"alg": "RS256", "typ": "JWT"});
    for (name, value) in &extra {
        let mut header = json!({"alg": "RS256", "typ": "JWT"});
        header[*name] = value.clone();
        let forged = signed_token(&header, &access_claims(), &attacker, Algorithm::RS256);
        assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg(BAD_SIGNATURE)), "{name}");
        all[*name] = value.clone();
    }
    let forged = signed_token(&all, &access_claims(), &attacker, Algorithm::RS256);
    assert_eq!(get_with(&client, "/protected", &forged).await, (422, msg(BAD_SIGNATURE)));
    let honest = signed_token(&all, &access_claims(), &private("rsa2048"), Algorithm::RS256);
    assert_eq!(get_with(&client, "/protected", &honest).await.0, 200);
}

// ---------------------------------------------------------------------------
// 8. kid

/// A `kid` selects a key only through the app's `decode_key_loader`, from the
/// app's own map. A `kid` the map lacks (an unknown one, a path, an empty one, or
/// none at all) selects no key, 422 "No key matches the token's kid" (the kid is
/// never echoed). A known `kid` on a token another key signed is "Signature
/// verification failed".
#[tokio::test]
async fn a_kid_that_selects_no_key_is_refused() {
    let keys: HashMap<String, VerifyingKey> =
        [("rsa-2048".to_owned(), public("rsa2048")), ("rsa-3072".to_owned(), public("rsa3072"))].into();
    let client = app_with("RS256", &[("JWT_PUBLIC_KEY", json!(key_file("rsa2048_public.pem")))], move |jwt| {
        jwt.decode_key_loader(move |header: &JsonObject, _claims: &JsonObject| {
            header.get("kid").and_then(Value::as_str).and_then(|kid| keys.get(kid)).cloned()
        });
    });
    let signer = private("rsa2048");
    let with_kid = |kid: Value| {
        let mut header = json!({"alg": "RS256", "typ": "JWT"});
        if !kid.is_null() {
            header["kid"] = kid;
        }
        signed_token(&header, &access_claims(), &signer, Algorithm::RS256)
    };
    assert_eq!(get_with(&client, "/protected", &with_kid(json!("rsa-2048"))).await.0, 200);
    for kid in [json!("rsa-4096"), json!("../../../dev/null"), json!(""), json!("RSA-2048"), Value::Null] {
        assert_eq!(get_with(&client, "/protected", &with_kid(kid.clone())).await, (422, msg(NO_KEY)), "{kid}");
    }
    assert_eq!(get_with(&client, "/protected", &with_kid(json!("rsa-3072"))).await, (422, msg(BAD_SIGNATURE)));
}

// ---------------------------------------------------------------------------
// 9. EdDSA

/// Ed25519 malleability: S must be below the group order L (RFC 8032 section
/// 5.1.7). A genuine signature with L added to S (the same scalar mod L) is
/// refused, 422 "Signature verification failed".
#[tokio::test]
async fn eddsa_non_canonical_s_is_refused() {
    let client = app("EdDSA", "ed25519");
    let token = genuine(&private("ed25519"), Algorithm::EdDSA);
    assert_eq!(get_with(&client, "/protected", &token).await.0, 200);
    let signature = signature_of(&token);
    let mut l_le = hex(ED25519_L);
    l_le.reverse();
    let forged = [&signature[..32], &le_add(&signature[32..], &l_le)].concat();
    assert_eq!(get_with(&client, "/protected", &with_signature(&token, &forged)).await, (422, msg(BAD_SIGNATURE)));
}

/// A small-order Ed25519 public key: the identity point (y = 1). Under the
/// cofactorless equation [S]B = R + [k]A, A = identity makes (R = B, S = 1)
/// verify for EVERY message, and ed25519-dalek's plain `verify` accepts it (shown
/// below). phial reads the key (as JWK and as an OpenSSH line; the point is
/// valid) but verifies strictly, which refuses small-order keys: "Signature
/// verification failed" for that universal forgery.
#[test]
fn eddsa_small_order_public_key_is_refused() {
    use ed25519_dalek::Verifier as _;
    let mut identity = [0u8; 32];
    identity[0] = 1;
    // R = the base point B, S = 1.
    let mut universal = hex("5866666666666666666666666666666666666666666666666666666666666666");
    universal.extend([1u8].iter().chain([0u8; 31].iter()));

    let token = raw_token(&json!({"alg": "EdDSA", "typ": "JWT"}), &access_claims(), &universal);
    let input = token.rsplit_once('.').unwrap().0;
    // The forgery is real: the non-strict check accepts it.
    let dalek = ed25519_dalek::VerifyingKey::from_bytes(&identity).unwrap();
    let signature = ed25519_dalek::Signature::from_slice(&universal).unwrap();
    assert!(dalek.verify(input.as_bytes(), &signature).is_ok());
    assert!(dalek.is_weak());

    let jwk: JsonObject = json!({"kty": "OKP", "crv": "Ed25519", "x": b64(&identity)}).as_object().unwrap().clone();
    let blob = [&11u32.to_be_bytes()[..], b"ssh-ed25519", &32u32.to_be_bytes(), &identity].concat();
    let openssh = format!("ssh-ed25519 {}", base64::engine::general_purpose::STANDARD.encode(blob));
    for key in [VerifyingKey::from_jwk(&jwk), VerifyingKey::from_pem(&openssh)] {
        match key {
            Ok(key) => assert_eq!(verify(&token, &[Algorithm::EdDSA], &key), Err(BAD_SIGNATURE.to_owned())),
            Err(err) => panic!("the identity point is a valid encoding and should load: {err}"),
        }
    }
}

/// Invalid-curve keys: an EC public key whose point is not on its curve (a
/// genuine JWK with one bit of `y` flipped) never loads, so no token is ever
/// checked against it.
#[test]
fn an_ec_point_off_its_curve_is_refused_when_loaded() {
    for keys in ["p256", "p384", "p521"] {
        let mut jwk = public(keys).to_jwk().unwrap();
        let mut y = unb64(jwk["y"].as_str().unwrap());
        *y.last_mut().unwrap() ^= 1;
        jwk.insert("y".into(), json!(b64(&y)));
        let err = VerifyingKey::from_jwk(&jwk).unwrap_err();
        assert_eq!(err.to_string(), "the JWK cannot be used: the point is not on the curve", "{keys}");
    }
}
