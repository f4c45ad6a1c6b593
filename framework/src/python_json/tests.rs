//! Tests of `python_json`.
use super::*;
use serde_json::json;

fn dumps(value: &Value) -> String {
    let mut out = Vec::new();
    to_writer(&mut out, value).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn ascii_is_written_as_is_and_the_rest_escaped_like_ensure_ascii() {
    // Expected strings are what CPython 3.11's json.dumps prints.
    assert_eq!(dumps(&json!("plain </script> text")), r#""plain </script> text""#);
    assert_eq!(dumps(&json!("Zoë")), r#""Zo\u00eb""#);
    assert_eq!(dumps(&json!("東京")), r#""\u6771\u4eac""#);
    assert_eq!(dumps(&json!("🦀")), r#""\ud83e\udd80""#);
    assert_eq!(dumps(&json!("\u{7f}")), r#""\u007f""#);
    assert_eq!(dumps(&json!("\u{2028}")), r#""\u2028""#);
}

#[test]
fn quotes_backslashes_and_controls_use_python_spelling() {
    assert_eq!(dumps(&json!("a\"b\\c")), r#""a\"b\\c""#);
    assert_eq!(dumps(&json!("\n\r\t\u{8}\u{c}")), r#""\n\r\t\b\f""#);
    assert_eq!(dumps(&json!("\u{1}\u{1f}")), r#""\u0001\u001f""#);
}

#[test]
fn keys_are_escaped_too_and_separators_are_compact() {
    assert_eq!(dumps(&json!({"né": [1, true, null]})), r#"{"n\u00e9":[1,true,null]}"#);
}

#[test]
fn floats_are_spelt_as_python_repr() {
    let cases = [
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (1.5, "1.5"),
        (100.0, "100.0"),
        (0.1, "0.1"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (1.5e-7, "1.5e-07"),
        (1795872479.553766, "1795872479.553766"),
        (9999999999999998.0, "9999999999999998.0"),
        (1e16, "1e+16"),
        (1.2345678901234568e17, "1.2345678901234568e+17"),
        (-2.5e100, "-2.5e+100"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
    ];
    for (value, python) in cases {
        assert_eq!(dumps(&json!(value)), python, "{value:e}");
    }
}

#[test]
fn integers_are_unchanged() {
    assert_eq!(
        dumps(&json!([0, -1, 9007199254740993_u64, i64::MIN, u64::MAX])),
        format!("[0,-1,9007199254740993,{},{}]", i64::MIN, u64::MAX)
    );
}

#[test]
fn every_byte_in_every_position_is_judged_as_the_serializer_escapes_it() {
    for byte in 0..=u8::MAX {
        let plain = (b' '..=b'~').contains(&byte) && byte != b'"' && byte != b'\\';
        for position in 0..19 {
            let mut bytes = vec![b'a'; 19];
            bytes[position] = byte;
            assert_eq!(is_plain(&bytes), plain, "byte {byte:#x} at {position}");
            assert_eq!(is_plain(&bytes[..=position]), plain, "byte {byte:#x} last of {}", position + 1);
        }
    }
    assert!(is_plain(b""));
}

#[test]
fn write_str_matches_the_serializer_for_every_kind_of_character() {
    for text in ["", "plain text", "quote \" and \\ backslash", "tab\tnew\nline", "\u{7f}", "Zoë", "🦀", "~ !"] {
        let mut fast = Vec::new();
        write_str(&mut fast, text);
        let mut serialised = Vec::new();
        to_writer(&mut serialised, text).unwrap();
        assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(serialised).unwrap(), "{text:?}");
    }
}

#[test]
fn sorted_output_sorts_every_level_and_escapes_like_jsonify() {
    let mut out = Vec::new();
    to_writer_sorted(&mut out, &json!({"b": 1, "a": {"d": [1, {"z": 0.5, "y": "é"}], "c": null}}));
    // What Flask 3's jsonify sends, newline aside.
    assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":{"c":null,"d":[1,{"y":"\u00e9","z":0.5}]},"b":1}"#);
}

#[test]
fn keys_sort_by_code_point_as_python_sorts_str() {
    let mut out = Vec::new();
    to_writer_sorted(&mut out, &json!({"é": 1, "z": 2, "Z": 3, "_": 4, "10": 5, "9": 6}));
    assert_eq!(String::from_utf8(out).unwrap(), r#"{"10":5,"9":6,"Z":3,"_":4,"z":2,"\u00e9":1}"#);
}
