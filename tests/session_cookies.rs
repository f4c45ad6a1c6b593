//! Flask's session cookie, both ways: phial reads every cookie Flask 3.1 wrote to
//! the value Flask reads, refuses every cookie Flask refuses for the same reason,
//! writes Flask's exact bytes for every uncompressed session, and writes cookies
//! that Flask reads back to the same value, compressed ones included.
//!
//! The vectors come from `tests/flask_vectors/session_cookies.py` (run by hand, see
//! its docstring): `session_cookies.json` holds what Flask wrote and how Flask read
//! it; `session_cookies_phial.json` holds the cookies phial writes for the same
//! sessions and how Flask read those. `PHIAL_WRITE_SESSION_VECTORS=1` rewrites the
//! second file from this test (then the script's `verify` step adds Flask's reads).
//!
//! Compressed cookies are compared by what they read as, not by their bytes: phial
//! compresses with miniz_oxide, Flask with CPython's zlib, and the two write
//! different deflate streams for the same JSON.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use phial::sessions::{KeyDerivation, SessionCodec, SessionMap, SessionValue, TimestampSigner, UrlSafeTimedSerializer};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const VECTORS: &str = include_str!("flask_vectors/session_cookies.json");
const WRITE_ENV: &str = "PHIAL_WRITE_SESSION_VECTORS";

fn vectors() -> Value {
    serde_json::from_str(VECTORS).unwrap()
}

fn phial_vectors_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/flask_vectors/session_cookies_phial.json")
}

fn at(seconds: &Value) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds.as_u64().unwrap())
}

/// The codec of the vectors' app: its SECRET_KEY and SECRET_KEY_FALLBACKS.
fn codec(vectors: &Value) -> SessionCodec {
    let fallbacks: Vec<&str> =
        vectors["fallbacks"].as_array().unwrap().iter().map(|key| key.as_str().unwrap()).collect();
    SessionCodec::new(vectors["secret_key"].as_str().unwrap(), fallbacks).unwrap()
}

fn max_age(vectors: &Value) -> Duration {
    Duration::from_secs(vectors["max_age"].as_u64().unwrap())
}

/// A value as the script describes it (see its docstring).
fn described(value: &Value) -> SessionValue {
    let Value::Object(object) = value else {
        return match value {
            Value::Array(items) => SessionValue::List(items.iter().map(described).collect()),
            plain => SessionValue::from(plain.clone()),
        };
    };
    let (tag, inner) = object.iter().next().expect("a described value has one key");
    match tag.as_str() {
        "$dict" => SessionValue::Dict(described_map(inner)),
        "$tuple" => SessionValue::Tuple(inner.as_array().unwrap().iter().map(described).collect()),
        "$bytes" => SessionValue::Bytes(STANDARD.decode(inner.as_str().unwrap()).unwrap()),
        "$markup" => SessionValue::Markup(inner.as_str().unwrap().to_owned()),
        "$uuid" => SessionValue::Uuid(inner.as_str().unwrap().parse().unwrap()),
        "$datetime" => {
            let seconds = inner.as_i64().unwrap();
            let magnitude = Duration::from_secs(seconds.unsigned_abs());
            SessionValue::DateTime(if seconds < 0 { UNIX_EPOCH - magnitude } else { UNIX_EPOCH + magnitude })
        }
        other => panic!("unknown description {other}"),
    }
}

fn described_map(value: &Value) -> SessionMap {
    value.as_object().unwrap().iter().map(|(key, item)| (key.clone(), described(item))).collect()
}

/// A session as a view sees it: `{"$dict": {..}}`.
fn described_session(value: &Value) -> SessionMap {
    described_map(&value["$dict"])
}

#[test]
fn phial_reads_every_flask_cookie_as_flask_reads_it() {
    let vectors = vectors();
    let codec = codec(&vectors);
    let reads = vectors["reads"].as_array().unwrap();
    assert!(reads.len() > 40, "the vectors cover the written sessions and the crafted cookies");
    for case in reads {
        let name = case["name"].as_str().unwrap();
        let decoded = codec.decode(case["cookie"].as_str().unwrap(), max_age(&vectors), at(&case["now"]));
        let flask_error = case["error"].as_str();
        let flask_raised = case["request"].get("raised").is_some();
        match (flask_error, decoded) {
            (None, Ok(session)) if !flask_raised => {
                assert_eq!(session, described_session(&case["request"]["session"]), "{name}");
            }
            // Flask 500s on a signed payload that is not a dict; phial refuses it as unreadable.
            (None, Err(phial::Error::BadPayload { .. })) if flask_raised => {}
            (Some("BadSignature" | "BadTimeSignature"), Err(error @ phial::Error::BadSignature { .. }))
            | (Some("SignatureExpired"), Err(error @ phial::Error::SignatureExpired { .. }))
            | (Some("BadPayload"), Err(error @ phial::Error::BadPayload { .. })) => {
                // Flask shows the view an empty session (or raises, for a bad payload).
                let flask_session = case["request"].get("session");
                assert!(flask_session.is_none_or(|session| described_session(session).is_empty()), "{name}");
                assert!(error.to_string().len() > 40, "{name}: the message says what happened: {error}");
            }
            (flask, phial) => panic!("{name}: Flask says {flask:?} (request {}), phial {phial:?}", case["request"]),
        }
    }
}

#[test]
fn phial_writes_flasks_bytes_for_every_uncompressed_session() {
    let vectors = vectors();
    let codec = codec(&vectors);
    let signed_at = at(&vectors["signed_at"]);
    let sessions = vectors["sessions"].as_array().unwrap();
    let mut compared = 0;
    for case in sessions {
        let name = case["name"].as_str().unwrap();
        let session = described_session(&case["value"]);
        let cookie = codec.encode(&session, signed_at);
        let flask_cookie = case["cookie"].as_str().unwrap();
        if case["compressed"] == json!(false) {
            assert_eq!(cookie, flask_cookie, "{name}");
            compared += 1;
        }
        // For these sessions both sides make the same choice to compress; a session
        // where compression saves about two bytes could go either way.
        assert_eq!(cookie.starts_with('.'), flask_cookie.starts_with('.'), "{name}: {cookie}");
        assert_eq!(codec.decode(&cookie, max_age(&vectors), signed_at).unwrap(), session, "{name}");
    }
    assert!(compared >= 10 && compared < sessions.len(), "{compared} of {} compared byte for byte", sessions.len());
}

#[test]
fn flask_reads_every_cookie_phial_writes() {
    let vectors = vectors();
    let codec = codec(&vectors);
    let signed_at = at(&vectors["signed_at"]);
    let written: Vec<Value> = vectors["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let cookie = codec.encode(&described_session(&case["value"]), signed_at);
            json!({"name": case["name"], "cookie": cookie, "compressed": cookie.starts_with('.')})
        })
        .collect();
    if std::env::var_os(WRITE_ENV).is_some() {
        let file = json!({
            "note": "The cookies phial writes for session_cookies.json's sessions, at its signed_at, and how Flask \
                     reads them at signed_at + 60 (session_cookies.py verify).",
            "cookies": written,
        });
        std::fs::write(phial_vectors_path(), serde_json::to_string_pretty(&file).unwrap() + "\n").unwrap();
        eprintln!(
            "wrote {}; now run: python3 session_cookies.py verify session_cookies_phial.json",
            phial_vectors_path().display()
        );
        return;
    }
    let recorded: Value = serde_json::from_str(&std::fs::read_to_string(phial_vectors_path()).unwrap()).unwrap();
    let recorded = recorded["cookies"].as_array().unwrap();
    assert_eq!(recorded.len(), written.len(), "session_cookies_phial.json is stale: rewrite it ({WRITE_ENV}=1)");
    let mut compressed = 0;
    for (mine, flasks) in written.iter().zip(recorded) {
        let name = mine["name"].as_str().unwrap();
        assert_eq!(
            mine["cookie"], flasks["cookie"],
            "{name}: phial writes other bytes than recorded: rewrite the file"
        );
        let flask = &flasks["flask"];
        assert_eq!(flask["error"], Value::Null, "{name}: Flask refused phial's cookie");
        let session = vectors["sessions"].as_array().unwrap().iter().find(|case| case["name"] == mine["name"]).unwrap();
        assert_eq!(
            described_session(&flask["request"]["session"]),
            described_session(&session["value"]),
            "{name}: Flask reads phial's cookie to another value"
        );
        compressed += usize::from(mine["compressed"] == json!(true));
    }
    assert!(compressed >= 5, "compressed cookies are among those Flask read: {compressed}");
}

#[test]
fn itsdangerous_tokens_an_app_signs_itself_are_written_and_read_alike() {
    for case in vectors()["itsdangerous_tokens"].as_array().unwrap() {
        let signer = TimestampSigner::new(
            [case["secret_key"].as_str().unwrap()],
            case["salt"].as_str().unwrap(),
            KeyDerivation::DjangoConcat,
        )
        .unwrap();
        let serializer = UrlSafeTimedSerializer::new(signer);
        let payload = case["payload"].as_str().unwrap().as_bytes();
        let token = case["token"].as_str().unwrap();
        assert_eq!(serializer.dumps(payload, at(&case["signed_at"])), token);
        assert_eq!(serializer.loads(token, Some(3600), at(&case["signed_at"])).unwrap(), payload);
    }
}
