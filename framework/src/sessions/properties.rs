//! Properties of the session codec over generated sessions and generated input:
//! every session reads back as it was written, and nothing a client can send makes
//! the codec panic or accept a changed cookie.

use super::{SessionCodec, SessionMap, SessionValue, tagged_json};
use proptest::prelude::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NOW: u64 = 1_700_000_000;
const LIFETIME: Duration = Duration::from_secs(31 * 24 * 3600);

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn codec() -> SessionCodec {
    SessionCodec::new("secret", ["fallback"]).unwrap()
}

/// Any value a session can hold. Dates are whole seconds from the year 100 to
/// 9999 (Python reads the years below 100 as two-digit years, Flask included).
fn value() -> BoxedStrategy<SessionValue> {
    let leaf = prop_oneof![
        Just(SessionValue::Null),
        any::<bool>().prop_map(SessionValue::from),
        any::<i64>().prop_map(SessionValue::from),
        any::<u64>().prop_map(SessionValue::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(SessionValue::from),
        any::<String>().prop_map(SessionValue::from),
        // Keys and strings that look like tags.
        prop_oneof![Just(" t"), Just(" di"), Just(" b__"), Just("__")].prop_map(SessionValue::from),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(SessionValue::Bytes),
        any::<String>().prop_map(SessionValue::Markup),
        any::<u128>().prop_map(|bits| SessionValue::Uuid(uuid::Uuid::from_u128(bits))),
        (-59_011_459_200_i64..=253_402_300_799).prop_map(|seconds| {
            let magnitude = Duration::from_secs(seconds.unsigned_abs());
            SessionValue::DateTime(if seconds < 0 { UNIX_EPOCH - magnitude } else { UNIX_EPOCH + magnitude })
        }),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(SessionValue::List),
            proptest::collection::vec(inner.clone(), 0..6).prop_map(SessionValue::Tuple),
            map(inner).prop_map(SessionValue::Dict),
        ]
    })
    .boxed()
}

/// Dicts with ordinary keys and keys that look like tags, often alone.
fn map(inner: BoxedStrategy<SessionValue>) -> impl Strategy<Value = SessionMap> {
    let key = prop_oneof![any::<String>(), Just(" t".to_owned()), Just(" di".to_owned()), Just(" d".to_owned())];
    proptest::collection::btree_map(key, inner, 0..4)
}

proptest! {
    #[test]
    fn every_session_reads_back_as_it_was_written(session in map(value())) {
        let cookie = codec().encode(&session, at(NOW));
        prop_assert_eq!(codec().decode(&cookie, LIFETIME, at(NOW + 60)).unwrap(), session);
    }

    #[test]
    fn every_value_reads_back_through_tagged_json(value in value()) {
        prop_assert_eq!(tagged_json::from_slice(&tagged_json::to_vec(&value)).unwrap(), value);
    }

    #[test]
    fn arbitrary_text_is_an_error_never_a_panic(text in any::<String>()) {
        prop_assert!(codec().decode(&text, LIFETIME, at(NOW)).is_err());
    }

    #[test]
    fn text_shaped_like_a_cookie_is_an_error_never_a_panic(
        text in "[.]?[A-Za-z0-9_-]{0,60}[.][A-Za-z0-9_-]{0,8}[.][A-Za-z0-9_-]{0,30}"
    ) {
        prop_assert!(codec().decode(&text, LIFETIME, at(NOW)).is_err());
    }

    #[test]
    fn arbitrary_bytes_never_panic_tagged_json(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = tagged_json::from_slice(&bytes);
    }

    #[test]
    fn any_changed_or_cut_cookie_is_refused(
        session in map(value()),
        position in any::<proptest::sample::Index>(),
        replacement in proptest::char::range('-', 'z'),
        cut in any::<proptest::sample::Index>(),
    ) {
        let cookie = codec().encode(&session, at(NOW));
        let index = position.index(cookie.len());
        let mut changed = cookie.clone();
        changed.replace_range(index..=index, &replacement.to_string());
        if changed != cookie {
            prop_assert!(codec().decode(&changed, LIFETIME, at(NOW)).is_err(), "{} -> {}", cookie, changed);
        }
        let truncated = &cookie[..cut.index(cookie.len())];
        prop_assert!(codec().decode(truncated, LIFETIME, at(NOW)).is_err(), "{}", truncated);
    }
}
